//! The quote rules (with sentence splitting, a stand-in tagger and entity merging) straight on
//! arbitrary text: see `whosaid::fuzzing::fuzz_quotes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    whosaid_core::fuzzing::fuzz_quotes(data);
});
