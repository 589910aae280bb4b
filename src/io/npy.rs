//! NumPy arrays: `.npy` files, and the raw arrays that pickles of `numpy.ndarray` carry.
//!
//! An `.npy` file is the magic `\x93NUMPY`, a version, a header length, a header that is a
//! Python dict literal (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }`) and
//! the raw values.
use crate::error::{Location, Result};
use std::path::Path;

/// The element type of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    /// IEEE half precision (`f2`).
    F16,
    /// IEEE single precision (`f4`).
    F32,
    /// IEEE double precision (`f8`).
    F64,
    /// Signed integer of this many bytes (1, 2, 4 or 8; `i1` … `i8`).
    Int(u8),
    /// Unsigned integer of this many bytes (1, 2, 4 or 8; `u1` … `u8`).
    UInt(u8),
}

impl Dtype {
    /// Parses a NumPy type string such as `<f4`, `|u1` or `f8` (byte order, kind, size).
    /// Returns the type and whether it is big-endian.
    pub fn parse(descr: &str) -> Option<(Dtype, bool)> {
        let (big, rest) = match descr.as_bytes().first()? {
            b'<' | b'|' | b'=' => (false, &descr[1..]),
            b'>' => (true, &descr[1..]),
            _ => (false, descr),
        };
        let kind = rest.chars().next()?;
        let size: u8 = rest.get(1..)?.parse().ok()?;
        let t = match (kind, size) {
            ('f', 2) => Dtype::F16,
            ('f', 4) => Dtype::F32,
            ('f', 8) => Dtype::F64,
            ('i', 1 | 2 | 4 | 8) => Dtype::Int(size),
            ('u', 1 | 2 | 4 | 8) => Dtype::UInt(size),
            _ => return None,
        };
        Some((t, big && size > 1))
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            Dtype::F16 => 2,
            Dtype::F32 => 4,
            Dtype::F64 => 8,
            Dtype::Int(n) | Dtype::UInt(n) => usize::from(n),
        }
    }
}

/// A view of an array's values in some bytes.
#[derive(Debug, Clone)]
pub struct ArrayView<'a> {
    /// The element type.
    pub dtype: Dtype,
    /// True when multi-byte elements are stored big-endian (`>` in the type string).
    pub big_endian: bool,
    /// The length of each dimension, outermost first (empty for a scalar).
    pub shape: Vec<usize>,
    /// True when the values are in column-major (Fortran) order.
    pub fortran: bool,
    /// The raw element bytes, following the header.
    pub data: &'a [u8],
}

impl ArrayView<'_> {
    /// The number of elements the shape claims, if it does not overflow.
    pub fn elements(&self) -> Option<usize> {
        self.shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d))
    }

    /// Checks that the data holds exactly the values the shape claims; the error text says
    /// what does not match.
    pub fn check(&self) -> std::result::Result<(), String> {
        let want = self
            .elements()
            .and_then(|n| n.checked_mul(self.dtype.size()));
        match want {
            Some(n) if n == self.data.len() => Ok(()),
            Some(n) => Err(format!(
                "an array of shape {:?} needs {n} bytes of values but has {}",
                self.shape,
                self.data.len()
            )),
            None => Err(format!("an array of shape {:?} is too large", self.shape)),
        }
    }

    fn raw(&self, i: usize) -> u64 {
        let n = self.dtype.size();
        let b = &self.data[i * n..(i + 1) * n];
        let fold = |a: u64, &x: &u8| (a << 8) | u64::from(x);
        if self.big_endian {
            b.iter().fold(0, fold)
        } else {
            b.iter().rev().fold(0, fold)
        }
    }

    fn f64_at(&self, i: usize) -> f64 {
        let v = self.raw(i);
        match self.dtype {
            Dtype::F16 => f64::from(f16_to_f32(v as u16)),
            Dtype::F32 => f64::from(f32::from_bits(v as u32)),
            Dtype::F64 => f64::from_bits(v),
            Dtype::Int(n) => {
                let shift = 64 - 8 * u32::from(n);
                (((v << shift) as i64) >> shift) as f64
            }
            Dtype::UInt(_) => v as f64,
        }
    }

    /// The values as `f32`, row-major (a Fortran-ordered 2-D array is transposed back).
    /// Call [`check`](Self::check) first.
    pub fn to_f32(&self) -> Vec<f32> {
        let n = self.elements().unwrap_or(0);
        if self.dtype == Dtype::F32 && !self.big_endian && !self.fortran {
            return self
                .data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
        }
        if self.fortran && self.shape.len() == 2 {
            let (rows, cols) = (self.shape[0], self.shape[1]);
            let mut out = vec![0f32; n];
            for c in 0..cols {
                for r in 0..rows {
                    out[r * cols + c] = self.f64_at(c * rows + r) as f32;
                }
            }
            return out;
        }
        (0..n).map(|i| self.f64_at(i) as f32).collect()
    }

    /// The values as non-negative integers (counts), or `None` if the type is not an
    /// integer type or a value is negative. Call [`check`](Self::check) first.
    pub fn to_counts(&self) -> Option<Vec<u64>> {
        let n = self.elements()?;
        match self.dtype {
            Dtype::UInt(_) => Some((0..n).map(|i| self.raw(i)).collect()),
            Dtype::Int(_) => (0..n)
                .map(|i| {
                    let v = self.f64_at(i);
                    (v >= 0.0).then_some(v as u64)
                })
                .collect(),
            _ => None,
        }
    }
}

fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h >> 15) << 31;
    let exp = u32::from((h >> 10) & 0x1f);
    let frac = u32::from(h & 0x3ff);
    let bits = match (exp, frac) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: value = frac × 2^-24.
            let v = frac as f32 * (1.0 / 16_777_216.0);
            return if sign != 0 { -v } else { v };
        }
        (0x1f, _) => sign | 0x7f80_0000 | (frac << 13),
        _ => sign | ((exp + 112) << 23) | (frac << 13),
    };
    f32::from_bits(bits)
}

/// Parses the `.npy` file in `bytes`; errors name `path` and the byte offset.
pub fn parse<'a>(path: &Path, bytes: &'a [u8]) -> Result<ArrayView<'a>> {
    let err = |at: usize, m: String| crate::Error::format(path, Location::Offset(at as u64), m);
    if !bytes.starts_with(b"\x93NUMPY") || bytes.len() < 10 {
        return Err(err(0, "not a NumPy .npy file (no \\x93NUMPY magic)".into()));
    }
    let major = bytes[6];
    let (len, start): (usize, usize) = match major {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        2 | 3 => {
            let Some(b) = bytes.get(8..12) else {
                return Err(err(8, "truncated .npy header".into()));
            };
            (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, 12)
        }
        v => return Err(err(6, format!("unsupported .npy version {v}"))),
    };
    let Some(header) = bytes.get(start..start.saturating_add(len)) else {
        return Err(err(
            start,
            format!("truncated: the header claims {len} bytes"),
        ));
    };
    let header = String::from_utf8_lossy(header);
    let descr = dict_value(&header, "descr")
        .map(|v| v.trim_matches(|c| c == '\'' || c == '"').to_owned())
        .ok_or_else(|| err(start, format!("the header has no 'descr': {header}")))?;
    let (dtype, big_endian) = Dtype::parse(&descr).ok_or_else(|| {
        err(
            start,
            format!("unsupported element type {descr:?} (embx reads floats and integers)"),
        )
    })?;
    let fortran = dict_value(&header, "fortran_order").is_some_and(|v| v.starts_with("True"));
    let shape = dict_value(&header, "shape")
        .and_then(parse_shape)
        .ok_or_else(|| {
            err(
                start,
                format!("the header has no readable 'shape': {header}"),
            )
        })?;
    let view = ArrayView {
        dtype,
        big_endian,
        shape,
        fortran,
        data: &bytes[start + len..],
    };
    view.check().map_err(|m| err(start + len, m))?;
    Ok(view)
}

/// The text after `'key':` in a Python dict literal, up to the end of the header.
fn dict_value<'h>(header: &'h str, key: &str) -> Option<&'h str> {
    let at = header
        .find(&format!("'{key}'"))
        .or_else(|| header.find(&format!("\"{key}\"")))?;
    let rest = &header[at + key.len() + 2..];
    let colon = rest.find(':')?;
    let v = rest[colon + 1..].trim_start();
    let end = if v.starts_with('(') {
        v.find(')').map(|e| e + 1)?
    } else {
        v.find([',', '}']).unwrap_or(v.len())
    };
    Some(v[..end].trim())
}

/// `(3, 2)`, `(5,)` or `()`.
fn parse_shape(v: &str) -> Option<Vec<usize>> {
    let inner = v.strip_prefix('(')?.strip_suffix(')')?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches('L').parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(header: &str, data: &[u8]) -> Vec<u8> {
        let mut h = header.to_owned();
        while !(10 + h.len() + 1).is_multiple_of(64) {
            h.push(' ');
        }
        h.push('\n');
        let mut b = b"\x93NUMPY\x01\x00".to_vec();
        b.extend_from_slice(&(h.len() as u16).to_le_bytes());
        b.extend_from_slice(h.as_bytes());
        b.extend_from_slice(data);
        b
    }

    #[test]
    fn reads_types_and_orders() {
        let vals: Vec<u8> = [1f32, 2., 3., 4., 5., 6.]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let b = npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }",
            &vals,
        );
        let a = parse(Path::new("a.npy"), &b).unwrap();
        assert_eq!(a.shape, [3, 2]);
        assert_eq!(a.to_f32(), [1., 2., 3., 4., 5., 6.]);
        let b = npy(
            "{'descr': '<f4', 'fortran_order': True, 'shape': (3, 2), }",
            &vals,
        );
        let a = parse(Path::new("a.npy"), &b).unwrap();
        assert_eq!(a.to_f32(), [1., 4., 2., 5., 3., 6.]);
        let vals: Vec<u8> = [1.5f64, -2.0]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect();
        let b = npy(
            "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }",
            &vals,
        );
        assert_eq!(parse(Path::new("a.npy"), &b).unwrap().to_f32(), [1.5, -2.0]);
        let vals: Vec<u8> = [7i64, 9].iter().flat_map(|v| v.to_le_bytes()).collect();
        let b = npy(
            "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
            &vals,
        );
        let a = parse(Path::new("a.npy"), &b).unwrap();
        assert_eq!(a.to_counts(), Some(vec![7, 9]));
        let vals: Vec<u8> = [0x3c00u16, 0xc000]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let b = npy(
            "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }",
            &vals,
        );
        assert_eq!(parse(Path::new("a.npy"), &b).unwrap().to_f32(), [1.0, -2.0]);
    }

    #[test]
    fn bad_files_say_why() {
        let p = Path::new("bad.npy");
        let e = parse(p, b"hello").unwrap_err().to_string();
        assert!(e.contains("bad.npy") && e.contains("magic"), "{e}");
        let b = npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }",
            &[0; 20],
        );
        let e = parse(p, &b).unwrap_err().to_string();
        assert!(e.contains("needs 24 bytes"), "{e}");
        let b = npy(
            "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
            &[0; 8],
        );
        assert!(parse(p, &b).unwrap_err().to_string().contains("c8"));
        let b = npy(
            "{'descr': '<f4', 'shape': (99999999999, 99999999999), }",
            &[],
        );
        assert!(parse(p, &b).is_err());
        for cut in 0..40 {
            let b = npy(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                &[0; 4],
            );
            let _ = parse(p, &b[..cut]);
        }
    }
}
