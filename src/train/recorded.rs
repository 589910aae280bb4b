//! What a trained file's metadata says about the run that made it: its settings and corpus,
//! so that continuing it can train the way it was trained (the explorer's train form starts
//! from them; `embx train --from` names the settings a continuation changes).
use super::{Config, Loss, Model, Segment, Subwords};
use std::path::PathBuf;

/// The recorded run of a word2vec-family `embx train` (an NNLM's is not continued).
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// [`Config::default`] with every setting the metadata records (not the threads).
    pub config: Config,
    /// The corpus files, as they were named.
    pub corpus: Vec<PathBuf>,
}

/// The model (`skipgram`, `cbow`, `nnlm`, …) that `metadata` (finalfusion TOML) says trained
/// the vectors, whichever tool wrote it.
pub fn recorded_model(metadata: &str) -> Option<String> {
    let top: toml::Table = metadata.parse().ok()?;
    let model = top.get("training")?.get("model")?.as_str()?;
    Some(model.to_string())
}

/// The run recorded in `metadata` (finalfusion TOML), when `embx train` wrote it and trained
/// skip-gram or CBOW. Settings that are missing or unreadable keep their defaults.
pub fn recorded(metadata: &str) -> Option<Recorded> {
    let top: toml::Table = metadata.parse().ok()?;
    let tool = top.get("tool")?.as_str()?;
    if !tool.starts_with("embx train") {
        return None;
    }
    let t = top.get("training")?.as_table()?;
    let text = |key: &str| t.get(key).and_then(toml::Value::as_str);
    let int = |key: &str| {
        t.get(key)
            .and_then(toml::Value::as_integer)
            .and_then(|v| usize::try_from(v).ok())
    };
    let float = |key: &str| t.get(key).and_then(toml::Value::as_float);
    let mut c = Config {
        model: text("model")?.parse::<Model>().ok()?,
        ..Config::default()
    };
    if let Some(v) = text("loss").and_then(|s| s.parse::<Loss>().ok()) {
        c.loss = v;
    }
    c.dim = int("dim").filter(|&d| d > 0).unwrap_or(c.dim);
    c.window = int("window").filter(|&w| w > 0).unwrap_or(c.window);
    if c.loss == Loss::Ns {
        c.negative = int("negative").unwrap_or(c.negative);
    }
    c.min_count = int("min_count").map_or(c.min_count, |v| v as u64);
    c.sample = float("sample").unwrap_or(c.sample);
    c.epochs = int("epochs").filter(|&e| e > 0).unwrap_or(c.epochs);
    c.alpha = float("alpha").map(|a| a as f32).or(c.alpha);
    c.min_alpha = float("min_alpha").map(|a| a as f32).or(c.min_alpha);
    if let Some(s) = t.get("seed").and_then(toml::Value::as_integer) {
        c.seed = u64::try_from(s).unwrap_or(c.seed);
    }
    c.max_vocab = int("max_vocab");
    c.lowercase = t
        .get("lowercase")
        .and_then(toml::Value::as_bool)
        .unwrap_or(c.lowercase);
    c.shared_negatives = t
        .get("shared_negatives")
        .and_then(toml::Value::as_bool)
        .unwrap_or(false);
    let segment = text("segment_asked").or(text("segment"));
    if let Some(s) = segment.and_then(|s| s.parse::<Segment>().ok()) {
        c.segment = s;
    }
    c.subwords = t.get("subwords").and_then(toml::Value::as_table).map(|s| {
        let n = |key: &str, default: usize| {
            s.get(key)
                .and_then(toml::Value::as_integer)
                .and_then(|v| usize::try_from(v).ok())
                .unwrap_or(default)
        };
        let d = Subwords::default();
        Subwords {
            minn: n("minn", d.minn),
            maxn: n("maxn", d.maxn),
            buckets: n("buckets", d.buckets),
        }
    });
    let corpus = top
        .get("corpus")
        .and_then(|c| c.get("files"))
        .and_then(toml::Value::as_array)
        .map(|files| {
            files
                .iter()
                .filter_map(toml::Value::as_str)
                .map(PathBuf::from)
                .collect()
        })
        .unwrap_or_default();
    Some(Recorded { config: c, corpus })
}

/// The settings in which `now` differs from the recorded `then`, each as the options that
/// give it: `(then, now)`, such as `("--model cbow", "--model skipgram")` or `("--lowercase",
/// "no --lowercase")`. The threads, seed, epochs and vocabulary cuts are a run's own choices,
/// not the model's, and are left out.
pub fn changed_settings(then: &Config, now: &Config) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut value = |option: &str, a: String, b: String| {
        if a != b {
            out.push((format!("{option} {a}"), format!("{option} {b}")));
        }
    };
    value("--model", then.model.name().into(), now.model.name().into());
    value("--loss", then.loss.name().into(), now.loss.name().into());
    value("--window", then.window.to_string(), now.window.to_string());
    if then.loss == Loss::Ns && now.loss == Loss::Ns {
        let (a, b) = (then.negative, now.negative);
        value("--negative", a.to_string(), b.to_string());
    }
    value("--sample", then.sample.to_string(), now.sample.to_string());
    value("--alpha", then.alpha().to_string(), now.alpha().to_string());
    // The final rate, unless it follows the first as its default does.
    let (a, b) = (then.min_alpha(), now.min_alpha());
    if ((a / then.alpha()) - (b / now.alpha())).abs() > 1e-9 {
        value("--min-alpha", a.to_string(), b.to_string());
    }
    value(
        "--segment",
        then.segment.name().into(),
        now.segment.name().into(),
    );
    let flag = |option: &str, on: bool| {
        if on {
            option.to_string()
        } else {
            format!("no {option}")
        }
    };
    for (option, a, b) in [
        ("--lowercase", then.lowercase, now.lowercase),
        (
            "--shared-negatives",
            then.shared_negatives,
            now.shared_negatives,
        ),
    ] {
        if a != b {
            out.push((flag(option, a), flag(option, b)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::{metadata, CorpusStats, NnlmConfig, Report};

    fn written(config: &Config, files: &[&str]) -> String {
        let report = Report {
            completed: true,
            words_processed: 10,
            epochs_done: config.epochs as f64,
            seconds: 1.0,
            words_per_second: 10.0,
            final_loss: None,
            vocab_size: 3,
            train_words: 2,
            corpus: CorpusStats {
                files: files.iter().map(PathBuf::from).collect(),
                ..CorpusStats::default()
            },
            continued_from: None,
        };
        metadata(config, 2, &report)
    }

    #[test]
    fn a_run_reads_back_as_it_was_configured() {
        let config = Config {
            model: Model::Cbow,
            loss: Loss::Hs,
            dim: 48,
            window: 8,
            min_count: 3,
            sample: 1e-4,
            epochs: 7,
            alpha: Some(0.03),
            min_alpha: Some(0.001),
            seed: 42,
            max_vocab: Some(900),
            lowercase: true,
            segment: Segment::Auto,
            subwords: Some(Subwords {
                minn: 2,
                maxn: 5,
                buckets: 1000,
            }),
            ..Config::default()
        };
        let got = recorded(&written(&config, &["a.txt", "语料/b.txt"])).unwrap();
        assert_eq!(
            got.corpus,
            [PathBuf::from("a.txt"), PathBuf::from("语料/b.txt")]
        );
        // The threads are the machine's, not the model's.
        assert_eq!(got.config.threads, Config::default().threads);
        let threads = got.config.threads;
        assert_eq!(
            got.config,
            Config {
                threads,
                ..config.clone()
            }
        );
        assert!(changed_settings(&got.config, &config).is_empty());
        // Negative sampling with shared negatives, and the defaults.
        let ns = Config {
            negative: 9,
            shared_negatives: true,
            ..Config::default()
        };
        let got = recorded(&written(&ns, &[])).unwrap();
        assert_eq!(got.config.negative, 9);
        assert!(got.config.shared_negatives);
        assert!(got.corpus.is_empty());
        assert!(changed_settings(&got.config, &ns).is_empty());
    }

    #[test]
    fn other_files_and_the_nnlm_record_no_run() {
        assert_eq!(recorded(""), None);
        assert_eq!(recorded("not = [toml"), None);
        assert_eq!(
            recorded("tool = \"gensim\"\n[training]\nmodel = \"cbow\"\n"),
            None
        );
        let nnlm = Config {
            nnlm: Some(NnlmConfig::default()),
            ..Config::default()
        };
        assert_eq!(recorded(&written(&nnlm, &["c.txt"])), None);
        // The model is still named, whichever tool wrote the file.
        let nnlm_file = written(&nnlm, &["c.txt"]);
        assert_eq!(recorded_model(&nnlm_file).as_deref(), Some("nnlm"));
        let gensim = "tool = \"gensim\"\n[training]\nmodel = \"cbow\"\n";
        assert_eq!(recorded_model(gensim).as_deref(), Some("cbow"));
        assert_eq!(recorded_model("not = [toml"), None);
        assert_eq!(recorded_model("[training]\nwindow = 5\n"), None);
    }

    #[test]
    fn changed_settings_name_both_sides() {
        let then = Config {
            model: Model::Cbow,
            window: 8,
            lowercase: true,
            ..Config::default()
        };
        let now = Config {
            negative: 3,
            ..Config::default()
        };
        // The final rate is named when it does not follow the first.
        let slower = Config {
            min_alpha: Some(0.001),
            ..now.clone()
        };
        let named = changed_settings(&now, &slower);
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].1, "--min-alpha 0.001");
        let changed = changed_settings(&then, &now);
        let pairs: Vec<(&str, &str)> = changed
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (a0, a1) = (then.alpha().to_string(), now.alpha().to_string());
        assert_eq!(
            pairs,
            [
                ("--model cbow", "--model skipgram"),
                ("--window 8", "--window 5"),
                ("--negative 5", "--negative 3"),
                (&*format!("--alpha {a0}"), &*format!("--alpha {a1}")),
                ("--lowercase", "no --lowercase"),
            ]
        );
    }
}
