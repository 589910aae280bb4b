//! The scatter plot of [`svg`](super::svg) as a PNG picture, drawn with plotters' bitmap
//! backend and the bundled DejaVu Sans (through ab_glyph: no system font libraries).
//!
//! CJK labels, which DejaVu Sans lacks, are drawn with a system CJK font or a bundled
//! subset (see the `fonts` module).
mod fonts;
pub use fonts::{undrawable_labels, undrawable_note};

use super::labels::{place_around, Label, Layout, Rect};
use super::svg::{frame, Plot};
use crate::error::{Error, Result};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// Picture size in pixels (the SVG's 800 × 600 scaled by 1.5).
pub const WIDTH: u32 = 1200;
/// Height of the picture in pixels.
pub const HEIGHT: u32 = 900;
const SCALE: f64 = 1.5;
const MARGIN: f64 = 60.0 * SCALE;

const AXIS: RGBColor = RGBColor(0xbb, 0xbb, 0xbb);
const TITLE: RGBColor = RGBColor(0x55, 0x55, 0x55);
const ARROW: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
const POINT: RGBColor = RGBColor(0x2c, 0x3e, 0x90);
const POINT_FAINT: RGBColor = RGBColor(0xaa, 0xaa, 0xbb);
const LABEL: RGBColor = RGBColor(0x11, 0x11, 0x11);
const LABEL_FAINT: RGBColor = RGBColor(0x88, 0x88, 0x99);

fn draw_error(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("could not draw the PNG: {e}"))
}

/// Labels as drawn: tabs as spaces, other control characters (which have no glyph) shown as
/// `\u{…}` like the SVG.
fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\t' {
            out.push(' ');
        } else if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The plot as raw RGB pixels, `WIDTH` × `HEIGHT` × 3 bytes, row by row.
pub fn rasterize(plot: &Plot) -> Result<Vec<u8>> {
    draw(plot).map(|(pixels, _)| pixels)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// Where plot coordinates land on the picture.
struct Frame {
    cx: f64,
    cy: f64,
    scale: f64,
}

impl Frame {
    /// Plot coordinates to picture coordinates (y grows downwards).
    fn at(&self, p: [f32; 2]) -> (f64, f64) {
        (
            self.cx + p[0] as f64 * self.scale,
            self.cy - p[1] as f64 * self.scale,
        )
    }

    /// Picture coordinates to pixels. Non-finite coordinates (never produced by a fit) are
    /// clamped off the picture.
    fn px((x, y): (f64, f64)) -> (i32, i32) {
        let clamp = |v: f64| {
            if v.is_finite() {
                v.round().clamp(-1e6, 1e6) as i32
            } else {
                -1_000_000
            }
        };
        (clamp(x), clamp(y))
    }
}

/// A text style in the font that has the text's characters (CJK labels in a CJK font).
fn font(text: &str, size: f64, color: &'static RGBColor) -> TextStyle<'static> {
    TextStyle::from((fonts::family_for(text), size * SCALE).into_font()).color(color)
}

/// The pixels, and the box each point's label was drawn in (`None`: left out).
fn draw(plot: &Plot) -> Result<(Vec<u8>, Vec<Option<Rect>>)> {
    fonts::register();
    let (w, h) = (WIDTH as f64, HEIGHT as f64);
    let (x0, x1, y0, y1, scale) = frame(plot, w, h, MARGIN);
    let frame = Frame {
        cx: w / 2.0 - (x0 + x1) / 2.0 * scale,
        cy: h / 2.0 + (y0 + y1) / 2.0 * scale,
        scale,
    };
    let mut buf = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
    let boxes;
    {
        let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let titles = draw_axes(&root, plot, &frame)?;
        draw_arrows(&root, plot, &frame)?;
        boxes = draw_points(&root, plot, &frame, &titles)?;
        root.present().map_err(draw_error)?;
    }
    Ok((buf, boxes))
}

/// The axes through the centroid (the origin of a centred PCA), their titles and the plot's
/// title above; returns the titles' boxes, which labels keep clear of.
fn draw_axes(root: &Area<'_>, plot: &Plot, frame: &Frame) -> Result<[Rect; 3]> {
    let (ox, oy) = Frame::px(frame.at([0.0, 0.0]));
    let (m, wi, hi) = ((MARGIN / 2.0) as i32, WIDTH as i32, HEIGHT as i32);
    let axis = ShapeStyle::from(&AXIS).stroke_width(SCALE as u32);
    root.draw(&PathElement::new(vec![(m, oy), (wi - m, oy)], axis))
        .map_err(draw_error)?;
    root.draw(&PathElement::new(vec![(ox, m), (ox, hi - m)], axis))
        .map_err(draw_error)?;
    let title_size = |t: &str| {
        root.estimate_text_size(&printable(t), &font(t, 13.0, &TITLE))
            .map_or((0.0, 0.0), |(w, h)| (f64::from(w), f64::from(h)))
    };
    let ((xw, xh), (yw, yh)) = (title_size(&plot.x_title), title_size(&plot.y_title));
    let (tw, th) = title_size(&plot.title);
    let top = (8.0 * SCALE) as i32;
    root.draw_text(
        &printable(&plot.title),
        &font(&plot.title, 13.0, &TITLE).pos(Pos::new(HPos::Center, VPos::Top)),
        (wi / 2, top),
    )
    .map_err(draw_error)?;
    let xb = f64::from(hi) - 12.0 * SCALE;
    root.draw_text(
        &printable(&plot.x_title),
        &font(&plot.x_title, 13.0, &TITLE).pos(Pos::new(HPos::Right, VPos::Bottom)),
        (wi - 15, hi - (12.0 * SCALE) as i32),
    )
    .map_err(draw_error)?;
    root.draw_text(
        &printable(&plot.y_title),
        &font(&plot.y_title, 13.0, &TITLE).pos(Pos::new(HPos::Left, VPos::Bottom)),
        (18, (22.0 * SCALE) as i32),
    )
    .map_err(draw_error)?;
    Ok([
        Rect::at(f64::from(wi) - 15.0 - xw, xb - xh, xw, xh),
        Rect::at(18.0, 22.0 * SCALE - yh, yw, yh),
        Rect::at(f64::from(wi) / 2.0 - tw / 2.0, f64::from(top), tw, th),
    ])
}

/// The points, then their labels where they fit (clear of each other, the points and the
/// titles); returns the box each label was drawn in.
fn draw_points(
    root: &Area<'_>,
    plot: &Plot,
    frame: &Frame,
    titles: &[Rect],
) -> Result<Vec<Option<Rect>>> {
    let points: Vec<(f64, f64)> = plot.points.iter().map(|p| frame.at(p.at)).collect();
    for (i, &(x, y)) in points.iter().enumerate() {
        let rgb = |c: RGBColor| (c.0, c.1, c.2);
        let (r, g, b) = plot.point_rgb(i, rgb(POINT), rgb(POINT_FAINT));
        let fill = RGBColor(r, g, b);
        root.draw(&Circle::new(
            Frame::px((x, y)),
            (4.0 * SCALE) as i32,
            fill.filled(),
        ))
        .map_err(draw_error)?;
    }
    let style = |text: &str, faint: bool| {
        font(text, 13.0, if faint { &LABEL_FAINT } else { &LABEL })
            .pos(Pos::new(HPos::Left, VPos::Top))
    };
    let labels: Vec<Label> = plot
        .points
        .iter()
        .zip(&points)
        .map(|(p, &(x, y))| {
            let text = printable(&p.label);
            let size = root.estimate_text_size(&text, &style(&text, p.faint));
            let (w, h) = match size {
                Ok((w, h)) if !text.is_empty() => (f64::from(w), f64::from(h)),
                _ => (f64::NAN, f64::NAN),
            };
            Label {
                anchor: [x, y],
                width: w + 2.0,
                height: h + 2.0,
                priority: p.priority(),
            }
        })
        .collect();
    let layout = Layout {
        bounds: Rect::at(2.0, 2.0, WIDTH as f64 - 4.0, HEIGHT as f64 - 4.0),
        gap: 6.0 * SCALE,
        marker: 4.0 * SCALE,
        spacing: 5.0 * SCALE,
    };
    let boxes = place_around(&labels, &layout, titles);
    for (p, b) in plot.points.iter().zip(&boxes) {
        let Some(b) = b else { continue };
        root.draw_text(
            &printable(&p.label),
            &style(&p.label, p.faint),
            Frame::px((b.x0 + 1.0, b.y0 + 1.0)),
        )
        .map_err(draw_error)?;
    }
    Ok(boxes)
}

/// The analogy arrows: a shaft ending at the tip of a filled head.
fn draw_arrows(root: &Area<'_>, plot: &Plot, frame: &Frame) -> Result<()> {
    let px = Frame::px;
    let shaft = ShapeStyle::from(&ARROW).stroke_width(2);
    for (a, b) in &plot.arrows {
        let ((ax, ay), (bx, by)) = (frame.at(*a), frame.at(*b));
        let (dx, dy) = (bx - ax, by - ay);
        let len = (dx * dx + dy * dy).sqrt();
        if !len.is_finite() || len < 1e-9 {
            continue;
        }
        let (ux, uy) = (dx / len, dy / len);
        let head = (15.0f64).min(len);
        let (hx, hy) = (bx - ux * head, by - uy * head);
        root.draw(&PathElement::new(vec![px((ax, ay)), px((hx, hy))], shaft))
            .map_err(draw_error)?;
        let half = head * 0.45;
        let tri = vec![
            px((bx, by)),
            px((hx - uy * half, hy + ux * half)),
            px((hx + uy * half, hy - ux * half)),
        ];
        root.draw(&Polygon::new(tri, ARROW.filled()))
            .map_err(draw_error)?;
    }
    Ok(())
}

/// The plot as a PNG file's bytes.
pub fn render(plot: &Plot) -> Result<Vec<u8>> {
    let pixels = rasterize(plot)?;
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_compression(::png::Compression::Default);
    let mut writer = encoder.write_header().map_err(draw_error)?;
    writer.write_image_data(&pixels).map_err(draw_error)?;
    writer.finish().map_err(draw_error)?;
    Ok(out)
}

/// Renders the plot and writes it to `path` as a PNG, atomically.
pub fn write(plot: &Plot, path: &Path) -> Result<()> {
    let bytes = render(plot)?;
    crate::io::atomic_write(path, |w| {
        use std::io::Write;
        w.write_all(&bytes).map_err(|e| Error::io(path, e))
    })
}

#[cfg(test)]
mod tests;
