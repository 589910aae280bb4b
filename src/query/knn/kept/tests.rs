use super::*;
use crate::query::knn::reduced::MIN_ROWS;
use crate::query::test_util::{low_rank, random_space, space_of};
use crate::query::{top_k, top_k_exact};

fn identity(fingerprint: u64) -> Identity {
    Identity {
        file_len: 1,
        mtime_ns: 2,
        fingerprint,
    }
}

/// Every query answers as the f32 scan does, and no copy is built by them.
fn answers_are_exact(s: &Space) {
    for row in [0usize, 17, 4321, s.len() - 1] {
        let q = s.unit(row).to_vec();
        let want = top_k_exact(s, &q, 10, &[row as u32], None);
        for _ in 0..2 {
            assert_eq!(top_k(s, &q, 10, &[row as u32], None), want);
        }
    }
}

#[test]
fn the_int8_copy_reads_back_whole_and_answers_stay_exact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.embx-exact");
    // Eight dimensions: too narrow for the reduced copy, so the int8 copy is kept.
    let a = random_space(MIN_ROWS + 300, 8, 4);
    assert!(!keep_at(&a, &path, identity(7)).unwrap() && !path.exists());
    let qa = a.quantized();
    assert!(keep_at(&a, &path, identity(7)).unwrap());
    let b = random_space(MIN_ROWS + 300, 8, 4);
    assert_eq!(
        read_from(&b, &path, identity(7)).unwrap(),
        Kept::Read(path.clone())
    );
    let qb = b.quantized_if_built().expect("set from the file");
    assert_eq!((qb.rows, qb.dim, qb.groups), (qa.rows, qa.dim, qa.groups));
    assert!(*qb.codes == *qa.codes && *qb.scale == *qa.scale && *qb.err == *qa.err);
    // Used where they lie in the file's map, not read into memory.
    if cfg!(target_endian = "little") {
        assert!(qb.codes.is_mapped() && qb.scale.is_mapped() && qb.err.is_mapped());
        assert!(!qa.codes.is_mapped());
    }
    assert!(qb.tile_max == qa.tile_max && qb.max_norm == qa.max_norm);
    answers_are_exact(&b);
    assert!(std::ptr::eq(b.quantized(), qb), "no second copy was built");
}

#[test]
fn the_reduced_copy_reads_back_whole_and_answers_stay_exact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.embx-exact");
    let data = low_rank(MIN_ROWS + 500, 128, 10, 0.2, 9);
    let a = space_of(128, data.clone());
    let ra = a
        .reduced()
        .expect("a low-rank space suits the reduced copy");
    assert!(keep_at(&a, &path, identity(3)).unwrap());
    let b = space_of(128, data);
    assert!(matches!(
        read_from(&b, &path, identity(3)),
        Ok(Kept::Read(_))
    ));
    let rb = b.reduced_if_built().expect("set from the file");
    assert_eq!(rb.basis.matrix(), ra.basis.matrix());
    assert_eq!(rb.basis.eps_g, ra.basis.eps_g);
    assert!(*rb.codes == *ra.codes && *rb.scale == *ra.scale);
    assert!(*rb.err == *ra.err && *rb.res == *ra.res && rb.tile_max == ra.tile_max);
    if cfg!(target_endian = "little") {
        let stores = [&rb.scale, &rb.err, &rb.res];
        assert!(rb.codes.is_mapped() && stores.iter().all(|s| s.is_mapped()));
    }
    assert_eq!(
        [rb.max_y, rb.max_px, rb.max_x],
        [ra.max_y, ra.max_px, ra.max_x]
    );
    answers_are_exact(&b);
    assert!(b.quantized_if_built().is_none());
}

#[test]
fn copies_of_other_vectors_are_stale_and_broken_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.embx-exact");
    let fresh = || random_space(MIN_ROWS + 300, 8, 4);
    assert_eq!(
        read_from(&fresh(), &path, identity(7)).unwrap(),
        Kept::Missing
    );
    let a = fresh();
    a.quantized();
    keep_at(&a, &path, identity(7)).unwrap();
    let other = fresh();
    assert!(matches!(
        read_from(&other, &path, identity(8)),
        Ok(Kept::Stale(_))
    ));
    assert!(other.quantized_if_built().is_none());
    let shorter = random_space(MIN_ROWS + 200, 8, 4);
    let got = read_from(&shorter, &path, identity(7)).unwrap();
    assert!(matches!(got, Kept::Stale(ref why) if why.contains("made for")));

    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() - 10]).unwrap();
    let e = read_from(&fresh(), &path, identity(7))
        .unwrap_err()
        .to_string();
    assert!(e.contains("c.embx-exact") && e.contains("truncated"), "{e}");
    let mut bad = whole.clone();
    bad[..8].copy_from_slice(b"NOTACOPY");
    std::fs::write(&path, &bad).unwrap();
    let e = read_from(&fresh(), &path, identity(7))
        .unwrap_err()
        .to_string();
    assert!(e.contains("bad magic"), "{e}");
    let mut old = whole.clone();
    old[8..12].copy_from_slice(&1u32.to_le_bytes());
    std::fs::write(&path, &old).unwrap();
    let got = read_from(&fresh(), &path, identity(7)).unwrap();
    assert!(matches!(got, Kept::Stale(ref why) if why.contains("version 1")));
    let mut bad = whole;
    bad[HEADER..HEADER + 8].copy_from_slice(&5u64.to_le_bytes());
    std::fs::write(&path, &bad).unwrap();
    let s = fresh();
    let e = read_from(&s, &path, identity(7)).unwrap_err().to_string();
    assert!(e.contains("codes: 5 bytes"), "{e}");
    assert!(s.quantized_if_built().is_none());
}

#[test]
fn spaces_without_a_file_keep_nothing() {
    let a = random_space(1000, 8, 1);
    a.quantized();
    assert_eq!(read(&a).unwrap(), Kept::Missing);
    assert_eq!(keep(&a).unwrap(), None);
}
