#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut warnings = Vec::new();
    let path = std::path::Path::new("fuzz.questions");
    let _ = embx::eval::AnalogySet::parse(path, data, &mut warnings);
});
