//! Option (a) of issue 15: today's Jellyfish tree (`jmt` 0.12, `Sha256Jmt`) over one redb
//! file, with stale-node pruning and invoice bodies out of the tree.
//!
//! The layout follows the ledger's (`crates/ledger/src/store/`): tree nodes under
//! borsh(`NodeKey`), tree values under `len (u16 BE) ‖ state key ‖ version (u64 BE)`, one
//! durable redb write transaction per block, tree reads through a read transaction. What
//! option (a) adds:
//!
//! * **Pruning.** Each block persists jmt's stale-node index (`stale_since (u64 BE) ‖
//!   borsh(NodeKey)`) and a stale-value index (`stale_since (u64 BE) ‖ value key`: the row
//!   a new write of the same key supersedes, found by one range read before the write) in
//!   its own transaction, and deletes what became stale at versions `≤ current − RETAIN`.
//!   Every version in `current − RETAIN ..= current` stays provable, so a header that
//!   certifies a state a few blocks back still gets proofs.
//! * **Bodies out of the tree.** [`Kind::Body`] writes go to a plain, unversioned table
//!   keyed by state path; the real public record would carry the body's hash.
//!
//! [`measure`] runs the modes named in `SPIKE_JMT_MODES` (default
//! `jmt-pruned-be,jmt-pruned,jmt`): `jmt-pruned` is option (a) on the ledger's node-row
//! keys; `jmt-pruned-be` the same with node rows in version order ([`Mode::be_node_keys`]);
//! `jmt` is today's baseline (no pruning, bodies in the tree); `jmt-unpruned` keeps bodies
//! out but does not prune (to separate the two effects). Per size it also prints one line
//! of bytes per invoice by redb table, nodes made stale and rows pruned per block.

use crate::{
    workload::{self, Kind},
    Figures,
};
use anyhow::{anyhow, bail, ensure, Context};
use borsh::BorshDeserialize;
use jmt::{
    proof::SparseMerkleProof,
    storage::{LeafNode, Node, NodeKey, TreeReader},
    KeyHash, OwnedValue, RootHash, Sha256Jmt, Version,
};
use redb::{
    Database, ReadOnlyTable, ReadableDatabase, ReadableTable, ReadableTableMetadata,
    TableDefinition,
};
use sha2::Sha256;
use std::{
    path::Path,
    time::{Duration, Instant},
};

/// Versions kept provable behind the current one: nodes and values that became stale at
/// a version `≤ current − RETAIN` are deleted.
pub const RETAIN: u64 = 64;

type Def = TableDefinition<'static, &'static [u8], &'static [u8]>;
type ReadTable = ReadOnlyTable<&'static [u8], &'static [u8]>;
type WriteTable<'t> = redb::Table<'t, &'static [u8], &'static [u8]>;

/// Tree nodes: borsh(NodeKey) → borsh(Node).
const NODES: Def = TableDefinition::new("nodes");
/// Tree values: len (u16 BE) ‖ state key ‖ version (u64 BE) → 1 ‖ value (every tree
/// value, or with [`Mode::split_values`] those not in the two tables below).
const VALUES: Def = TableDefinition::new("values");
/// With [`Mode::split_values`]: the values of `invoice/…` keys.
const VALUES_PUBLIC: Def = TableDefinition::new("values_public");
/// With [`Mode::split_values`]: the values of `invoice-circ/…` keys.
const VALUES_CIRC: Def = TableDefinition::new("values_circ");
/// The values tables, by the id [`Mode::values_table`] gives.
const VALUE_TABLES: [Def; 3] = [VALUES, VALUES_PUBLIC, VALUES_CIRC];
/// Invoice bodies, out of the tree: state key → value.
const BODIES: Def = TableDefinition::new("bodies");
/// Stale-node index: stale_since (u64 BE) ‖ borsh(NodeKey) → empty.
const STALE_NODES: Def = TableDefinition::new("stale_nodes");
/// Stale-value index: stale_since (u64 BE) ‖ value key → empty.
const STALE_VALUES: Def = TableDefinition::new("stale_values");
/// Roots: version (u64 BE) → root (32 bytes); what headers would certify.
const ROOTS: Def = TableDefinition::new("roots");

const TABLES: [(&str, Def); 8] = [
    ("nodes", NODES),
    ("values", VALUES),
    ("values_public", VALUES_PUBLIC),
    ("values_circ", VALUES_CIRC),
    ("bodies", BODIES),
    ("stale_nodes", STALE_NODES),
    ("stale_values", STALE_VALUES),
    ("roots", ROOTS),
];

/// How the tree is kept: option (a) or a baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    /// Engine name in the figures.
    pub name: &'static str,
    /// Whether stale nodes and superseded values are indexed and deleted past [`RETAIN`].
    pub prune: bool,
    /// Whether [`Kind::Body`] writes go into the tree (today) or to a plain table.
    pub bodies_in_tree: bool,
    /// Node rows keyed `version (u64 BE) ‖ borsh(NibblePath)` (a block's new nodes are
    /// appended at the end of the table) instead of the ledger's borsh(`NodeKey`), whose
    /// little-endian version puts them in the middle.
    pub be_node_keys: bool,
    /// One values table per key kind (`invoice/…`, `invoice-circ/…`, the rest), so each
    /// kind's rows are appended at its table's end: one table interleaves append points
    /// and redb's middle page splits leave pages half full.
    pub split_values: bool,
}

impl Mode {
    /// The row key of a tree node.
    fn node_key(self, k: &NodeKey) -> anyhow::Result<Vec<u8>> {
        if self.be_node_keys {
            let mut out = k.version().to_be_bytes().to_vec();
            borsh::BorshSerialize::serialize(k.nibble_path(), &mut out)?;
            Ok(out)
        } else {
            Ok(borsh::to_vec(k)?)
        }
    }

    /// The id (index in [`VALUE_TABLES`]) of the values table that holds `key`.
    fn values_table(self, key: &[u8]) -> usize {
        match key {
            _ if !self.split_values => 0,
            k if k.starts_with(b"invoice/") => 1,
            k if k.starts_with(b"invoice-circ/") => 2,
            _ => 0,
        }
    }
}

/// Option (a): pruning, bodies out of the tree.
pub const PRUNED: Mode = Mode {
    name: "jmt-pruned",
    prune: true,
    bodies_in_tree: false,
    be_node_keys: false,
    split_values: false,
};
/// Option (a) with node rows in version order ([`Mode::be_node_keys`]) and one values
/// table per key kind ([`Mode::split_values`]).
pub const PRUNED_BE: Mode = Mode {
    name: "jmt-pruned-be",
    prune: true,
    bodies_in_tree: false,
    be_node_keys: true,
    split_values: true,
};
/// Today's ledger: nothing pruned, bodies in the tree.
pub const BASELINE: Mode = Mode {
    name: "jmt",
    prune: false,
    bodies_in_tree: true,
    be_node_keys: false,
    split_values: false,
};
/// Bodies out of the tree, nothing pruned (separates the two changes).
pub const UNPRUNED: Mode = Mode {
    name: "jmt-unpruned",
    prune: false,
    bodies_in_tree: false,
    be_node_keys: false,
    split_values: false,
};

/// Encodes a versioned value key: key length (u16 BE) ‖ state key ‖ version (u64 BE), as
/// the ledger's `store::value_key`.
fn value_key(key: &[u8], version: Version) -> Vec<u8> {
    let len = u16::try_from(key.len()).unwrap_or(u16::MAX);
    let mut k = Vec::with_capacity(2 + key.len() + 8);
    k.extend_from_slice(&len.to_be_bytes());
    k.extend_from_slice(key);
    k.extend_from_slice(&version.to_be_bytes());
    k
}

/// `version (u64 BE) ‖ rest`: the key of a stale-index row.
fn stale_key(version: Version, rest: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(8 + rest.len());
    k.extend_from_slice(&version.to_be_bytes());
    k.extend_from_slice(rest);
    k
}

/// The value of `key` at the greatest version `≤ max_version` in a values table.
fn read_value(
    values: &impl ReadableTable<&'static [u8], &'static [u8]>,
    key: &[u8],
    max_version: Version,
) -> anyhow::Result<Option<Vec<u8>>> {
    let (lo, hi) = (value_key(key, 0), value_key(key, max_version));
    match values.range::<&[u8]>(&lo[..]..=&hi[..])?.next_back() {
        Some(row) => {
            let (_, v) = row?;
            match v.value().split_first() {
                Some((1, rest)) => Ok(Some(rest.to_vec())),
                Some((0, [])) => Ok(None),
                _ => bail!("corrupt value row"),
            }
        }
        None => Ok(None),
    }
}

/// jmt's reader over a redb read transaction's tables.
struct Reader<'a> {
    mode: Mode,
    nodes: &'a ReadTable,
    /// The values table and the key a proof is being built for (jmt reads no other
    /// value: a tree update reads nodes only).
    proving: Option<(&'a ReadTable, KeyHash, &'a [u8])>,
}

impl TreeReader for Reader<'_> {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let k = self.mode.node_key(node_key)?;
        match self.nodes.get(k.as_slice())? {
            Some(v) => Ok(Some(Node::try_from_slice(v.value())?)),
            None => Ok(None),
        }
    }

    fn get_value_option(
        &self,
        max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        match self.proving {
            Some((values, hash, key)) if hash == key_hash => read_value(values, key, max_version),
            _ => bail!("the tree asked for the value of an unexpected key"),
        }
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        bail!("tree restoration is not supported")
    }
}

/// What one block cost.
#[derive(Clone, Copy, Debug)]
struct BlockTiming {
    /// Tree update, writes, pruning and durable commit.
    total: Duration,
    /// The write transaction alone: inserts, pruning and the fsync'd commit.
    commit: Duration,
    /// Deleting what fell past the horizon (part of `commit`).
    prune: Duration,
    /// Tree nodes this block made stale.
    stale: usize,
    /// Nodes and values deleted.
    pruned: usize,
}

/// A state in one redb file.
pub struct Engine {
    db: Database,
    mode: Mode,
    /// Version and root of the last commit (`None` while empty).
    tip: Option<(Version, [u8; 32])>,
}

impl Engine {
    /// Opens (or creates) the state in `path`.
    ///
    /// # Errors
    /// When redb fails or the roots table is corrupt.
    pub fn open(path: &Path, mode: Mode) -> anyhow::Result<Self> {
        let db = Database::create(path)?;
        let tx = db.begin_write()?;
        for (_, def) in TABLES {
            tx.open_table(def)?;
        }
        tx.commit()?;
        let tip = {
            let read = db.begin_read()?;
            let roots = read.open_table(ROOTS)?;
            let last = roots.last()?;
            match last {
                Some((k, v)) => {
                    let version = u64::from_be_bytes(k.value().try_into()?);
                    Some((version, v.value().try_into()?))
                }
                None => None,
            }
        };
        Ok(Self { db, mode, tip })
    }

    /// Version and root of the last commit.
    pub fn tip(&self) -> Option<(Version, [u8; 32])> {
        self.tip
    }

    /// The root the tree's nodes give at `version` (a check that the nodes are there).
    ///
    /// # Errors
    /// When the root node is missing or redb fails.
    pub fn tree_root(&self, version: Version) -> anyhow::Result<[u8; 32]> {
        let read = self.db.begin_read()?;
        let nodes = read.open_table(NODES)?;
        let reader = Reader { mode: self.mode, nodes: &nodes, proving: None };
        Ok(Sha256Jmt::new(&reader).get_root_hash(version)?.0)
    }

    /// The root recorded for `version`.
    ///
    /// # Errors
    /// When redb fails.
    pub fn root_at(&self, version: Version) -> anyhow::Result<Option<[u8; 32]>> {
        let read = self.db.begin_read()?;
        let roots = read.open_table(ROOTS)?;
        let root = roots.get(version.to_be_bytes().as_slice())?;
        root.map(|r| r.value().try_into().map_err(|_| anyhow!("corrupt root"))).transpose()
    }

    /// Applies one block's writes at the next version and commits them durably.
    ///
    /// # Errors
    /// When the tree or redb fails.
    pub fn apply(&mut self, writes: &[workload::Write]) -> anyhow::Result<[u8; 32]> {
        self.apply_timed(writes).map(|_| self.tip.map(|(_, r)| r).unwrap_or_default())
    }

    fn apply_timed(&mut self, writes: &[workload::Write]) -> anyhow::Result<BlockTiming> {
        let start = Instant::now();
        let version = self.tip.map_or(0, |(v, _)| v + 1);
        let in_tree = |w: &&workload::Write| self.mode.bodies_in_tree || w.kind != Kind::Body;
        let puts: Vec<(KeyHash, OwnedValue)> = writes
            .iter()
            .filter(in_tree)
            .map(|w| (KeyHash::with::<Sha256>(&w.key), w.value.clone()))
            .collect();
        let (root, update) = {
            let read = self.db.begin_read()?;
            let nodes = read.open_table(NODES)?;
            let reader = Reader { mode: self.mode, nodes: &nodes, proving: None };
            let (roots, update) =
                Sha256Jmt::new(&reader).batch_put_value_sets(vec![puts], None, version)?;
            (roots.first().copied().ok_or_else(|| anyhow!("no root computed"))?, update)
        };
        let commit_start = Instant::now();
        let (mut pruned, mut prune_time) = (0, Duration::ZERO);
        let tx = self.db.begin_write()?;
        {
            let mut nodes = tx.open_table(NODES)?;
            let mut scratch = Vec::with_capacity(1024);
            for (k, node) in update.node_batch.nodes() {
                let key = self.mode.node_key(k)?;
                scratch.clear();
                borsh::BorshSerialize::serialize(node, &mut scratch)?;
                nodes.insert(key.as_slice(), scratch.as_slice())?;
            }
            let mut values = [
                tx.open_table(VALUE_TABLES[0])?,
                tx.open_table(VALUE_TABLES[1])?,
                tx.open_table(VALUE_TABLES[2])?,
            ];
            let mut stale_values = tx.open_table(STALE_VALUES)?;
            let mut bodies = tx.open_table(BODIES)?;
            for w in writes {
                if !in_tree(&w) {
                    bodies.insert(w.key.as_slice(), w.value.as_slice())?;
                    continue;
                }
                let key = value_key(&w.key, version);
                let id = self.mode.values_table(&w.key);
                let table = &mut values[id];
                if self.mode.prune {
                    let lo = value_key(&w.key, 0);
                    let prev = match table.range::<&[u8]>(&lo[..]..&key[..])?.next_back() {
                        Some(row) => Some(row?.0.value().to_vec()),
                        None => None,
                    };
                    if let Some(prev) = prev {
                        // Index row: stale_since ‖ table id ‖ value row key.
                        let tagged = [&[id as u8][..], &prev].concat();
                        stale_values.insert(stale_key(version, &tagged).as_slice(), &[][..])?;
                    }
                }
                scratch.clear();
                scratch.push(1);
                scratch.extend_from_slice(&w.value);
                table.insert(key.as_slice(), scratch.as_slice())?;
            }
            if self.mode.prune {
                let mut stale_nodes = tx.open_table(STALE_NODES)?;
                for s in &update.stale_node_index_batch {
                    ensure!(s.stale_since_version == version, "stale index of another version");
                    let k = stale_key(version, &self.mode.node_key(&s.node_key)?);
                    stale_nodes.insert(k.as_slice(), &[][..])?;
                }
                if let Some(horizon) = version.checked_sub(RETAIN) {
                    let t = Instant::now();
                    pruned = prune(&mut stale_nodes, horizon, |k| {
                        nodes.remove(k)?;
                        Ok(())
                    })? + prune(&mut stale_values, horizon, |k| match k.split_first() {
                        Some((&id, key)) if usize::from(id) < values.len() => {
                            values[usize::from(id)].remove(key)?;
                            Ok(())
                        }
                        _ => bail!("corrupt stale-value row"),
                    })?;
                    prune_time = t.elapsed();
                }
            }
            let mut roots = tx.open_table(ROOTS)?;
            roots.insert(version.to_be_bytes().as_slice(), root.0.as_slice())?;
        }
        tx.commit()?;
        let end = Instant::now();
        self.tip = Some((version, root.0));
        Ok(BlockTiming {
            total: end - start,
            commit: end - commit_start,
            prune: prune_time,
            stale: update.stale_node_index_batch.len(),
            pruned,
        })
    }

    /// Reads `key` with a proof at `version`: the value and borsh(`SparseMerkleProof`).
    ///
    /// # Errors
    /// When the version is pruned or redb fails.
    pub fn prove(
        &self,
        key: &[u8],
        version: Version,
    ) -> anyhow::Result<(Option<Vec<u8>>, Vec<u8>)> {
        let read = self.db.begin_read()?;
        let nodes = read.open_table(NODES)?;
        let values = read.open_table(VALUE_TABLES[self.mode.values_table(key)])?;
        let hash = KeyHash::with::<Sha256>(key);
        let reader = Reader { mode: self.mode, nodes: &nodes, proving: Some((&values, hash, key)) };
        let (value, proof) = Sha256Jmt::new(&reader).get_with_proof(hash, version)?;
        Ok((value, borsh::to_vec(&proof)?))
    }

    /// Bytes in each table (leaf and branch pages × page size) and stored key+value bytes.
    fn table_bytes(&self) -> anyhow::Result<Vec<(&'static str, u64, u64)>> {
        let read = self.db.begin_read()?;
        let mut out = Vec::new();
        for (name, def) in TABLES {
            let s = read.open_table(def)?.stats()?;
            out.push((name, (s.leaf_pages() + s.branch_pages()) * 4096, s.stored_bytes()));
        }
        Ok(out)
    }
}

/// Deletes the rows an index names as stale since a version `≤ horizon` (`remove` gets
/// the index key after its stale_since (u64 BE)), and the index rows themselves.
fn prune(
    index: &mut WriteTable<'_>,
    horizon: Version,
    mut remove: impl FnMut(&[u8]) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let end = match horizon.checked_add(1) {
        Some(e) => e.to_be_bytes(),
        None => bail!("version overflow"),
    };
    let mut keys = Vec::new();
    for row in index.range::<&[u8]>(..&end[..])? {
        keys.push(row?.0.value().to_vec());
    }
    for k in &keys {
        remove(&k[8..])?;
        index.remove(k.as_slice())?;
    }
    Ok(keys.len())
}

/// Checks borsh(`SparseMerkleProof`) for `key` with `value` (or absent) against `root`.
///
/// # Errors
/// When the proof does not decode or does not verify.
pub fn verify(
    root: &[u8; 32],
    key: &[u8],
    value: Option<&[u8]>,
    proof: &[u8],
) -> anyhow::Result<()> {
    let proof = SparseMerkleProof::<Sha256>::try_from_slice(proof)?;
    proof.verify(RootHash(*root), KeyHash::with::<Sha256>(key), value)
}

/// The modes `SPIKE_JMT_MODES` names (default `jmt-pruned-be,jmt-pruned,jmt`).
fn modes() -> anyhow::Result<Vec<Mode>> {
    let names =
        std::env::var("SPIKE_JMT_MODES").unwrap_or_else(|_| "jmt-pruned-be,jmt-pruned,jmt".into());
    names
        .split(',')
        .map(|n| match n.trim() {
            "jmt-pruned" => Ok(PRUNED),
            "jmt" => Ok(BASELINE),
            "jmt-unpruned" => Ok(UNPRUNED),
            "jmt-pruned-be" => Ok(PRUNED_BE),
            other => {
                bail!("unknown jmt mode {other}: jmt-pruned, jmt-pruned-be, jmt, jmt-unpruned")
            }
        })
        .collect()
}

/// Fills a fresh state in `dir` block by block up to each of `sizes` invoices (ascending)
/// and reports the figures at each size, for each mode of `SPIKE_JMT_MODES`.
///
/// # Errors
/// When the engine fails, or a reopened state or a proof does not check.
pub fn measure(dir: &Path, sizes: &[u64]) -> anyhow::Result<Vec<Figures>> {
    let mut out = Vec::new();
    for mode in modes()? {
        let sub = dir.join(mode.name);
        std::fs::create_dir_all(&sub)?;
        out.extend(measure_mode(&sub, sizes, mode)?);
        std::fs::remove_dir_all(&sub)?;
    }
    Ok(out)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len().saturating_sub(1)) as f64 * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

fn measure_mode(dir: &Path, sizes: &[u64], mode: Mode) -> anyhow::Result<Vec<Figures>> {
    let path = dir.join("state.redb");
    let mut engine = Engine::open(&path, mode)?;
    let rss_before = crate::rss_bytes();
    let per_block = workload::INVOICES_PER_BLOCK;
    let mut next_block = 0u64;
    let mut out = Vec::new();
    for &size in sizes {
        let last_block = size.div_ceil(per_block);
        // The last ~10% of the blocks before this size (at least one).
        let window_start = last_block.saturating_sub((last_block / 10).max(1));
        let mut timings = Vec::new();
        while next_block < last_block {
            let t = engine.apply_timed(&workload::block(next_block))?;
            if next_block >= window_start {
                timings.push(t);
            }
            next_block += 1;
        }
        let invoices = next_block * per_block;
        let (version, root) = engine.tip().ok_or_else(|| anyhow!("nothing committed"))?;
        let rss_after = crate::rss_bytes();
        let live_keys = invoices * 3 + workload::HOT_KEYS;
        let total: Duration = timings.iter().map(|t| t.total).sum();
        let mut commits: Vec<Duration> = timings.iter().map(|t| t.commit).collect();
        commits.sort();
        let disk = crate::disk_bytes(dir)?;
        let tables = engine.table_bytes()?;

        // A public record, proven at the tip and RETAIN-ish blocks back.
        let key = workload::public_key(invoices / 2);
        let (value, proof) = engine.prove(&key, version)?;
        let value = value.ok_or_else(|| anyhow!("invoice {} absent", invoices / 2))?;
        verify(&root, &key, Some(&value), &proof).context("proof at the tip")?;
        let back = version.saturating_sub(10);
        let back_root = engine.root_at(back)?.ok_or_else(|| anyhow!("no root at {back}"))?;
        let (back_value, back_proof) = engine.prove(&key, back)?;
        verify(&back_root, &key, back_value.as_deref(), &back_proof)
            .context("proof ten versions back")?;
        const VERIFIES: u32 = 2_000;
        let t = Instant::now();
        for _ in 0..VERIFIES {
            verify(std::hint::black_box(&root), &key, Some(&value), &proof)?;
        }
        let verify_us = t.elapsed().as_secs_f64() * 1e6 / f64::from(VERIFIES);

        // Restart: close, reopen, check the root the nodes give.
        drop(engine);
        let t = Instant::now();
        engine = Engine::open(&path, mode)?;
        let reopened = engine.tip().ok_or_else(|| anyhow!("reopened empty"))?;
        let tree_root = engine.tree_root(reopened.0)?;
        let restart_ms = t.elapsed().as_secs_f64() * 1e3;
        ensure!(reopened == (version, root) && tree_root == root, "root changed on reopen");

        let per_inv = |b: u64| b as f64 / invoices as f64;
        let split: Vec<String> = tables
            .iter()
            .map(|(n, b, s)| format!("{n} {:.0} ({:.0} stored)", per_inv(*b), per_inv(*s)))
            .collect();
        let n = timings.len().max(1) as f64;
        println!(
            "{:<12} {:>9} invoices: B/invoice by table: {}; file {:.0}; per block: {:.0} nodes \
             made stale, {:.0} rows pruned in {:.1} ms",
            mode.name,
            invoices,
            split.join(", "),
            per_inv(disk),
            timings.iter().map(|t| t.stale).sum::<usize>() as f64 / n,
            timings.iter().map(|t| t.pruned).sum::<usize>() as f64 / n,
            timings.iter().map(|t| t.prune.as_secs_f64()).sum::<f64>() * 1e3 / n,
        );
        out.push(Figures {
            engine: mode.name,
            invoices,
            us_per_invoice: total.as_secs_f64() * 1e6 / (timings.len() as u64 * per_block) as f64,
            disk_bytes_per_invoice: per_inv(disk),
            commit_ms_p50: percentile(&commits, 0.5),
            commit_ms_max: percentile(&commits, 1.0),
            memory_bytes_per_key: rss_after.saturating_sub(rss_before) as f64 / live_keys as f64,
            restart_ms,
            proof_bytes: proof.len(),
            verify_us,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A few small blocks, past the retention horizon: reopen keeps the root, proofs of
    /// present keys verify at the tip and RETAIN versions back, a flipped byte fails, an
    /// absent key proves its absence, and pruning removed what it should.
    #[test]
    fn small_blocks_reopen_prove_and_prune() {
        small_blocks(PRUNED);
        small_blocks(PRUNED_BE);
    }

    fn small_blocks(mode: Mode) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.redb");
        let mut engine = Engine::open(&path, mode).unwrap();
        // Hot keys only after the first block, so many versions go by cheaply.
        let first = workload::block(0);
        engine.apply(&first[..30]).unwrap();
        let hot: Vec<_> = first[3000..].to_vec();
        for b in 1..=RETAIN + 5 {
            let mut writes = workload::block(b);
            writes.truncate(3);
            writes.extend(hot.iter().map(|w| workload::Write {
                value: workload::bytes(&[w.key.as_slice(), &b.to_be_bytes()].concat(), 64),
                ..w.clone()
            }));
            engine.apply(&writes).unwrap();
        }
        let (version, root) = engine.tip().unwrap();
        assert_eq!(version, RETAIN + 5);
        drop(engine);
        let engine = Engine::open(&path, mode).unwrap();
        assert_eq!(engine.tip(), Some((version, root)));
        assert_eq!(engine.tree_root(version).unwrap(), root);

        let key = workload::public_key(2);
        let (value, proof) = engine.prove(&key, version).unwrap();
        let value = value.unwrap();
        assert_eq!(value, first[6].value);
        verify(&root, &key, Some(&value), &proof).unwrap();
        for i in 0..proof.len() {
            let mut bad = proof.clone();
            bad[i] ^= 1;
            assert!(verify(&root, &key, Some(&value), &bad).is_err(), "flipped byte {i}");
        }
        let mut bad_root = root;
        bad_root[0] ^= 1;
        assert!(verify(&bad_root, &key, Some(&value), &proof).is_err());

        // A hot key at the oldest retained version, against that version's root.
        let hot_key = &hot[0].key;
        let old = version - RETAIN;
        let old_root = engine.root_at(old).unwrap().unwrap();
        let (old_value, old_proof) = engine.prove(hot_key, old).unwrap();
        let expected = workload::bytes(&[hot_key.as_slice(), &old.to_be_bytes()].concat(), 64);
        assert_eq!(old_value.as_deref(), Some(expected.as_slice()));
        verify(&old_root, hot_key, old_value.as_deref(), &old_proof).unwrap();
        // One version older is pruned.
        assert!(engine.prove(hot_key, old - 1).is_err());

        // Absence.
        let absent = workload::public_key(999_999);
        let (none, absence) = engine.prove(&absent, version).unwrap();
        assert!(none.is_none());
        verify(&root, &absent, None, &absence).unwrap();
        assert!(verify(&root, &absent, Some(b"x"), &absence).is_err());

        // Bodies are out of the tree, in their own table.
        let body_key = &first[1].key;
        assert_eq!(engine.prove(body_key, version).unwrap().0, None);
        let read = engine.db.begin_read().unwrap();
        let bodies = read.open_table(BODIES).unwrap();
        assert_eq!(bodies.get(body_key.as_slice()).unwrap().unwrap().value(), first[1].value);
        // Only the retained versions' superseded hot values are left.
        let values = read.open_table(VALUES).unwrap();
        let lo = value_key(hot_key, 0);
        let hi = value_key(hot_key, u64::MAX);
        let rows = values.range::<&[u8]>(&lo[..]..=&hi[..]).unwrap().count() as u64;
        assert_eq!(rows, RETAIN + 1);
    }

    /// Pruning does not change roots: option (a) and a tree without pruning agree when
    /// bodies are kept out of both.
    #[test]
    fn pruning_keeps_the_roots() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Engine::open(&dir.path().join("a.redb"), PRUNED).unwrap();
        let mut b = Engine::open(&dir.path().join("b.redb"), UNPRUNED).unwrap();
        let mut c = Engine::open(&dir.path().join("c.redb"), PRUNED_BE).unwrap();
        for blk in 0..3 {
            let mut writes = workload::block(blk);
            writes.drain(30..3000);
            let root = a.apply(&writes).unwrap();
            assert_eq!(root, b.apply(&writes).unwrap());
            assert_eq!(root, c.apply(&writes).unwrap());
        }
    }
}
