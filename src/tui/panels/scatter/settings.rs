//! What the scatter lays out and how: the point set, the method and their parameters, and
//! the small form (`f`) that edits them one field at a time through the prompt.
use crate::project::points::MAX_POINTS;
use crate::project::tsne::{Init, TsneParams};
use crate::project::umap::{UmapInit, UmapParams};
use std::path::PathBuf;

/// Which words the scatter shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Points {
    /// The selection (and, with `n`, each selected word's top neighbours); follows it.
    Selection,
    /// The focused word and its N nearest neighbours (taken when chosen or rerun).
    Neighbours,
    /// The N most frequent words.
    Top,
    /// The words matching the current search (taken when chosen or rerun).
    Search,
    /// The words of a word-list file.
    List,
}

impl Points {
    const ALL: [Points; 5] = [
        Points::Selection,
        Points::Neighbours,
        Points::Top,
        Points::Search,
        Points::List,
    ];

    /// What the set is, for the panel's title.
    pub fn name(self) -> &'static str {
        match self {
            Points::Selection => "the selection",
            Points::Neighbours => "focus + neighbours",
            Points::Top => "the top words",
            Points::Search => "search matches",
            Points::List => "a word list",
        }
    }

    /// The next set in the `o` cycle.
    pub fn next(self) -> Points {
        let i = Self::ALL.iter().position(|&p| p == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// How the words are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Pca,
    Tsne,
    Umap,
    /// x = B − A, y = D − C.
    Axes,
}

impl Method {
    /// The next method in the `m` cycle.
    pub fn next(self) -> Method {
        match self {
            Method::Pca => Method::Tsne,
            Method::Tsne => Method::Umap,
            Method::Umap => Method::Axes,
            Method::Axes => Method::Pca,
        }
    }

    /// The method's name on screen.
    pub fn name(self) -> &'static str {
        match self {
            Method::Pca => "PCA",
            Method::Tsne => "t-SNE",
            Method::Umap => "UMAP",
            Method::Axes => "axes",
        }
    }

    /// True for the methods that iterate (and animate).
    pub fn iterates(self) -> bool {
        matches!(self, Method::Tsne | Method::Umap)
    }
}

/// The point set, the method and every parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub points: Points,
    /// N of "the focused word and its N neighbours".
    pub neighbours: usize,
    /// N of "the N most frequent words".
    pub top: usize,
    /// The word-list file.
    pub list: Option<PathBuf>,
    pub method: Method,
    pub perplexity: f64,
    /// t-SNE iterations.
    pub iterations: usize,
    /// t-SNE learning rate (`None`: scikit-learn's auto).
    pub learning_rate: Option<f64>,
    pub umap_neighbors: usize,
    pub min_dist: f64,
    /// UMAP epochs (`None`: umap-learn's default for the size).
    pub epochs: Option<usize>,
    pub seed: u64,
    /// (A, B) of x = B − A.
    pub x: [String; 2],
    /// (C, D) of y = D − C.
    pub y: [String; 2],
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            points: Points::Selection,
            neighbours: 100,
            top: 2000,
            list: None,
            method: Method::Pca,
            perplexity: 30.0,
            iterations: 1000,
            learning_rate: None,
            umap_neighbors: 15,
            min_dist: 0.1,
            epochs: None,
            seed: 1,
            x: [String::new(), String::new()],
            y: [String::new(), String::new()],
        }
    }
}

impl Settings {
    /// The t-SNE parameters; `start` restarts from a layout (no early exaggeration then).
    pub fn tsne(&self, start: Option<Vec<[f32; 2]>>) -> TsneParams {
        let base = TsneParams {
            perplexity: self.perplexity,
            iterations: self.iterations,
            learning_rate: self.learning_rate,
            seed: self.seed,
            ..TsneParams::default()
        };
        match start {
            Some(p) => TsneParams {
                init: Init::Given(p),
                exaggeration_iterations: 0,
                ..base
            },
            None => base,
        }
    }

    /// The UMAP parameters; `start` restarts from a layout.
    pub fn umap(&self, start: Option<Vec<[f32; 2]>>) -> UmapParams {
        UmapParams {
            n_neighbors: self.umap_neighbors,
            min_dist: self.min_dist,
            epochs: self.epochs,
            seed: self.seed,
            init: start.map_or(UmapInit::Pca, UmapInit::Given),
            ..UmapParams::default()
        }
    }

    /// True when both custom axes are given.
    pub fn has_axes(&self) -> bool {
        self.x.iter().chain(&self.y).all(|w| !w.is_empty())
    }
}

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Neighbours,
    Top,
    List,
    Perplexity,
    Iterations,
    LearningRate,
    UmapNeighbors,
    MinDist,
    Epochs,
    Seed,
    XAxis,
    YAxis,
}

impl Field {
    /// Every field, in the form's order.
    pub const ALL: [Field; 12] = [
        Field::XAxis,
        Field::YAxis,
        Field::Neighbours,
        Field::Top,
        Field::List,
        Field::Perplexity,
        Field::Iterations,
        Field::LearningRate,
        Field::UmapNeighbors,
        Field::MinDist,
        Field::Epochs,
        Field::Seed,
    ];

    /// The field's name in the form.
    pub fn name(self) -> &'static str {
        match self {
            Field::Neighbours => "focus + N neighbours",
            Field::Top => "top N words",
            Field::List => "word list",
            Field::Perplexity => "t-SNE perplexity",
            Field::Iterations => "t-SNE iterations",
            Field::LearningRate => "t-SNE learning rate",
            Field::UmapNeighbors => "UMAP n_neighbors",
            Field::MinDist => "UMAP min_dist",
            Field::Epochs => "UMAP epochs",
            Field::Seed => "seed",
            Field::XAxis => "x axis A:B (B − A)",
            Field::YAxis => "y axis C:D (D − C)",
        }
    }

    /// The prompt's question.
    pub fn question(self) -> &'static str {
        match self {
            Field::Neighbours => "neighbours of the focused word (1–9999)",
            Field::Top => "most frequent words (1–10000)",
            Field::List => "word list file (one word a line)",
            Field::Perplexity => "t-SNE perplexity (below the number of words)",
            Field::Iterations => "t-SNE iterations",
            Field::LearningRate => "t-SNE learning rate (empty: auto)",
            Field::UmapNeighbors => "UMAP n_neighbors (2 or more)",
            Field::MinDist => "UMAP min_dist (0–1)",
            Field::Epochs => "UMAP epochs (empty: auto)",
            Field::Seed => "seed",
            Field::XAxis => "x axis as A:B, the direction from A to B",
            Field::YAxis => "y axis as C:D, the direction from C to D",
        }
    }

    /// The field's value as the form shows it (and the prompt offers it).
    pub fn value(self, s: &Settings) -> String {
        let axis = |a: &[String; 2]| {
            if a.iter().all(String::is_empty) {
                String::new()
            } else {
                format!("{}:{}", a[0], a[1])
            }
        };
        let auto = |v: Option<String>| v.unwrap_or_default();
        match self {
            Field::Neighbours => s.neighbours.to_string(),
            Field::Top => s.top.to_string(),
            Field::List => s
                .list
                .as_ref()
                .map_or(String::new(), |p| p.display().to_string()),
            Field::Perplexity => s.perplexity.to_string(),
            Field::Iterations => s.iterations.to_string(),
            Field::LearningRate => auto(s.learning_rate.map(|r| r.to_string())),
            Field::UmapNeighbors => s.umap_neighbors.to_string(),
            Field::MinDist => s.min_dist.to_string(),
            Field::Epochs => auto(s.epochs.map(|e| e.to_string())),
            Field::Seed => s.seed.to_string(),
            Field::XAxis => axis(&s.x),
            Field::YAxis => axis(&s.y),
        }
    }

    /// Sets the field from the prompt's `input`, or says what is wrong. A word list's path
    /// comes resolved (relative to the working folder).
    pub fn set(self, s: &mut Settings, input: &str) -> Result<(), String> {
        let t = input.trim();
        let int = |lo: usize, hi: usize| -> Result<usize, String> {
            match t.parse::<usize>() {
                Ok(v) if (lo..=hi).contains(&v) => Ok(v),
                _ => Err(format!("{}: a whole number from {lo} to {hi}", self.name())),
            }
        };
        let real = |lo: f64, hi: f64| -> Result<f64, String> {
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() && v > lo && v <= hi => Ok(v),
                _ => Err(format!(
                    "{}: a number above {lo}, at most {hi}",
                    self.name()
                )),
            }
        };
        match self {
            Field::Neighbours => s.neighbours = int(1, MAX_POINTS - 1)?,
            Field::Top => s.top = int(1, MAX_POINTS)?,
            Field::List if t.is_empty() => return Err("no file name given".into()),
            Field::List => s.list = Some(PathBuf::from(t)),
            Field::Perplexity => s.perplexity = real(0.0, 5000.0)?,
            Field::Iterations => s.iterations = int(1, 100_000)?,
            Field::LearningRate if t.is_empty() => s.learning_rate = None,
            Field::LearningRate => s.learning_rate = Some(real(0.0, 1e6)?),
            Field::UmapNeighbors => s.umap_neighbors = int(2, 500)?,
            Field::MinDist => {
                s.min_dist = match t.parse::<f64>() {
                    Ok(v) if (0.0..=1.0).contains(&v) => v,
                    _ => return Err("UMAP min_dist: a number from 0 to 1".into()),
                }
            }
            Field::Epochs if t.is_empty() => s.epochs = None,
            Field::Epochs => s.epochs = Some(int(1, 100_000)?),
            Field::Seed => s.seed = t.parse().map_err(|_| "seed: a whole number".to_string())?,
            Field::XAxis => s.x = axis(t)?,
            Field::YAxis => s.y = axis(t)?,
        }
        Ok(())
    }
}

/// `A:B` (or `A B`) as two words.
fn axis(t: &str) -> Result<[String; 2], String> {
    let parts: Vec<&str> = if t.contains(':') {
        t.split(':').map(str::trim).collect()
    } else {
        t.split_whitespace().collect()
    };
    match parts.as_slice() {
        [a, b] if !a.is_empty() && !b.is_empty() => Ok([a.to_string(), b.to_string()]),
        _ => Err(format!("an axis is two words A:B, not {t:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_check_and_show_their_values() {
        let mut s = Settings::default();
        Field::XAxis.set(&mut s, " man : woman ").unwrap();
        Field::YAxis.set(&mut s, "bad good").unwrap();
        assert!(s.has_axes());
        assert_eq!(Field::XAxis.value(&s), "man:woman");
        assert!(Field::XAxis.set(&mut s, "man").is_err());
        assert!(Field::XAxis.set(&mut s, "a:b:c").is_err());
        Field::Top.set(&mut s, "10000").unwrap();
        assert_eq!(s.top, 10_000);
        assert!(Field::Top.set(&mut s, "10001").is_err());
        assert!(Field::Perplexity.set(&mut s, "0").is_err());
        Field::Perplexity.set(&mut s, "12.5").unwrap();
        Field::LearningRate.set(&mut s, "200").unwrap();
        assert_eq!(s.learning_rate, Some(200.0));
        Field::LearningRate.set(&mut s, "").unwrap();
        assert_eq!(s.learning_rate, None);
        assert!(Field::MinDist.set(&mut s, "1.5").is_err());
        assert!(Field::UmapNeighbors.set(&mut s, "1").is_err());
        assert!(Field::List.set(&mut s, " ").is_err());
        // Restarting t-SNE from a layout skips the early exaggeration.
        let p = s.tsne(Some(vec![[0.0, 0.0]; 3]));
        assert_eq!((p.perplexity, p.exaggeration_iterations), (12.5, 0));
        assert_eq!(s.tsne(None).exaggeration_iterations, 250);
        assert_eq!(Points::List.next(), Points::Selection);
        assert_eq!(Method::Axes.next(), Method::Pca);
    }
}
