//! Training with hierarchical softmax, subwords and shared negatives.
use super::tests::topic_corpus;
use super::*;
use crate::space::Lookup;

fn config(model: Model, loss: Loss, subwords: bool, shared: bool) -> Config {
    Config {
        model,
        loss,
        subwords: subwords.then_some(Subwords {
            minn: 3,
            maxn: 5,
            buckets: 500,
        }),
        shared_negatives: shared,
        dim: 16,
        window: 3,
        min_count: 1,
        sample: 1e-2,
        epochs: 3,
        threads: 1,
        seed: 5,
        ..Config::default()
    }
}

/// Every objective: (model, loss, subwords, shared negatives).
fn objectives() -> Vec<(Model, Loss, bool, bool)> {
    let mut all = Vec::new();
    for model in [Model::SkipGram, Model::Cbow] {
        for loss in [Loss::Ns, Loss::Hs] {
            for sub in [false, true] {
                all.push((model, loss, sub, false));
            }
        }
    }
    all.push((Model::SkipGram, Loss::Ns, false, true));
    all
}

fn cos(space: &Space, a: &str, b: &str) -> f32 {
    let (a, b) = (space.index(a).unwrap(), space.index(b).unwrap());
    sgns::dot(space.unit(a as usize), space.unit(b as usize))
}

#[test]
fn every_objective_is_reproducible_with_one_thread() {
    let corpus = Corpus::from_text(&topic_corpus(200), ReadOptions::default());
    for (model, loss, sub, shared) in objectives() {
        let c = config(model, loss, sub, shared);
        let a = train(&corpus, &c, &Monitor::new()).unwrap();
        let b = train(&corpus, &c, &Monitor::new()).unwrap();
        let what = format!("{model:?} {loss:?} subwords {sub} shared {shared}");
        assert_eq!(
            a.space.matrix().as_slice(),
            b.space.matrix().as_slice(),
            "{what}"
        );
        assert_eq!(a.output, b.output, "{what}");
        let other = train(&corpus, &Config { seed: 6, ..c }, &Monitor::new()).unwrap();
        assert_ne!(
            a.space.matrix().as_slice(),
            other.space.matrix().as_slice(),
            "{what}"
        );
    }
}

#[test]
fn every_objective_learns_the_topics() {
    let corpus = Corpus::from_text(&topic_corpus(1500), ReadOptions::default());
    for (model, loss, sub, shared) in objectives() {
        let c = Config {
            epochs: 5,
            ..config(model, loss, sub, shared)
        };
        let t = train(&corpus, &c, &Monitor::new()).unwrap();
        let (mut same, mut diff) = (0.0, 0.0);
        for i in 0..10 {
            for j in 0..10 {
                if i != j {
                    same += cos(&t.space, &format!("a{i}"), &format!("a{j}"));
                }
                diff += cos(&t.space, &format!("a{i}"), &format!("b{j}"));
            }
        }
        let (same, diff) = (same / 90.0, diff / 100.0);
        assert!(
            same > diff + 0.2,
            "{model:?} {loss:?} subwords {sub} shared {shared}: {same} vs {diff}"
        );
        assert!(t.report.final_loss.is_some_and(f32::is_finite));
    }
}

#[test]
fn metadata_names_the_objective() {
    let corpus = Corpus::from_text(&topic_corpus(20), ReadOptions::default());
    let t = train(
        &corpus,
        &config(Model::Cbow, Loss::Hs, true, false),
        &Monitor::new(),
    )
    .unwrap();
    let meta: toml::Table = t
        .space
        .source()
        .metadata
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    let tr = meta["training"].as_table().unwrap();
    assert_eq!(tr["loss"].as_str(), Some("hs"));
    assert_eq!(tr["negative"].as_integer(), Some(0));
    let sw = tr["subwords"].as_table().unwrap();
    assert_eq!(sw["minn"].as_integer(), Some(3));
    assert_eq!(sw["maxn"].as_integer(), Some(5));
    assert_eq!(sw["buckets"].as_integer(), Some(500));
    assert_eq!(tr["shared_negatives"].as_bool(), Some(false));
    assert_eq!(tr["kernel"].as_str(), Some(Kernel::detect().name()));
}

#[test]
fn subword_fifu_gives_finalfusions_oov_vectors() {
    use finalfusion::prelude::*;
    use finalfusion::storage::Storage as _;
    let corpus = Corpus::from_text(&topic_corpus(100), ReadOptions::default());
    let t = train(
        &corpus,
        &config(Model::SkipGram, Loss::Ns, true, false),
        &Monitor::new(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub.fifu");
    let opts = crate::io::SaveOptions {
        format: crate::format::Format::Fifu,
        progress: None,
    };
    crate::io::save(&t.space, &path, &opts).unwrap();
    let mut r = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let ff: Embeddings<VocabWrap, StorageWrap> = Embeddings::read_embeddings(&mut r).unwrap();
    let ours = crate::io::load(&path, &Default::default()).unwrap().space;
    assert_eq!(ours.len(), t.space.len());
    let s = Subwords {
        minn: 3,
        maxn: 5,
        buckets: 500,
    };
    let n = t.space.len();
    for oov in ["a12", "b0a", "ab", "zz9", "é1"] {
        assert!(t.space.index(oov).is_none());
        let theirs = ff.embedding(oov).unwrap();
        // Ours: the normalised sum of the n-gram rows (our hash); `embed`: their mean.
        let (mut sum, buckets) = ([0.0f32; 16], subword::ngram_buckets(oov, &s));
        for &b in &buckets {
            let row = ff.storage().embedding(n + b as usize);
            sum.iter_mut().zip(row.iter()).for_each(|(s, x)| *s += x);
        }
        let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
        let Some(Lookup::Subword(loaded)) = ours.lookup(oov) else {
            panic!("{oov} has no subword vector in embx")
        };
        let raw = ours.subwords().unwrap().embed(oov).unwrap();
        let rows = buckets.len() as f32;
        for k in 0..16 {
            assert!((theirs[k] - sum[k] / norm).abs() < 1e-6, "{oov}");
            assert!((theirs[k] - loaded[k]).abs() < 1e-6, "{oov}");
            assert!((raw[k] * rows - sum[k]).abs() < 1e-4, "{oov}");
        }
    }
    // Known words: the trained vectors.
    let i = t.space.index("a3").unwrap() as usize;
    let theirs = ff.embedding("a3").unwrap();
    assert_eq!(theirs.as_slice().unwrap(), t.space.unit(i));
}

#[test]
fn fasttext_bin_reads_back_with_the_same_vectors() {
    let corpus = Corpus::from_text(&topic_corpus(100), ReadOptions::default());
    for sub in [true, false] {
        let t = train(
            &corpus,
            &config(Model::SkipGram, Loss::Ns, sub, false),
            &Monitor::new(),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("m.bin");
        let extras = crate::io::FastTextExtras {
            output: Some(&t.output),
            ..Default::default()
        };
        crate::io::save_fasttext_bin(&t.space, &bin, &extras).unwrap();
        let opts = crate::io::LoadOptions {
            format: Some(crate::format::Format::FastTextBin),
            ..Default::default()
        };
        let back = crate::io::load(&bin, &opts).unwrap().space;
        assert_eq!(back.len(), t.space.len());
        for w in 0..t.space.len() {
            assert_eq!(back.word(w), t.space.word(w));
            let (a, b) = (back.vector(w), t.space.vector(w));
            for k in 0..16 {
                assert!(
                    (a[k] - b[k]).abs() < 1e-5,
                    "{} [{k}]: {} {}",
                    back.word(w),
                    a[k],
                    b[k]
                );
            }
        }
        if !sub {
            assert!(back.lookup("a12").is_none());
            continue;
        }
        // OOV vectors: the same as from the .fifu of the same space.
        let fifu = dir.path().join("m.fifu");
        let fopts = crate::io::SaveOptions {
            format: crate::format::Format::Fifu,
            progress: None,
        };
        crate::io::save(&t.space, &fifu, &fopts).unwrap();
        let ff = crate::io::load(&fifu, &Default::default()).unwrap().space;
        for oov in ["a12", "b0a", "zz9"] {
            let (Some(Lookup::Subword(x)), Some(Lookup::Subword(y))) =
                (back.lookup(oov), ff.lookup(oov))
            else {
                panic!("{oov} has no subword vector")
            };
            for k in 0..16 {
                assert!((x[k] - y[k]).abs() < 1e-5, "{oov}[{k}]");
            }
        }
        // And the .bin converts again to the same bytes (bin → space → bin).
        let bin2 = dir.path().join("m2.bin");
        crate::io::save_fasttext_bin(&back, &bin2, &extras).unwrap();
        let back2 = crate::io::load(&bin2, &opts).unwrap().space;
        for w in 0..back.len() {
            let (a, b) = (back.vector(w), back2.vector(w));
            assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-5));
        }
    }
}

/// Continuing a subword space starts from its word rows and its buckets: with a learning rate
/// too small to move any weight, the known words and the unknown words' n-gram vectors come
/// out as they went in.
#[test]
fn continuing_a_subword_space_keeps_its_buckets() {
    let (c, first, more) = subword_space_and_more();
    assert_eq!(subword::of_space(&first.space), c.subwords);
    let still = Config {
        alpha: Some(1e-30),
        min_alpha: Some(1e-30),
        ..c.clone()
    };
    let base = Base {
        space: &first.space,
        output: Some(&first.output),
    };
    let next = train_from(&more, &still, &Monitor::new(), Some(base)).unwrap();
    assert_eq!(subword::of_space(&next.space), c.subwords);
    assert_eq!(next.space.len(), first.space.len() + 2);
    let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
    for w in 0..first.space.len() {
        assert_eq!(next.space.word(w), first.space.word(w));
        assert!(
            close(next.space.unit(w), first.space.unit(w)),
            "{}",
            first.space.word(w)
        );
    }
    for oov in ["a1b2", "xa3", "ab"] {
        let (a, b) = (
            first.space.subwords().unwrap().embed(oov),
            next.space.subwords().unwrap().embed(oov),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(close(&a, &b), "{oov}: {a:?} vs {b:?}");
    }
    // Training does move them with the usual learning rate.
    let moved = train_from(&more, &c, &Monitor::new(), Some(base)).unwrap();
    let (a, b) = (
        first.space.subwords().unwrap().embed("a1b2").unwrap(),
        moved.space.subwords().unwrap().embed("a1b2").unwrap(),
    );
    assert!(!close(&a, &b));
}

/// A subword space trained on the topic corpus, its settings, and a corpus to continue it
/// with: new words ("zz1", "zz2") join, and the base words are in it too.
fn subword_space_and_more() -> (Config, super::Trained, Corpus) {
    let corpus = Corpus::from_text(&topic_corpus(200), ReadOptions::default());
    let c = config(Model::SkipGram, Loss::Ns, true, false);
    let first = train(&corpus, &c, &Monitor::new()).unwrap();
    let more = Corpus::from_text(
        &"zz1 a1 a2 zz2\nzz2 b1 zz1 a3\n".repeat(50),
        ReadOptions::default(),
    );
    (c, first, more)
}

/// Continuing with other subword settings than the space's, or none, or with subwords on a
/// space without them, is refused with a message that says which the space has.
#[test]
fn continuing_with_other_subword_settings_is_refused() {
    let (c, first, more) = subword_space_and_more();
    let base = Base {
        space: &first.space,
        output: Some(&first.output),
    };
    // Other buckets, or no subwords: refused, naming the space's settings.
    let other = Config {
        subwords: Some(Subwords {
            buckets: 501,
            ..Subwords::default()
        }),
        ..c.clone()
    };
    for bad in [
        other,
        Config {
            subwords: None,
            ..c.clone()
        },
    ] {
        let e = train_from(&more, &bad, &Monitor::new(), Some(base)).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("--minn 3 --maxn 5 --buckets 500"), "{msg}");
    }
    // Subwords asked for on a space without them.
    let corpus = Corpus::from_text(&topic_corpus(200), ReadOptions::default());
    let plain = train(
        &corpus,
        &Config {
            subwords: None,
            ..c.clone()
        },
        &Monitor::new(),
    )
    .unwrap();
    let base = Base {
        space: &plain.space,
        output: None,
    };
    let e = train_from(&more, &c, &Monitor::new(), Some(base)).unwrap_err();
    assert!(e.to_string().contains("no fastText subwords"), "{e}");
}

#[test]
fn settings_that_would_do_nothing_are_refused() {
    let refused = |c: Config, what: &str| {
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains(what), "{e}");
    };
    // Shared negatives exist for skip-gram with negative sampling only.
    refused(
        config(Model::Cbow, Loss::Ns, false, true),
        "--shared-negatives",
    );
    refused(
        config(Model::SkipGram, Loss::Hs, false, true),
        "--shared-negatives",
    );
    config(Model::SkipGram, Loss::Ns, false, true)
        .validate()
        .unwrap();
    // A learning rate that would rise.
    let rising = Config {
        alpha: Some(0.01),
        min_alpha: Some(0.1),
        ..config(Model::SkipGram, Loss::Ns, false, false)
    };
    refused(rising, "--min-alpha (0.1)");
    // The NNLM's own message for no noise words, not "or --loss hs".
    let nnlm = Config {
        nnlm: Some(NnlmConfig::default()),
        negative: 0,
        ..Config::default()
    };
    refused(nnlm, "the NNLM trains with negative sampling");
}
