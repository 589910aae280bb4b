//! Writing a layout: as TSV or as an SVG or PNG picture.
use super::Method;
use crate::error::{Error, Result};
use crate::project::quality::Kept;
use crate::project::svg::{Plot, PlotPoint};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OutKind {
    Tsv,
    Svg,
    #[cfg(feature = "png")]
    Png,
}

impl OutKind {
    pub(super) fn of(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("tsv") | Some("txt") => Ok(OutKind::Tsv),
            Some("svg") => Ok(OutKind::Svg),
            #[cfg(feature = "png")]
            Some("png") => Ok(OutKind::Png),
            _ => Err(Error::Invalid(format!(
                "{}: the output must end in .tsv, .svg or .png",
                path.display()
            ))),
        }
    }
}

pub(super) struct Output<'a> {
    /// The vector file's name, for the picture's title.
    pub(super) source: &'a str,
    pub(super) words: &'a [&'a str],
    pub(super) layout: &'a [[f32; 2]],
    /// What the axes mean (empty for t-SNE and UMAP).
    pub(super) titles: &'a [String; 2],
    pub(super) kept: &'a Kept,
    pub(super) clusters: Option<&'a [u32]>,
}

pub(super) fn write_tsv(path: &Path, out: &Output<'_>) -> Result<()> {
    use std::io::Write;
    crate::io::atomic_write(path, |w| {
        let mut line = |s: String| w.write_all(s.as_bytes()).map_err(|e| Error::io(path, e));
        let cluster = if out.clusters.is_some() {
            "\tcluster"
        } else {
            ""
        };
        // With too few words every neighbour set overlaps: no kept column then.
        let informative = out.kept.is_informative();
        let kept = if informative { "\tkept" } else { "" };
        line(format!("word\tx\ty{kept}{cluster}\n"))?;
        for (i, word) in out.words.iter().enumerate() {
            let [x, y] = out.layout[i];
            let c = out
                .clusters
                .map(|c| format!("\t{}", c[i]))
                .unwrap_or_default();
            let k = if informative {
                format!("\t{}", out.kept.per_point[i])
            } else {
                String::new()
            };
            let word = crate::cli::table::escape(word);
            line(format!("{word}\t{x}\t{y}{k}{c}\n"))?;
        }
        Ok(())
    })
}

pub(super) fn write_picture(
    path: &Path,
    kind: OutKind,
    out: &Output<'_>,
    method: &Method,
    quiet: bool,
) -> Result<()> {
    #[cfg(not(feature = "png"))]
    let _ = quiet; // (only the PNG writer has a warning to give)
                   // The axis words of custom axes are what the picture is about: their labels go first.
    let key_words: Vec<&String> = match method {
        Method::Axes(a) => a.words.iter().flatten().collect(),
        _ => Vec::new(),
    };
    let mut plot = Plot {
        title: crate::project::svg::picture_title(
            method.title(),
            out.words.len(),
            out.source,
            Some(out.kept),
        ),
        points: out
            .words
            .iter()
            .zip(out.layout)
            .map(|(w, &at)| PlotPoint {
                at,
                label: w.to_string(),
                faint: false,
                key: key_words.iter().any(|k| *k == w),
            })
            .collect(),
        clusters: out.clusters.map(<[u32]>::to_vec),
        x_title: out.titles[0].clone(),
        y_title: out.titles[1].clone(),
        ..Plot::default()
    };
    if let Method::Axes(a) = method {
        let at = |w: &String| out.words.iter().position(|v| v == w).map(|i| out.layout[i]);
        for [from, to] in &a.words {
            if let (Some(p), Some(q)) = (at(from), at(to)) {
                plot.arrows.push((p, q));
            }
        }
    }
    match kind {
        #[cfg(feature = "png")]
        OutKind::Png => {
            crate::project::png::write(&plot, path)?;
            match crate::project::png::undrawable_note(&plot) {
                Some(note) if !quiet => eprintln!("warning: {note}"),
                _ => {}
            }
            Ok(())
        }
        _ => {
            let text = crate::project::svg::render(&plot);
            crate::io::atomic_write(path, |w| {
                use std::io::Write;
                w.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))
            })
        }
    }
}
