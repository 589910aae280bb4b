//! Opening the FILE argument: a vector file or the bundled demo.
use super::progress::{with_bar, Unit};
use super::InputArgs;
use crate::error::Result;
use crate::io::{self, LoadOptions, MmapMode};
use crate::space::Space;
use std::path::Path;

/// Opens the file named by `args` (or the demo), printing the reader's warnings to stderr.
pub fn open(args: &InputArgs, quiet: bool) -> Result<Space> {
    let loaded = if is_demo(&args.file) {
        crate::demo::load()?
    } else {
        let mmap = if args.no_mmap {
            MmapMode::Never
        } else if args.mmap {
            MmapMode::Always
        } else {
            MmapMode::Auto
        };
        let label = format!("reading {}", args.file.display());
        with_bar(&label, Unit::Bytes, quiet, |progress| {
            let opts = LoadOptions {
                format: args.format,
                mmap,
                progress: Some(progress),
            };
            io::load_with_words(&args.file, args.words.as_deref(), &opts)
        })?
    };
    if !quiet {
        for w in &loaded.warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok(loaded.space)
}

/// True when `path` is the bare word `demo` (a file called demo is `./demo`).
pub fn is_demo(path: &Path) -> bool {
    path.as_os_str() == crate::demo::NAME
}
