//! The code generated from `spec/hss.yaml` (regenerate with `cargo xtask codegen`; never edit by hand).

pub mod models;
pub mod operations;
pub mod service;
