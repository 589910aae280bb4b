//! Every writable format converted to every other one: vocabulary order, vectors (to float
//! tolerance) and, between finalfusion files, metadata are preserved.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::io::{load, save, LoadOptions, SaveOptions};
use embx::{Format, Space};
use std::path::Path;

const WRITABLE: [Format; 5] = [
    Format::Fifu,
    Format::Word2VecBinary,
    Format::Word2VecText,
    Format::Glove,
    Format::FastTextVec,
];

/// A small space with ASCII, CJK and accented words and varied magnitudes.
fn fixture(dir: &Path) -> Space {
    let words = ["the", "king", "queen", "北京", "巴黎", "café", "naïve", "x"];
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        let vals: Vec<String> = (0..7)
            .map(|d| {
                let v = ((i * 7 + d * 3) % 11) as f32 - 5.0;
                (v * 0.37 * (1.0 + i as f32)).to_string()
            })
            .collect();
        text.push_str(&format!("{w} {}\n", vals.join(" ")));
    }
    let p = dir.join("fixture.txt");
    std::fs::write(&p, text).unwrap();
    load(&p, &LoadOptions::default()).unwrap().space
}

fn same(a: &Space, b: &Space, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: rows");
    assert_eq!(a.dim(), b.dim(), "{what}: dims");
    for i in 0..a.len() {
        assert_eq!(a.word(i), b.word(i), "{what}: word {i}");
        for (x, y) in a.vector(i).iter().zip(b.vector(i)) {
            assert!(
                (x - y).abs() <= 1e-5 * x.abs().max(1.0),
                "{what}: row {i}: {x} vs {y}"
            );
        }
    }
}

#[test]
fn every_pair_of_formats_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let original = fixture(dir.path());
    for from in WRITABLE {
        let a = dir.path().join(format!("a.{}", from.name()));
        save(
            &original,
            &a,
            &SaveOptions {
                format: from,
                progress: None,
            },
        )
        .unwrap();
        let first = load(&a, &LoadOptions::default()).unwrap();
        assert!(first.warnings.is_empty(), "{from}: {:?}", first.warnings);
        let sniffed = first.space.source().format;
        let expect = if from == Format::FastTextVec {
            Format::Word2VecText
        } else {
            from
        };
        assert!(
            sniffed == from || sniffed == expect,
            "{from} sniffed as {sniffed}"
        );
        same(&original, &first.space, from.name());
        for to in WRITABLE {
            let b = dir.path().join(format!("b.{}.{}", from.name(), to.name()));
            save(
                &first.space,
                &b,
                &SaveOptions {
                    format: to,
                    progress: None,
                },
            )
            .unwrap();
            let back = load(
                &b,
                &LoadOptions {
                    format: Some(to),
                    ..Default::default()
                },
            )
            .unwrap()
            .space;
            same(&original, &back, &format!("{from} -> {to}"));
        }
    }
}

#[test]
fn fifu_metadata_survives_conversion_between_fifu_files() {
    let dir = tempfile::tempdir().unwrap();
    let demo = embx::demo::load().unwrap().space;
    let p = dir.path().join("demo.fifu");
    save(
        &demo,
        &p,
        &SaveOptions {
            format: Format::Fifu,
            progress: None,
        },
    )
    .unwrap();
    let back = load(&p, &LoadOptions::default()).unwrap().space;
    assert_eq!(back.source().metadata, demo.source().metadata);
    assert!(back.source().metadata.as_deref().unwrap().contains("PDDL"));
    same(&demo, &back, "demo");
}

/// Every format read from a gzip-compressed file (as fastText ships `cc.*.vec.gz`) gives the
/// same space; a cut compressed file is an error that names it.
#[test]
fn every_format_reads_gzip_compressed() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let original = fixture(dir.path());
    for format in WRITABLE {
        let plain = dir.path().join(format!("z.{}", format.name()));
        let options = SaveOptions {
            format,
            progress: None,
        };
        save(&original, &plain, &options).unwrap();
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&std::fs::read(&plain).unwrap()).unwrap();
        let packed = z.finish().unwrap();
        let gz = dir.path().join(format!("z.{}.gz", format.name()));
        std::fs::write(&gz, &packed).unwrap();
        let back = load(&gz, &LoadOptions::default()).unwrap().space;
        same(&original, &back, &format!("{format}.gz"));
        let cut = dir.path().join(format!("cut.{}.gz", format.name()));
        std::fs::write(&cut, &packed[..packed.len() / 2]).unwrap();
        let e = load(&cut, &LoadOptions::default()).unwrap_err().to_string();
        assert!(e.contains("cut.") && e.contains("gzip"), "{e}");
    }
}
