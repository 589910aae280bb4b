//! `embx layout` through the real binary, on generated clustered vectors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod support;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use support::embx;

/// Three clusters of 30 words (`a0`…, `b0`…, `c0`…) in 8 dimensions, as GloVe text, plus
/// four axis words: `lo`/`hi` along dimension 0 and `down`/`up` along dimension 1.
fn clustered(dir: &Path) -> PathBuf {
    let mut state = 7u64;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let mut text = String::new();
    for i in 0..90 {
        let c = i % 3;
        let name = format!("{}{}", ["a", "b", "c"][c], i / 3);
        text.push_str(&name);
        for d in 0..8 {
            let centre = if d == c + 2 { 3.0 } else { 0.0 };
            let _ = write!(text, " {:.4}", centre + 0.3 * noise());
        }
        text.push('\n');
    }
    for (w, d, s) in [
        ("lo", 0, -1.0),
        ("hi", 0, 1.0),
        ("down", 1, -1.0),
        ("up", 1, 1.0),
    ] {
        text.push_str(w);
        for j in 0..8 {
            let _ = write!(text, " {}", if j == d { s * 4.0 } else { 0.5 });
        }
        text.push('\n');
    }
    let p = dir.join("clusters.txt");
    std::fs::write(&p, text).unwrap();
    p
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap()
}

#[test]
fn tsne_and_umap_write_tsv_keep_neighbours_and_repeat_with_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let file = clustered(dir.path());
    for method in ["tsne", "umap", "pca"] {
        let out = dir.path().join(format!("{method}.tsv"));
        let args = |threads: &str| {
            let mut c = embx();
            c.arg("layout")
                .arg(&file)
                .args(["--top", "90", "--method", method]);
            if method == "tsne" {
                c.args(["--perplexity", "10"]);
            }
            if method != "pca" {
                c.args(["--iterations", "300"]);
            }
            c.args(["--seed", "3", "--threads", threads, "--json", "-q", "-o"])
                .arg(&out);
            c
        };
        let first = args("1").assert().success().get_output().stdout.clone();
        let tsv = std::fs::read_to_string(&out).unwrap();
        let report = json(&first);
        assert_eq!(report["words"], 90);
        let kept = report["kept_neighbours"]["mean"].as_f64().unwrap();
        assert!(kept > 0.3, "{method}: {kept}");
        let lines: Vec<&str> = tsv.lines().collect();
        assert_eq!(lines[0], "word\tx\ty\tkept");
        assert_eq!(lines.len(), 91);
        assert!(lines[1].starts_with("a0\t"));
        args("2").assert().success();
        let again = std::fs::read_to_string(&out).unwrap();
        assert_eq!(
            again, tsv,
            "{method}: same seed, same layout, on 1 or 2 threads"
        );
    }
}

#[test]
fn axes_put_the_axis_words_on_their_sides_and_draw_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let file = clustered(dir.path());
    let out = dir.path().join("axes.tsv");
    embx()
        .arg("layout")
        .arg(&file)
        .args([
            "--words",
            "a1",
            "b1",
            "--method",
            "axes",
            "--x",
            "lo:hi",
            "--y",
            "down:up",
            "--clusters",
            "2",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("kept neighbours:"));
    let tsv = std::fs::read_to_string(&out).unwrap();
    let at = |w: &str| -> (f32, f32) {
        let line = tsv
            .lines()
            .find(|l| l.starts_with(&format!("{w}\t")))
            .unwrap();
        let f: Vec<&str> = line.split('\t').collect();
        (f[1].parse().unwrap(), f[2].parse().unwrap())
    };
    assert!(tsv.lines().next().unwrap().ends_with("\tcluster"));
    assert!(at("hi").0 > at("lo").0 && at("up").1 > at("down").1);
    for ext in ["svg", "png"] {
        let pic = dir.path().join(format!("axes.{ext}"));
        embx()
            .arg("layout")
            .arg(&file)
            .args([
                "--top", "60", "--method", "axes", "--x", "lo:hi", "--y", "down:up", "-q", "-o",
            ])
            .arg(&pic)
            .assert()
            .success();
        assert!(std::fs::metadata(&pic).unwrap().len() > 1000);
    }
}

#[test]
fn pca_pictures_colour_clusters_and_say_what_they_show() {
    let dir = tempfile::tempdir().unwrap();
    let file = clustered(dir.path());
    // --clusters colours the pictures' points.
    let pic = dir.path().join("clusters.svg");
    embx()
        .arg("layout")
        .arg(&file)
        .args([
            "--top",
            "60",
            "--method",
            "pca",
            "--clusters",
            "3",
            "-q",
            "-o",
        ])
        .arg(&pic)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&pic).unwrap();
    let mut fills: Vec<&str> = svg
        .lines()
        .filter(|l| l.starts_with("<circle"))
        .filter_map(|l| l.split("fill=\"").nth(1))
        .collect();
    fills.sort_unstable();
    fills.dedup();
    assert_eq!(fills.len(), 3, "{fills:?}");
    // The picture says what it shows: the method, the words and the file above, and the
    // share of the variance on each principal axis.
    let texts: Vec<&str> = svg.lines().filter(|l| l.starts_with("<text")).collect();
    let name = file.file_name().unwrap().to_string_lossy();
    let title = format!(">PCA of 60 words of {name} · kept neighbours 0.");
    assert!(texts.iter().any(|t| t.contains(&title)), "{texts:?}");
    for pc in [">PC1 (", ">PC2 ("] {
        assert!(texts.iter().any(|t| t.contains(pc)), "{texts:?}");
    }
}

#[test]
fn bad_requests_fail_cleanly_without_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = clustered(dir.path());
    let out = dir.path().join("x.tsv");
    let fail = |extra: &[&str], out: &Path, code: i32| {
        embx()
            .arg("layout")
            .arg(&file)
            .args(extra)
            .arg("-o")
            .arg(out)
            .arg("-q")
            .assert()
            .code(code);
        assert!(!out.exists());
    };
    fail(&["--top", "50", "--method", "axes"], &out, 2);
    fail(
        &[
            "--top", "50", "--method", "axes", "--x", "lo:nope", "--y", "down:up",
        ],
        &out,
        1,
    );
    fail(&["--top", "50", "--perplexity", "80"], &out, 2);
    // t-SNE's settings given to another method.
    fail(
        &["--top", "50", "--method", "pca", "--perplexity", "5"],
        &out,
        2,
    );
    fail(
        &["--top", "50", "--method", "pca", "--iterations", "5"],
        &out,
        2,
    );
    // Axes given to another method are a mistake, not silently dropped.
    fail(&["--top", "50", "--x", "lo:hi", "--y", "down:up"], &out, 2);
    fail(&["--top", "50"], &dir.path().join("x.jpg"), 2);
    fail(&["--neighbours", "zzz"], &out, 1);
    // One word known of the two asked for: no layout of a single point.
    fail(&["--words", "a1", "zzz"], &out, 2);
    let list = dir.path().join("list.txt");
    std::fs::write(&list, b"a1\n\xfe\n").unwrap();
    let o = embx()
        .arg("layout")
        .arg(&file)
        .arg("--list")
        .arg(&list)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("list.txt:2"));
    assert!(!out.exists());
}

#[test]
fn a_few_words_lay_out_with_t_sne_and_no_empty_honesty_figure() {
    let dir = tempfile::tempdir().unwrap();
    let file = clustered(dir.path());
    let out = dir.path().join("few.tsv");
    // The default perplexity (30) is too high for six words: it is lowered, with a note.
    let run = embx()
        .arg("layout")
        .arg(&file)
        .args([
            "--words", "a0", "a1", "a2", "b0", "b1", "b2", "--json", "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        stderr.contains("default perplexity (30) needs more than 6 words"),
        "{stderr}"
    );
    let report = json(&run.get_output().stdout);
    assert_eq!(report["words"], 6);
    // Among six words every word's neighbours are the others: no figure is claimed.
    assert!(report["kept_neighbours"]["mean"].is_null(), "{report}");
    let tsv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(tsv.lines().count(), 7);
    // Nor per word: the TSV has no kept column.
    assert_eq!(tsv.lines().next(), Some("word\tx\ty"));
    assert!(tsv.lines().all(|l| l.split('\t').count() == 3), "{tsv}");
}
