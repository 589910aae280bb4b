//! The fonts of the PNG export.
//!
//! Text is drawn with the bundled DejaVu Sans (Latin, Greek, Cyrillic, …). A label with
//! characters DejaVu Sans lacks (Chinese, Japanese, Korean) is drawn whole with the font that
//! has most of them: a system font with CJK glyphs, found once through `fontdb` in
//! fontconfig's folders, or else the bundled subset of WenQuanYi Micro Hei (7,599 characters:
//! the 3,500 most frequent hanzi, JIS level-1 kanji, KS X 1001 Hangul, kana, and printable
//! ASCII for mixed labels such as "北京 beijing"; 571,023 bytes gzipped in the binary, unpacked
//! on first use). `EMBX_CJK_FONT` names a font file to use
//! instead of the system search, or `bundled` to skip it.
//!
//! Plotters draws with fonts registered by name, which must live for the whole process:
//! the font chosen is read once and kept.
use ab_glyph::{Font, FontRef};
use plotters::style::FontStyle;
use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The family name DejaVu Sans is registered under.
pub(super) const LATIN: &str = "embx-sans";
const SYSTEM_CJK: &str = "embx-cjk-system";
const BUNDLED_CJK: &str = "embx-cjk-bundled";

static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static CJK_SUBSET_GZ: &[u8] = include_bytes!("../../../assets/fonts/cjk-subset.ttf.gz");

/// Characters a CJK font is tried on (Chinese, Japanese, Korean).
const PROBE: &str = "中国的是日本語あア한국";

/// A font registered with plotters, and its glyph table.
struct Face {
    family: &'static str,
    font: FontRef<'static>,
}

impl Face {
    /// Parses `bytes` and registers them as `family`; `None` when they are not a font.
    fn register(family: &'static str, bytes: &'static [u8]) -> Option<Face> {
        let font = FontRef::try_from_slice(bytes).ok()?;
        plotters::style::register_font(family, FontStyle::Normal, bytes).ok()?;
        Some(Face { family, font })
    }

    fn covers(&self, c: char) -> bool {
        c.is_whitespace() || c.is_control() || self.font.glyph_id(c).0 != 0
    }

    fn coverage(&self, text: &str) -> usize {
        text.chars().filter(|&c| self.covers(c)).count()
    }
}

fn latin() -> &'static Option<Face> {
    static LATIN_FACE: OnceLock<Option<Face>> = OnceLock::new();
    LATIN_FACE.get_or_init(|| Face::register(LATIN, DEJAVU_SANS))
}

/// The CJK fonts in order of preference: the system's (when one is found), the bundled one.
fn cjk() -> &'static [Face] {
    static CJK: OnceLock<Vec<Face>> = OnceLock::new();
    CJK.get_or_init(|| {
        let system = system_cjk_bytes().and_then(|b| Face::register(SYSTEM_CJK, b));
        let bundled = bundled_cjk().and_then(|b| Face::register(BUNDLED_CJK, b));
        system.into_iter().chain(bundled).collect()
    })
}

/// Registers DejaVu Sans (once); the CJK fonts wait for the first label that needs them.
pub(super) fn register() {
    let _ = latin();
}

/// The family to draw `text` with: DejaVu Sans when it has every character, else the font
/// that has the most of them (the system's CJK font before the bundled one on a tie).
pub(super) fn family_for(text: &str) -> &'static str {
    pick(text).0
}

/// True when one of the fonts has every character of `text` (else some show as boxes).
pub(super) fn drawable(text: &str) -> bool {
    pick(text).1
}

/// The family for `text` (see [`family_for`]) and whether it has every character.
fn pick(text: &str) -> (&'static str, bool) {
    let need = text.chars().count();
    let Some(latin) = latin() else {
        return (LATIN, false);
    };
    let have = latin.coverage(text);
    if have == need {
        return (LATIN, true);
    }
    let mut best = (have, LATIN);
    for face in cjk() {
        let n = face.coverage(text);
        if n > best.0 {
            best = (n, face.family);
        }
    }
    (best.1, best.0 == need)
}

/// The labels of `plot` that have characters none of the fonts has (drawn as boxes where
/// they are drawn), each once, in the order of the points.
pub fn undrawable_labels(plot: &super::Plot) -> Vec<String> {
    register();
    let mut seen = std::collections::HashSet::new();
    plot.points
        .iter()
        .map(|p| super::printable(&p.label))
        .filter(|l| !drawable(l) && seen.insert(l.clone()))
        .collect()
}

/// A note for labels that [`undrawable_labels`] found, naming a few; `None` when there are
/// none.
pub fn undrawable_note(plot: &super::Plot) -> Option<String> {
    let missing = undrawable_labels(plot);
    let (n, few) = (missing.len(), missing.iter().take(5).cloned());
    (n > 0).then(|| {
        format!(
            "{n} label{} in the PNG {} characters no font here has, drawn as boxes ({}{}); a system CJK font (fonts-noto-cjk, fonts-wqy-microhei) draws them",
            if n == 1 { "" } else { "s" },
            if n == 1 { "has" } else { "have" },
            few.collect::<Vec<_>>().join(", "),
            if n > 5 { ", …" } else { "" }
        )
    })
}

fn leak(bytes: Vec<u8>) -> &'static [u8] {
    Vec::leak(bytes)
}

/// The bundled subset, unpacked.
fn bundled_cjk() -> Option<&'static [u8]> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(CJK_SUBSET_GZ)
        .read_to_end(&mut out)
        .ok()?;
    Some(leak(out))
}

/// The bytes of the system's CJK font (or of `EMBX_CJK_FONT`), when there is one.
fn system_cjk_bytes() -> Option<&'static [u8]> {
    let path = match std::env::var_os("EMBX_CJK_FONT") {
        Some(v) if v == "bundled" || v.is_empty() => return None,
        Some(v) => PathBuf::from(v),
        None => {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            best_cjk(&db)?
        }
    };
    std::fs::read(path).ok().map(leak)
}

/// The file of the most suitable CJK face in `db`: one that has the most [`PROBE`]
/// characters (at least the Chinese ones), then regular upright proportional faces first.
/// Only the first face of a collection can be drawn (plotters loads face 0).
fn best_cjk(db: &fontdb::Database) -> Option<PathBuf> {
    let mut best: Option<((usize, bool, bool, u16), PathBuf)> = None;
    for face in db.faces() {
        let fontdb::Source::File(path) = &face.source else {
            continue;
        };
        if face.index != 0 {
            continue;
        }
        let covered = db
            .with_face_data(face.id, |data, index| {
                let font = FontRef::try_from_slice_and_index(data, index).ok()?;
                Some(PROBE.chars().filter(|&c| font.glyph_id(c).0 != 0).count())
            })
            .flatten()
            .unwrap_or(0);
        if covered < 2 {
            continue;
        }
        let rank = (
            covered,
            face.style == fontdb::Style::Normal,
            !face.monospaced,
            u16::MAX - face.weight.0.abs_diff(fontdb::Weight::NORMAL.0),
        );
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, path.clone()));
        }
    }
    best.map(|(_, p)| p)
}

/// Fonts in the folder `dir` (tests).
#[cfg(test)]
fn best_cjk_in(dir: &std::path::Path) -> Option<PathBuf> {
    let mut db = fontdb::Database::new();
    db.load_fonts_dir(dir);
    best_cjk(&db)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    /// `text` drawn in `family` on a small white bitmap.
    fn pixels(text: &str, family: &str) -> Vec<u8> {
        let (w, h) = (200u32, 40u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            let style = TextStyle::from((family, 24.0).into_font()).color(&BLACK);
            root.draw_text(text, &style, (4, 4)).unwrap();
            root.present().unwrap();
        }
        buf
    }

    fn inked(p: &[u8]) -> usize {
        p.chunks(3).filter(|px| px != &[255, 255, 255]).count()
    }

    #[test]
    fn labels_pick_a_font_that_has_their_characters() {
        assert_eq!(family_for("king"), LATIN);
        assert_eq!(family_for("Ελλάδα café"), LATIN);
        for cjk in [
            "北京",
            "東京",
            "日本語",
            "한국어",
            "カタカナ",
            "北京 beijing",
        ] {
            assert_ne!(family_for(cjk), LATIN, "{cjk}");
        }
    }

    #[test]
    fn cjk_labels_are_glyphs_not_boxes() {
        register();
        // DejaVu Sans has no CJK glyphs: every character is the same missing-glyph box, so
        // two different words of the same length draw the same pixels.
        assert_eq!(pixels("北京", LATIN), pixels("东京", LATIN));
        let family = family_for("北京");
        assert_eq!(family, family_for("东京"));
        let (a, b) = (pixels("北京", family), pixels("东京", family));
        assert_ne!(a, b, "real glyphs differ");
        assert_ne!(a, pixels("北京", LATIN));
        assert!(inked(&a) > 100, "{}", inked(&a));
    }

    #[test]
    fn the_bundled_subset_has_common_cjk_characters() {
        let face = Face {
            family: BUNDLED_CJK,
            font: FontRef::try_from_slice(bundled_cjk().unwrap()).unwrap(),
        };
        // With everyday characters of technical text (栈 "stack", 栅 "grid", 帧 "frame") that
        // the 3,500 most frequent of jieba's dictionary missed: the subset has all of GB 2312.
        let text = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年北京上海东京日本語ひらがなカタカナ한국어서울。、「」！栈栅帧";
        let missing: String = text.chars().filter(|&c| !face.covers(c)).collect();
        assert!(missing.is_empty(), "missing {missing}");
        assert!(!face.covers('\u{4DB5}'), "a rare character is left out");
        assert!(drawable("栈中 stack") && drawable("king"));
        // A character of CJK extension A: neither DejaVu Sans nor the subset has it (a system
        // CJK font may: then the label is drawable).
        assert_eq!(
            drawable("\u{4DB5}"),
            cjk().iter().any(|f| f.covers('\u{4DB5}'))
        );
        assert_eq!(face.coverage(PROBE), PROBE.chars().count());
    }

    #[test]
    fn a_cjk_font_is_found_among_installed_fonts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("DejaVuSans.ttf"), DEJAVU_SANS).unwrap();
        assert_eq!(
            best_cjk_in(dir.path()),
            None,
            "DejaVu Sans is not a CJK font"
        );
        let cjk = dir.path().join("subset.ttf");
        std::fs::write(&cjk, bundled_cjk().unwrap()).unwrap();
        assert_eq!(best_cjk_in(dir.path()), Some(cjk));
    }
}
