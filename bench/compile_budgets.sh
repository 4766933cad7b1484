#!/usr/bin/env bash
# The compile budgets of the whole-API client (BENCHMARKS.md, "Compile budgets"): prints figures,
# asserts nothing. Run it on an idle machine; it takes about 10 minutes on 2 cores.
#
#   bench/compile_budgets.sh [BASELINE_REV]
#
# 1. A downstream crate enabling one group (`host-management`), clean debug build, beside the
#    same crate on the one-operation client of BASELINE_REV (default 18d9512, the last commit
#    before the whole API), each in a fresh target directory.
# 2. The same crate with `full`: clean debug build.
# 3. hss-client with every group rebuilt after touching one generated file, non-incremental
#    (CARGO_INCREMENTAL=0, as the progenitor reference was measured; three times, alternating
#    with progenitor's crate, medians compared) and incremental (cargo's default for path
#    dependencies), per operation.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
baseline_rev="${1:-18d9512}"
work="$root/target/compile-budgets"
rm -rf "$work"
mkdir -p "$work"

seconds() { # seconds of one command, its output discarded
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}

downstream() { # NAME CLIENT_DIR FEATURES MAIN_BODY
    local dir="$work/$1"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
hss-client = { path = "$2", features = [$3] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
EOF
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    cat >"$dir/src/main.rs" <<EOF
#[tokio::main]
#[allow(deprecated)]
async fn main() {
    let client = hss_client::Client::builder()
        .endpoint("http://127.0.0.1:1")
        .project_id("p")
        .credentials(hss_client::Credentials::permanent("a", "b"))
        .build()
        .expect("client");
    $4
}
EOF
    (cd "$dir" && cargo fetch --quiet)
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
git -C "$root" worktree add --quiet --detach "$work/baseline-checkout" "$baseline_rev"
trap 'git -C "$root" worktree remove --force "$work/baseline-checkout" >/dev/null 2>&1 || true' EXIT

downstream baseline "$work/baseline-checkout/hss-client" "" \
    'let _ = client.run_image_synchronize(hss_client::models::RunImageSynchronizeRequestInfo::new(hss_client::models::ImageType::PrivateImage)).send().await;'
downstream one_group "$root/hss-client" '"host-management"' \
    'let _ = client.list_host_status().limit(10).send().await;'
downstream every_group "$root/hss-client" '"full"' \
    'let _ = client.list_host_status().limit(10).send().await;'

baseline=$(cd "$work/baseline" && seconds cargo build --offline)
one_group=$(cd "$work/one_group" && seconds cargo build --offline)
every_group=$(cd "$work/every_group" && seconds cargo build --offline)
echo "clean debug build, one-operation client ($baseline_rev): ${baseline} s"
echo "clean debug build, one group (host-management):   ${one_group} s; ratio $(awk -v a="$one_group" -v b="$baseline" 'BEGIN { printf "%.2f", a / b }')"
echo "clean debug build, every group (full):            ${every_group} s"

operations=$(grep -c '^      operationId: ' "$root/spec/hss.yaml")
touched="$root/hss-client/src/operations/image.rs"
rebuild() { # CARGO_INCREMENTAL: seconds to rebuild hss-client with every group after a touch
    touch "$touched"
    (cd "$work/every_group" && CARGO_INCREMENTAL="$1" seconds cargo build --offline)
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
per_op() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f", s * 1000 / n }'; }
# Side by side: progenitor's own crate for nexus.json (193 operations), installed once into
# target/compile-budgets-tools (crates.io), generated, built, touched and rebuilt the same way.
tools="$root/target/compile-budgets-tools"
if [ ! -x "$tools/bin/cargo-progenitor" ]; then
    cargo install --quiet --locked --root "$tools" cargo-progenitor --version 0.15.1 >/dev/null 2>&1 \
        || cargo install --quiet --root "$tools" cargo-progenitor >/dev/null 2>&1 || true
fi
nexus_spec="$root/../shared/specs/progenitor/nexus.json"
progenitor_ready=false
if [ -x "$tools/bin/cargo-progenitor" ] && [ -f "$nexus_spec" ]; then
    "$tools/bin/cargo-progenitor" progenitor -i "$nexus_spec" -o "$work/progenitor-nexus" \
        -n progenitor-nexus -v 0.0.0 >/dev/null 2>&1
    if [ -d "$work/progenitor-nexus" ]; then
        printf '\n[workspace]\n' >>"$work/progenitor-nexus/Cargo.toml"
        (cd "$work/progenitor-nexus" && CARGO_INCREMENTAL=0 cargo build --quiet >/dev/null 2>&1)
        progenitor_ready=true
    fi
fi
progenitor_rebuild() {
    touch "$work/progenitor-nexus/src/lib.rs"
    (cd "$work/progenitor-nexus" && CARGO_INCREMENTAL=0 seconds cargo build)
}
# This machine's speed drifts (a virtual machine): the rebuilds are taken three times, hss-client
# and progenitor alternating, and the medians compared.
rebuild 0 >/dev/null # the non-incremental artifacts exist before measuring
ours=() theirs=()
for _ in 1 2 3; do
    ours+=("$(rebuild 0)")
    if $progenitor_ready; then theirs+=("$(progenitor_rebuild)"); fi
done
non_incremental=$(median "${ours[@]}")
rebuild 1 >/dev/null
incremental=$(rebuild 1)
echo "hss-client rebuild, every group, CARGO_INCREMENTAL=0: ${non_incremental} s median of ${ours[*]} ($(per_op "$non_incremental" "$operations") ms per operation, $operations operations)"
echo "hss-client rebuild, every group, incremental:         ${incremental} s ($(per_op "$incremental" "$operations") ms per operation)"
if $progenitor_ready; then
    progenitor=$(median "${theirs[@]}")
    echo "progenitor ($(grep -o 'cargo-progenitor [0-9.]*' "$tools/.crates.toml" | head -1)) nexus crate rebuild, CARGO_INCREMENTAL=0: ${progenitor} s median of ${theirs[*]} ($(per_op "$progenitor" 193) ms per operation)"
    echo "ratio per operation, hss-client / progenitor: $(awk -v a="$non_incremental" -v n="$operations" -v b="$progenitor" 'BEGIN { printf "%.2f", (a / n) / (b / 193) }') (budget 0.70)"
else
    echo "progenitor: not installed or generation failed (no network?); reference from ../shared/specs/README.md: 12.6 s (65.3 ms per operation)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
