//! Where the benchmarks find the public spec corpus, which the repository cannot carry.

use std::path::{Path, PathBuf};

/// `HSS_CORPUS_DIR` when set, as for the corpus tests, else `../shared/specs/progenitor` beside
/// the checkout.
pub(super) fn dir(root: &Path) -> PathBuf {
    std::env::var_os("HSS_CORPUS_DIR")
        .map_or_else(|| root.join("../shared/specs/progenitor"), PathBuf::from)
}
