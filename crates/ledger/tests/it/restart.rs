//! Restarts of the two stores (ADR 0009 Decision 5): closing and reopening, dropping the
//! state database without closing it (a crash), a crash between the state database's
//! commit and the store's (the database one block ahead: reopened at the size recorded for
//! the store's height, the block executed again to the same root), a lost state database
//! (refused as corruption), and `record_at` at past heights.

use crate::common::*;
use fapiao_ledger::Error;
use fapiao_ledger::{Ledger, MemStore, RedbStore};
use fapiao_types::*;

/// Blocks adding accounts (and empty ones), from a reference ledger.
fn reference_blocks(n: u8) -> (Ledger<MemStore>, Vec<Block>) {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let mut blocks = Vec::new();
    for i in 0..n {
        let txs = if i % 3 == 2 {
            vec![]
        } else {
            vec![add(&o.tax_admin, u64::from(i) + 1, &key(60 + i, Suite::Ed25519), vec![])]
        };
        let b = next_block(&l, txs);
        l.execute_block(&b, b"cert").unwrap();
        blocks.push(b);
    }
    (l, blocks)
}

fn open(path: &std::path::Path) -> fapiao_ledger::Result<Ledger<RedbStore>> {
    Ledger::open(RedbStore::open(path).unwrap(), genesis().0)
}

/// The same reads on both: tip, every root, and the proofs at the tip.
/// A temporary data directory and the store file in it.
fn data_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    (dir, path)
}

/// Executes `blocks` in order on `l`.
fn execute(l: &Ledger<RedbStore>, blocks: &[Block]) {
    for b in blocks {
        l.execute_block(b, b"cert").unwrap();
    }
}

fn assert_same(l: &Ledger<RedbStore>, reference: &Ledger<MemStore>) {
    let tip = l.tip();
    assert_eq!(tip.state_root, reference.state_root_at(tip.height).unwrap().unwrap());
    for h in 0..=tip.height {
        assert_eq!(l.state_root_at(h).unwrap(), reference.state_root_at(h).unwrap(), "root {h}");
    }
    let keys: Vec<StateKey> =
        (0..8).map(|i| StateKey::Account(key(60 + i, Suite::Ed25519).account_id())).collect();
    let proven = l.prove(&keys).unwrap();
    assert_eq!((proven.height, proven.root), (tip.height, tip.state_root));
    for (k, p) in keys.iter().zip(&proven.proofs) {
        assert_eq!(p.value, l.get_raw(k).unwrap());
        fapiao_ledger::verify_state_proof(&proven.root, &p.key, p.value.as_deref(), &p.proof)
            .unwrap();
    }
}

#[test]
fn a_closed_ledger_reopens_at_its_tip_and_goes_on() {
    let (reference, blocks) = reference_blocks(8);
    let (dir, path) = data_dir();
    let l = open(&path).unwrap();
    assert_eq!(l.state_dir(), dir.path().join("state"), "the state database beside the file");
    execute(&l, &blocks[..5]);
    drop(l);
    let l = open(&path).unwrap();
    assert_eq!(l.tip().height, 5);
    assert_same(&l, &reference);
    execute(&l, &blocks[5..]);
    assert_same(&l, &reference);
}

#[test]
fn a_ledger_dropped_without_closing_reopens_at_its_tip() {
    let (reference, blocks) = reference_blocks(8);
    let (_dir, path) = data_dir();
    for round in 0..2 {
        let l = open(&path).unwrap();
        execute(&l, &blocks[round * 4..round * 4 + 4]);
        l.crash();
    }
    let l = open(&path).unwrap();
    assert_eq!(l.tip().height, 8);
    assert_same(&l, &reference);
}

/// Commits `changes` at `height` straight to the state database of `dir`, as the ledger
/// would just before a crash that kept the store from committing.
fn commit_ahead(dir: &std::path::Path, height: u64, changes: fapiao_state::Changes) {
    commit_ahead_then(dir, height, changes, true)
}

/// [`commit_ahead`], closing the database (`close`) or not (a crash right after).
fn commit_ahead_then(
    dir: &std::path::Path,
    height: u64,
    changes: fapiao_state::Changes,
    close: bool,
) {
    use commonware_runtime::Runner as _;
    let config = commonware_runtime::tokio::Config::new().with_storage_directory(dir);
    commonware_runtime::tokio::Runner::new(config).start(|ctx| async move {
        let mut state =
            fapiao_state::QmdbState::open(ctx, fapiao_ledger::state_db::PREFIX).await.unwrap();
        state.apply_block(height, changes).await.unwrap();
        if close {
            state.close().await.unwrap();
        }
    });
}

#[test]
fn a_crash_between_the_two_commits_executes_the_block_again_to_the_same_root() {
    let (reference, blocks) = reference_blocks(6);
    let (_dir, path) = data_dir();
    let l = open(&path).unwrap();
    execute(&l, &blocks[..4]);
    let state_dir = l.state_dir().to_path_buf();
    let before = l.tip();
    drop(l);
    // Block 5's state commit landed, its store commit did not (other changes than the
    // block's own: whatever it was, it is discarded).
    commit_ahead(&state_dir, 5, vec![(b"org/ghost".to_vec(), Some(b"never".to_vec()))]);
    let l = open(&path).unwrap();
    assert_eq!(l.tip(), before, "reopened at the store's height");
    assert_eq!(l.get_raw(&StateKey::Org("ghost".into())).unwrap(), None);
    assert_same(&l, &reference);
    execute(&l, &blocks[4..]);
    assert_same(&l, &reference);
    // Twice in a row, and after a block without state changes (no state commit of its own).
    assert!(blocks[5].txs.is_empty());
    drop(l);
    commit_ahead(&state_dir, 7, vec![(b"org/ghost".to_vec(), Some(b"again".to_vec()))]);
    let l = open(&path).unwrap();
    assert_eq!(l.tip().height, 6);
    assert_same(&l, &reference);
}

#[test]
fn a_lost_state_database_is_refused_as_corruption() {
    let (_, blocks) = reference_blocks(3);
    let (_dir, path) = data_dir();
    let l = open(&path).unwrap();
    execute(&l, &blocks);
    let state_dir = l.state_dir().to_path_buf();
    drop(l);
    std::fs::remove_dir_all(&state_dir).unwrap();
    let err = open(&path).err().unwrap();
    assert!(matches!(err, Error::Corrupt { what: "state", .. }), "{err}");
    assert!(err.to_string().contains("lost or replaced"), "{err}");
}

#[test]
fn records_are_read_at_past_heights_from_their_history() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let m = key(90, Suite::Ed25519);
    let id = m.account_id();
    run(&l, vec![]); // 1
    run(&l, vec![add(&o.tax_admin, 1, &m, vec![Role::TaxOfficer])]); // 2
    run(&l, vec![]); // 3
    run(&l, vec![tx(&o.tax_admin, 2, 100, Action::RevokeAccount { account: id })]); // 4
    let at = |h| l.account_at(h, &id).unwrap().map(|a| a.map(|a| a.revoked_at.is_some()));
    assert_eq!(at(0), Some(None));
    assert_eq!(at(1), Some(None));
    assert_eq!(at(2), Some(Some(false)));
    assert_eq!(at(3), Some(Some(false)));
    assert_eq!(at(4), Some(Some(true)));
    assert_eq!(at(5), None, "not executed");
    // Genesis records are in the history from height 0.
    let org = l.record_at::<OrgRecord>(0, &StateKey::Org("firm".into())).unwrap();
    assert_eq!(org.flatten().map(|o| o.id), Some("firm".to_string()));
    assert!(l.mechanics_at(0, 1).unwrap().is_some());
    // Only the kinds read at past heights keep a history.
    let invoice = StateKey::parse("invoice/26440000000000000001").unwrap_or(StateKey::ProposalSeq);
    assert!(matches!(l.record_at::<OrgRecord>(2, &invoice), Err(Error::NoHistory(_))));
    assert!(matches!(
        l.record_at::<OrgRecord>(2, &StateKey::ProposalSeq),
        Err(Error::NoHistory(_))
    ));
}

/// As above, with neither the ledger nor the database closed (a kill): the database
/// rebuilds its Merkle structure from its log, then rewinds.
#[test]
fn a_kill_between_the_two_commits_executes_the_block_again_to_the_same_root() {
    let (reference, blocks) = reference_blocks(6);
    let (_dir, path) = data_dir();
    let l = open(&path).unwrap();
    execute(&l, &blocks[..4]);
    let state_dir = l.state_dir().to_path_buf();
    l.crash();
    commit_ahead_then(&state_dir, 5, vec![(b"org/ghost".to_vec(), Some(b"never".to_vec()))], false);
    let l = open(&path).unwrap();
    assert_eq!(l.tip().height, 4);
    assert_same(&l, &reference);
    execute(&l, &blocks[4..]);
    assert_same(&l, &reference);
}

/// A larger state dropped without closing (thousands of operations for the database to
/// replay into its Merkle structure at the next open) reopens at its tip — also from inside
/// a tokio task, as the node opens it (where the task's cooperative budget once ran out
/// during the replay and the open hung: `state_db::StateDb::run`).
#[test]
fn a_larger_state_dropped_without_closing_reopens_also_inside_a_tokio_task() {
    let (g, o) = genesis();
    let (dir, path) = data_dir();
    let l = Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).unwrap();
    let mut nonce = 0;
    for b in 0..30u32 {
        let txs = (0..150u32)
            .map(|i| {
                nonce += 1;
                let mut seed = [7u8; 32];
                seed[..4].copy_from_slice(&b.to_be_bytes());
                seed[4..8].copy_from_slice(&i.to_be_bytes());
                let k = fapiao_crypto::SigningKey::from_bytes(Suite::Ed25519, &seed).unwrap();
                add(&o.tax_admin, nonce, &k, vec![])
            })
            .collect();
        run(&l, txs);
    }
    let tip = l.tip();
    l.crash();
    let started = std::time::Instant::now();
    let l = open(&path).unwrap();
    eprintln!("reopened in {:?}", started.elapsed());
    assert_eq!(l.tip(), tip);
    l.crash();
    // As the node opens it: inside the root future of its own Commonware tokio runtime.
    use commonware_runtime::Runner as _;
    let consensus = dir.path().join("consensus");
    let config = commonware_runtime::tokio::Config::new().with_storage_directory(consensus);
    let reopened = commonware_runtime::tokio::Runner::new(config).start(|_ctx| async move {
        let l = open(&path).unwrap();
        l.tip()
    });
    assert_eq!(reopened, tip);
}
