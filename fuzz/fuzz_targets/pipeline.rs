//! Cleaning, sentence splitting, entities, quote detection, JSON/CSV output and the report's
//! highlighting on arbitrary bytes: see `whosaid::fuzzing::fuzz_one`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    whosaid_core::fuzzing::fuzz_one(data);
});
