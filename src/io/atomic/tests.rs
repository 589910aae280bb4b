use super::*;

/// The temporary files under way are listed, for an exit on Ctrl-C that skips destructors
/// (`check_target`'s too: a test of the CLI once caught one left there).
#[test]
fn temporaries_under_way_are_listed_until_they_go() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.txt");
    let listed = |tmp: &Path| LIVE.lock().unwrap().iter().any(|l| l == tmp);
    let (tmp, live) = create_tmp(&p, &p).unwrap();
    let path = tmp.path().to_path_buf();
    assert!(listed(&path) && path.exists());
    // (exit_removing_temporaries would also remove the files of the tests running beside this
    // one: the registry is the process's.)
    drop(tmp);
    drop(live);
    assert!(!path.exists() && !listed(&path));
    // A write that ends, well or not, leaves nothing listed.
    atomic_write(&p, |w| w.write_all(b"x").map_err(werr(&p))).unwrap();
    let left: Vec<PathBuf> = LIVE.lock().unwrap().clone();
    assert!(left.iter().all(|l| !l.starts_with(dir.path())), "{left:?}");
}

#[test]
fn failure_leaves_old_file_and_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.txt");
    std::fs::write(&p, "old").unwrap();
    let r = atomic_write(&p, |w| {
        w.write_all(b"half").unwrap();
        Err(Error::Interrupted)
    });
    assert!(matches!(r, Err(Error::Interrupted)));
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    atomic_write(&p, |w| put(w, b"new", &p)).unwrap();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn stale_temporaries_of_the_target_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.txt");
    let stale = dir.path().join(".out.txt.embx-tmp-AbC123");
    let fresh = dir.path().join(".out.txt.embx-tmp-XyZ789");
    let other = dir.path().join(".other.txt.embx-tmp-AbC123");
    for f in [&stale, &fresh, &other] {
        std::fs::write(f, "half").unwrap();
    }
    let two_hours_ago = SystemTime::now() - Duration::from_secs(7200);
    for f in [&stale, &other] {
        let file = File::options().write(true).open(f).unwrap();
        file.set_modified(two_hours_ago).unwrap();
    }
    atomic_write(&p, |w| put(w, b"new", &p)).unwrap();
    assert!(!stale.exists(), "the stale temporary is still there");
    assert!(
        fresh.exists(),
        "a recent temporary (maybe in use) was removed"
    );
    assert!(other.exists(), "another target's temporary was removed");
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
}

/// A link is written through; a device is written into, not replaced.
#[cfg(unix)]
#[test]
fn links_are_followed_and_devices_written_into() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.txt");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink("real.txt", &link).unwrap();
    atomic_write(&link, |w| put(w, b"new", &link)).unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    // A dangling link makes the file it names.
    let dangling = dir.path().join("d.txt");
    std::os::unix::fs::symlink("made.txt", &dangling).unwrap();
    atomic_write(&dangling, |w| put(w, b"x", &dangling)).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("made.txt")).unwrap(),
        "x"
    );
    let null = Path::new("/dev/null");
    atomic_write(null, |w| put(w, b"gone", null)).unwrap();
    assert!(!std::fs::metadata(null).unwrap().is_file());
    check_target(null).unwrap();
    let folder = atomic_write(dir.path(), |w| put(w, b"x", dir.path()));
    assert!(folder.unwrap_err().to_string().contains("is a folder"));
}

#[cfg(unix)]
#[test]
fn new_files_are_readable_and_replaced_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("new.txt");
    atomic_write(&p, |w| put(w, b"x", &p)).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&p), 0o644);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    atomic_write(&p, |w| put(w, b"y", &p)).unwrap();
    assert_eq!(mode(&p), 0o600);
}
