use super::*;

#[test]
fn set_checks_values() {
    let mut f = Form::default();
    assert!(f.set(Field::Dim, "0").is_err());
    assert!(f.set(Field::Dim, "x").is_err());
    f.set(Field::Dim, " 32 ").unwrap();
    assert_eq!(f.config.dim, 32);
    f.set(Field::Alpha, "0.01").unwrap();
    assert_eq!(f.config.alpha, Some(0.01));
    f.set(Field::Alpha, "").unwrap();
    assert_eq!(f.config.alpha, None);
    assert!(f.set(Field::Sample, "-1").is_err());
    f.toggle(Field::Model);
    assert_eq!(f.config.model, Model::Cbow);
    // Eight word2vec objectives and the NNLM, then back to the first.
    let mut seen = Vec::new();
    for _ in 0..9 {
        seen.push(f.value(Field::Model, None));
        f.toggle(Field::Model);
    }
    assert_eq!(f.value(Field::Model, None), "cbow");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 9);
    assert!(seen.contains(&"skipgram · hs · subwords 3–6".to_string()));
    assert!(seen.iter().any(|s| s.starts_with("nnlm")));
    // Auto (the default, as on the command line), off, zh, and round again.
    assert_eq!(f.config.segment, Segment::Auto);
    f.toggle(Field::Segment);
    assert_eq!(f.config.segment, Segment::Off);
    f.toggle(Field::Segment);
    assert_eq!(f.config.segment, Segment::Zh);
    f.toggle(Field::Segment);
    assert_eq!(f.config.segment, Segment::Auto);
    f.set(Field::Corpus, "a.txt b.txt").unwrap();
    assert_eq!(f.paths().len(), 2);
}

#[test]
fn the_window_row_is_the_order_for_the_nnlm() {
    let mut f = Form::default();
    f.set(Field::Window, "7").unwrap();
    assert_eq!(f.config.window, 7);
    while f.config.nnlm.is_none() {
        f.toggle(Field::Model);
    }
    assert_eq!(
        f.value(Field::Window, None),
        "order 5 (the 4 words before), hidden 100"
    );
    assert_eq!(f.raw(Field::Window), "5 100");
    f.set(Field::Window, "3").unwrap();
    assert_eq!(f.config.nnlm.map(|n| (n.order, n.hidden)), Some((3, 100)));
    assert!(f.value(Field::Model, None).contains("order 3"));
    // The hidden size follows the order.
    f.set(Field::Window, "order 4, hidden 64").unwrap();
    assert_eq!(f.config.nnlm.map(|n| (n.order, n.hidden)), Some((4, 64)));
    assert!(f.value(Field::Model, None).contains("hidden 64"));
    assert!(f.set(Field::Window, "1").is_err());
    assert!(f.set(Field::Window, "4 0").is_err());
    assert!(f.set(Field::Window, "4 8 2").is_err());
    assert_eq!(
        f.config.window, 7,
        "the window is kept for skip-gram and CBOW"
    );
}
