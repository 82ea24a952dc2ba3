//! Replay protection by expiry (ADR 0009 step 3): the ledger's decision — `replayed`,
//! `expired` or executed — equals a naive set of every executed hash, for random
//! sequences of blocks with duplicates, expiries at and around the block height, blocks
//! through `stage_block` and restarts; and the replay table only keeps rows that can still matter.

use crate::common::{code, genesis, key, next_block, tx};
use fapiao_app::Platform;
use fapiao_ledger::{
    replay,
    store::{ReadStore, Table},
    Ledger, RedbStore,
};
use fapiao_types::{Action, NewAccount, SignedTx, Suite};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// What the naive set says of a transaction in a block.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Replayed,
    Expired,
    Executed,
}

fn decision_of(code: &str) -> Decision {
    if code == Platform::Replayed.code() {
        Decision::Replayed
    } else if code == Platform::Expired.code() {
        Decision::Expired
    } else {
        Decision::Executed
    }
}

/// One step of a run.
#[derive(Clone, Debug)]
enum Step {
    /// A block of these transactions (indexes into the pool).
    Block(Vec<usize>),
    /// A block through `stage_block` (the node's call).
    Staged(Vec<usize>),
    /// Close and reopen the ledger.
    Restart,
}

fn step(pool: usize) -> impl Strategy<Value = Step> {
    let txs = prop::collection::vec(0..pool, 0..6);
    prop_oneof![
        5 => txs.clone().prop_map(Step::Block),
        2 => txs.prop_map(Step::Staged),
        1 => Just(Step::Restart),
    ]
}

/// `n` distinct transactions with expiries from `expiries` (the hash covers the
/// expiry, so a duplicate always has the same one).
fn pool(expiries: &[u64]) -> Vec<SignedTx> {
    let (_, orgs) = genesis();
    expiries
        .iter()
        .enumerate()
        .map(|(i, &expiry)| {
            tx(
                &orgs.tax_admin,
                i as u64,
                expiry,
                Action::AddAccount(NewAccount {
                    public_key: key(100 + i as u8, Suite::Ed25519).public_key(),
                    name: format!("member {i}"),
                    roles: vec![],
                }),
            )
        })
        .collect()
}

fn open(path: &std::path::Path) -> Ledger<RedbStore> {
    Ledger::open(RedbStore::open(path).unwrap(), genesis().0).unwrap()
}

const POOL: usize = 10;

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The ledger's decisions equal the naive set's, block by block; admission's replay
    /// check agrees with the set for every transaction that is not expired; and after
    /// the run the replay table keeps no row whose expiry is below the executed height.
    #[test]
    fn replay_decisions_equal_a_naive_sets(
        // Expiries among the first heights, so rows expire during the run: 1 is
        // expired from block 2 on, 12 outlives most runs.
        expiries in prop::collection::vec(1u64..14, POOL),
        steps in prop::collection::vec(step(POOL), 1..24),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.redb");
        let txs = pool(&expiries);
        let mut ledger = open(&path);
        let mut executed: BTreeSet<usize> = BTreeSet::new();
        for s in steps {
            let (picks, staged) = match s {
                Step::Restart => {
                    drop(ledger);
                    ledger = open(&path);
                    continue;
                }
                Step::Block(p) => (p, false),
                Step::Staged(p) => (p, true),
            };
            let block = next_block(&ledger, picks.iter().map(|&i| txs[i].clone()).collect());
            let height = block.header.height;
            let receipts = if staged {
                ledger.stage_block(&block, b"cert").unwrap()
            } else {
                ledger.execute_block(&block, b"cert").unwrap()
            };
            let mut in_block = BTreeSet::new();
            for (&i, r) in picks.iter().zip(&receipts) {
                let want = if in_block.contains(&i) {
                    Decision::Replayed
                } else if expiries[i] < height {
                    Decision::Expired
                } else if executed.contains(&i) {
                    Decision::Replayed
                } else {
                    Decision::Executed
                };
                prop_assert_eq!(decision_of(code(r)), want, "tx {} (expiry {}) at height {}", i, expiries[i], height);
                if decision_of(code(r)) != Decision::Replayed {
                    in_block.insert(i);
                    executed.insert(i);
                }
            }
            ledger.wait_durable(height).unwrap();
            // Admission asks for transactions above the durable tip.
            for (i, t) in txs.iter().enumerate() {
                if expiries[i] > height {
                    prop_assert_eq!(
                        ledger.replayed(&t.hash(), expiries[i]).unwrap(),
                        executed.contains(&i),
                        "admission's view of tx {}", i
                    );
                }
            }
        }
        let height = ledger.tip().height;
        drop(ledger);
        let store = RedbStore::open(&path).unwrap();
        for (k, _) in store.scan(Table::Replay, &[], usize::MAX).unwrap() {
            let expiry = u64::from_be_bytes(k[..8].try_into().unwrap());
            prop_assert!(expiry >= height, "row of expiry {} kept at height {}", expiry, height);
        }
    }
}

/// The edges, spelled out: a transaction is live at its expiry height and expired one
/// above; its row is gone once the chain passes its expiry; a duplicate inside the window
/// is `replayed`, a duplicate after it `expired`.
#[test]
fn expiry_edges_of_the_replay_set() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let ledger = open(&path);
    // Block 1 executes t (expiry 2); block 2 sees it replayed; block 3 sees it expired.
    let t = pool(&[2]).remove(0);
    let r = crate::common::run(&ledger, vec![t.clone()]);
    assert_eq!(code(&r[0]), "ok");
    let found = ledger.transaction_with_expiry(&t.hash(), 2).unwrap().unwrap();
    assert!(found.receipt.outcome.is_ok());
    assert_eq!((found.receipt.height, found.receipt.index), (1, 0));
    assert_eq!(found.tx.hash(), t.hash());
    assert!(ledger.replayed(&t.hash(), 2).unwrap());
    let r = crate::common::run(&ledger, vec![t.clone()]);
    assert_eq!(code(&r[0]), Platform::Replayed.code(), "live at its expiry height");
    // Block 2's own row for t is still there (expiry 2 is not below 2).
    assert!(ledger.replayed(&t.hash(), 2).unwrap());
    let r = crate::common::run(&ledger, vec![t.clone(), t.clone()]);
    assert_eq!(code(&r[0]), Platform::Expired.code(), "expired one above");
    assert_eq!(code(&r[1]), Platform::Replayed.code(), "a duplicate in one block stays replayed");
    assert!(!ledger.replayed(&t.hash(), 2).unwrap(), "pruned by block 3");
    assert!(ledger.transaction_with_expiry(&t.hash(), 2).unwrap().is_none());
    // The index by hash still finds the first execution, not the expired attempt.
    assert_eq!(ledger.transaction(&t.hash()).unwrap().unwrap().receipt.height, 1);
    drop(ledger);
    let store = RedbStore::open(&path).unwrap();
    assert_eq!(replay::find(&store, 2, &t.hash()).unwrap(), None);
    assert!(store.scan(Table::Replay, &[], 10).unwrap().is_empty());
}

/// A node without the index by hash writes no `txs` rows and answers the lookup with a
/// clear error, while replay protection and the lookup by (hash, expiry) work as before;
/// the state root does not depend on the switch.
#[test]
fn the_index_by_hash_can_be_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let off = open(&path).with_tx_index(false);
    let on = Ledger::open(fapiao_ledger::MemStore::new(), genesis().0).unwrap();
    assert!(on.keeps_tx_index() && !off.keeps_tx_index());
    let t = pool(&[50]).remove(0);
    for l in [&off as &dyn Run, &on] {
        assert_eq!(l.run(vec![t.clone()]), ["ok"]);
        assert_eq!(l.run(vec![t.clone()]), [Platform::Replayed.code()]);
    }
    assert_eq!(off.tip().state_root, on.tip().state_root);
    let err = off.transaction(&t.hash()).err().unwrap();
    assert!(matches!(err, fapiao_ledger::Error::TxIndexOff), "{err}");
    assert!(err.to_string().contains("tx_index"), "{err}");
    assert_eq!(on.transaction(&t.hash()).unwrap().unwrap().receipt.height, 1);
    let found = off.transaction_with_expiry(&t.hash(), 50).unwrap().unwrap();
    assert_eq!(found.receipt, on.transaction(&t.hash()).unwrap().unwrap().receipt);
    drop(off);
    let store = RedbStore::open(&path).unwrap();
    assert!(store.scan(Table::Txs, &[], 10).unwrap().is_empty());
    assert_eq!(store.scan(Table::Replay, &[], 10).unwrap().len(), 1);
}

/// A block runner over either store.
trait Run {
    fn run(&self, txs: Vec<SignedTx>) -> Vec<String>;
}

impl<S: fapiao_ledger::Store> Run for Ledger<S> {
    fn run(&self, txs: Vec<SignedTx>) -> Vec<String> {
        crate::common::run(self, txs).iter().map(|r| code(r).to_string()).collect()
    }
}
