//! One entry point for every layout method, so the command line and the explorer's worker
//! run them the same way.
use super::axes::Axes;
use super::rows::Rows;
use super::stream::Stream;
use super::tsne::{tsne, TsneParams};
use super::umap::{umap, UmapParams};
use crate::error::Result;

/// A layout method and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// The first two principal components.
    Pca,
    /// Barnes-Hut t-SNE.
    Tsne(TsneParams),
    /// UMAP on the exact k-NN graph.
    Umap(UmapParams),
    /// Projections on two word-difference directions.
    Axes(Axes),
}

impl Method {
    /// The method's short name (pca, tsne, umap, axes).
    pub fn name(&self) -> &'static str {
        match self {
            Method::Pca => "pca",
            Method::Tsne(_) => "tsne",
            Method::Umap(_) => "umap",
            Method::Axes(_) => "axes",
        }
    }

    /// The name people write: "PCA", "t-SNE", "UMAP", "custom axes".
    pub fn title(&self) -> &'static str {
        match self {
            Method::Pca => "PCA",
            Method::Tsne(_) => "t-SNE",
            Method::Umap(_) => "UMAP",
            Method::Axes(_) => "custom axes",
        }
    }
}

/// A layout: a point per row, and what the axes mean (empty for t-SNE and UMAP, whose axes
/// mean nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct Laid {
    /// One point per row, in row order.
    pub points: Vec<[f32; 2]>,
    /// `PC1 (38.2 %)`, `man → woman` …
    pub titles: [String; 2],
}

/// Lays out `rows` with `method`; iterative methods stream frames through `stream`.
pub fn lay_out(rows: &Rows, method: &Method, stream: &mut Stream<'_>) -> Result<Laid> {
    let (points, titles) = match method {
        Method::Pca => {
            let p = super::fit(&rows.slices(), None)?;
            let titles = p.axis_titles();
            (p.points, titles)
        }
        Method::Tsne(p) => (tsne(rows, p, stream)?, Default::default()),
        Method::Umap(p) => (umap(rows, p, stream)?, Default::default()),
        Method::Axes(a) => (a.project(rows)?, a.titles()),
    };
    if matches!(method, Method::Pca | Method::Axes(_)) {
        let wide: Vec<[f64; 2]> = points.iter().map(|p| [p[0] as f64, p[1] as f64]).collect();
        stream.report(0, 0, &wide, true);
    }
    Ok(Laid { points, titles })
}

/// A layout of fewer than three points, where the iterative methods have nothing to do:
/// evenly spaced on the x axis.
pub fn small_layout(n: usize) -> Vec<[f32; 2]> {
    (0..n)
        .map(|i| [i as f32 * 2.0 - (n as f32 - 1.0), 0.0])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::quality::kept_neighbours;
    use crate::project::stream::{Control, Frame};
    use crate::project::testdata::{clustered, separation};
    use crate::project::tsne::Init;
    use crate::project::umap::UmapInit;

    fn run(rows: &Rows, method: &Method) -> (Vec<[f32; 2]>, usize) {
        let control = Control::default();
        let mut frames = 0;
        let mut on_frame = |f: Frame<'_>| {
            assert_eq!(f.points.len(), rows.len());
            frames += 1;
        };
        let mut stream = Stream {
            control: &control,
            every: 50,
            on_frame: &mut on_frame,
        };
        let points = lay_out(rows, method, &mut stream).unwrap().points;
        (points, frames)
    }

    #[test]
    fn tsne_separates_clusters_and_is_deterministic() {
        let (rows, truth) = clustered(6, 50, 20, 11);
        let params = TsneParams {
            perplexity: 15.0,
            iterations: 400,
            ..TsneParams::default()
        };
        let (points, frames) = run(&rows, &Method::Tsne(params.clone()));
        assert_eq!(frames, 1 + 400 / 50);
        assert!(separation(&points, &truth) > 0.95);
        let kept = kept_neighbours(&rows, &points, 10).unwrap();
        assert!(kept.mean > 0.4, "{}", kept.mean);
        let pca = kept_neighbours(&rows, &run(&rows, &Method::Pca).0, 10).unwrap();
        assert!(
            kept.mean > pca.mean,
            "t-SNE keeps more than PCA: {} vs {}",
            kept.mean,
            pca.mean
        );
        assert_eq!(run(&rows, &Method::Tsne(params.clone())).0, points);
        let random = TsneParams {
            init: Init::Random,
            ..params
        };
        assert!(separation(&run(&rows, &Method::Tsne(random)).0, &truth) > 0.95);
    }

    #[test]
    fn umap_separates_clusters_and_is_deterministic() {
        let (rows, truth) = clustered(6, 50, 20, 12);
        let params = UmapParams {
            epochs: Some(200),
            ..UmapParams::default()
        };
        let (points, frames) = run(&rows, &Method::Umap(params.clone()));
        assert_eq!(frames, 1 + 200 / 50);
        assert!(separation(&points, &truth) > 0.95);
        assert!(kept_neighbours(&rows, &points, 10).unwrap().mean > 0.4);
        assert_eq!(run(&rows, &Method::Umap(params.clone())).0, points);
        let restart = UmapParams {
            init: UmapInit::Given(points.clone()),
            epochs: Some(20),
            ..params
        };
        assert!(separation(&run(&rows, &Method::Umap(restart)).0, &truth) > 0.95);
    }

    #[test]
    fn cancel_stops_and_pause_holds() {
        let (rows, _) = clustered(3, 30, 10, 13);
        let control = Control::default();
        let mut seen = 0;
        let mut on_frame = |f: Frame<'_>| {
            seen = f.iteration;
            if f.iteration == 20 {
                control.cancel();
            }
        };
        let mut stream = Stream {
            control: &control,
            every: 10,
            on_frame: &mut on_frame,
        };
        let r = lay_out(
            &rows,
            &Method::Tsne(TsneParams {
                perplexity: 10.0,
                ..TsneParams::default()
            }),
            &mut stream,
        );
        assert!(matches!(r, Err(crate::Error::Interrupted)));
        assert_eq!(seen, 20);
        // Paused from the start, a worker makes no progress until resumed.
        let control = std::sync::Arc::new(Control::default());
        control.pause();
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = {
            let control = control.clone();
            std::thread::spawn(move || {
                let mut send = |f: Frame<'_>| {
                    let _ = tx.send(f.iteration);
                };
                let mut stream = Stream {
                    control: &control,
                    every: 1,
                    on_frame: &mut send,
                };
                let params = UmapParams {
                    epochs: Some(5),
                    ..UmapParams::default()
                };
                lay_out(&rows, &Method::Umap(params), &mut stream)
            })
        };
        assert_eq!(
            rx.recv().unwrap(),
            0,
            "the starting layout comes before the first check"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(rx.try_recv().is_err(), "no epoch while paused");
        control.resume();
        assert_eq!(worker.join().unwrap().unwrap().points.len(), 90);
        assert_eq!(rx.iter().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn tiny_inputs() {
        let v = [[1.0f32, 0.0], [0.0, 1.0]];
        let rows = Rows::from_vectors(&[&v[0], &v[1]]).unwrap();
        assert_eq!(run(&rows, &Method::Tsne(TsneParams::default())).0.len(), 2);
        assert_eq!(run(&rows, &Method::Umap(UmapParams::default())).0.len(), 2);
        let (rows, _) = clustered(2, 5, 4, 1);
        let too_perplexed = TsneParams {
            perplexity: 30.0,
            ..TsneParams::default()
        };
        let control = Control::default();
        let mut sink = |_: Frame<'_>| {};
        let mut stream = Stream {
            control: &control,
            every: 0,
            on_frame: &mut sink,
        };
        assert!(lay_out(&rows, &Method::Tsne(too_perplexed), &mut stream).is_err());
    }
}
