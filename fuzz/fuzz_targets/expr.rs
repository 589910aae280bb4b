#![no_main]
use libfuzzer_sys::fuzz_target;

// The expression parser: never a panic; a syntax error points inside the input (or just
// after its end).
fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match embx::query::parse_expression(text) {
        Ok(terms) => assert!(!terms.is_empty()),
        Err(embx::Error::Syntax { column, .. }) => {
            assert!(column >= 1 && column <= text.chars().count() + 1, "column {column}");
        }
        Err(e) => panic!("not a syntax error: {e}"),
    }
});
