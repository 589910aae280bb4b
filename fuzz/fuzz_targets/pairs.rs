#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut warnings = Vec::new();
    let path = std::path::Path::new("fuzz.pairs");
    let _ = embx::eval::PairSet::parse(path, data, &mut warnings);
});
