//! Length-prefixed frames: `u32 BE length ‖ bytes`, repeated. The body of the
//! node-to-node endpoints (`POST /v1/relay` carries signed transactions,
//! `GET /v1/sync/blocks` carries blocks and their finality blobs).

use crate::{Error, Result};

/// Appends one frame to `out`.
pub fn push_frame(out: &mut Vec<u8>, bytes: &[u8]) {
    // Frames hold one block or transaction, bounded far below 4 GiB by the consensus
    // limits; a longer slice is a programming error, so the length saturates (and the
    // reader then fails on the short body) rather than wraps.
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Splits `body` into its frames, refusing any frame longer than `max_frame` and a
/// truncated tail.
///
/// # Errors
/// [`Error::Invalid`] (field `frame`) naming the frame at fault.
pub fn split_frames(body: &[u8], max_frame: usize) -> Result<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let index = out.len();
        let Some((len, tail)) = rest.split_first_chunk::<4>() else {
            return Err(Error::invalid("frame", format!("{index}: truncated length")));
        };
        let len = u32::from_be_bytes(*len) as usize;
        if len > max_frame {
            return Err(Error::invalid(
                "frame",
                format!("{index}: {len} bytes, more than the {max_frame} allowed"),
            ));
        }
        if tail.len() < len {
            return Err(Error::invalid("frame", format!("{index}: truncated body")));
        }
        let (frame, tail) = tail.split_at(len);
        out.push(frame);
        rest = tail;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_refuse_damage() {
        let mut body = Vec::new();
        push_frame(&mut body, b"abc");
        push_frame(&mut body, b"");
        push_frame(&mut body, &[7; 300]);
        assert_eq!(body[..7], [0, 0, 0, 3, b'a', b'b', b'c']);
        let frames = split_frames(&body, 1000).unwrap();
        assert_eq!(frames, vec![&b"abc"[..], &b""[..], &[7u8; 300][..]]);
        assert!(split_frames(&body, 299).is_err(), "a frame over the limit is refused");
        for cut in 1..body.len() {
            let whole = [3 + 4, 4 + 3 + 4].contains(&cut);
            assert_eq!(split_frames(&body[..cut], 1000).is_ok(), whole, "cut at {cut}");
        }
        assert!(split_frames(&[], 10).unwrap().is_empty());
    }
}
