//! `embx phrases FILE "sentence" "sentence" …`: sentence vectors (plain mean or SIF) and the
//! matrix of their cosine similarities.
use super::output;
use super::table::{escape, Align, Table};
use crate::error::{Error, Result};
use crate::query::sif::{self, Options, Probability, Weighted, Weighting};
use crate::query::similarity_matrix;
use crate::space::Space;
use clap::Args;
use serde_json::json;

/// The options of `embx phrases`.
#[derive(Debug, Args)]
pub struct PhraseArgs {
    /// The sentences (quote each one).
    #[arg(required = true, num_args = 1.., value_name = "SENTENCE")]
    pub sentences: Vec<String>,
    /// How words are combined: the plain mean of their unit vectors, or SIF (Arora et al.
    /// 2017: weight a / (a + p(w)), p(w) from the file's counts or from the frequency rank).
    #[arg(long, default_value = "sif", value_parser = parse_weighting)]
    pub weighting: Weighting,
    /// SIF's smoothing parameter a.
    #[arg(long, value_name = "A", default_value_t = sif::DEFAULT_A)]
    pub sif_a: f64,
    /// Remove the first principal component of the sentence vectors (SIF's second step;
    /// meaningful with several sentences).
    #[arg(long)]
    pub remove_pc: bool,
    /// Leave out English stopwords (the, of, i, …).
    #[arg(long)]
    pub drop_stopwords: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn parse_weighting(s: &str) -> std::result::Result<Weighting, String> {
    s.parse().map_err(|e: Error| e.to_string())
}

/// Computes and prints the sentence vectors' cosine matrix.
pub fn run(space: &Space, args: &PhraseArgs) -> Result<()> {
    if !(args.sif_a > 0.0 && args.sif_a.is_finite()) {
        return Err(Error::Invalid(format!(
            "--sif-a must be a positive number, not {}",
            args.sif_a
        )));
    }
    let options = Options {
        weighting: args.weighting,
        a: args.sif_a,
        remove_pc: args.remove_pc,
        drop_stopwords: args.drop_stopwords,
    };
    let weighted = sif::weighted_phrases(space, &args.sentences, &options);
    if args.json {
        output::print_json(&to_json(&weighted))
    } else {
        output::print(&to_text(&weighted))
    }
}

/// One line saying how the vectors were made.
pub fn describe(w: &Weighted) -> String {
    let mut s = match (w.options.weighting, w.probability) {
        (Weighting::Mean, _) => "weighting: mean of unit vectors".to_string(),
        (Weighting::Sif, p) => format!(
            "weighting: SIF, a = {}, p(w) {}",
            w.options.a,
            match p {
                Some(Probability::Counts) => "from the file's counts",
                _ => "from the frequency rank (Zipf)",
            }
        ),
    };
    if w.pc_removed {
        s.push_str(", first principal component removed");
    }
    if w.options.drop_stopwords {
        s.push_str(", stopwords dropped");
    }
    s
}

fn to_text(w: &Weighted) -> String {
    let mut text = format!("{}\n", describe(w));
    for (i, p) in w.phrases.iter().enumerate() {
        text.push_str(&format!("{}  {}\n", i + 1, escape(&p.text)));
        let unknown = p.unknown();
        if !unknown.is_empty() {
            text.push_str(&format!("   no vector: {}\n", unknown.join(", ")));
        }
        let subword = p.subword();
        if !subword.is_empty() {
            text.push_str(&format!("   from subwords: {}\n", subword.join(", ")));
        }
        if p.vector.is_none() {
            text.push_str("   (no sentence vector)\n");
        }
    }
    let n = w.phrases.len();
    let mut aligns = vec![Align::Right];
    aligns.extend(std::iter::repeat_n(Align::Right, n));
    let mut header = vec![String::new()];
    header.extend((1..=n).map(|i| i.to_string()));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new(&aligns).header(&header);
    for (i, row) in similarity_matrix(&w.phrases).iter().enumerate() {
        let mut cells = vec![(i + 1).to_string()];
        cells.extend(
            row.iter()
                .map(|c| c.map_or_else(|| format!("{:>6}", "-"), |c| format!("{c:.4}"))),
        );
        t.row(cells);
    }
    text.push('\n');
    text.push_str(&t.render());
    text
}

fn to_json(w: &Weighted) -> serde_json::Value {
    let sentences: Vec<_> = w
        .phrases
        .iter()
        .zip(&w.weights)
        .map(|(p, weights)| {
            let tokens: Vec<_> = p
                .tokens
                .iter()
                .zip(weights)
                .map(|(t, wt)| json!({"token": t.text, "weight": wt}))
                .collect();
            json!({
                "text": p.text,
                "tokens": tokens,
                "unknown": p.unknown(),
                "subword": p.subword(),
                "has_vector": p.vector.is_some(),
            })
        })
        .collect();
    json!({
        "weighting": w.options.weighting,
        "a": (w.options.weighting == Weighting::Sif).then_some(w.options.a),
        "probability": w.probability,
        "pc_removed": w.pc_removed,
        "stopwords_dropped": w.options.drop_stopwords,
        "sentences": sentences,
        "matrix": similarity_matrix(&w.phrases),
    })
}
