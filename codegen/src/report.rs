//! What a generation changes in the Rust API: the manifest of the public items one generation
//! gives, the classed changes between two manifests, and the version bump they ask for.

mod build;
mod diff;
mod manifest;
mod render;

pub use diff::{ApiChanges, Change, ChangeClass};
pub use manifest::ApiManifest;
pub use render::{Bump, Suggestion, Version, suggest};

pub(crate) use build::manifest;

#[cfg(test)]
mod tests;
