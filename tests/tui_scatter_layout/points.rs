//! What is laid out: point sets, custom axes, the cursor, the selection, a newly opened space.
use super::tui_support::{app, ctrl, press, row, typed};
use super::{clustered, cmd, screen, set_field, support};
use crossterm::event::KeyCode;
use embx::tui::panels::scatter::{Cmd, Field, Kind, Points};
use embx::tui::{drive, Action, App, Source};

#[test]
fn every_point_set() {
    let mut app = app();
    press(&mut app, KeyCode::Char('v'));
    let words = |app: &App| -> Vec<String> {
        app.scatter
            .fit()
            .unwrap()
            .items()
            .iter()
            .map(|it| app.word(it.row).to_string())
            .collect()
    };
    // Focus + N neighbours.
    app.focused = Some(row("king"));
    set_field(&mut app, Field::Neighbours, "3");
    assert_eq!(app.scatter.settings().points, Points::Neighbours);
    let w = words(&app);
    assert_eq!(w.len(), 4);
    assert_eq!(w[0], "king");
    assert!(w.contains(&"queen".to_string()), "{w:?}");
    // Top N.
    set_field(&mut app, Field::Top, "5");
    assert_eq!(words(&app), ["the", "king", "queen", "man", "woman"]);
    // The search matches (taken when chosen).
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "prin");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    cmd(&mut app, Cmd::CyclePoints);
    assert_eq!(app.scatter.settings().points, Points::Search);
    assert_eq!(words(&app), ["prince", "princess"]);
    // A word list: o asks for the file.
    let dir = tempfile::tempdir().unwrap();
    let list = support::write(dir.path(), "words.txt", "paris\nnope\nfrance\n北京\n");
    cmd(&mut app, Cmd::CyclePoints);
    assert_eq!(app.prompt.as_ref().unwrap().input, "");
    typed(&mut app, &list.display().to_string());
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.scatter.settings().points, Points::List);
    assert_eq!(words(&app), ["paris", "france", "北京"]);
    let status = app.status.clone().unwrap();
    assert!(
        status
            .text
            .contains("left out, not in the vocabulary: nope"),
        "{}",
        status.text
    );
    // Back to the selection (empty): the hint.
    cmd(&mut app, Cmd::CyclePoints);
    assert_eq!(app.scatter.settings().points, Points::Selection);
    assert!(app.scatter.fit().is_none());
}

#[test]
fn custom_axes_put_known_words_on_their_sides() {
    let mut app = app();
    for w in ["king", "queen", "prince", "princess", "paris"] {
        app.selection.push(row(w));
    }
    press(&mut app, KeyCode::Char('v'));
    // m three times: PCA → t-SNE → UMAP → axes, which asks for them.
    cmd(&mut app, Cmd::CycleMethod);
    cmd(&mut app, Cmd::CycleMethod);
    cmd(&mut app, Cmd::CycleMethod);
    assert!(app.prompt.is_some(), "axes ask for x first");
    typed(&mut app, "man:woman");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "france:paris");
    press(&mut app, KeyCode::Enter);
    assert!(app.scatter.form().is_none() && app.prompt.is_none());
    let fit = app.scatter.fit().unwrap();
    assert_eq!(fit.method(), "axes");
    assert_eq!(fit.axis_titles(), ["man → woman", "france → paris"]);
    let at = |w: &str| fit.items()[fit.index_of(row(w)).unwrap()].at;
    assert!(at("queen")[0] > at("king")[0]);
    assert!(at("princess")[0] > at("prince")[0]);
    assert!(at("paris")[1] > at("king")[1]);
    // The words that define the axes are drawn in.
    for w in ["man", "woman", "france"] {
        assert!(fit.index_of(row(w)).is_some(), "{w}");
    }
    // Each axis is an arrow from its first word to its second (paris was selected already).
    let i = |w: &str| fit.index_of(row(w)).unwrap();
    assert_eq!(
        fit.arrows(),
        [(i("man"), i("woman")), (i("france"), i("paris"))]
    );
    assert!(fit.items()[i("paris")].kind == Kind::Analogy);
    let s = screen(&app, 120, 40);
    assert!(s.contains("man → woman") && s.contains("france → paris"));
}

#[test]
fn the_cursor_walks_to_the_nearest_word_and_moves_the_focus() {
    let mut app = app();
    for w in ["king", "queen", "man", "woman", "paris"] {
        app.selection.push(row(w));
    }
    press(&mut app, KeyCode::Char('v'));
    cmd(&mut app, Cmd::Rerun);
    press(&mut app, KeyCode::Right);
    let start = app.focused.expect("the cursor focuses a word");
    let fit = app.scatter.fit().unwrap().clone();
    let here = fit.items()[fit.index_of(start).unwrap()].at;
    press(&mut app, KeyCode::Right);
    match app.focused {
        Some(r) if r != start => {
            let there = fit.items()[fit.index_of(r).unwrap()].at;
            assert!(there[0] > here[0]);
            // The neighbours panel follows the focus.
            assert!(!app.neighbours.answer().as_ref().unwrap().hits.is_empty());
            // Space selects / unselects the word under the cursor.
            let selected = app.is_selected(r);
            press(&mut app, KeyCode::Char(' '));
            assert_eq!(app.is_selected(r), !selected);
        }
        _ => {
            // Nothing further right: the focus stays, with a note.
            assert_eq!(app.focused, Some(start));
            assert!(app
                .status
                .as_ref()
                .unwrap()
                .text
                .contains("no word further"));
        }
    }
}

#[test]
fn the_scatter_follows_the_selection_at_once() {
    let mut app = app();
    press(&mut app, KeyCode::Char('v'));
    let title = |app: &App| {
        let s = screen(app, 80, 24);
        s.split("Scatter")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(30)
            .collect::<String>()
    };
    app.selection.push(row("king"));
    press(&mut app, KeyCode::Tab); // search
    press(&mut app, KeyCode::Esc);
    // Space in the search list adds the highlighted word.
    press(&mut app, KeyCode::Char('v'));
    for w in ["queen", "man"] {
        press(&mut app, KeyCode::Char('/'));
        drive(&mut app, ctrl('u'));
        typed(&mut app, w);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char(' '));
    }
    press(&mut app, KeyCode::Char('v'));
    assert!(title(&app).contains("3 words"), "{}", title(&app));
    // L loads a list: the plot has the new words at once.
    let dir = tempfile::tempdir().unwrap();
    let list = support::write(dir.path(), "sel.txt", "paris\nfrance\n");
    press(&mut app, KeyCode::Char('L'));
    drive(&mut app, ctrl('u'));
    typed(&mut app, &list.display().to_string());
    press(&mut app, KeyCode::Enter);
    assert!(title(&app).contains("5 words"), "{}", title(&app));
    // x clears it: the plot empties at once.
    press(&mut app, KeyCode::Char('x'));
    assert!(app.scatter.fit().is_none());
    assert!(screen(&app, 80, 24).contains("Space on a word adds it here"));
}

#[test]
fn a_new_space_lays_the_most_frequent_words_out_again() {
    let mut app = app();
    press(&mut app, KeyCode::Char('v'));
    set_field(&mut app, Field::Top, "5");
    assert_eq!(app.scatter.settings().points, Points::Top);
    assert_eq!(app.scatter.fit().unwrap().items().len(), 5);
    // Another file is opened: its most frequent words are laid out without a key.
    let other = clustered(40);
    drive(&mut app, Action::Load(Source::Ready(other)));
    let fit = app.scatter.fit().expect("laid out again on the new space");
    let words: Vec<&str> = fit.items().iter().map(|it| app.word(it.row)).collect();
    assert_eq!(words, ["c0w0", "c1w1", "c2w2", "c3w3", "c4w4"]);
    // The focus's neighbours have no focus in the new space: the hint says what to do.
    set_field(&mut app, Field::Neighbours, "3");
    drive(&mut app, Action::Load(Source::Ready(clustered(30))));
    assert!(app.scatter.fit().is_none());
    let s = screen(&app, 120, 40);
    assert!(s.contains("Enter on a word, then r"), "{s}");
}
