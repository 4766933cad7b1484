//! The region table generated from `spec/hss.yaml` against the committed expectation
//! `tests/data/regions.txt`, and (ignored: it needs `../shared/`) that expectation against the
//! reference `hss-api.md`.

use std::path::PathBuf;

use hss_client::regions;
use hss_client::runtime::iam::region_iam_endpoint;
use hss_client::service::SERVICE;

/// `(id, endpoint)` per line of `tests/data/regions.txt`, comments and blank lines skipped.
fn expected() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/regions.txt");
    let text = std::fs::read_to_string(path).expect("read tests/data/regions.txt");
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (id, endpoint) = line
                .split_once(' ')
                .unwrap_or_else(|| panic!("not `id endpoint`: {line:?}"));
            (id.to_owned(), endpoint.trim().to_owned())
        })
        .collect()
}

#[test]
fn the_generated_regions_are_the_expected_ones_in_order() {
    let ours: Vec<(String, String)> = regions::ALL
        .iter()
        .map(|region| (region.id().to_owned(), region.endpoint().to_owned()))
        .collect();
    assert_eq!(ours, expected());
    assert_eq!(SERVICE.regions(), regions::ALL);
    for region in regions::ALL {
        assert_eq!(regions::from_id(region.id()), Some(*region));
    }
    assert_eq!(regions::from_id("CN-NORTH-4"), None);
    assert_eq!(
        regions::EU_WEST_101.endpoint(),
        "https://hss.eu-west-101.myhuaweicloud.eu"
    );
    assert_eq!(SERVICE.name(), "HSS");
    assert_eq!(
        SERVICE.region_override_variable("cn-north-4"),
        "HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4"
    );
}

/// IAM's table is the runtime's (every service shares it); which HSS regions fall back to the
/// global IAM endpoint is a fact of HSS's region list.
#[test]
fn the_hss_regions_without_a_regional_iam_use_the_global_one() {
    // The HSS regions without an IAM endpoint of their own, which use the global one.
    let falling_back: Vec<&str> = regions::ALL
        .iter()
        .map(hss_client::Region::id)
        .filter(|id| region_iam_endpoint(id).is_none())
        .collect();
    assert_eq!(
        falling_back,
        [
            "cn-south-4",
            "eu-west-101",
            "cn-southwest-3",
            "cn-north-11",
            "af-north-1",
            "ap-southeast-5"
        ]
        .iter()
        .filter(|id| regions::ALL.iter().any(|region| region.id() == **id))
        .copied()
        .collect::<Vec<_>>()
    );
    assert_eq!(falling_back.len(), 6);
    // And the one IAM region HSS is not offered in.
    assert!(region_iam_endpoint("eu-west-0").is_some());
    assert!(regions::ALL.iter().all(|region| region.id() != "eu-west-0"));
}

/// `HSS_REFERENCE_DIR`, else `../shared/reference` beside the checkout.
fn reference_dir() -> PathBuf {
    std::env::var_os("HSS_REFERENCE_DIR").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/reference"
            ))
        },
        PathBuf::from,
    )
}

#[test]
#[ignore = "needs ../shared/reference/hss-api.md (or HSS_REFERENCE_DIR); run with `cargo test -p hss-client --test regions -- --ignored`"]
fn regions_are_those_of_hss_api_md() {
    let path = reference_dir().join("hss-api.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    let (_, after) = text
        .split_once("knows these 32 regions:")
        .expect("region list in hss-api.md");
    let list = after
        .trim_start()
        .split("\n\n")
        .next()
        .expect("a paragraph");
    let documented: Vec<String> = list
        .split(',')
        .map(|id| id.trim().trim_end_matches('.').to_owned())
        .collect();
    let expected: Vec<(String, String)> = expected();
    let ids: Vec<String> = expected.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(ids, documented);
    // The endpoint pattern and its one exception, as hss-api.md states them.
    assert!(text.contains(
        "Endpoint pattern `https://hss.{region_id}.myhuaweicloud.com`, except `eu-west-101`"
    ));
    for (id, endpoint) in &expected {
        let domain = if id == "eu-west-101" {
            "myhuaweicloud.eu"
        } else {
            "myhuaweicloud.com"
        };
        assert_eq!(endpoint, &format!("https://hss.{id}.{domain}"));
    }
}
