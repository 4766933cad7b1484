//! Tests of the 3.1 conversion.
