//! Custom axes: x along vec(B) − vec(A), y along vec(D) − vec(C), made orthogonal
//! (Gram–Schmidt: y loses its part along x). A word's position is the projection of its unit
//! vector on the two directions, as in the Embedding Projector's custom projection.
use super::rows::Rows;
use crate::error::{Error, Result};
use crate::space::Space;

/// Two orthonormal directions in the space, with the words that define them.
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    /// Unit direction of x.
    pub x: Vec<f32>,
    /// Unit direction of y, orthogonal to x.
    pub y: Vec<f32>,
    /// (A, B) of x = B − A and (C, D) of y = D − C.
    pub words: [[String; 2]; 2],
}

/// Below this length a difference has no direction.
const FLAT: f64 = 1e-6;

impl Axes {
    /// The axes' titles: `A → B` and `C → D`.
    pub fn titles(&self) -> [String; 2] {
        self.words
            .clone()
            .map(|[from, to]| format!("{from} → {to}"))
    }

    /// The axes x = B − A, y = D − C over the unit vectors of the four words (subword
    /// vectors for unknown words where the space has them).
    pub fn new(space: &Space, x: [&str; 2], y: [&str; 2]) -> Result<Self> {
        let unit = |w: &str| -> Result<Vec<f64>> {
            let l = crate::query::resolve(space, w)?;
            Ok(space.lookup_unit(&l).iter().map(|&v| v as f64).collect())
        };
        let diff = |[a, b]: [&str; 2]| -> Result<Vec<f64>> {
            Ok(unit(b)?.iter().zip(unit(a)?).map(|(b, a)| b - a).collect())
        };
        let dx = diff(x)?;
        let mut dy = diff(y)?;
        let nx = norm(&dx);
        if nx < FLAT {
            return Err(Error::Invalid(format!(
                "the x axis {} → {} has no direction",
                x[0], x[1]
            )));
        }
        let ux: Vec<f64> = dx.iter().map(|v| v / nx).collect();
        let along: f64 = dy.iter().zip(&ux).map(|(a, b)| a * b).sum();
        dy.iter_mut().zip(&ux).for_each(|(v, u)| *v -= along * u);
        let ny = norm(&dy);
        if ny < FLAT {
            return Err(Error::Invalid(format!(
                "the y axis {} → {} is parallel to the x axis",
                y[0], y[1]
            )));
        }
        Ok(Axes {
            x: ux.iter().map(|&v| v as f32).collect(),
            y: dy.iter().map(|v| (v / ny) as f32).collect(),
            words: [x.map(str::to_string), y.map(str::to_string)],
        })
    }

    /// The position of every row: (row · x, row · y).
    pub fn project(&self, rows: &Rows) -> Result<Vec<[f32; 2]>> {
        if rows.dim() != self.x.len() && !rows.is_empty() {
            return Err(Error::Invalid(
                "the axes and the words differ in dimension".into(),
            ));
        }
        Ok((0..rows.len())
            .map(|i| {
                let r = rows.row(i);
                [dot(r, &self.x), dot(r, &self.y)]
            })
            .collect())
    }
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (*x as f64) * (*y as f64))
        .sum::<f64>() as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_util::space;

    #[test]
    fn known_words_land_on_the_right_side() {
        // Dimension 0 is gender (man −, woman +), dimension 1 is valence (bad −, good +).
        let s = space(&[
            ("man", &[-1.0, 0.0, 1.0, 0.2]),
            ("woman", &[1.0, 0.0, 1.0, 0.2]),
            ("bad", &[0.0, -1.0, 1.0, 0.3]),
            ("good", &[0.3, 1.0, 1.0, 0.3]),
            ("queen", &[0.9, 0.5, 1.0, 0.0]),
            ("thief", &[-0.8, -0.9, 1.0, 0.1]),
        ]);
        let axes = Axes::new(&s, ["man", "woman"], ["bad", "good"]).unwrap();
        let xy: f32 = axes.x.iter().zip(&axes.y).map(|(a, b)| a * b).sum();
        assert!(xy.abs() < 1e-6);
        let rows = Rows::from_space(&s, &[0, 1, 2, 3, 4, 5]).unwrap();
        let p = axes.project(&rows).unwrap();
        assert!(p[1][0] > p[0][0], "woman right of man");
        assert!(p[3][1] > p[2][1], "good above bad");
        assert!(
            p[4][0] > 0.0 && p[4][1] > p[5][1],
            "queen: female side, above thief"
        );
        assert!(p[5][0] < 0.0, "thief on the male side here");
        assert!(matches!(
            Axes::new(&s, ["man", "man"], ["bad", "good"]),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            Axes::new(&s, ["man", "woman"], ["man", "woman"]),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            Axes::new(&s, ["man", "nope"], ["bad", "good"]),
            Err(Error::UnknownWord { .. })
        ));
    }
}
