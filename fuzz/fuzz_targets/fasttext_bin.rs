#![no_main]
#[allow(unused_imports)]
use embx::Format;
use libfuzzer_sys::fuzz_target;
mod common;

fuzz_target!(|data: &[u8]| common::read(data, Some(Format::FastTextBin)));
