//! Class-file reader and bytecode evaluator on arbitrary bytes (the body is
//! `cargo_flink_connector::fuzzing::classfile`, which tests/fuzz_smoke.rs also runs on stable).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cargo_flink_connector::fuzzing::classfile(data));
