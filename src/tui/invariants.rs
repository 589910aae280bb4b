//! [`App::check_invariants`]: the state facts that every `update` must keep, for tests that
//! drive the explorer with random input (tests/tui_monkey.rs) and for debugging.
use super::App;

impl App {
    /// Checks that indices into the space and into the lists shown are in range, that the
    /// selection has no duplicates and that the view numbers are finite. Returns the first
    /// broken fact.
    pub fn check_invariants(&self) -> Result<(), String> {
        let rows = self.space.as_ref().map_or(0, |s| s.len());
        let row_ok = |r: u32| (r as usize) < rows;
        let fail = |what: String| Err(what);
        if let Some(f) = self.focused {
            if !row_ok(f) {
                return fail(format!("focused row {f} of {rows}"));
            }
        }
        for (i, &r) in self.selection.iter().enumerate() {
            if !row_ok(r) {
                return fail(format!("selected row {r} of {rows}"));
            }
            if self.selection[..i].contains(&r) {
                return fail(format!("row {r} selected twice"));
            }
        }
        self.history.check(rows)?;
        self.search.check(rows)?;
        check_lists(self, rows)?;
        check_views(self)?;
        if self.space.is_none() && (self.focused.is_some() || !self.selection.is_empty()) {
            return fail("a focus or selection without a space".into());
        }
        Ok(())
    }
}

/// The neighbour and query lists: k, highlights and hits in range, error columns on the line.
fn check_lists(app: &App, rows: usize) -> Result<(), String> {
    let n = &app.neighbours;
    if n.k() == 0 {
        return Err("k is 0".into());
    }
    let answers = [
        ("neighbour", n.answer(), n.selected()),
        ("query", app.query.answer(), app.query.selected()),
    ];
    for (what, answer, selected) in answers {
        let hits = answer.as_ref().map_or(&[][..], |a| &a.hits[..]);
        if selected >= hits.len().max(1) {
            return Err(format!("{what} selection {selected} of {}", hits.len()));
        }
        if let Some(h) = hits.iter().find(|h| h.index as usize >= rows) {
            return Err(format!("{what} hit {} of {rows}", h.index));
        }
    }
    if let Some(e) = app.query.error() {
        let end = app
            .query
            .asked()
            .chars()
            .count()
            .max(app.query.input().chars().count());
        if e.column.is_some_and(|c| c == 0 || c > end + 1) {
            return Err(format!("query error column {:?} beyond {end}", e.column));
        }
    }
    Ok(())
}

/// The phrases' matrix matches the phrases; the scatter view's numbers are finite.
fn check_views(app: &App) -> Result<(), String> {
    let p = &app.phrases;
    if p.selected() >= p.phrases().len().max(1) {
        return Err(format!(
            "phrase selection {} of {}",
            p.selected(),
            p.phrases().len()
        ));
    }
    if p.matrix().len() != p.phrases().len()
        || p.matrix().iter().any(|r| r.len() != p.phrases().len())
    {
        return Err("the phrase matrix does not match the phrases".into());
    }
    app.scatter.check()
}
