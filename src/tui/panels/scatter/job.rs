//! The scatter's work on its worker lane: gather the words, lay them out with the chosen
//! method and hand over frames while it iterates. Frames go into a shared [`Live`] slot that
//! the explorer reads on each tick (the latest frame wins), so the plot animates without the
//! lane sending one message per frame; the finished layout comes back as the job's output.
use super::fit::{Fit, Item, Kind};
use super::settings::{Method as Choice, Settings};
use crate::error::{Error, Result};
use crate::jobs::Progress;
use crate::project::axes::Axes;
use crate::project::kmeans::kmeans;
use crate::project::layout::{lay_out, Method};
use crate::project::points::PointSet;
use crate::project::quality::kept_with;
use crate::project::rows::{cosine_knn, Rows};
use crate::project::stream::{Control, Frame, Stream};
use crate::project::Basis;
use crate::query::top_k;
use crate::space::Space;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Neighbours compared by the kept-neighbours figure.
pub const KEPT_K: usize = 10;
/// Clusters of the colouring (the terminal's distinct colours).
pub const CLUSTERS: usize = 8;
/// A frame every this many iterations.
const EVERY: usize = 5;
/// The whole layout's kept-neighbours figure is refreshed while it iterates at least this
/// often, and more often when it is cheap: after ten times what it took to work out, but not
/// sooner than [`KEPT_SOONEST`]. (t-SNE moves fast right after its early exaggeration: on
/// 1,000 words the figure goes from 5 % to 44 % between iterations 260 and 320.)
const KEPT_EVERY: Duration = Duration::from_millis(1500);
const KEPT_SOONEST: Duration = Duration::from_millis(100);

/// The slot between a running layout and the explorer: pause / cancel, and the latest frame.
#[derive(Debug, Default)]
pub struct Live {
    control: Control,
    latest: Mutex<Option<Fit>>,
    /// The worker has taken the job (a pause before that would hold a caller that runs the
    /// job on its own thread, as tests do).
    started: std::sync::atomic::AtomicBool,
}

impl Live {
    /// The switches of the layout.
    pub fn control(&self) -> &Control {
        &self.control
    }

    /// True once the worker runs the layout.
    pub fn has_started(&self) -> bool {
        self.started.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The newest frame not taken yet.
    pub fn take(&self) -> Option<Fit> {
        self.latest.lock().ok()?.take()
    }

    fn put(&self, fit: &Fit) {
        if let Ok(mut slot) = self.latest.lock() {
            *slot = Some(fit.clone());
        }
    }
}

/// What the worker needs for a layout.
#[derive(Debug, Clone)]
pub struct Request {
    pub(super) space: Space,
    pub(super) settings: Settings,
    /// The words of the set, resolved on the worker (a word list is read there).
    pub(super) set: PointSet,
    /// With the selection: each selected word's top neighbours too.
    pub(super) neighbours: Option<usize>,
    /// Rows of a, b, c and the answer of the last analogy.
    pub(super) analogy: Option<[u32; 4]>,
    /// The previous PCA basis (the axes keep their orientation).
    pub(super) basis: Option<Basis>,
    /// The current layout (rows and points), to restart from when the rows are the same.
    pub(super) start: Option<(Vec<u32>, Vec<[f32; 2]>)>,
    pub(super) live: Arc<Live>,
}

/// The fit before the layout: the words to place (at the origin) with why each is there,
/// how many are the set's, the words that were missing, and the arrows.
fn gather(req: &Request) -> Result<Fit> {
    let space = &req.space;
    let set = req.set.resolve(space)?;
    let mut items: Vec<(u32, Kind)> = Vec::with_capacity(set.rows.len() + 8);
    // An analogy's or an axis's word already among the points becomes one of its key words
    // (drawn and labelled first), whatever brought it.
    let add = |items: &mut Vec<(u32, Kind)>, row: u32, kind: Kind| -> usize {
        match items.iter().position(|(r, _)| *r == row) {
            Some(i) => {
                if kind == Kind::Analogy {
                    items[i].1 = kind;
                }
                i
            }
            None => {
                items.push((row, kind));
                items.len() - 1
            }
        }
    };
    let big = set.rows.len() > 200;
    for &row in &set.rows {
        let kind = if big { Kind::Neighbour } else { Kind::Selected };
        items.push((row, kind));
    }
    let from_set = items.len();
    let mut arrows = Vec::new();
    if let Some(rows) = req
        .analogy
        .filter(|r| r.iter().all(|&x| (x as usize) < space.len()))
    {
        let [a, b, c, d] = rows.map(|r| add(&mut items, r, Kind::Analogy));
        // The parallelogram's arrows only where the picture keeps offsets: a linear map (PCA,
        // custom axes); t-SNE and UMAP keep neighbourhoods, and arrows there would mislead.
        if matches!(req.settings.method, Choice::Pca | Choice::Axes) {
            arrows = vec![(a, b), (c, d)];
        }
    }
    if req.settings.method == Choice::Axes {
        // Each axis is drawn as an arrow from its first word to its second, as `embx layout`
        // draws it.
        for [from, to] in [&req.settings.x, &req.settings.y] {
            let [p, q] =
                [from, to].map(|w| space.index(w).map(|r| add(&mut items, r, Kind::Analogy)));
            if let (Some(p), Some(q)) = (p, q) {
                arrows.push((p, q));
            }
        }
    }
    if let Some(k) = req.neighbours {
        for &row in &set.rows {
            let own = [row];
            for hit in top_k(space, space.unit(row as usize), k, &own, None) {
                add(&mut items, hit.index, Kind::Neighbour);
            }
        }
    }
    Ok(Fit {
        items: items
            .into_iter()
            .map(|(row, kind)| Item {
                row,
                at: [0.0, 0.0],
                kind,
            })
            .collect(),
        arrows,
        missing: set.missing.into_iter().map(|(w, _)| w).collect(),
        from_set,
        ..Fit::default()
    })
}

/// Runs on the worker: gathers the words and lays them out, streaming frames into
/// `req.live`; `progress` is the lane's (a newer request cancels this one through it).
pub fn compute(req: &Request, progress: &Progress) -> Result<Fit> {
    req.live
        .started
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let mut fit = gather(req)?;
    let rows_of: Vec<u32> = fit.items.iter().map(|i| i.row).collect();
    let rows = Rows::from_space(&req.space, &rows_of)?;
    let s = &capped(&req.settings, rows.len());
    let start = req
        .start
        .as_ref()
        .filter(|(r, _)| *r == rows_of)
        .map(|(_, p)| p.clone());
    fit.method = s.method.name().to_string();
    let method = match s.method {
        Choice::Pca => return pca(req, &rows, fit),
        Choice::Axes => {
            let a = Axes::new(&req.space, [&s.x[0], &s.x[1]], [&s.y[0], &s.y[1]])?;
            fit.titles = a.titles();
            Method::Axes(a)
        }
        Choice::Tsne => Method::Tsne(s.tsne(start)),
        Choice::Umap => Method::Umap(s.umap(start)),
    };
    if s.method.iterates() {
        fit.titles = [
            format!("{} 1", s.method.name()),
            format!("{} 2", s.method.name()),
        ];
    }
    if s.method == Choice::Tsne && s.perplexity != req.settings.perplexity {
        fit.method = format!("t-SNE (perplexity {:.1})", s.perplexity);
    }
    if s.method.iterates() {
        preview(req, &rows, &mut fit, start_points(&method))?;
    }
    let mut extras = Extras::default();
    let live = &req.live;
    let mut on_frame = |f: Frame<'_>| {
        if progress.is_cancelled() {
            live.control.cancel();
        }
        for (it, p) in fit.items.iter_mut().zip(f.points) {
            it.at = *p;
        }
        (fit.iteration, fit.iterations) = (f.iteration, f.iterations);
        live.put(&fit);
        extras.after_frame(&rows, &mut fit, f.iteration == f.iterations);
        live.put(&fit);
    };
    let points = {
        let mut stream = Stream {
            control: &live.control,
            every: EVERY,
            on_frame: &mut on_frame,
        };
        lay_out(&rows, &method, &mut stream)?.points
    };
    for (it, p) in fit.items.iter_mut().zip(&points) {
        it.at = *p;
    }
    extras.after_frame(&rows, &mut fit, true);
    Ok(fit)
}

/// The settings with a t-SNE perplexity that `n` words can carry (below `n`).
fn capped(settings: &Settings, n: usize) -> Settings {
    let mut s = settings.clone();
    if s.method == Choice::Tsne {
        s.perplexity = s.tsne(None).perplexity_for(n);
    }
    s
}

/// The starting layout an iterative method was given, if any.
fn start_points(method: &Method) -> Option<&[[f32; 2]]> {
    match method {
        Method::Tsne(p) => match &p.init {
            crate::project::tsne::Init::Given(v) => Some(v),
            _ => None,
        },
        Method::Umap(p) => match &p.init {
            crate::project::umap::UmapInit::Given(v) => Some(v),
            _ => None,
        },
        _ => None,
    }
}

/// Shows where t-SNE / UMAP start before their neighbour graph is built: the given layout, or
/// the PCA start both use (the same picture, up to scale), as iteration 0.
fn preview(req: &Request, rows: &Rows, fit: &mut Fit, given: Option<&[[f32; 2]]>) -> Result<()> {
    let points = match given {
        Some(p) => p.to_vec(),
        None => crate::project::fit(&rows.slices(), None)?.points,
    };
    for (it, p) in fit.items.iter_mut().zip(points) {
        it.at = p;
    }
    let s = &req.settings;
    let n = rows.len();
    fit.iterations = match s.method {
        Choice::Tsne => s.iterations,
        _ => s.epochs.unwrap_or(if n <= 10_000 { 500 } else { 200 }),
    };
    fit.iteration = 0;
    req.live.put(fit);
    Ok(())
}

/// The first two principal components, with the previous axes' orientation.
fn pca(req: &Request, rows: &Rows, mut fit: Fit) -> Result<Fit> {
    let p = crate::project::fit(&rows.slices(), req.basis.as_ref())?;
    for (it, at) in fit.items.iter_mut().zip(&p.points) {
        it.at = *at;
    }
    fit.titles = p.axis_titles();
    fit.basis = Some(p.basis);
    req.live.put(&fit);
    Extras::default().after_frame(rows, &mut fit, true);
    Ok(fit)
}

/// What is worked out after the first frame: the original neighbours and the clusters (once)
/// and the kept-neighbours figure (now and then, and at the end).
#[derive(Default)]
struct Extras {
    original: Option<Arc<crate::project::rows::Knn>>,
    clusters: Option<Arc<Vec<u32>>>,
    kept_at: Option<Instant>,
    /// What working out the figure took last time.
    kept_cost: Duration,
}

impl Extras {
    fn after_frame(&mut self, rows: &Rows, fit: &mut Fit, last: bool) {
        if rows.len() < 3 {
            return;
        }
        let original = self
            .original
            .get_or_insert_with(|| Arc::new(cosine_knn(rows, KEPT_K)))
            .clone();
        let clusters = self
            .clusters
            .get_or_insert_with(|| {
                Arc::new(kmeans(rows, CLUSTERS, 50, 1).map_or_else(|_| Vec::new(), |c| c.labels))
            })
            .clone();
        fit.original = Some(original.clone());
        fit.clusters = (clusters.len() == rows.len()).then_some(clusters);
        let wait = (self.kept_cost * 10).clamp(KEPT_SOONEST, KEPT_EVERY);
        let due = self.kept_at.is_none_or(|t| t.elapsed() >= wait);
        if last || due {
            let began = Instant::now();
            let points: Vec<[f32; 2]> = fit.items.iter().map(|it| it.at).collect();
            fit.kept = kept_with(&original, &points, original.k).ok();
            self.kept_cost = began.elapsed();
            self.kept_at = Some(Instant::now());
        }
    }
}

/// Says why a layout cannot start, before asking the worker (perplexity against the size is
/// checked by the library on the worker).
pub(super) fn check(settings: &Settings) -> Result<()> {
    if settings.method == Choice::Axes && !settings.has_axes() {
        return Err(Error::Invalid(
            "custom axes need x = A:B and y = C:D (f opens the form)".into(),
        ));
    }
    Ok(())
}
