//! Workspace automation (placeholder).
fn main() {}
