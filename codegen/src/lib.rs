//! OpenAPI 3.0 to Rust generator (placeholder).
