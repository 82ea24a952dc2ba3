//! The QMDB configuration of the state database: the type the ledger runs (MMR family,
//! SHA-256, 32-byte bitmap chunks, the ordered index on the first 8 bytes of each key) and
//! its storage partitions, all named after one prefix.
//!
//! The chunk size and the decode bounds are the ones `fapiao_verify::current` checks
//! proofs with ([`CHUNK`], [`fapiao_types::state_order::MAX_QMDB_KEY`],
//! [`fapiao_types::state_order::MAX_STATE_VALUE`]): a proof the engine makes here is one the
//! offline verifier decodes.

use commonware_codec::RangeCfg;
use commonware_cryptography::Sha256;
use commonware_parallel::Sequential;
use commonware_runtime::{
    buffer::paged::{page_size, CacheRef},
    BLOB_PAGE_SIZE,
};
use commonware_storage::{
    journal::contiguous::variable::Config as LogConfig,
    merkle::full::Config as MerkleConfig,
    mmr,
    qmdb::current::{ordered::variable::Db, VariableConfig},
    translator::EightCap,
};
use commonware_utils::{NZUsize, NZU64};
use fapiao_types::state_order::{MAX_QMDB_KEY, MAX_STATE_VALUE};

/// Bitmap chunk size in bytes (256 operations per chunk): the verifier's
/// [`fapiao_verify::current::CHUNK_BYTES`].
pub const CHUNK: usize = fapiao_verify::current::CHUNK_BYTES;

/// The state database on runtime context `E`: keys and values as byte strings.
pub type StateDb<E> = Db<mmr::Family, E, Vec<u8>, Vec<u8>, Sha256, EightCap, CHUNK, Sequential>;

/// Decoding bounds of one logged operation: (key, value).
pub type OpCfg = ((RangeCfg<usize>, ()), (RangeCfg<usize>, ()));

/// Pages of the shared page cache (of [`BLOB_PAGE_SIZE`] bytes each).
const CACHED_PAGES: usize = 1024;
/// Entries of the `(location → key)` cache a reopen uses to resolve updates of existing keys.
const INIT_CACHE: usize = 1 << 16;

fn op_cfg() -> OpCfg {
    ((RangeCfg::from(0..=MAX_QMDB_KEY), ()), (RangeCfg::from(0..=MAX_STATE_VALUE), ()))
}

/// The configuration of the state database whose partitions are all named `<prefix>-…`.
pub fn config(prefix: &str) -> VariableConfig<EightCap, OpCfg, Sequential> {
    let page_cache = CacheRef::new(page_size(BLOB_PAGE_SIZE), NZUsize!(CACHED_PAGES));
    VariableConfig {
        merkle_config: MerkleConfig {
            journal_partition: format!("{prefix}-merkle"),
            metadata_partition: format!("{prefix}-merkle-meta"),
            items_per_blob: NZU64!(65_536),
            write_buffer: NZUsize!(1 << 20),
            replay_buffer: NZUsize!(1 << 20),
            strategy: Sequential,
            page_cache: page_cache.clone(),
        },
        journal_config: LogConfig {
            partition: format!("{prefix}-log"),
            items_per_section: NZU64!(8_192),
            compression: None,
            codec_config: op_cfg(),
            page_cache,
            write_buffer: NZUsize!(1 << 20),
            replay_buffer: NZUsize!(1 << 20),
        },
        grafted_metadata_partition: format!("{prefix}-grafted-meta"),
        translator: EightCap,
        init_cache: Some(NZUsize!(INIT_CACHE)),
        init_buffer: NZUsize!(1 << 20),
        init_concurrency: (),
    }
}
