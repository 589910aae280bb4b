//! Plain values held in memory or borrowed from a mapped file: the rows of a mapped `.fifu`
//! ([`super::Matrix::from_shared`]) and the storage of the exact search's copies
//! ([`super::quant::Quantized`], [`super::matrix::Reduced`]), which are built in memory or
//! mapped from the file an earlier opening kept (`query::knn::kept`).
use super::matrix::ByteSource;
use std::ops::Deref;
use std::sync::Arc;

/// Types for which every bit pattern of their size is a valid value, stored little-endian.
pub(crate) trait Plain: Copy + Send + Sync + 'static {
    /// The value of little-endian `bytes` (`size_of::<Self>()` of them).
    fn from_le(bytes: &[u8]) -> Self;
}

impl Plain for i8 {
    fn from_le(bytes: &[u8]) -> Self {
        i8::from_le_bytes([bytes[0]])
    }
}

impl Plain for f32 {
    fn from_le(bytes: &[u8]) -> Self {
        f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }
}

/// A slice of `T`, owned or borrowed from a byte source.
#[derive(Clone)]
pub(crate) enum Store<T: Plain> {
    Owned(Vec<T>),
    Mapped {
        source: Arc<dyn ByteSource>,
        offset: usize,
        len: usize,
    },
}

impl<T: Plain> Store<T> {
    /// The `len` little-endian values at byte `offset` of `source`, borrowed in place. `None`
    /// when the range is out of bounds, not aligned for `T`, or the machine is big-endian.
    pub(crate) fn mapped(source: &Arc<dyn ByteSource>, offset: usize, len: usize) -> Option<Self> {
        let bytes = range::<T>(source, offset, len)?;
        let aligned = (bytes.as_ptr() as usize).is_multiple_of(align_of::<T>());
        (cfg!(target_endian = "little") && aligned).then(|| Store::Mapped {
            source: source.clone(),
            offset,
            len,
        })
    }

    /// The `len` little-endian values at byte `offset` of `source`: borrowed in place when
    /// they can be ([`Store::mapped`]), else copied. `None` when the range is out of bounds.
    pub(crate) fn from_le(source: &Arc<dyn ByteSource>, offset: usize, len: usize) -> Option<Self> {
        if let Some(store) = Self::mapped(source, offset, len) {
            return Some(store);
        }
        let bytes = range::<T>(source, offset, len)?;
        Some(Store::Owned(
            bytes.chunks_exact(size_of::<T>()).map(T::from_le).collect(),
        ))
    }

    /// True when the values are borrowed from the source, not held in memory.
    #[cfg(test)]
    pub(crate) fn is_mapped(&self) -> bool {
        matches!(self, Store::Mapped { .. })
    }

    /// Heap bytes held: none when mapped (the pages belong to the file).
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Store::Owned(v) => std::mem::size_of_val(v.as_slice()),
            Store::Mapped { .. } => 0,
        }
    }
}

/// The bytes of `len` values of `T` at byte `offset` of `source`; `None` out of bounds.
fn range<T>(source: &Arc<dyn ByteSource>, offset: usize, len: usize) -> Option<&[u8]> {
    source
        .bytes()
        .get(offset..)?
        .get(..len.checked_mul(size_of::<T>())?)
}

impl<T: Plain> From<Vec<T>> for Store<T> {
    fn from(v: Vec<T>) -> Self {
        Store::Owned(v)
    }
}

impl<T: Plain> Deref for Store<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Store::Owned(v) => v,
            Store::Mapped {
                source,
                offset,
                len,
            } => {
                let bytes = &source.bytes()[*offset..];
                // SAFETY: `mapped` checked that `len` values of `T` fit in the source from
                // `offset` and that they are aligned for `T`; the source is immutable and kept
                // alive by the Arc, and every bit pattern is a valid `T` (`Plain`), stored in
                // the machine's byte order (little-endian, checked in `mapped`).
                unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), *len) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_ranges_are_borrowed_and_others_copied_with_the_same_values() {
        let values = [1.5f32, -2.0, 0.25, 8.0];
        let mut mapped = 0;
        for offset in 0..4 {
            let mut bytes = vec![0u8; offset];
            bytes.extend(values.iter().flat_map(|v| v.to_le_bytes()));
            let source: Arc<dyn ByteSource> = Arc::new(bytes);
            let aligned = (source.bytes().as_ptr() as usize + offset).is_multiple_of(4);
            let s = Store::<f32>::from_le(&source, offset, 4).unwrap();
            assert_eq!(&*s, &values);
            assert_eq!(s.is_mapped(), cfg!(target_endian = "little") && aligned);
            mapped += usize::from(s.is_mapped());
            assert!(Store::<f32>::from_le(&source, offset, 5).is_none());
            assert!(Store::<f32>::from_le(&source, usize::MAX, 1).is_none());
            let codes = Store::<i8>::from_le(&source, offset + 1, 15).unwrap();
            assert_eq!(codes.len(), 15);
            assert_eq!(codes[14], (values[3].to_le_bytes()[3]) as i8);
        }
        // One offset of the four is aligned, and three are not.
        if cfg!(target_endian = "little") {
            assert_eq!(mapped, 1);
        }
        let owned: Store<f32> = vec![3.0].into();
        assert!(!owned.is_mapped() && owned[0] == 3.0);
    }
}
