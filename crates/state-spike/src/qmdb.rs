//! Option (b) of issue 15: Commonware's `qmdb::current::ordered::variable` (commonware-storage
//! 2026.10.0), run on the real-disk tokio runtime of commonware-runtime, on the spike's
//! synthetic workload.
//!
//! * One QMDB per variant, in its own storage directory under the bench's `dir`. Each workload
//!   block is one batch: every write, then `merkleize` (with the [`Proportional`] floor
//!   policy), `apply_batch` and a durable `commit` (fdatasync of the journals). Every
//!   [`PRUNE_EVERY`] blocks the log is pruned up to the database's `sync_boundary`.
//! * Keys are the SHA-256 of the state path by default ([`KeyMode::Hashed`]). The ordered
//!   index keeps only an 8-byte translation of each key in memory (`EightCap`: the first 8
//!   bytes); raw paths such as `invoice/<20 digits>` all share the same first 8 bytes, so they
//!   would collide into a handful of buckets (variant `qmdb-pathkeys`, see the notes file).
//! * Variants: `qmdb` (hashed keys, every write, bodies included), `qmdb-nobody` (`Kind::Body`
//!   writes left out, as option (a) keeps bodies out of its tree), `qmdb-seq` and
//!   `qmdb-seq-nobody` (the same with an order-preserving binary key, [`KeyMode::Sequence`])
//!   and, on request only, `qmdb-pathkeys` (raw paths as keys: collisions make it quadratic).
//!   `SPIKE_QMDB_VARIANTS` picks them (default [`DEFAULT_VARIANTS`]).
//!
//! The findings are in docs/adr/0009-state-engine-qmdb-notes.md.

use crate::{
    disk_bytes, rss_bytes,
    workload::{self, Kind},
    Figures,
};
use anyhow::{anyhow, bail, ensure};
use commonware_codec::{Copying, Decode as _, Encode as _, RangeCfg};
use commonware_cryptography::{sha256::Digest, Hasher as _, Sha256};
use commonware_parallel::Sequential;
use commonware_runtime::{
    buffer::paged::{page_size, CacheRef},
    tokio, Runner as _, Supervisor as _, BLOB_PAGE_SIZE,
};
use commonware_storage::{
    journal::contiguous::variable::Config as LogConfig,
    merkle::{full::Config as MerkleConfig, Location},
    mmr,
    qmdb::{
        any::value::VariableEncoding,
        current::{
            ordered::{proof::constant::KeyValueProof, variable::Db},
            VariableConfig,
        },
        floor::Proportional,
    },
    translator::EightCap,
};
use commonware_utils::{NZUsize, NZU64};
use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

/// Bitmap chunk size in bytes (one chunk covers 256 operations; must be a multiple of the
/// digest size). 32 is the size the crate's own benchmarks use and gives the smallest proofs.
pub const CHUNK: usize = 32;

/// The database type measured: MMR-based, keys and values as byte vectors, SHA-256, the ordered
/// index on the first 8 bytes of each key, merkleized on the calling task.
pub type StateDb =
    Db<mmr::Family, tokio::Context, Vec<u8>, Vec<u8>, Sha256, EightCap, CHUNK, Sequential>;

/// The proof of one key's current value.
pub type ValueProof = KeyValueProof<mmr::Family, Vec<u8>, Digest, CHUNK>;

/// The value encoding `verify` needs to rebuild the proven operation.
pub type Values = VariableEncoding<Vec<u8>>;

/// Blocks between two prunes of the log.
pub const PRUNE_EVERY: u64 = 10;

/// Longest key and value the log decodes.
const MAX_KEY: usize = 64;
const MAX_VALUE: usize = 4096;
/// Digests a decoded proof may carry (a 64-level path plus peaks is far below this).
const MAX_PROOF_DIGESTS: usize = 256;
/// Verifications averaged for `verify_us`.
const VERIFIES: u32 = 2_000;

/// How a state path becomes a QMDB key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyMode {
    /// SHA-256 of the path: uniform over the translator's 8 bytes, no locality.
    Hashed,
    /// The path itself: ordered and local, but `invoice/…` keys share their first 8 bytes.
    Path,
    /// Order-preserving and distinct in the first 8 bytes for one number series: a kind tag,
    /// the number's last 13 digits (its sequence) as 7 big-endian bytes, then its first 7
    /// digits (region, channel, year). Paths of another shape: `0xff` then the path.
    Sequence,
}

impl KeyMode {
    /// The QMDB key of state path `path`.
    pub fn key(self, path: &[u8]) -> Vec<u8> {
        match self {
            Self::Hashed => Sha256::hash(&[path]).as_ref().to_vec(),
            Self::Path => path.to_vec(),
            Self::Sequence => sequence_key(path),
        }
    }
}

fn sequence_key(path: &[u8]) -> Vec<u8> {
    let other = || [&[0xff][..], path].concat();
    let Some(slash) = path.iter().position(|&b| b == b'/') else {
        return other();
    };
    let (kind, digits) = (&path[..slash], &path[slash + 1..]);
    let tag = match kind {
        b"invoice" => 1u8,
        b"invoice-body" => 2,
        b"invoice-circ" => 3,
        _ => return other(),
    };
    if digits.len() != 20 || !digits.iter().all(u8::is_ascii_digit) {
        return other();
    }
    let number = |d: &[u8]| d.iter().fold(0u64, |n, c| n * 10 + u64::from(c - b'0'));
    let mut key = Vec::with_capacity(12);
    key.push(tag);
    key.extend_from_slice(&number(&digits[7..]).to_be_bytes()[1..]);
    key.extend_from_slice(&number(&digits[..7]).to_be_bytes()[4..]);
    key
}

/// One measured configuration.
#[derive(Clone, Copy, Debug)]
pub struct Variant {
    /// Name printed in [`Figures::engine`].
    pub name: &'static str,
    /// Whether `Kind::Body` writes go into the database.
    pub bodies: bool,
    /// Key mapping.
    pub keys: KeyMode,
}

/// The variants `measure` knows.
pub const VARIANTS: [Variant; 5] = [
    Variant { name: "qmdb", bodies: true, keys: KeyMode::Hashed },
    Variant { name: "qmdb-nobody", bodies: false, keys: KeyMode::Hashed },
    Variant { name: "qmdb-seq", bodies: true, keys: KeyMode::Sequence },
    Variant { name: "qmdb-seq-nobody", bodies: false, keys: KeyMode::Sequence },
    Variant { name: "qmdb-pathkeys", bodies: true, keys: KeyMode::Path },
];

/// The variants `measure` runs unless `SPIKE_QMDB_VARIANTS` names others.
pub const DEFAULT_VARIANTS: &str = "qmdb,qmdb-nobody,qmdb-seq,qmdb-seq-nobody";

/// Fills a fresh state in `dir` block by block up to each of `sizes` invoices (ascending)
/// and reports the figures at each size, for every variant in `SPIKE_QMDB_VARIANTS`
/// (default [`DEFAULT_VARIANTS`]). Memory per key is a resident-set difference, so it is only
/// meaningful for the first variant run in a process (freed memory of an earlier run is reused).
///
/// # Errors
/// When the engine fails, or a variant name is unknown.
pub fn measure(dir: &Path, sizes: &[u64]) -> anyhow::Result<Vec<Figures>> {
    let names = std::env::var("SPIKE_QMDB_VARIANTS").unwrap_or_else(|_| DEFAULT_VARIANTS.into());
    let mut all = Vec::new();
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let Some(variant) = VARIANTS.iter().find(|v| v.name == name) else {
            bail!("unknown qmdb variant {name}: see qmdb::VARIANTS");
        };
        all.extend(measure_variant(&dir.join(name), sizes, *variant)?);
    }
    Ok(all)
}

/// The database configuration: every partition's name starts with `prefix`.
pub fn config(prefix: &str) -> VariableConfig<EightCap, OpCfg, Sequential> {
    let page_cache = CacheRef::new(page_size(BLOB_PAGE_SIZE), NZUsize!(1024));
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
        init_cache: Some(init_cache()),
        init_buffer: NZUsize!(1 << 20),
        init_concurrency: (),
    }
}

/// Entries of the `(location → key)` cache a reopen uses to resolve updates of existing keys:
/// `SPIKE_QMDB_INIT_CACHE`, default 65,536.
fn init_cache() -> std::num::NonZeroUsize {
    std::env::var("SPIKE_QMDB_INIT_CACHE")
        .ok()
        .and_then(|v| v.parse().ok())
        .and_then(std::num::NonZeroUsize::new)
        .unwrap_or(NZUsize!(1 << 16))
}

/// Decoding bounds of one logged operation: (key, value).
pub type OpCfg = ((RangeCfg<usize>, ()), (RangeCfg<usize>, ()));

fn op_cfg() -> OpCfg {
    ((RangeCfg::from(0..=MAX_KEY), ()), (RangeCfg::from(0..=MAX_VALUE), ()))
}

/// Decoding bounds of a [`ValueProof`].
pub fn proof_cfg() -> (usize, (RangeCfg<usize>, ())) {
    (MAX_PROOF_DIGESTS, (RangeCfg::from(0..=MAX_KEY), ()))
}

/// Opens (or creates) the state database named `prefix` in `ctx`'s storage directory. `at`
/// selects the latest retained commit with at most that many operations (crash recovery to
/// the size recorded beside a height); `None` opens the latest commit.
///
/// # Errors
/// When the database cannot be opened.
pub async fn open(ctx: &tokio::Context, prefix: &str, at: Option<u64>) -> anyhow::Result<StateDb> {
    let at = at.map(Location::new);
    Ok(StateDb::init(ctx.child("state"), config(prefix), at).await?)
}

/// Time spent on one block.
#[derive(Clone, Copy, Debug)]
pub struct BlockTiming {
    /// Writing, merkleizing, applying and committing the block (and pruning, when due).
    pub total: Duration,
    /// Applying and committing (and pruning): the durable part after the root is known.
    pub commit: Duration,
    /// Writing and merkleizing the batch (reads of predecessors and floor candidates included).
    pub merkleize: Duration,
    /// Disk bytes the prune released, when this block pruned.
    pub reclaimed: u64,
}

/// Applies block `height`'s `writes` as one batch and commits it durably; every
/// [`PRUNE_EVERY`] blocks, prunes the log to the sync boundary. `dir` is only read to count
/// the bytes a prune releases. The commit's metadata is the block height (big-endian), so a
/// reopened database says which height it holds.
///
/// # Errors
/// When the database fails; the handle is then lost and the caller must reopen.
pub async fn apply_block(
    db: StateDb,
    writes: &[workload::Write],
    variant: Variant,
    height: u64,
    dir: Option<&Path>,
) -> anyhow::Result<(StateDb, BlockTiming)> {
    let start = Instant::now();
    let mut batch = db.new_batch();
    for w in writes {
        if !variant.bodies && w.kind == Kind::Body {
            continue;
        }
        batch = batch.write(variant.keys.key(&w.key), Some(w.value.clone()));
    }
    let metadata = Some(height.to_be_bytes().to_vec());
    let merkleized = batch.merkleize(&db, metadata, &mut Proportional).await?;
    let commit_start = Instant::now();
    db.validate_batch(&merkleized)?;
    let mut db = db.apply_batch(merkleized).await?.commit().await?;
    let mut reclaimed = 0;
    if (height + 1).is_multiple_of(PRUNE_EVERY) {
        let before = dir.map(disk_bytes).transpose()?;
        let boundary = db.sync_boundary();
        db = db.prune(boundary).await?;
        if let (Some(before), Some(dir)) = (before, dir) {
            reclaimed = before.saturating_sub(disk_bytes(dir)?);
        }
    }
    let end = Instant::now();
    Ok((
        db,
        BlockTiming {
            total: end - start,
            commit: end - commit_start,
            merkleize: commit_start - start,
            reclaimed,
        },
    ))
}

/// Proves the current value of invoice `invoice`'s public record.
///
/// # Errors
/// When the key is absent or the database fails.
pub async fn prove(db: &StateDb, keys: KeyMode, invoice: u64) -> anyhow::Result<ValueProof> {
    Ok(db.key_value_proof(keys.key(&workload::public_key(invoice))).await?)
}

/// Whether `proof` shows that state path `path` holds `value` under `root`: the check a
/// client runs with the root alone.
pub fn verify(proof: &ValueProof, keys: KeyMode, path: &[u8], value: &[u8], root: &Digest) -> bool {
    proof.verify::<Sha256, Values>(keys.key(path), value.to_vec(), root)
}

/// Decodes a proof received as bytes and checks it: [`verify`] after decoding.
pub fn verify_encoded(
    encoded: &[u8],
    keys: KeyMode,
    path: &[u8],
    value: &[u8],
    root: &Digest,
) -> bool {
    ValueProof::decode_cfg(Copying(encoded), &proof_cfg())
        .is_ok_and(|proof| verify(&proof, keys, path, value, root))
}

/// Proves that invoice `absent` has no public record, and times the check: encoded bytes and
/// µs per verification.
async fn exclusion(db: &StateDb, keys: KeyMode, absent: u64) -> anyhow::Result<(usize, f64)> {
    let key = keys.key(&workload::public_key(absent));
    let root = db.root();
    let proof = db.exclusion_proof(&key).await?;
    let t = Instant::now();
    for _ in 0..VERIFIES {
        let key = keys.key(&workload::public_key(std::hint::black_box(absent)));
        ensure!(proof.verify::<Sha256>(&key, std::hint::black_box(&root)), "exclusion refused");
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(VERIFIES);
    Ok((proof.encode().len(), us))
}

fn measure_variant(dir: &Path, sizes: &[u64], variant: Variant) -> anyhow::Result<Vec<Figures>> {
    std::fs::create_dir_all(dir)?;
    let storage: PathBuf = dir.to_path_buf();
    let runner = tokio::Runner::new(
        tokio::Config::new().with_storage_directory(storage.clone()).with_worker_threads(1),
    );
    runner.start(|ctx| async move { fill(ctx, &storage, sizes, variant).await })
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn fill(
    ctx: tokio::Context,
    dir: &Path,
    sizes: &[u64],
    variant: Variant,
) -> anyhow::Result<Vec<Figures>> {
    let per_invoice: u64 = if variant.bodies { 3 } else { 2 };
    let mut db = open(&ctx, variant.name, None).await?;
    let rss_before = rss_bytes();
    let mut figures = Vec::new();
    let mut next_block = 0u64;
    let mut reclaimed = 0u64;
    for &size in sizes {
        let blocks = size.div_ceil(workload::INVOICES_PER_BLOCK);
        let window = next_block.max(blocks - (blocks / 10).max(1));
        let mut total = Duration::ZERO;
        let mut merkleize = Duration::ZERO;
        let mut commits = Vec::new();
        while next_block < blocks {
            let writes = workload::block(next_block);
            let (next, timing) = apply_block(db, &writes, variant, next_block, Some(dir)).await?;
            db = next;
            reclaimed += timing.reclaimed;
            if next_block >= window {
                total += timing.total;
                merkleize += timing.merkleize;
                commits.push(timing.commit.as_secs_f64() * 1e3);
            }
            next_block += 1;
        }
        let invoices = next_block * workload::INVOICES_PER_BLOCK;
        let timed = (commits.len() as u64 * workload::INVOICES_PER_BLOCK).max(1);
        commits.sort_by(f64::total_cmp);
        let root = db.root();
        let disk = disk_bytes(dir)?;
        let live_keys = invoices * per_invoice + workload::HOT_KEYS;
        let memory = rss_bytes().saturating_sub(rss_before) as f64 / live_keys as f64;

        let target = invoices / 2;
        let path = workload::public_key(target);
        let value = workload::bytes(&path, workload::PUBLIC_BYTES);
        let proof = prove(&db, variant.keys, target).await?;
        let encoded = proof.encode();
        ensure!(
            verify_encoded(&encoded, variant.keys, &path, &value, &root),
            "{}: proof of invoice {target} does not verify",
            variant.name
        );
        let t = Instant::now();
        for _ in 0..VERIFIES {
            let ok = verify(
                std::hint::black_box(&proof),
                variant.keys,
                &path,
                &value,
                std::hint::black_box(&root),
            );
            ensure!(ok, "proof stopped verifying");
        }
        let verify_us = t.elapsed().as_secs_f64() * 1e6 / f64::from(VERIFIES);
        let (exclusion_bytes, exclusion_us) = exclusion(&db, variant.keys, invoices * 10).await?;

        let ops = *db.bounds().end;
        let pruned_to = *db.bounds().start;
        let boundary = *db.sync_boundary();
        db = db.sync().await?;
        drop(db);
        let t = Instant::now();
        db = open(&ctx, variant.name, None).await?;
        let restart_ms = t.elapsed().as_secs_f64() * 1e3;
        ensure!(db.root() == root, "{}: root changed across reopen", variant.name);
        let height = db.get_metadata().await?.ok_or_else(|| anyhow!("no commit metadata"))?;
        ensure!(
            height == (next_block - 1).to_be_bytes().to_vec(),
            "{}: reopened at another height",
            variant.name
        );
        eprintln!(
            "{} {invoices}: {ops} ops in the log, pruned below {pruned_to}, sync boundary \
             {boundary}, {:.1} MiB on disk, {:.1} MiB reclaimed by pruning so far, rss {:.1} MiB, \
             write+merkleize {:.1} µs/invoice, exclusion proof {exclusion_bytes} B verified in \
             {exclusion_us:.1} µs",
            variant.name,
            disk as f64 / 1048576.0,
            reclaimed as f64 / 1048576.0,
            rss_bytes() as f64 / 1048576.0,
            merkleize.as_secs_f64() * 1e6 / timed as f64,
        );
        figures.push(Figures {
            engine: variant.name,
            invoices,
            us_per_invoice: total.as_secs_f64() * 1e6 / timed as f64,
            disk_bytes_per_invoice: disk as f64 / invoices as f64,
            commit_ms_p50: percentile(&commits, 0.5),
            commit_ms_max: percentile(&commits, 1.0),
            memory_bytes_per_key: memory,
            restart_ms,
            proof_bytes: encoded.len(),
            verify_us,
        });
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QMDB: Variant = VARIANTS[0];
    const SEQ_NOBODY: Variant = VARIANTS[3];

    /// Runs `f` on a real-disk tokio runtime over a fresh temporary directory.
    fn on_disk<F, Fut>(f: F)
    where
        F: FnOnce(tokio::Context) -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<()>>,
    {
        let dir = tempfile::tempdir().expect("temporary directory");
        let cfg = tokio::Config::new().with_storage_directory(dir.path()).with_worker_threads(1);
        tokio::Runner::new(cfg).start(f).expect("test body");
    }

    fn public(i: u64) -> (Vec<u8>, Vec<u8>) {
        let path = workload::public_key(i);
        let value = workload::bytes(&path, workload::PUBLIC_BYTES);
        (path, value)
    }

    #[test]
    fn proofs_verify_against_the_root_they_were_made_at_and_survive_reopen() {
        on_disk(|ctx| async move {
            let mut db = open(&ctx, "t", None).await?;
            for b in 0..3 {
                db = apply_block(db, &workload::block(b), QMDB, b, None).await?.0;
            }
            let root2 = db.root();
            let size2 = *db.bounds().end;

            // Inclusion: verifies with the root alone, encoded and decoded.
            let (path, value) = public(5);
            let proof = prove(&db, QMDB.keys, 5).await?;
            let encoded = proof.encode().to_vec();
            assert!(verify_encoded(&encoded, QMDB.keys, &path, &value, &root2));
            let (other, _) = public(6);
            assert!(!verify_encoded(&encoded, QMDB.keys, &other, &value, &root2), "other key");
            let mut wrong = value.clone();
            wrong[0] ^= 1;
            assert!(!verify_encoded(&encoded, QMDB.keys, &path, &wrong, &root2), "other value");
            // Every single-bit flip of the encoded proof is refused.
            for i in 0..encoded.len() {
                for bit in 0..8 {
                    let mut flipped = encoded.clone();
                    flipped[i] ^= 1 << bit;
                    assert!(
                        !verify_encoded(&flipped, QMDB.keys, &path, &value, &root2),
                        "flip of bit {bit} of byte {i} of {} still verifies",
                        encoded.len()
                    );
                }
            }

            // Exclusion (the ordered variant's span proof), for an absent invoice.
            let (absent, _) = public(10_000_000);
            let key = QMDB.keys.key(&absent);
            let exclusion = db.exclusion_proof(&key).await?;
            assert!(exclusion.verify::<Sha256>(&key, &root2));
            assert!(!exclusion.verify::<Sha256>(&QMDB.keys.key(&path), &root2), "present key");
            assert!(db.exclusion_proof(&QMDB.keys.key(&path)).await.is_err());

            // The database proves only against its current root: after one more block the old
            // proof still checks against the old root, a new proof only against the new one.
            db = apply_block(db, &workload::block(3), QMDB, 3, None).await?.0;
            let root3 = db.root();
            assert_ne!(root2, root3);
            assert!(!verify(&proof, QMDB.keys, &path, &value, &root3));
            let fresh = prove(&db, QMDB.keys, 5).await?;
            assert!(verify(&fresh, QMDB.keys, &path, &value, &root3));
            assert!(!verify(&fresh, QMDB.keys, &path, &value, &root2));
            assert!(!exclusion.verify::<Sha256>(&key, &root3));

            // Clean close and reopen: same root, same height.
            db = db.sync().await?;
            drop(db);
            let db = open(&ctx, "t", None).await?;
            assert_eq!(db.root(), root3);
            assert_eq!(db.get_metadata().await?, Some(3u64.to_be_bytes().to_vec()));
            assert_eq!(db.get(&QMDB.keys.key(&path)).await?, Some(value.clone()));
            drop(db);

            // Crash recovery to a recorded size: reopening at the size the database had after
            // height 2 rewinds it to height 2's root.
            let db = open(&ctx, "t", Some(size2)).await?;
            assert_eq!(db.root(), root2);
            assert_eq!(db.get_metadata().await?, Some(2u64.to_be_bytes().to_vec()));
            Ok(())
        });
    }

    #[test]
    fn ops_historical_proofs_cannot_tell_a_stale_value_from_the_current_one() {
        on_disk(|ctx| async move {
            let hot = QMDB.keys.key(b"hot/0");
            let mut db = open(&ctx, "h", None).await?;
            db = apply_block(db, &workload::block(0), QMDB, 0, None).await?.0;
            let stale = db.get_span(&hot).await?.ok_or_else(|| anyhow!("hot/0 absent"))?.0;
            db = apply_block(db, &workload::block(1), QMDB, 1, None).await?.0;
            let current = db.get_span(&hot).await?.ok_or_else(|| anyhow!("hot/0 absent"))?.0;
            assert_ne!(stale, current, "block 1 rewrote hot/0");
            let (size1, ops_root1) = (db.bounds().end, db.ops_root());
            db = apply_block(db, &workload::block(2), QMDB, 2, None).await?.0;

            // At height 2 the database still proves operations against height 1's ops root, but
            // the superseded value of hot/0 verifies exactly like the one current at height 1.
            for loc in [stale, current] {
                let (proof, ops) = db.ops_historical_proof(size1, loc, NZU64!(1)).await?;
                assert!(commonware_storage::qmdb::verify_proof::<Sha256, _, _>(
                    &proof, loc, &ops, &ops_root1
                ));
            }
            Ok(())
        });
    }

    #[test]
    fn sequence_keys_keep_order_and_differ_in_the_translated_prefix() {
        let keys: Vec<Vec<u8>> = (0..3_000u64)
            .flat_map(|i| {
                let n = workload::number(i);
                ["invoice", "invoice-body", "invoice-circ"]
                    .map(|kind| KeyMode::Sequence.key(format!("{kind}/{n}").as_bytes()))
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup_by(|a, b| a[..8] == b[..8]);
        assert_eq!(sorted.len(), keys.len(), "two keys share their first 8 bytes");
        let a = KeyMode::Sequence.key(&workload::public_key(41));
        let b = KeyMode::Sequence.key(&workload::public_key(42));
        assert!(a < b, "sequence keys keep the numbers' order");
        assert_eq!(KeyMode::Sequence.key(b"hot/3"), b"\xffhot/3".to_vec());
    }

    #[test]
    fn bodies_can_be_left_out_and_pruning_keeps_the_root() {
        on_disk(|ctx| async move {
            let nobody = SEQ_NOBODY;
            let mut db = open(&ctx, "n", None).await?;
            for b in 0..PRUNE_EVERY {
                db = apply_block(db, &workload::block(b), nobody, b, None).await?.0;
            }
            let body = format!("invoice-body/{}", workload::number(7)).into_bytes();
            assert_eq!(db.get(&nobody.keys.key(&body)).await?, None);
            let (path, value) = public(7);
            let root = db.root();
            let proof = prove(&db, nobody.keys, 7).await?;
            assert!(verify(&proof, nobody.keys, &path, &value, &root));
            drop(db);
            let db = open(&ctx, "n", None).await?;
            assert_eq!(db.root(), root);
            Ok(())
        });
    }
}
