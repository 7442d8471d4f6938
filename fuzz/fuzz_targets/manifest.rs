//! connector.toml reader and in-place editor on arbitrary text (the body is
//! `cargo_flink_connector::fuzzing::manifest`, which tests/fuzz_smoke.rs also runs on stable).
//! Seed it with examples/redis/connector.toml (first byte: the edit to try).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cargo_flink_connector::fuzzing::manifest(data));
