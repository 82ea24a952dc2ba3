//! Block bodies older than a horizon, moved out of the `blocks` table (ADR 0009 §Decision
//! item 7): into append-only segment files of zstd frames that the node still serves, or
//! dropped.
//!
//! Layout, under the archive's directory (`<data dir>/bodies/`):
//! * `<first height, 20 digits>.seg`: one zstd frame per block (the block's canonical
//!   encoding, compressed alone so one block is read with one seek), appended in height
//!   order; a new segment starts once one passes [`SEGMENT_BYTES`].
//! * the ledger's `archived` table ([`Table::Archived`]): height (u64 BE) → where the body
//!   went and the block's header (kept forever, with the certificates):
//!   `kind (u8: 1 in a segment, 0 dropped) ‖ segment (u64 BE, its first height) ‖
//!   offset (u64 BE) ‖ length (u32 BE) ‖ header (canonical encoding)`.
//!
//! A move writes and syncs the frames first, then commits in one redb transaction the
//! `archived` rows and the deletion of the `blocks` rows. A crash in between leaves
//! frames no row points at (the next move appends after them): bytes lost, never a body.

use crate::{
    store::{ReadStore, Store, Table, WriteBatch},
    Error, Result,
};
use commonware_codec::Encode;
use fapiao_types::{decode_exact, Block, BlockLimits, Header};
use std::{
    io::{Read, Seek, SeekFrom, Write},
    path::{Path, PathBuf},
};

/// A segment file is closed once it holds this many bytes.
pub const SEGMENT_BYTES: u64 = 64 * 1024 * 1024;
/// The zstd level of archived bodies (zstd's default: fast, most of the gain).
const LEVEL: i32 = 3;
/// Blocks moved per redb transaction (bounds one move's memory).
const BLOCKS_PER_MOVE: u64 = 256;

/// What happens to a body older than the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyMode {
    /// Compressed into segment files and still served.
    Serve,
    /// Deleted: only the header and certificate stay.
    Drop,
}

/// Where and how a ledger archives old bodies ([`crate::Ledger::with_body_archive`]).
#[derive(Clone, Debug)]
pub struct BodyArchive {
    /// The segments' directory.
    pub dir: PathBuf,
    /// Serve or drop.
    pub mode: BodyMode,
    /// Bodies of blocks more than this many heights below the executed tip are moved.
    pub horizon: u64,
}

/// Where an archived body is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Archived {
    /// `(segment, offset, length)`, or `None` when the body was dropped.
    pub at: Option<(u64, u64, u32)>,
    /// The block's header.
    pub header: Header,
}

impl Archived {
    fn encode(&self) -> Vec<u8> {
        let (kind, (seg, off, len)) = match self.at {
            Some(at) => (1u8, at),
            None => (0u8, (0, 0, 0)),
        };
        let mut v = vec![kind];
        v.extend_from_slice(&seg.to_be_bytes());
        v.extend_from_slice(&off.to_be_bytes());
        v.extend_from_slice(&len.to_be_bytes());
        v.extend_from_slice(&self.header.encode());
        v
    }

    fn decode(b: &[u8]) -> Result<Self> {
        let bad = |reason: &str| Error::Corrupt { what: "archived", reason: reason.into() };
        if b.len() < 21 {
            return Err(bad("short row"));
        }
        let u64_at = |i: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[i..i + 8]);
            u64::from_be_bytes(a)
        };
        let mut len = [0u8; 4];
        len.copy_from_slice(&b[17..21]);
        let header = decode_exact::<Header>(&b[21..], &()).map_err(|e| bad(&e.to_string()))?;
        let at = match b[0] {
            1 => Some((u64_at(1), u64_at(9), u32::from_be_bytes(len))),
            0 => None,
            _ => return Err(bad("bad kind")),
        };
        Ok(Self { at, header })
    }
}

/// The `archived` row of `height`, if its body was moved.
pub(crate) fn archived<S: ReadStore + ?Sized>(store: &S, height: u64) -> Result<Option<Archived>> {
    store.get(Table::Archived, &height.to_be_bytes())?.map(|b| Archived::decode(&b)).transpose()
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Store(format!("{}: {e}", path.display()))
}

fn segment_path(dir: &Path, first: u64) -> PathBuf {
    dir.join(format!("{first:020}.seg"))
}

/// Reads an archived body from its segment.
pub(crate) fn read(dir: &Path, seg: u64, offset: u64, len: u32) -> Result<Vec<u8>> {
    let path = segment_path(dir, seg);
    let mut f = std::fs::File::open(&path).map_err(|e| io(&path, e))?;
    f.seek(SeekFrom::Start(offset)).map_err(|e| io(&path, e))?;
    let mut frame = vec![0u8; len as usize];
    f.read_exact(&mut frame).map_err(|e| io(&path, e))?;
    zstd::decode_all(&frame[..]).map_err(|e| io(&path, e))
}

/// The segment new frames go to: the newest one while it is under [`SEGMENT_BYTES`],
/// else a new one starting at `next`.
fn open_segment(dir: &Path, next: u64) -> Result<(u64, std::fs::File, u64)> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut newest: Option<u64> = None;
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let name = entry.map_err(|e| io(dir, e))?.file_name();
        let first = name.to_str().and_then(|n| n.strip_suffix(".seg")).and_then(|n| n.parse().ok());
        if let Some(first) = first {
            newest = newest.max(Some(first));
        }
    }
    let first = match newest {
        Some(first) => {
            let len = std::fs::metadata(segment_path(dir, first)).map(|m| m.len()).unwrap_or(0);
            if len < SEGMENT_BYTES {
                first
            } else {
                next
            }
        }
        None => next,
    };
    let path = segment_path(dir, first);
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| io(&path, e))?;
    let len = f.metadata().map_err(|e| io(&path, e))?.len();
    Ok((first, f, len))
}

/// What one move of old bodies did ([`crate::Ledger::archive_bodies`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// Bodies moved (or dropped).
    pub blocks: u64,
    /// Their bytes as they were in the `blocks` table.
    pub raw_bytes: u64,
    /// Bytes appended to segments.
    pub archived_bytes: u64,
}

/// The `meta` row holding the first height whose body is still in the `blocks` table
/// (every body from 1 below it was moved).
const META_MOVED_BELOW: &[u8] = b"bodies_moved_below";

/// The first height whose body was not moved yet (1 when none was).
pub(crate) fn moved_below<S: ReadStore + ?Sized>(store: &S) -> Result<u64> {
    match store.get(Table::Meta, META_MOVED_BELOW)? {
        Some(b) => {
            let a: [u8; 8] = b.as_slice().try_into().map_err(|_| Error::Corrupt {
                what: "meta",
                reason: "bodies_moved_below".into(),
            })?;
            Ok(u64::from_be_bytes(a))
        }
        None => Ok(1),
    }
}

/// Moves the bodies of heights below `below` still in the `blocks` table (genesis stays)
/// out of it, per `archive`, oldest first, [`BLOCKS_PER_MOVE`] per redb transaction.
/// Idempotent: the heights already moved are skipped.
pub(crate) fn move_bodies<S: Store + ?Sized>(
    store: &S,
    archive: &BodyArchive,
    below: u64,
    limits: &BlockLimits,
) -> Result<Moved> {
    let mut moved = Moved::default();
    let mut from = moved_below(store)?;
    while from < below {
        let to = below.min(from.saturating_add(BLOCKS_PER_MOVE));
        let mut batch = WriteBatch::default();
        let mut segment = match archive.mode {
            BodyMode::Serve => Some(open_segment(&archive.dir, from)?),
            BodyMode::Drop => None,
        };
        for height in from..to {
            let key = height.to_be_bytes();
            let Some(body) = store.get(Table::Blocks, &key)? else {
                return Err(Error::Corrupt {
                    what: "blocks",
                    reason: format!("block {height} missing"),
                });
            };
            let block = decode_exact::<Block>(&body, limits)
                .map_err(|e| Error::Corrupt { what: "block", reason: e.to_string() })?;
            let at = match segment.as_mut() {
                Some((first, file, len)) => {
                    let frame = zstd::encode_all(&body[..], LEVEL)
                        .map_err(|e| Error::Store(format!("compressing block {height}: {e}")))?;
                    let path = segment_path(&archive.dir, *first);
                    file.write_all(&frame).map_err(|e| io(&path, e))?;
                    let frame_len = u32::try_from(frame.len()).map_err(|_| {
                        Error::Store(format!("block {height} too large to archive"))
                    })?;
                    let at = (*first, *len, frame_len);
                    *len += frame.len() as u64;
                    moved.archived_bytes += frame.len() as u64;
                    Some(at)
                }
                None => None,
            };
            moved.blocks += 1;
            moved.raw_bytes += body.len() as u64;
            let row = Archived { at, header: block.header };
            batch.put(Table::Archived, key.to_vec(), row.encode());
            batch.delete(Table::Blocks, key.to_vec());
        }
        if let Some((first, file, _)) = segment {
            // The frames are durable before any row points at them.
            file.sync_all().map_err(|e| io(&segment_path(&archive.dir, first), e))?;
        }
        batch.put(Table::Meta, META_MOVED_BELOW, to.to_be_bytes());
        store.commit(&batch)?;
        from = to;
    }
    Ok(moved)
}
