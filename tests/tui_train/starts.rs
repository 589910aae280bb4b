//! How runs start: continuing the open vectors (plain or with subwords) and `embx train --tui`.
use super::{command, corpus, metadata_of, tui_support};
use embx::tui::panels::train::{Field, Mode, Phase, TrainCmd};
use embx::tui::{drive, training_app, Action, App, Command, TrainLaunch};

#[test]
fn continue_the_open_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 400);
    let mut app = tui_support::app();
    let before = app.space.clone().unwrap();
    drive(&mut app, command(TrainCmd::Toggle));
    // With vectors open and no corpus yet, the panel asks for one and offers to continue.
    assert!(app.prompt.is_some());
    assert_eq!(app.train.form().mode(), Mode::Continue);
    app.prompt.as_mut().unwrap().input = path.display().to_string();
    drive(&mut app, Action::Command(Command::PromptAccept));
    tui_support::set_train_field(&mut app, Field::MinCount, "1");
    tui_support::set_train_field(&mut app, Field::Epochs, "2");
    tui_support::set_train_field(&mut app, Field::Threads, "1");
    drive(&mut app, command(TrainCmd::Start));
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    let after = app.space.clone().unwrap();
    assert_eq!(after.dim(), 8, "a continued run keeps the dimensions");
    // The open words keep their rows; the corpus' new words come after them.
    for row in 0..before.len() {
        assert_eq!(after.word(row), before.word(row));
    }
    assert_eq!(after.len(), before.len() + 8, "crown, throne, … are added");
    let king = tui_support::row("king") as usize;
    assert_ne!(after.unit(king), before.unit(king), "king was trained");
    let apple = tui_support::row("apple") as usize;
    assert_eq!(
        after.unit(apple),
        before.unit(apple),
        "apple is not in the corpus"
    );
    assert!(app.name.contains("corpus.txt"), "{}", app.name);
    assert!(!app.train.watch().is_empty());
}

#[test]
fn train_flag_starts_and_writes_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 300);
    let out = dir.path().join("out.fifu");
    let config = embx::train::Config {
        dim: 10,
        min_count: 1,
        epochs: 1,
        threads: 1,
        ..Default::default()
    };
    let (mut app, start) = training_app(
        TrainLaunch {
            corpus: vec![path],
            config,
            output: Some(out.clone()),
            format: None,
            base: None,
        },
        false,
    );
    assert_eq!(app.focus, embx::tui::Panel::Train);
    drive(&mut app, start);
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    assert_eq!(app.space.as_ref().unwrap().len(), 16);
    assert_eq!(app.train.saved(), Some(out.as_path()));
    assert!(metadata_of(&out).contains("completed = true"));
}

#[test]
fn an_nnlm_run_writes_its_language_model_beside_the_vectors() {
    use embx::train::lm::NextWordModel;
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 300);
    let out = dir.path().join("lm.fifu");
    let config = embx::train::Config {
        dim: 10,
        min_count: 1,
        epochs: 1,
        threads: 1,
        nnlm: Some(embx::train::NnlmConfig {
            order: 3,
            hidden: 8,
        }),
        ..Default::default()
    };
    let launch = TrainLaunch {
        corpus: vec![path],
        config,
        output: Some(out.clone()),
        format: None,
        base: None,
    };
    let (mut app, start) = training_app(launch, false);
    drive(&mut app, start);
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    assert_eq!(app.train.saved(), Some(out.as_path()));
    let model =
        embx::train::nnlm::file::load(&dir.path().join("lm.fifu.nnlm.safetensors")).unwrap();
    assert_eq!(model.words().len(), app.space.as_ref().unwrap().len());
    let said = app
        .status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("language model"), "{said}");
    // The analogy line answers `words _` with the run's model.
    assert!(app.language_model.is_some());
    let first = app.space.as_ref().unwrap().word(0).to_string();
    next_word_is_answered(&mut app, &first);
    // Opening the saved file finds its model beside it.
    let mut opened = tui_support::fresh_app();
    let source = embx::tui::Source::File {
        path: out,
        options: Default::default(),
        exact: false,
    };
    drive(&mut opened, Action::Load(source));
    assert!(opened.language_model.is_some(), "{:?}", opened.status);
    next_word_is_answered(&mut opened, &first);
    // Ctrl-T: the Kneser-Ney model counted in the training corpus answers instead, and again:
    // the NNLM.
    drive(&mut opened, tui_support::ctrl('t'));
    let counted = opened
        .query
        .answered_by_ngram()
        .expect("the N-gram model answered");
    assert_eq!(counted.order, 3);
    let model = opened.language_model.as_deref().unwrap();
    let log_p = NextWordModel::log_probabilities(&counted.kn, &model.encode(&[first]));
    let hits = &opened.query.answer().as_ref().unwrap().hits;
    let expected = embx::train::lm::top_k(&log_p, hits.len());
    let got: Vec<(u32, f32)> = hits.iter().map(|h| (h.index, h.score)).collect();
    let want: Vec<(u32, f32)> = expected.iter().map(|&(i, p)| (i, p as f32)).collect();
    assert_eq!(got, want);
    drive(&mut opened, tui_support::ctrl('t'));
    assert!(opened.query.answered_by_ngram().is_none());
}

/// `:` then `WORD _` and Enter: the answer is a list of next words.
fn next_word_is_answered(app: &mut App, word: &str) {
    use crossterm::event::KeyCode;
    tui_support::press(app, KeyCode::Esc);
    tui_support::press(app, KeyCode::Char(':'));
    tui_support::typed(app, &format!("{word} _"));
    tui_support::press(app, KeyCode::Enter);
    let hits = app.query.answer().as_ref().map_or(0, |a| a.hits.len());
    assert!(hits > 0, "{:?}", app.query.error());
    let answer = app.query.answer().as_ref().unwrap();
    let sum: f32 = answer.hits.iter().map(|h| h.score).sum();
    assert!(sum > 0.0 && sum <= 1.0 + 1e-5, "probabilities: {sum}");
}

/// Continuing a space trained with subwords keeps its n-grams and buckets, whatever the form
/// says: the continued space still has the same fastText subword model, and the unknown words'
/// vectors start from the trained buckets.
#[test]
fn continuing_a_subword_space_keeps_its_buckets() {
    use embx::train::{subword, Config, Monitor, ReadOptions, Subwords};
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path(), 400);
    let text = std::fs::read_to_string(&path).unwrap();
    let subwords = Subwords {
        minn: 2,
        maxn: 4,
        buckets: 300,
    };
    let config = Config {
        dim: 8,
        min_count: 1,
        epochs: 1,
        threads: 1,
        subwords: Some(subwords),
        ..Config::default()
    };
    let corpus = embx::train::Corpus::from_text(&text, ReadOptions::default());
    let first = embx::train::train(&corpus, &config, &Monitor::new()).unwrap();
    let mut app = App::new("sub.fifu", false);
    drive(
        &mut app,
        Action::Load(embx::tui::Source::Ready(first.space.clone())),
    );
    drive(&mut app, tui_support::key(crossterm::event::KeyCode::Esc));
    drive(&mut app, command(TrainCmd::Toggle));
    assert_eq!(app.train.form().mode(), Mode::Continue);
    app.prompt.as_mut().unwrap().input = path.display().to_string();
    drive(&mut app, Action::Command(Command::PromptAccept));
    tui_support::set_train_field(&mut app, Field::MinCount, "1");
    tui_support::set_train_field(&mut app, Field::Epochs, "1");
    tui_support::set_train_field(&mut app, Field::Threads, "1");
    // The form holds the subwords the space was trained with, as its metadata records them.
    assert_eq!(app.train.form().config().subwords, Some(subwords));
    drive(&mut app, command(TrainCmd::Start));
    assert_eq!(app.train.phase(), &Phase::Finished { completed: true });
    let after = app.space.clone().unwrap();
    assert_eq!(subword::of_space(&after), Some(subwords));
    assert_eq!(after.len(), first.space.len());
    let embed = |s: &embx::Space| s.subwords().unwrap().embed("queenly").unwrap();
    // Trained on: the buckets moved from where the first run left them, not from scratch.
    let (a, b) = (embed(&first.space), embed(&after));
    let cos = a.iter().zip(&b).map(|(x, y)| x * y).sum::<f32>()
        / (a.iter().map(|x| x * x).sum::<f32>() * b.iter().map(|x| x * x).sum::<f32>()).sqrt();
    assert!(a != b && cos > 0.5, "cosine {cos}");
}
