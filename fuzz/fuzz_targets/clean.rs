//! Input decoding and the cleaner of every format with its offset map, on arbitrary bytes: see
//! `whosaid::fuzzing::fuzz_clean`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    whosaid_core::fuzzing::fuzz_clean(data);
});
