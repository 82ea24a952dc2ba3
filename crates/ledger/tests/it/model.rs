//! Model-based property test: random transaction sequences, invalid ones mixed in,
//! run through the redb-backed ledger and checked against an independent `BTreeMap`
//! model of membership; the same sequence on the in-memory store gives the same root
//! at every height, and so does execution through `stage_block` (as the node calls it);
//! every past height's accounts (`account_at`, the history table) are the model's then,
//! also after reopening.

use crate::common::*;
use fapiao_crypto::SigningKey;
use fapiao_ledger::{Ledger, MemStore, RedbStore, Store};
use fapiao_types::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Op {
    /// Sender (key index) adds key index with roles.
    Add { sender: usize, new: usize, roles: Vec<Role> },
    /// Sender revokes target.
    Revoke { sender: usize, target: usize },
    /// Re-send the previous transaction.
    Replay,
    /// Close the block.
    EndBlock,
}

const KEYS: usize = 8; // 0 = tax admin, 1 = bank admin, 2.. = candidates

fn op() -> impl Strategy<Value = Op> {
    let role = prop::sample::select(vec![
        Role::OrgAdmin,
        Role::TaxOfficer,
        Role::BankOfficer,
        Role::Auditor,
    ]);
    prop_oneof![
        4 => (0..KEYS, 2..KEYS, prop::collection::vec(role, 0..3)).prop_map(|(sender, new, roles)| Op::Add { sender, new, roles }),
        2 => (0..KEYS, 0..KEYS).prop_map(|(sender, target)| Op::Revoke { sender, target }),
        1 => Just(Op::Replay),
        2 => Just(Op::EndBlock),
    ]
}

#[derive(Clone, Debug, PartialEq)]
struct ModelAccount {
    org: String,
    roles: Vec<Role>,
    revoked: bool,
}

/// The reference: what membership should be, written independently of the executor.
struct Model {
    accounts: BTreeMap<AccountId, ModelAccount>,
    used: std::collections::BTreeSet<Hash32>,
    /// `accounts` after each height (index = height).
    history: Vec<BTreeMap<AccountId, ModelAccount>>,
}

impl Model {
    fn kind(org: &str) -> OrgKind {
        if org == "sz-tax" {
            OrgKind::TaxAuthority
        } else {
            OrgKind::Bank
        }
    }

    /// Returns whether the transaction succeeds, updating the model if it does.
    fn apply(&mut self, keys: &[SigningKey], t: &SignedTx) -> bool {
        if !self.used.insert(t.hash()) {
            return false;
        }
        let sender = t.tx.sender_account();
        let Some(s) = self.accounts.get(&sender).cloned() else { return false };
        if s.revoked || !s.roles.contains(&Role::OrgAdmin) {
            return false;
        }
        match &t.tx.action {
            Action::AddAccount(n) => {
                let id = n.public_key.account_id();
                if self.accounts.contains_key(&id)
                    || n.roles.iter().any(|r| !r.allowed_in(Self::kind(&s.org)))
                {
                    return false;
                }
                let mut roles = n.roles.clone();
                roles.sort();
                roles.dedup();
                self.accounts
                    .insert(id, ModelAccount { org: s.org.clone(), roles, revoked: false });
                true
            }
            Action::RevokeAccount { account } => {
                let _ = keys;
                if *account == sender {
                    return false;
                }
                match self.accounts.get_mut(account) {
                    Some(a) if a.org == s.org && !a.revoked => {
                        a.revoked = true;
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

fn keys() -> Vec<SigningKey> {
    let (_, o) = genesis();
    let mut v = vec![o.tax_admin, o.bank_admin];
    for i in 2..KEYS {
        v.push(key(100 + i as u8, if i % 2 == 0 { Suite::Ed25519 } else { Suite::Sm2 }));
    }
    v
}

fn drive<S: Store>(
    ledger: &Ledger<S>,
    ops: &[Op],
    keys: &[SigningKey],
    mut model: Option<&mut Model>,
    pipelined: bool,
) -> Vec<Hash32> {
    let mut roots = vec![ledger.tip().state_root];
    let mut pending: Vec<SignedTx> = Vec::new();
    let mut last: Option<SignedTx> = None;
    let mut nonce = 0u64;
    let flush =
        |pending: &mut Vec<SignedTx>, model: &mut Option<&mut Model>, roots: &mut Vec<Hash32>| {
            let txs = std::mem::take(pending);
            let receipts =
                if pipelined { stage(ledger, txs.clone()) } else { run(ledger, txs.clone()) };
            if let Some(m) = model.as_deref_mut() {
                for (t, r) in txs.iter().zip(&receipts) {
                    assert_eq!(m.apply(keys, t), r.outcome.is_ok(), "receipt {r:?} for {t:?}");
                }
                m.history.push(m.accounts.clone());
            }
            roots.push(ledger.executed_tip().state_root);
        };
    for op in ops {
        nonce += 1;
        let t = match op {
            Op::Add { sender, new, roles } => {
                add(&keys[*sender], nonce, &keys[*new], roles.clone())
            }
            Op::Revoke { sender, target } => tx(
                &keys[*sender],
                nonce,
                100,
                Action::RevokeAccount { account: keys[*target].account_id() },
            ),
            Op::Replay => match &last {
                Some(t) => t.clone(),
                None => continue,
            },
            Op::EndBlock => {
                flush(&mut pending, &mut model, &mut roots);
                continue;
            }
        };
        last = Some(t.clone());
        pending.push(t);
    }
    flush(&mut pending, &mut model, &mut roots);
    let top = ledger.executed_tip();
    ledger.wait_durable(top.height).unwrap();
    assert_eq!(ledger.tip(), top, "the last commit landed");
    roots
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn ledger_matches_model_and_roots_are_deterministic(ops in prop::collection::vec(op(), 1..40)) {
        let keys = keys();
        let (g, _) = genesis();
        let dir = tempfile::tempdir().unwrap();
        let redb = Ledger::open(RedbStore::open(&dir.path().join("s.redb")).unwrap(), g.clone()).unwrap();
        let mut model =
            Model { accounts: BTreeMap::new(), used: Default::default(), history: Vec::new() };
        for (i, k) in keys.iter().take(2).enumerate() {
            model.accounts.insert(k.account_id(), ModelAccount {
                org: if i == 0 { "sz-tax".into() } else { "bank".into() },
                roles: vec![Role::OrgAdmin],
                revoked: false,
            });
        }
        model.history.push(model.accounts.clone());
        let roots_redb = drive(&redb, &ops, &keys, Some(&mut model), false);
        for k in &keys {
            let got = redb.account(&k.account_id()).unwrap().map(|a| ModelAccount {
                org: a.org, roles: a.roles, revoked: a.revoked_at.is_some(),
            });
            prop_assert_eq!(got, model.accounts.get(&k.account_id()).cloned());
        }
        // Every past height answers as the model was then (the ledger's history table).
        let past = |l: &Ledger<RedbStore>, h: u64, k: &SigningKey| {
            l.account_at(h, &k.account_id()).unwrap().map(|a| a.map(|a| ModelAccount {
                org: a.org, roles: a.roles, revoked: a.revoked_at.is_some(),
            }))
        };
        for (h, accounts) in model.history.iter().enumerate() {
            for k in &keys {
                prop_assert_eq!(past(&redb, h as u64, k), Some(accounts.get(&k.account_id()).cloned()));
            }
        }
        prop_assert_eq!(past(&redb, model.history.len() as u64, &keys[0]), None, "not executed");
        let mem = Ledger::open(MemStore::new(), g.clone()).unwrap();
        let roots_mem = drive(&mem, &ops, &keys, None, false);
        prop_assert_eq!(&roots_redb, &roots_mem);
        // Through `stage_block`: the roots are the same, and so is the state, also after
        // reopening the store.
        let dir2 = tempfile::tempdir().unwrap();
        let path = dir2.path().join("p.redb");
        let piped = Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).unwrap();
        let roots_piped = drive(&piped, &ops, &keys, None, true);
        prop_assert_eq!(&roots_redb, &roots_piped);
        let tip = piped.tip();
        drop(piped);
        let reopened = Ledger::open(RedbStore::open(&path).unwrap(), g).unwrap();
        prop_assert_eq!(reopened.tip(), tip);
        for (h, accounts) in model.history.iter().enumerate() {
            for k in &keys {
                prop_assert_eq!(past(&reopened, h as u64, k), Some(accounts.get(&k.account_id()).cloned()));
            }
        }
        for k in &keys {
            prop_assert_eq!(
                reopened.account(&k.account_id()).unwrap(),
                redb.account(&k.account_id()).unwrap()
            );
        }
    }
}
