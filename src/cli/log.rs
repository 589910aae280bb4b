//! The explorer's log file. The terminal belongs to the explorer, so its diagnostics go to a
//! file, and only when asked: `EMBX_LOG=debug embx open FILE` (levels error, warn, info,
//! debug, trace) writes to `$XDG_STATE_HOME/embx/embx.log` (`~/.local/state/embx/embx.log`),
//! or to the file `EMBX_LOG_FILE` names.
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tracing::Level;

/// The log file: `EMBX_LOG_FILE`, else `embx/embx.log` in the user's state folder.
pub fn log_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("EMBX_LOG_FILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("embx").join("embx.log"))
}

/// The level `EMBX_LOG` asks for, `None` when logging is off.
fn level(value: &str) -> Option<Level> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "off" | "false" | "no" => None,
        "error" => Some(Level::ERROR),
        "warn" => Some(Level::WARN),
        "debug" => Some(Level::DEBUG),
        "trace" => Some(Level::TRACE),
        _ => Some(Level::INFO),
    }
}

/// Starts logging to the file when `EMBX_LOG` asks for it; says on stderr (before the
/// explorer takes the screen) when the file cannot be opened. Returns the file in use.
pub fn start_explorer_log(file: &Path) -> Option<PathBuf> {
    let level = level(&std::env::var("EMBX_LOG").ok()?)?;
    let path = log_path()?;
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let log = match OpenOptions::new().create(true).append(true).open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("embx: cannot open the log file {}: {e}", path.display());
            return None;
        }
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(Mutex::new(log))
        .with_ansi(false)
        .with_thread_names(true)
        .finish();
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        return None;
    }
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        file = %file.display(),
        "explorer started"
    );
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level("off"), None);
        assert_eq!(level(""), None);
        assert_eq!(level("debug"), Some(Level::DEBUG));
        assert_eq!(level("1"), Some(Level::INFO));
    }
}
