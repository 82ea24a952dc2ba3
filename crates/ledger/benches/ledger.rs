//! Ledger micro-benchmarks: block execution, the Merkle tree, proofs and the durable commit.
//!
//! * `execute_issue/{redb,mem}/{100,1000}`: [`Ledger::execute_block`] of a block of N
//!   `IssueInvoice` transactions (two lines each, four issuer accounts in turn) on a
//!   [`RedbStore`] in a temporary directory — durable commit included — and on the
//!   [`MemStore`]. Each is measured on a fresh chain first filled with 20,000 invoices
//!   (about 80,000 keys); each measured block then extends it, so the state keeps growing
//!   while the benchmark runs, as on a live node (the figures printed say by how much).
//!   Building and signing the blocks is not measured, and execution does not verify
//!   signatures (admission does): this is the cost of the rules, the tree and the commit.
//! * `jmt_update/{mem,redb}/K`: computing the new root and node batch for K fresh keys over
//!   a tree of 10,000 keys — the per-key Merkle cost, read through the [`Store`] as the
//!   ledger does (the redb variant pays a read transaction per node read). Not committed.
//! * `proof/prove/{mem,redb}` and `proof/verify`: [`Ledger::prove`] of an invoice leaf in a
//!   state of about 10,000 keys, and [`fapiao_verify::verify_state_proof`] of the result.
//!   The proof size is printed once.
//! * `commit_floor/...`: an empty block executed on redb (the per-block durable commit
//!   floor), on the MemStore for contrast, and a bare [`Store::commit`] of one small row;
//! * `commit_tree_update/{redb,mem}/1000`: [`Store::commit`] of the nodes and values of a
//!   1,000-key tree update — what the commit adds per key a block writes.
//!
//! ```text
//! cargo bench -p fapiao-ledger --bench ledger
//! ```

use borsh::BorshDeserialize;
use commonware_codec::Encode;
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::*;
use fapiao_invoice_types::{InvoiceAction, InvoiceKey};
use fapiao_ledger::{
    store::{Table, WriteBatch},
    Ledger, MemStore, RedbStore, Store,
};
use fapiao_types::*;
use jmt::{
    storage::{LeafNode, Node, NodeKey, TreeReader},
    KeyHash, OwnedValue, Sha256Jmt, Version,
};
use std::{
    hint::black_box,
    time::{Duration, Instant},
};
use tempfile::TempDir;

const CHAIN: &str = "fapiao-bench";
/// The seller: the `firm` organisation's taxpayer id (Huawei's published USCC).
const SELLER: &str = "914403001922038216";
/// The buyer (Tencent Shenzhen's published USCC); buyers need not be registered.
const BUYER: &str = "91440300708461136T";
/// Issuing accounts of the seller, used in turn.
const ISSUERS: usize = 4;
/// Keys in the tree of the `jmt_update` and `proof` benchmarks.
const TREE_KEYS: usize = 10_000;

// ---------------------------------------------------------------------------------------
// Fixture: a genesis with a tax authority and a seller enterprise, a tax officer, issuer
// accounts, the seller registered with credit — the approach of tests/it/common.rs.
// ---------------------------------------------------------------------------------------

/// Deterministic key from a seed byte.
fn key(seed: u8) -> SigningKey {
    let mut b = [seed; 32];
    b[0] = 1;
    SigningKey::from_bytes(Suite::Ed25519, &b).expect("valid seed")
}

fn genesis(tax_admin: &SigningKey, firm_admin: &SigningKey) -> Genesis {
    let admin = |name: &str, k: &SigningKey| GenesisAdmin {
        name: name.into(),
        suite: k.suite().as_str().into(),
        public_key: k.public_key().to_hex(),
    };
    Genesis {
        chain_id: CHAIN.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: 1_764_000_000_000,
        consensus: ConsensusParams::default(),
        organisations: vec![
            GenesisOrg {
                id: "sz-tax".into(),
                name: "Shenzhen Tax".into(),
                kind: OrgKind::TaxAuthority,
                tax_id: None,
                admins: vec![admin("tax admin", tax_admin)],
            },
            GenesisOrg {
                id: "firm".into(),
                name: "Firm".into(),
                kind: OrgKind::Enterprise,
                tax_id: Some(SELLER.parse().unwrap()),
                admins: vec![admin("firm admin", firm_admin)],
            },
        ],
        validators: vec![GenesisValidator {
            name: "v0".into(),
            org: "sz-tax".into(),
            public_key: hex::encode([9u8; 32]),
            p2p_address: "127.0.0.1:9000".into(),
        }],
        demo: false,
        governance: Default::default(),
        params: Default::default(),
    }
}

fn line(name: &str, quantity: &str, unit_price: &str) -> LineInput {
    LineInput {
        name: name.into(),
        tax_code: "3040201010000000000".into(),
        spec: String::new(),
        unit: "次".into(),
        quantity: Some(quantity.parse().unwrap()),
        unit_price: Some(unit_price.parse().unwrap()),
        amount: None,
        gross: None,
        rate: "0.06".parse().unwrap(),
        tax: None,
    }
}

/// A ledger with the seller ready to issue, and what is needed to build more blocks.
struct Chain<S> {
    ledger: Ledger<S>,
    issuers: Vec<SigningKey>,
    nonce: u64,
    /// Invoices issued so far.
    issued: u64,
    /// The directory of the redb file (kept alive with the chain).
    dir: Option<TempDir>,
}

impl<S: Store> Chain<S> {
    fn new(store: S, dir: Option<TempDir>) -> Self {
        let tax_admin = key(1);
        let firm_admin = key(3);
        let ledger = Ledger::open(store, genesis(&tax_admin, &firm_admin)).expect("opens");
        let officer = key(10);
        let issuers: Vec<SigningKey> = (0..ISSUERS as u8).map(|i| key(20 + i)).collect();
        let mut chain = Chain { ledger, issuers, nonce: 0, issued: 0, dir };

        let add = |nonce: u64, admin: &SigningKey, member: &SigningKey, role: Role| {
            sign(
                admin,
                nonce,
                Action::AddAccount(NewAccount {
                    public_key: member.public_key(),
                    name: "member".into(),
                    roles: vec![role],
                }),
            )
        };
        let mut txs = vec![add(1, &tax_admin, &officer, Role::TaxOfficer)];
        for (i, issuer) in chain.issuers.iter().enumerate() {
            txs.push(add(2 + i as u64, &firm_admin, issuer, Role::MerchantIssuer));
        }
        chain.run(txs);
        let register = Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
            uscc: SELLER.parse().unwrap(),
            name: "Firm".into(),
            region: "440300".parse().unwrap(),
            seller_type: SellerType::General,
            issuers: chain.issuers.iter().map(SigningKey::account_id).collect(),
        }));
        chain.run(vec![sign(&officer, 100, register)]);
        // Ten trillion yuan: never the limit here.
        let credit =
            GrantCredit { uscc: SELLER.parse().unwrap(), monthly_ceiling: 1_000_000_000_000_000 };
        chain.run(vec![sign(&officer, 101, Action::from(InvoiceAction::GrantCredit(credit)))]);
        chain.nonce = 1_000;
        chain
    }

    /// `n` signed issuances, each distinct.
    fn issuances(&mut self, n: usize) -> Vec<SignedTx> {
        self.issued += n as u64;
        (0..n)
            .map(|i| {
                self.nonce += 1;
                let issue = IssueInvoice {
                    seller: SELLER.parse().unwrap(),
                    kind: InvoiceKind::Special,
                    type_code: "81".into(),
                    buyer: Buyer {
                        kind: BuyerKind::Enterprise,
                        name: "深圳市腾讯计算机系统有限公司".into(),
                        tax_id: Some(BUYER.parse().unwrap()),
                        holder: None,
                    },
                    lines: vec![
                        line("*信息技术服务*软件开发服务", "1", "12000.00"),
                        line("*现代服务*咨询服务", "4", "850.00"),
                    ],
                    remarks: String::new(),
                    salt: sha256(&self.nonce.to_be_bytes()),
                    industry: None,
                };
                sign(
                    &self.issuers[i % ISSUERS],
                    self.nonce,
                    Action::from(InvoiceAction::IssueInvoice(issue)),
                )
            })
            .collect()
    }

    /// The next block on top of the tip.
    fn next_block(&self, txs: Vec<SignedTx>) -> Block {
        let tip = self.ledger.tip();
        Block::child(&tip.header, tip.header.time_ms + 500, 0, (tip.height, tip.state_root), txs)
    }

    /// Executes a block of `txs`, requiring every transaction to succeed.
    fn run(&self, txs: Vec<SignedTx>) -> Vec<Receipt> {
        let block = self.next_block(txs);
        let receipts = self.ledger.execute_block(&block, b"cert").expect("executes");
        check(&receipts);
        receipts
    }
}

fn sign(signer: &SigningKey, nonce: u64, action: Action) -> SignedTx {
    signer.sign_tx(Tx {
        chain_id: CHAIN.into(),
        sender: signer.public_key(),
        nonce,
        expiry: u64::MAX,
        action,
    })
}

fn check(receipts: &[Receipt]) {
    if let Some(bad) = receipts.iter().find(|r| !r.outcome.is_ok()) {
        panic!("a transaction failed: {bad:?}");
    }
}

fn mem_chain() -> Chain<MemStore> {
    Chain::new(MemStore::new(), None)
}

fn redb_chain() -> Chain<RedbStore> {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = RedbStore::open(&dir.path().join("state.redb")).expect("redb opens");
    Chain::new(store, Some(dir))
}

/// Times `iters` blocks of `n` issuances each; only `execute_block` is measured.
fn time_blocks<S: Store>(chain: &mut Chain<S>, n: usize, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let txs = chain.issuances(n);
        let block = chain.next_block(txs);
        let start = Instant::now();
        let receipts = chain.ledger.execute_block(black_box(&block), b"cert").expect("executes");
        total += start.elapsed();
        assert_eq!(receipts.len(), n);
        check(&receipts);
    }
    total
}

// ---------------------------------------------------------------------------------------
// (a) Block execution.
// ---------------------------------------------------------------------------------------

/// Invoices issued before `execute_issue` measures anything, so that the tree is not
/// trivially shallow (about 4 keys each).
const PREFILL_INVOICES: usize = 20_000;

fn execute_issue(c: &mut Criterion) {
    let mut g = c.benchmark_group("execute_issue");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    for n in [100usize, 1_000] {
        execute_on(&mut g, "redb", n, redb_chain);
        execute_on(&mut g, "mem", n, mem_chain);
    }
    g.finish();
}

/// Measures blocks of `n` issuances on a fresh, prefilled chain (built on first use, so
/// that a filtered-out benchmark costs nothing).
fn execute_on<S: Store>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    store: &str,
    n: usize,
    new_chain: fn() -> Chain<S>,
) {
    let mut chain: Option<(Chain<S>, u64)> = None;
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(BenchmarkId::new(store, n), |b| {
        let (chain, _) = chain.get_or_insert_with(|| {
            let mut chain = new_chain();
            for _ in 0..PREFILL_INVOICES / 1_000 {
                let txs = chain.issuances(1_000);
                chain.run(txs);
            }
            let before = chain.issued;
            (chain, before)
        });
        b.iter_custom(|iters| time_blocks(chain, n, iters))
    });
    if let Some((chain, before)) = chain {
        let file = chain.dir.as_ref().and_then(|d| d.path().join("state.redb").metadata().ok());
        eprintln!(
            "execute_issue/{store}/{n}: state grew from {before} to {} invoices (height {}){}",
            chain.issued,
            chain.ledger.tip().height,
            file.map(|m| format!(", state.redb {} MB", m.len() / 1_000_000)).unwrap_or_default()
        );
    }
}

// ---------------------------------------------------------------------------------------
// (b) The Merkle tree alone: jmt over the Store, as the ledger reads it.
// ---------------------------------------------------------------------------------------

/// jmt's reader over a [`Store`], laid out like the ledger's own (`src/tree.rs`): nodes in
/// [`Table::Nodes`] under borsh keys (a tree update reads no values).
struct Reader<'a, S>(&'a S);

impl<S: Store> TreeReader for Reader<'_, S> {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        match self.0.get(Table::Nodes, &borsh::to_vec(node_key)?)? {
            Some(bytes) => Ok(Some(Node::try_from_slice(&bytes)?)),
            None => Ok(None),
        }
    }

    fn get_value_option(&self, _: Version, _: KeyHash) -> anyhow::Result<Option<OwnedValue>> {
        anyhow::bail!("a tree update reads no values")
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        anyhow::bail!("not needed")
    }
}

/// `k` changes of fresh keys (numbered from `from`), with 200-byte values.
fn changes(from: usize, k: usize) -> Vec<(Vec<u8>, OwnedValue)> {
    (from..from + k).map(|i| (format!("invoice/{i:020}").into_bytes(), vec![0xab; 200])).collect()
}

/// The new root and the node batch of `changes` at `version`, as a [`WriteBatch`] — the
/// ledger's way: one sorted pass (`batch_put_value_sets`), values under their state keys.
fn tree_update<S: Store>(
    store: &S,
    version: Version,
    changes: Vec<(Vec<u8>, OwnedValue)>,
) -> ([u8; 32], WriteBatch) {
    let reader = Reader(store);
    let hashed =
        changes.iter().map(|(k, v)| (KeyHash::with::<sha2::Sha256>(k), v.clone())).collect();
    let (roots, update) = Sha256Jmt::new(&reader)
        .batch_put_value_sets(vec![hashed], None, version)
        .expect("tree update");
    let root = roots[0];
    let mut batch = WriteBatch::default();
    for (k, node) in update.node_batch.nodes() {
        let node = borsh::to_vec(node).expect("encodes");
        batch.put(Table::Nodes, borsh::to_vec(k).expect("encodes"), node);
    }
    batch.values = changes.into_iter().map(|(k, v)| (k, version, Some(v))).collect();
    (root.0, batch)
}

fn jmt_update(c: &mut Criterion) {
    let mut g = c.benchmark_group("jmt_update");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));

    let dir = tempfile::tempdir().expect("tempdir");
    let redb = RedbStore::open(&dir.path().join("tree.redb")).expect("redb opens");
    let mem = MemStore::new();
    // Version 1: a tree of TREE_KEYS keys, committed to both stores.
    fill_tree(&redb);
    fill_tree(&mem);
    for k in [100usize, 1_000] {
        g.throughput(Throughput::Elements(k as u64));
        g.bench_function(BenchmarkId::new("mem", k), |b| {
            b.iter(|| tree_update(&mem, 2, changes(TREE_KEYS, k)))
        });
        g.bench_function(BenchmarkId::new("redb", k), |b| {
            b.iter(|| tree_update(&redb, 2, changes(TREE_KEYS, k)))
        });
    }
    g.finish();
}

/// Commits a tree of [`TREE_KEYS`] keys at version 1.
fn fill_tree<S: Store>(store: &S) {
    let (_, batch) = tree_update(store, 1, changes(0, TREE_KEYS));
    store.commit(&batch).expect("commits");
}

// ---------------------------------------------------------------------------------------
// (c) State proofs at about 10,000 keys.
// ---------------------------------------------------------------------------------------

/// Issues invoices until the state has about [`TREE_KEYS`] keys (each issuance writes
/// four: `tx/`, `invoice/`, `invoice-body/`, `invoice-circ/`), then an empty block so that
/// the tip's header commits to that state. Returns an invoice number.
fn fill_with_invoices<S: Store>(chain: &mut Chain<S>) -> String {
    let mut number = String::new();
    for _ in 0..5 {
        let txs = chain.issuances(TREE_KEYS / 4 / 5);
        number = chain.run(txs)[0].output.to_string();
    }
    chain.run(vec![]);
    number
}

fn proofs(c: &mut Criterion) {
    let mut g = c.benchmark_group("proof");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));

    let mut mem = mem_chain();
    let number = fill_with_invoices(&mut mem);
    let key = StateKey::from(InvoiceKey::Invoice(number.parse().unwrap()));
    let proven = mem.ledger.prove(std::slice::from_ref(&key)).expect("proves");
    let p = &proven.proofs[0];
    let value = p.value.clone().expect("present");
    let root = proven.root;
    fapiao_verify::verify_state_proof(&root, &p.key, Some(&value), &p.proof).expect("verifies");
    let absent = mem
        .ledger
        .prove(&[StateKey::from(InvoiceKey::Invoice("0".repeat(20).parse().unwrap()))])
        .expect("proves")
        .proofs
        .remove(0);
    eprintln!(
        "state proof of invoice/{number}: key {} B, value {} B, proof {} B (borsh \
         SparseMerkleProof); absence proof {} B; header {} B; about {TREE_KEYS} keys",
        p.key.len(),
        value.len(),
        p.proof.len(),
        absent.proof.len(),
        mem.ledger.tip().header.encode().len(),
    );

    g.bench_function("prove/mem", |b| {
        b.iter(|| mem.ledger.prove(black_box(std::slice::from_ref(&key))).expect("proves"))
    });
    let mut redb = redb_chain();
    let redb_number = fill_with_invoices(&mut redb);
    let redb_key = StateKey::from(InvoiceKey::Invoice(redb_number.parse().unwrap()));
    g.bench_function("prove/redb", |b| {
        b.iter(|| redb.ledger.prove(black_box(std::slice::from_ref(&redb_key))).expect("proves"))
    });
    g.bench_function("verify", |b| {
        b.iter(|| {
            fapiao_verify::verify_state_proof(
                black_box(&root),
                black_box(&p.key),
                Some(black_box(&value)),
                black_box(&p.proof),
            )
            .expect("verifies")
        })
    });
    g.finish();
}

// ---------------------------------------------------------------------------------------
// (d) The per-block durable commit floor.
// ---------------------------------------------------------------------------------------

fn commit_floor(c: &mut Criterion) {
    let mut g = c.benchmark_group("commit_floor");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));

    let mut chain = redb_chain();
    g.bench_function("empty_block/redb", |b| {
        b.iter_custom(|iters| time_blocks(&mut chain, 0, iters))
    });
    let mut chain = mem_chain();
    g.bench_function("empty_block/mem", |b| {
        b.iter_custom(|iters| time_blocks(&mut chain, 0, iters))
    });

    let dir = tempfile::tempdir().expect("tempdir");
    let store = RedbStore::open(&dir.path().join("commit.redb")).expect("redb opens");
    let mut i = 0u64;
    g.bench_function("store_commit_1_row/redb", |b| {
        b.iter(|| {
            i += 1;
            let mut batch = WriteBatch::default();
            batch.put(Table::Meta, i.to_be_bytes(), vec![0u8; 256]);
            store.commit(&batch).expect("commits")
        })
    });
    g.finish();

    // What a block's commit adds per key written: the nodes and values of a 1,000-key
    // tree update (computed beforehand, not measured) committed in one transaction.
    let mut g = c.benchmark_group("commit_tree_update");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1_000));
    let dir = tempfile::tempdir().expect("tempdir");
    let redb = RedbStore::open(&dir.path().join("commit-tree.redb")).expect("redb opens");
    fill_tree(&redb);
    g.bench_function("redb/1000", |b| b.iter_custom(|iters| time_commits(&redb, iters)));
    let mem = MemStore::new();
    fill_tree(&mem);
    g.bench_function("mem/1000", |b| b.iter_custom(|iters| time_commits(&mem, iters)));
    g.finish();
}

/// Times `iters` commits of 1,000-key tree updates, each on top of the previous one.
fn time_commits<S: Store>(store: &S, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let version = latest_version(store) + 1;
        let from = TREE_KEYS + (version as usize - 2) * 1_000;
        let (root, mut batch) = tree_update(store, version, changes(from, 1_000));
        // Remember the version, as the ledger does with its roots table.
        batch.put(Table::Roots, b"bench-latest".to_vec(), version.to_be_bytes().to_vec());
        let start = Instant::now();
        store.commit(black_box(&batch)).expect("commits");
        total += start.elapsed();
        black_box(root);
    }
    total
}

/// The latest tree version committed by [`time_commits`] (1: the filled tree).
fn latest_version<S: Store>(store: &S) -> u64 {
    match store.get(Table::Roots, b"bench-latest").expect("reads") {
        Some(b) => u64::from_be_bytes(b.try_into().expect("8 bytes")),
        None => 1,
    }
}

criterion_group!(benches, execute_issue, jmt_update, proofs, commit_floor);
criterion_main!(benches);
