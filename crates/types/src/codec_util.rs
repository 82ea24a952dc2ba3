//! Small helpers for length-prefixed byte strings in the canonical encoding.
//!
//! A byte string is a commonware `usize` varint length followed by the bytes; a text
//! string is the same with the bytes required to be UTF-8.

use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{EncodeSize, Error, Read, Write};

/// Writes `bytes` as varint length + bytes.
pub fn write_bytes(bytes: &[u8], buf: &mut impl BufMut) {
    bytes.len().write(buf);
    buf.put_slice(bytes);
}

/// Encoded size of [`write_bytes`].
pub(crate) fn bytes_size(bytes: &[u8]) -> usize {
    bytes.len().encode_size() + bytes.len()
}

/// Reads a varint-length byte string of at most `max` bytes.
///
/// # Errors
/// When the length is over `max` or the buffer is short.
pub fn read_bounded_bytes(buf: &mut impl Buf, max: usize) -> Result<Vec<u8>, Error> {
    let len = usize::read_cfg(buf, &(0..=max).into())?;
    if buf.remaining() < len {
        return Err(Error::EndOfBuffer);
    }
    let mut out = vec![0u8; len];
    buf.copy_to_slice(&mut out);
    Ok(out)
}

/// Reads a varint-length UTF-8 string of at most `max` bytes.
///
/// # Errors
/// When the length is over `max`, the buffer is short or the bytes are not UTF-8.
pub fn read_bounded_str(buf: &mut impl Buf, max: usize) -> Result<String, Error> {
    String::from_utf8(read_bounded_bytes(buf, max)?)
        .map_err(|_| Error::Invalid("string", "not UTF-8"))
}

/// Reads a fixed 32-byte array.
pub(crate) fn read32(buf: &mut impl Buf) -> Result<[u8; 32], Error> {
    <[u8; 32]>::read_cfg(buf, &())
}

/// Decodes exactly one `T` from `bytes` (trailing bytes are an error).
///
/// # Errors
/// [`crate::Error::Codec`] when the bytes are not a canonical encoding of `T`.
pub fn decode_exact<T: commonware_codec::Read>(bytes: &[u8], cfg: &T::Cfg) -> crate::Result<T> {
    use commonware_codec::Decode;
    Ok(T::decode_cfg(commonware_codec::Copying(bytes), cfg)?)
}
