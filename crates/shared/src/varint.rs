//! LEB128 varints (7 bits a byte, low first), zigzag for signed values, and a reader of bytes
//! made of them: the pin tiles' format ([`crate::tile`]) and the widget's compact basemap
//! (`geo::basemap`).

/// Appends `v` as a varint.
pub fn push(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A signed value as an unsigned one whose varint is short when the value is near zero.
pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The inverse of [`zigzag`].
pub fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Why bytes could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// They end before what was to be read.
    Truncated,
    /// A varint longer than 64 bits.
    TooLong,
}

/// Reads bytes from the start.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    pub fn byte(&mut self) -> Result<u8, ReadError> {
        let b = *self.bytes.get(self.at).ok_or(ReadError::Truncated)?;
        self.at += 1;
        Ok(b)
    }

    pub fn varint(&mut self) -> Result<u64, ReadError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ReadError::TooLong)
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self.at.checked_add(n).ok_or(ReadError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(ReadError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    /// A varint count of items, each at least one byte: more than the bytes left cannot be.
    pub fn count(&mut self) -> Result<usize, ReadError> {
        let n = self.varint()?;
        if n > (self.bytes.len() - self.at) as u64 {
            return Err(ReadError::Truncated);
        }
        Ok(n as usize)
    }

    /// Whether every byte has been read.
    pub fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_as_they_were_written() {
        let values = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        let mut out = Vec::new();
        for v in values {
            push(&mut out, v);
        }
        assert_eq!(&out[..4], &[0, 1, 127, 0x80]);
        let mut r = Reader::new(&out);
        for v in values {
            assert_eq!(r.varint(), Ok(v));
        }
        assert!(r.at_end());
        for v in [0, 1, -1, 63, -64, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        assert_eq!([zigzag(0), zigzag(-1), zigzag(1)], [0, 1, 2]);
    }

    #[test]
    fn short_or_overlong_bytes_are_errors() {
        assert_eq!(Reader::new(&[0x80]).varint(), Err(ReadError::Truncated));
        assert_eq!(Reader::new(&[0xff; 11]).varint(), Err(ReadError::TooLong));
        assert_eq!(Reader::new(&[3, 1, 2]).count(), Err(ReadError::Truncated));
        assert_eq!(Reader::new(&[2, 1, 2]).count(), Ok(2));
        assert_eq!(Reader::new(&[1, 2]).bytes(3), Err(ReadError::Truncated));
    }
}
