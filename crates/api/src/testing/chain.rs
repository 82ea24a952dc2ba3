//! A chain for route tests: named people with fixed keys and the tokens `tok-<name>`
//! ([`People`], which is also the node's custody), a one-validator genesis of given
//! organisations, blocks executed as consensus would ([`execute`], or [`execute_certified`] at a
//! given time), members added by
//! their organisations' admins ([`add_members`]), an [`ApiState`] whose pool a
//! background task executes every few milliseconds ([`serve`]; another node of the same
//! chain: [`another_node`]), and one HTTP call through a router ([`call`]).
//!
//! Test scaffolding: it panics on what a test got wrong (an unknown name, a refused
//! member).
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use crate::{ApiState, Caller, Custody};
use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use fapiao_crypto::SigningKey;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::{
    AccountId, Action, Block, ConsensusParams, Genesis, GenesisAdmin, GenesisOrg, GenesisValidator,
    Hash32, NewAccount, OrgKind, Outcome, PublicKey, Receipt, Role, SignedTx, Suite, Tx,
};
use http_body_util::BodyExt;
use serde_json::Value;
use std::{
    path::PathBuf,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};
use tower::ServiceExt;

/// The people of a test, each a name and the byte its Ed25519 seed repeats; `tok-<name>`
/// acts for `name`.
#[derive(Clone, Copy, Debug)]
pub struct People(pub &'static [(&'static str, u8)]);

impl People {
    /// `name`'s signing key.
    pub fn key(&self, name: &str) -> SigningKey {
        let seed = self.0.iter().find(|(n, _)| *n == name).map(|(_, s)| *s);
        let seed = seed.unwrap_or_else(|| panic!("no person {name:?} in the test"));
        SigningKey::from_bytes(Suite::Ed25519, &[seed; 32]).unwrap()
    }

    /// `name`'s account id.
    pub fn account(&self, name: &str) -> AccountId {
        self.key(name).public_key().account_id()
    }

    /// An organisation whose one admin is `admin`.
    pub fn org(
        &self,
        id: &str,
        name: &str,
        kind: OrgKind,
        admin: &str,
        tax_id: Option<&str>,
    ) -> GenesisOrg {
        GenesisOrg {
            id: id.into(),
            name: name.into(),
            kind,
            tax_id: tax_id.map(|t| t.parse().unwrap()),
            admins: vec![GenesisAdmin {
                name: format!("{id} admin"),
                suite: "ed25519".into(),
                public_key: self.key(admin).public_key().to_hex(),
            }],
        }
    }
}

impl Custody for People {
    fn authenticate(&self, bearer: &str) -> Result<Option<Caller>, String> {
        let name = bearer.strip_prefix("tok-").unwrap_or("");
        Ok(self
            .0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, _)| Caller { account: self.account(n), token_id: bearer.into() }))
    }
    fn sign(&self, a: &AccountId, t: Tx) -> Result<SignedTx, String> {
        let (name, _) = self.0.iter().find(|(n, _)| self.account(n) == *a).ok_or("no such key")?;
        Ok(self.key(name).sign_tx(t))
    }
    fn generate(&self, n: &str, s: Suite) -> Result<PublicKey, String> {
        super::NoCustody.generate(n, s)
    }
    fn create_token(&self, a: &AccountId, n: &str) -> Result<String, String> {
        super::NoCustody.create_token(a, n)
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    crate::clock::now_ms()
}

/// The test chain's one validator: its finality certificates ([`execute_certified`])
/// verify offline against a genesis of [`genesis`].
pub fn validator_key() -> ed25519_consensus::SigningKey {
    ed25519_consensus::SigningKey::from([3u8; 32])
}

/// The [`validator_key`]'s finality blob of `header` (height ‖ digest ‖ its real
/// finalization certificate): what a node stores with a block it finalized.
pub fn certificate_of(header: &fapiao_types::Header) -> Vec<u8> {
    fapiao_crosschain::testing::certificate(&[validator_key()], header, &[0])
}

/// A one-validator genesis ([`validator_key`]) of `chain_id` with `organisations`, begun an
/// hour ago.
pub fn genesis(chain_id: &str, organisations: Vec<GenesisOrg>) -> Genesis {
    Genesis {
        chain_id: chain_id.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: now_ms() - 3_600_000,
        consensus: ConsensusParams::default(),
        organisations,
        validators: vec![GenesisValidator {
            name: "v".into(),
            org: String::new(),
            public_key: hex::encode(validator_key().verification_key().to_bytes()),
            p2p_address: "127.0.0.1:1".into(),
        }],
        demo: false,
        governance: Default::default(),
        params: Default::default(),
    }
}

/// Executes `txs` in one block at the wall-clock time (the routes compute with today's
/// date, as the chain does with its block's).
/// Its finality blob names no block, so proofs wait (`not_final_yet`) as on a node whose
/// newest block is not certified yet.
pub fn execute(ledger: &Ledger<MemStore>, txs: Vec<SignedTx>) -> Vec<Receipt> {
    let tip = ledger.executed_tip();
    let time = now_ms().max(tip.header.time_ms + 1);
    let block = Block::child(&tip.header, time, 0, (tip.height, tip.state_root), txs);
    ledger.execute_block(&block, b"test").unwrap()
}

/// Executes `txs` in one block at `time_ms` (or just after the tip's time), stored with the
/// [`validator_key`]'s real finality certificate of it: the block is certified, so the
/// proof bundles and packages whose state its header certifies are served and verify
/// offline with the genesis.
pub fn execute_certified(
    ledger: &Ledger<MemStore>,
    time_ms: u64,
    txs: Vec<SignedTx>,
) -> Vec<Receipt> {
    let tip = ledger.executed_tip();
    let time = time_ms.max(tip.header.time_ms + 1);
    let block = Block::child(&tip.header, time, 0, (tip.height, tip.state_root), txs);
    ledger.execute_block(&block, &certificate_of(&block.header)).unwrap()
}

/// Executes an empty certified block ([`execute_certified`] at `time_ms`) after `delay`:
/// the chain's next block, coming while a request waits for the header that certifies the
/// state it proved (a proof at the tip is certified by a later header). Call it inside a
/// Tokio runtime, while nothing else executes.
pub fn certify_later(
    ledger: Arc<Ledger<MemStore>>,
    time_ms: u64,
    delay: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        execute_certified(&ledger, time_ms, Vec::new());
    })
}

/// Adds each `(admin, member, role)`: the admin's organisation gains the member's account
/// with that role, in one block; every one must succeed.
pub fn add_members(people: People, ledger: &Ledger<MemStore>, members: &[(&str, &str, Role)]) {
    let chain_id = ledger.genesis().chain_id.clone();
    let txs = members
        .iter()
        .map(|(admin, who, role)| {
            people.key(admin).sign_tx(Tx {
                chain_id: chain_id.clone(),
                sender: people.key(admin).public_key(),
                nonce: 1,
                expiry: 50,
                action: Action::AddAccount(NewAccount {
                    public_key: people.key(who).public_key(),
                    name: (*who).into(),
                    roles: vec![*role],
                }),
            })
        })
        .collect();
    let receipts = execute(ledger, txs);
    assert!(receipts.iter().all(|r| matches!(r.outcome, Outcome::Ok)), "{receipts:?}");
}

/// The API state over `ledger` with `people` as custody and `secrets` as its secrets
/// directory; a background task executes what the pool holds every few milliseconds, as
/// consensus would. Call it inside a Tokio runtime.
pub fn serve(ledger: Arc<Ledger<MemStore>>, people: People, secrets: Option<PathBuf>) -> ApiState {
    serve_blocks(ledger, people, secrets, None, false)
}

/// [`serve`], each block certified as it executes ([`execute_certified`]) and timed by
/// `clock` (ms since the Unix epoch, which the test moves) when given, else by the wall
/// clock.
pub fn serve_certified(
    ledger: Arc<Ledger<MemStore>>,
    people: People,
    secrets: Option<PathBuf>,
    clock: Option<Arc<AtomicU64>>,
) -> ApiState {
    serve_blocks(ledger, people, secrets, clock, true)
}

fn serve_blocks(
    ledger: Arc<Ledger<MemStore>>,
    people: People,
    secrets: Option<PathBuf>,
    clock: Option<Arc<AtomicU64>>,
    certified: bool,
) -> ApiState {
    let state = super::state(ledger.clone(), 64, Arc::new(people));
    let (exec_tx, executed) = tokio::sync::watch::channel(ledger.executed_tip().height);
    let state = ApiState { executed, wait_timeout: Duration::from_secs(10), secrets, ..state };
    let pool = state.pool.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let height = ledger.executed_tip().height + 1;
            let txs = pool.select(height, 100);
            if txs.is_empty() {
                continue;
            }
            let hashes: Vec<Hash32> = txs.iter().map(SignedTx::hash).collect();
            if certified {
                let time = clock.as_ref().map_or_else(now_ms, |c| c.load(Ordering::SeqCst));
                execute_certified(&ledger, time, txs);
            } else {
                execute(&ledger, txs);
            }
            pool.on_executed(height, &hashes);
            if exec_tx.send(height).is_err() {
                return;
            }
        }
    });
    state
}

/// Calls `method path` as `who` (`""`: no token) with `body`; the status and JSON
/// (`null` when the body is not JSON).
pub async fn call(
    app: &Router,
    method: &str,
    path: &str,
    who: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if !who.is_empty() {
        req = req.header("authorization", format!("Bearer tok-{who}"));
    }
    let req = match body {
        Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Asserts that `resp` is 503 `not_final_yet` with `Retry-After: 1`, answered after the
/// bounded wait for a certifying header (2–10 s since `asked`), never at once or never.
pub async fn assert_not_final_yet(resp: axum::response::Response, asked: std::time::Instant) {
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.headers()["retry-after"], "1");
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let e: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(e["code"], "not_final_yet", "{e}");
    let waited = asked.elapsed();
    assert!(
        waited >= std::time::Duration::from_secs(2) && waited < std::time::Duration::from_secs(10),
        "{waited:?}"
    );
}

/// Another node of the chain `state` serves: the same ledger, pool and custody, keeping its
/// secrets in `secrets` (or none) — e.g. a node without the chain secret.
pub fn another_node(state: &ApiState, secrets: Option<PathBuf>) -> ApiState {
    ApiState {
        reader: state.reader.clone(),
        pool: state.pool.clone(),
        admitter: state.admitter.clone(),
        executed: state.executed.clone(),
        chain: state.chain.clone(),
        custody: state.custody.clone(),
        metrics: state.metrics.clone(),
        wait_timeout: state.wait_timeout,
        max_body_bytes: state.max_body_bytes,
        qr_signer: None,
        peers: None,
        limits: state.limits.clone(),
        audit: state.audit.clone(),
        secrets,
    }
}
