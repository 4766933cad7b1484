//! Tests of the bundler.
