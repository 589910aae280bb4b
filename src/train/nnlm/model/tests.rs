//! The NNLM as a language model: probabilities, the file beside the vectors, sampling.
use super::super::{file, train_model, Dims, LanguageModel, NnlmWeights};
use crate::error::Error;
use crate::train::{Corpus, Lcg, Monitor, ReadOptions};

/// A small model with random weights over `v` words.
fn random_model(v: usize, seed: u64) -> LanguageModel {
    let dims = Dims {
        ctx: 2,
        dim: 3,
        hidden: 4,
    };
    let mut rng = Lcg::new(seed);
    let mut draw = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32 - 0.5)
            .collect()
    };
    let weights = NnlmWeights {
        dims,
        emb: draw(v * dims.dim),
        pad: draw(dims.dim),
        hidden: draw(dims.hidden * dims.x_len()),
        out: draw(v * dims.h_len()),
    };
    let words = (0..v).map(|i| format!("w{i}")).collect();
    let counts = (0..v as u64).map(|i| 100 - 7 * i).collect();
    LanguageModel::new(
        weights,
        words,
        counts,
        Some("[model]\ntool = \"test\"\n".into()),
    )
    .unwrap()
}

#[test]
fn probabilities_are_the_noise_weighted_softmax_of_the_scores() {
    let m = random_model(9, 3);
    let context = [Some(4), None, Some(7)];
    let lp = m.log_probabilities(&context);
    // By hand: the context is the last two known words (the unknown one is left out), the
    // probability ∝ count^0.75 · exp(score).
    let by_hand = hand(&m, &[Some(4), Some(7)]);
    for i in 0..9 {
        assert!((lp[i] - by_hand[i]).abs() < 1e-12, "word {i}");
    }
    assert!((lp.iter().map(|x| x.exp()).sum::<f64>() - 1.0).abs() < 1e-12);
    let next = m.predict(&context, 4);
    assert_eq!(next.len(), 4);
    assert!(next.windows(2).all(|p| p[0].1 >= p[1].1));
    let best = (0..9)
        .max_by(|&a, &b| by_hand[a].total_cmp(&by_hand[b]))
        .unwrap();
    assert_eq!(next[0].0 as usize, best);
    // A context shorter than N − 1 is padded at the start.
    let padded = hand(&m, &[None, Some(7)]);
    let lp = m.log_probabilities(&[Some(7)]);
    assert!(lp.iter().zip(&padded).all(|(a, b)| (a - b).abs() < 1e-12));
}

/// `ln P(w | context)` worked out by hand from the scores and the counts.
fn hand(m: &LanguageModel, context: &[Option<u32>]) -> Vec<f64> {
    let s = m.weights.scores(context);
    let w: Vec<f64> = (0..s.len())
        .map(|i| (m.counts()[i] as f64).powf(0.75) * (s[i] as f64).exp())
        .collect();
    let z: f64 = w.iter().sum();
    w.iter().map(|x| (x / z).ln()).collect()
}

#[test]
fn the_model_file_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = random_model(12, 8);
    m.lowercase = true;
    m.segment = true;
    let path = file::model_path(&dir.path().join("zh.fifu"));
    assert_eq!(path, dir.path().join("zh.fifu.nnlm.safetensors"));
    file::save(&m, &path).unwrap();
    let back = file::load(&path).unwrap();
    assert_eq!(back.words(), m.words());
    assert_eq!(back.counts(), m.counts());
    assert_eq!(back.weights.dims, m.weights.dims);
    assert_eq!(back.weights.emb, m.weights.emb);
    assert_eq!(back.weights.pad, m.weights.pad);
    assert_eq!(back.weights.hidden, m.weights.hidden);
    assert_eq!(back.weights.out, m.weights.out);
    assert!(back.lowercase && back.segment);
    assert_eq!(back.training, m.training);
    let c = [Some(3), Some(1)];
    assert_eq!(back.predict(&c, 5), m.predict(&c, 5));
    // The model's own path is its own model path.
    assert_eq!(file::model_path(&path), path);
    // Vectors written over without a model take their stale model away; nothing else is.
    let other = dir.path().join("zh.fifu.nnlm.safetensors.txt");
    std::fs::write(&other, "x").unwrap();
    assert_eq!(
        file::remove_stale(&dir.path().join("zh.fifu")).unwrap(),
        Some(path.clone())
    );
    assert!(!path.exists() && other.exists());
    std::fs::write(&path, "not a model").unwrap();
    assert_eq!(
        file::remove_stale(&dir.path().join("zh.fifu")).unwrap(),
        None
    );
    assert!(path.exists());
}

#[test]
fn broken_model_files_are_named_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.nnlm.safetensors");
    file::save(&random_model(5, 1), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "cut",
            bytes[..bytes.len() - 10].to_vec(),
            "not a safetensors file",
        ),
        ("text", b"hello, world".to_vec(), "not a safetensors file"),
        ("other", renamed(&bytes), "format is not"),
    ];
    for (name, data, says) in cases {
        let p = dir.path().join(format!("{name}.nnlm.safetensors"));
        std::fs::write(&p, data).unwrap();
        let e = file::load(&p).unwrap_err();
        let text = e.to_string();
        assert!(matches!(e, Error::Format { .. }), "{name}: {text}");
        assert!(
            text.contains(&p.display().to_string()) && text.contains(says),
            "{name}: {text}"
        );
    }
}

/// `bytes` with the format's name changed (same length, so the layout holds).
fn renamed(bytes: &[u8]) -> Vec<u8> {
    let at = bytes.windows(9).position(|w| w == b"embx-nnlm").unwrap();
    let mut out = bytes.to_vec();
    out[at..at + 9].copy_from_slice(b"embx-xxxx");
    out
}

#[test]
fn unknown_context_words_are_left_out_as_in_training() {
    let m = random_model(6, 2);
    assert_eq!(
        m.log_probabilities(&[Some(1), None, None, Some(2)]),
        m.log_probabilities(&[Some(1), Some(2)])
    );
    // More than N − 1 words: only the last two count.
    assert_eq!(
        m.log_probabilities(&[Some(5), Some(1), Some(2)]),
        m.log_probabilities(&[Some(1), Some(2)])
    );
    let toks = m.tokens("w1 zz  w2").unwrap();
    assert_eq!(m.encode(&toks), vec![Some(1), None, Some(2)]);
}

#[test]
fn generated_text_follows_what_was_learnt() {
    // The cycle w0 → w1 → … → w5: sampling among the likeliest still walks it.
    let text = super::super::tests::cycle_text(6, 800, 8, 9);
    let corpus = Corpus::from_text(&text, ReadOptions::default());
    let config = super::super::tests::small(3);
    let trained = train_model(&corpus, &config, &Monitor::new()).unwrap();
    let m = trained.language_model.unwrap();
    let ids = m.encode(&m.tokens("w2 w3").unwrap());
    let out = m.generate(&ids, 6, 1, 7);
    let words: Vec<&str> = out
        .iter()
        .map(|&i| m.words()[i as usize].as_str())
        .collect();
    assert_eq!(words, ["w4", "w5", "w0", "w1", "w2", "w3"]);
    // The same seed gives the same draws; k = 3 still follows the cycle mostly.
    assert_eq!(m.generate(&ids, 20, 3, 11), m.generate(&ids, 20, 3, 11));
}

#[test]
fn a_diverged_model_is_refused() {
    let m = random_model(4, 6);
    let mut weights = m.weights.clone();
    weights.hidden[3] = f32::NAN;
    let e = LanguageModel::new(weights, m.words().to_vec(), m.counts().to_vec(), None);
    assert!(e.unwrap_err().to_string().contains("diverged"));
    let mut weights = m.weights.clone();
    weights.out[0] = f32::INFINITY;
    assert!(LanguageModel::new(weights, m.words().to_vec(), m.counts().to_vec(), None).is_err());
}

#[test]
fn the_heading_says_what_the_context_is_read_as() {
    let m = random_model(5, 1);
    assert_eq!(m.describe_context(&[], 0), "the start of a sentence");
    assert_eq!(
        m.describe_context(&["w1"], 1),
        "\"w1\", as a sentence's first words"
    );
    assert_eq!(m.describe_context(&["w1", "w2"], 2), "\"w1 w2\"");
    // Words before the last N − 1 are not read, and the heading says so.
    assert_eq!(
        m.describe_context(&["w1", "w2"], 4),
        "\"w1 w2\" (an order-3 model reads the last 2 words only)"
    );
}
