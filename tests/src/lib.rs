//! Shared helpers of the workspace tests: fixture discovery, snapshot rendering, scratch crates
//! that compile generated code, and the synthetic spec generator.

pub mod fixtures;
pub mod scratch;
pub mod synthetic;
