//! The metadata written with trained vectors: hyperparameters, corpus, result.
use super::{Config, Report};

/// A float as TOML shows it: the shortest decimal of the f32, not its f64 widening.
fn short(x: f32) -> toml::Value {
    toml::Value::Float(x.to_string().parse().unwrap_or(f64::from(x)))
}

/// The metadata TOML of a run with `config` on `threads` threads that got as far as `r` says
/// (also for a run still under way: `r.completed == false`).
pub fn metadata(config: &Config, threads: usize, r: &Report) -> String {
    use toml::{Table, Value};
    let mut top = Table::new();
    top.insert(
        "embx_version".into(),
        Value::String(env!("CARGO_PKG_VERSION").into()),
    );
    let tool = if config.nnlm.is_some() {
        "embx train (NNLM)"
    } else {
        "embx train (word2vec)"
    };
    top.insert("tool".into(), Value::String(tool.into()));
    let mut training = training(config, threads);
    // What was done: "zh" or "off"; `auto` is kept as what was asked.
    if config.segment == super::Segment::Auto {
        let done = if r.corpus.segmented { "zh" } else { "off" };
        training.insert("segment".into(), Value::String(done.into()));
        training.insert("segment_asked".into(), Value::String("auto".into()));
    }
    top.insert("training".into(), Value::Table(training));
    top.insert("corpus".into(), Value::Table(corpus(r)));
    top.insert("result".into(), Value::Table(result(r)));
    toml::to_string(&top).unwrap_or_default()
}

/// A TOML integer (saturating).
fn int(n: u64) -> toml::Value {
    toml::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The `[training]` table: the hyperparameters and the objective.
fn training(config: &Config, threads: usize) -> toml::Table {
    use toml::{Table, Value};
    let mut t = Table::new();
    t.insert("model".into(), Value::String(config.model.name().into()));
    t.insert("dim".into(), int(config.dim as u64));
    t.insert("window".into(), int(config.window as u64));
    t.insert("negative".into(), int(config.negatives() as u64));
    t.insert("min_count".into(), int(config.min_count));
    t.insert("sample".into(), Value::Float(config.sample));
    t.insert("epochs".into(), int(config.epochs as u64));
    t.insert("alpha".into(), short(config.alpha()));
    t.insert("min_alpha".into(), short(config.min_alpha()));
    t.insert("threads".into(), int(threads as u64));
    t.insert(
        "seed".into(),
        match i64::try_from(config.seed) {
            Ok(s) => Value::Integer(s),
            Err(_) => Value::String(config.seed.to_string()),
        },
    );
    if let Some(m) = config.max_vocab {
        t.insert("max_vocab".into(), int(m as u64));
    }
    t.insert("lowercase".into(), Value::Boolean(config.lowercase));
    // -- objectives (issue 15) --
    t.insert("loss".into(), Value::String(config.loss.name().into()));
    t.insert(
        "shared_negatives".into(),
        Value::Boolean(config.shared_negatives),
    );
    t.insert(
        "kernel".into(),
        Value::String(super::Kernel::detect().name().into()),
    );
    if let Some(s) = config.subwords {
        let mut sw = Table::new();
        sw.insert("scheme".into(), Value::String("fasttext".into()));
        sw.insert("minn".into(), int(s.minn as u64));
        sw.insert("maxn".into(), int(s.maxn as u64));
        sw.insert("buckets".into(), int(s.buckets as u64));
        sw.insert(
            "hash".into(),
            Value::String("FNV-1a 32-bit, bytes sign-extended (fastText)".into()),
        );
        t.insert("subwords".into(), Value::Table(sw));
    }
    // Chinese segmentation and the NNLM (issue 16).
    t.insert(
        "segment".into(),
        Value::String(config.segment.name().into()),
    );
    if let Some(dict) = &config.user_dict {
        let named = dict.display().to_string();
        t.insert("user_dict".into(), Value::String(named));
    }
    if let Some(n) = config.nnlm {
        t.insert("model".into(), Value::String("nnlm".into()));
        t.insert("order".into(), int(n.order as u64));
        t.insert("hidden".into(), int(n.hidden as u64));
        t.remove("window");
    }
    t.insert(
        "sigmoid".into(),
        Value::String("exact, clipped at ±6".into()),
    );
    let noise = if config.negatives() == 0 {
        "none (hierarchical softmax)"
    } else {
        "unigram^0.75, alias sampler"
    };
    t.insert("noise".into(), Value::String(noise.into()));
    t
}

/// The `[corpus]` table: what was read.
fn corpus(r: &Report) -> toml::Table {
    use toml::{Table, Value};
    let mut c = Table::new();
    c.insert(
        "files".into(),
        Value::Array(
            r.corpus
                .files
                .iter()
                .map(|p| Value::String(p.display().to_string()))
                .collect(),
        ),
    );
    c.insert("bytes".into(), int(r.corpus.bytes));
    c.insert("tokens".into(), int(r.corpus.tokens));
    c.insert("sentences".into(), int(r.corpus.sentences));
    c.insert("distinct_words".into(), int(r.corpus.distinct));
    c.insert("invalid_utf8".into(), int(r.corpus.invalid_utf8));
    c.insert("vocabulary".into(), int(r.vocab_size as u64));
    c.insert("vocabulary_tokens".into(), int(r.train_words));
    if let Some(from) = &r.continued_from {
        c.insert("continued_from".into(), Value::String(from.clone()));
    }
    c
}

/// The `[result]` table: how far training got.
fn result(r: &Report) -> toml::Table {
    use toml::{Table, Value};
    let mut res = Table::new();
    res.insert("completed".into(), Value::Boolean(r.completed));
    res.insert(
        "epochs_done".into(),
        Value::Float((r.epochs_done * 1000.0).round() / 1000.0),
    );
    res.insert("words_processed".into(), int(r.words_processed));
    res.insert(
        "seconds".into(),
        Value::Float((r.seconds * 1000.0).round() / 1000.0),
    );
    res.insert(
        "words_per_second".into(),
        Value::Float(r.words_per_second.round()),
    );
    if let Some(l) = r.final_loss {
        res.insert("final_loss".into(), short(l));
    }
    res
}
