// Shared by the reader targets: load the bytes as `format` (None: sniff) exactly as
// `embx::io::load` loads a file, and use the space a little, so lazily checked data is
// touched too. Any error is fine; a panic, abort or sanitizer report is a bug.
use embx::io::{load_bytes, LoadOptions, MmapMode};
use embx::Format;

pub fn read(data: &[u8], format: Option<Format>) {
    for mmap in [MmapMode::Never, MmapMode::Always] {
        let opts = LoadOptions {
            format,
            mmap,
            progress: None,
        };
        if let Ok(loaded) = load_bytes("fuzz.input", data.to_vec(), &opts) {
            let space = loaded.space;
            for w in loaded.warnings.iter().take(2) {
                let _ = w.to_string();
            }
            if let Some(word) = space.vocab().iter().next().map(str::to_owned) {
                let _ = space.lookup(&word);
                let _ = embx::query::similar(&space, &[word.as_str()], 3);
            }
            // An unknown word: subword vocabularies build it from n-grams.
            let _ = space.lookup("zzqxj");
        }
        if format != Some(Format::Fifu) {
            break;
        }
    }
}
