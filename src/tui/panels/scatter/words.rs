//! Which words a layout shows: the chosen point set (taken once for the focus's neighbours
//! and the search's matches), and the rows of the last analogy, which the plot draws as
//! arrows.
use super::settings::Points;
use crate::project::points::PointSet;
use crate::query::line::{parse, Parsed};
use crate::tui::app::{App, Message};

/// The rows of the last answered analogy: a, b, c and the best answer. The expression
/// `b - a + c` is the same analogy.
pub(super) fn analogy_rows(app: &App) -> Option<[u32; 4]> {
    let space = app.space.as_ref()?;
    let Some((asked, answer)) = app.query.analogy_answer() else {
        return app.query.answer().as_ref().and_then(expression_analogy);
    };
    let answer = answer.hits.first()?.index;
    let Ok(Parsed::Analogy { a, b, c }) = parse(asked) else {
        return None;
    };
    Some([space.index(&a)?, space.index(&b)?, space.index(&c)?, answer])
}

/// a, b, c and the best answer of an expression of three words read as `b - a + c` (in any
/// order): the analogy `a : b :: c : ?` written as a sum.
fn expression_analogy(answer: &crate::query::Answer) -> Option<[u32; 4]> {
    let with = |w: f32| answer.terms.iter().filter(move |t| t.weight == w);
    let plus: Vec<u32> = with(1.0).map(|t| t.index).collect::<Option<_>>()?;
    let minus: Vec<u32> = with(-1.0).map(|t| t.index).collect::<Option<_>>()?;
    match (answer.terms.len(), plus.as_slice(), minus.as_slice()) {
        (3, &[b, c], &[a]) => Some([a, b, c, answer.hits.first()?.index]),
        _ => None,
    }
}

/// The words of the chosen set, or why there are none. The focus's neighbours and the search
/// matches are taken when the set is chosen (`retake`), so that walking the cursor (which
/// moves the focus) or searching again does not change the words on screen.
pub(super) fn point_set(app: &mut App, retake: bool) -> Result<PointSet, Message> {
    let s = &app.scatter.settings;
    let refuse = |t: &str| {
        Err(Message {
            text: t.to_string(),
            error: true,
        })
    };
    let kept = match &app.scatter.taken {
        Some((p, set)) if *p == s.points && !retake => Some(set.clone()),
        _ => None,
    };
    let set = match s.points {
        Points::Selection => return Ok(PointSet::Rows(app.selection.clone())),
        Points::Top => return Ok(PointSet::Top(s.top)),
        Points::List => match &s.list {
            Some(path) => return Ok(PointSet::List(path.clone())),
            None => return refuse("no word list chosen (f, then the word list field)"),
        },
        _ if kept.is_some() => return Ok(kept.unwrap_or(PointSet::Rows(Vec::new()))),
        Points::Neighbours => match (app.focused, &app.space) {
            (Some(row), Some(space)) => PointSet::Neighbours {
                word: space.word(row as usize).to_string(),
                k: s.neighbours,
            },
            _ => return refuse("no word focused: Enter on a word first"),
        },
        Points::Search => {
            if app.search.query().is_empty() || app.search.hits().is_empty() {
                return refuse("no search matches: / and a query first");
            }
            PointSet::Rows(app.search.hits().to_vec())
        }
    };
    app.scatter.taken = Some((s.points, set.clone()));
    Ok(set)
}
