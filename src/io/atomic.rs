//! Atomic file writes: a temporary file in the target's folder, synced, then renamed.
//!
//! The temporary file is hidden and named after its target, `.NAME.embx-tmp-XXXXXX`. It is
//! removed on every error and on Ctrl-C; only SIGKILL (or a power cut) can leave one behind,
//! and nothing can clean up then. Such a stale file is never read by embx, and the next write
//! to the same target removes the ones left there that have not been touched for an hour (a
//! running write touches its file all the time, so a concurrent write is not disturbed).
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The marker between the target's name and the random part of a temporary file's name.
pub const TMP_MARKER: &str = ".embx-tmp-";

/// Temporary files of a target untouched for this long are considered stale.
const STALE: Duration = Duration::from_secs(3600);

/// The temporary files that exist now, for [`exit_removing_temporaries`].
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file's place in [`LIVE`] while it exists.
struct Live(PathBuf);

impl Drop for Live {
    fn drop(&mut self) {
        let mut live = LIVE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        live.retain(|p| *p != self.0);
    }
}

/// Removes the temporary files of the writes under way and exits with `code`, for an exit
/// that skips their own clean-up (Ctrl-C twice, or while no long work can stop by itself).
///
/// [`LIVE`] stays locked until the process is gone, and a temporary file is made and listed
/// under that lock, so a write on another thread can neither leave a file made but not yet
/// listed nor make a new one after the clean-up.
pub fn exit_removing_temporaries(code: i32) -> ! {
    let mut live = LIVE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for p in live.drain(..) {
        let _ = std::fs::remove_file(p);
    }
    std::process::exit(code)
}

/// Writes `path` through `fill`, atomically: the data goes to a temporary file in the same
/// folder, which is flushed, synced and renamed over `path` only when `fill` succeeds. On
/// error or interruption the temporary file is removed and `path` is untouched.
///
/// A symbolic link is written through: the file it points to is replaced and the link stays.
/// A device or a named pipe (`/dev/stdout`, a FIFO) is written straight into, as there is no
/// file to replace. A file that cannot be opened for writing is refused, not replaced.
pub fn atomic_write<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> Result<()>,
{
    let target = match Target::of(path)? {
        Target::Stream => return write_stream(path, fill),
        Target::File(t) => t,
    };
    let dir = target_dir(&target);
    remove_stale(dir, &tmp_prefix(&target));
    let (tmp, _live) = create_tmp(&target, path)?;
    let (file, tmp_path) = tmp.into_parts();
    match_permissions(&file, &target)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    fill(&mut w)?;
    let file = w
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(path, e))?;
    drop(file);
    tmp_path
        .persist(&target)
        .map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Checks, before long work, that [`atomic_write`] will be able to write `path`: its folder
/// exists and a file can be made there (one is made and removed at once), or it is a device
/// or pipe that opens for writing.
pub fn check_target(path: &Path) -> Result<()> {
    match Target::of(path)? {
        Target::Stream => Ok(()),
        Target::File(t) => create_tmp(&t, path).map(drop),
    }
}

/// Where a write to a path goes.
enum Target {
    /// A file to replace (a link's target, when the path is a link).
    File(PathBuf),
    /// A device or a pipe, written into as it is.
    Stream,
}

impl Target {
    fn of(path: &Path) -> Result<Target> {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            // Nothing there, or a link to a file not made yet: that file is made.
            Err(_) => return Ok(Target::File(link_target(path))),
        };
        if meta.is_dir() {
            return Err(Error::Invalid(format!(
                "cannot write {}: it is a folder",
                path.display()
            )));
        }
        // `/dev/stdout` and its kind are written into even when they lead to a file: the
        // shell holds that file open, maybe to append.
        let special = path.starts_with("/dev") || path.starts_with("/proc");
        if !meta.is_file() || special {
            // (Opened when written: a pipe's opening waits for its reader.)
            return Ok(Target::Stream);
        }
        // Opening for writing without truncating changes nothing; it tells a read-only file.
        if let Err(e) = File::options().write(true).open(path) {
            let e = match e.kind() {
                std::io::ErrorKind::PermissionDenied => std::io::Error::new(
                    e.kind(),
                    "permission denied: the file is not writable, so it is not replaced",
                ),
                _ => e,
            };
            return Err(Error::io(path, e));
        }
        Ok(Target::File(link_target(path)))
    }
}

/// The file a link (to a link …) names, made or not yet; `path` itself when it is no link.
fn link_target(path: &Path) -> PathBuf {
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&target) {
            Ok(to) => target = target_dir(&target).join(to),
            Err(_) => break,
        }
    }
    target
}

/// Writes into a device or a pipe as it is: there is no file to replace atomically.
fn write_stream<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> Result<()>,
{
    // Appending: `/dev/stdout` opened anew must not write over what the shell's `>>` keeps.
    let file = File::options()
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    fill(&mut w)?;
    w.flush().map_err(|e| Error::io(path, e))
}

/// Makes the temporary file for `target` in its folder, listed in [`LIVE`] while the returned
/// guard lives (drop it after the file). The errors name the path asked for (or its folder),
/// not the temporary file.
fn create_tmp(target: &Path, path: &Path) -> Result<(tempfile::NamedTempFile, Live)> {
    let dir = target_dir(target);
    if !dir.is_dir() {
        let what = if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(Error::Invalid(format!(
            "cannot write {}: the folder {} {what}",
            path.display(),
            dir.display()
        )));
    }
    // Made and listed under the lock: see `exit_removing_temporaries`.
    let mut listed = LIVE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let tmp = tempfile::Builder::new()
        .prefix(&tmp_prefix(target))
        .tempfile_in(dir)
        .map_err(|e| {
            let e = match e.kind() {
                std::io::ErrorKind::PermissionDenied => std::io::Error::new(
                    e.kind(),
                    format!(
                        "permission denied: no file can be made in {}",
                        dir.display()
                    ),
                ),
                k => std::io::Error::from(k),
            };
            Error::io(path, e)
        })?;
    listed.push(tmp.path().to_path_buf());
    let live = Live(tmp.path().to_path_buf());
    Ok((tmp, live))
}

/// The folder a target's temporary file goes to.
fn target_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The start of the name of a target's temporary files.
fn tmp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}{TMP_MARKER}")
}

/// Removes this target's temporary files (`prefix` + random) that were left by a killed
/// write and not modified for [`STALE`]. Best effort: failures are ignored.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        // tempfile's random part: six alphanumeric characters.
        if rest.len() != 6 || !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE);
        if meta.is_file() && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Gives the temporary file the mode of the file it replaces, or `rw-r--r--` for a new one:
/// temporary files are created private, which suits no vector file, list or export.
fn match_permissions(tmp: &File, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = (tmp, path);
    Ok(())
}

/// Maps a write error on the temporary file to an error naming the target path.
pub(crate) fn werr(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// Writes all of `buf`, naming `path` on failure.
pub(crate) fn put(w: &mut impl Write, buf: &[u8], path: &Path) -> Result<()> {
    w.write_all(buf).map_err(werr(path))
}

/// Writes `items` little-endian (`to_le` gives one item's bytes), through a buffer of 64 KiB.
pub(crate) fn write_le<T: Copy, const N: usize>(
    w: &mut impl Write,
    items: &[T],
    to_le: fn(T) -> [u8; N],
) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(64 * 1024);
    for chunk in items.chunks((64 * 1024 / N).max(1)) {
        buf.clear();
        chunk.iter().for_each(|&x| buf.extend_from_slice(&to_le(x)));
        w.write_all(&buf)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
