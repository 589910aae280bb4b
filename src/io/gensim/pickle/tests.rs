use super::*;

#[test]
fn small_values() {
    // pickle.dumps({'a': [1, -2, 3.5, None, True], 'b': ('x', b'yz')}, protocol=4)
    let b = b"\x80\x04\x95.\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94]\x94(K\x01J\xfe\xff\xff\xffG@\x0c\x00\x00\x00\x00\x00\x00N\x88e\x8c\x01b\x94\x8c\x01x\x94C\x02yz\x94\x86\x94u.";
    let p = parse(b).unwrap();
    let a = p.item(p.root, "a").unwrap();
    let items = p.items(a).unwrap();
    assert_eq!(p.int(items[0]), Some(1));
    assert_eq!(p.int(items[1]), Some(-2));
    assert_eq!(p.get(items[2]), &Value::Float(3.5));
    assert_eq!(p.get(items[3]), &Value::None);
    let t = p.items(p.item(p.root, "b").unwrap()).unwrap();
    assert_eq!(p.str(t[0]), Some("x"));
    let Value::Bytes(r) = p.get(t[1]) else {
        panic!()
    };
    assert_eq!(&b[r.clone()], b"yz");
}

#[test]
fn code_is_named_not_run() {
    // pickle.dumps of os.system('echo hi') as a REDUCE, protocol 2 style GLOBAL.
    let b = b"\x80\x02cposix\nsystem\nq\x00X\x07\x00\x00\x00echo hiq\x01\x85q\x02Rq\x03.";
    let p = parse(b).unwrap();
    assert_eq!(p.class_of(p.root).as_deref(), Some("posix.system"));
}

#[test]
fn bad_input_is_an_error() {
    for b in [
        &b""[..],
        b"\x80\x04",
        b"\x80\x09.",
        b"e.",
        b"X\xff\xff\xff\xff",
        b"\x80\x04h\x05.",
        b"\x80\x04}K\x01u.",
        b"\x80\x04K\x01b.",
        b"\x80\x04\x97.",
    ] {
        assert!(parse(b).is_err(), "{b:?}");
    }
    for len in 0..40 {
        let b: Vec<u8> = (0..len).map(|i| (i * 37 % 256) as u8).collect();
        let _ = parse(&b);
    }
}
