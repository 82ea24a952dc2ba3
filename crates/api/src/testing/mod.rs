//! Test scaffolding for crates that serve routes on this API (feature `testing`): an
//! [`ApiState`] over a ledger without consensus or keys, and the check that a set of
//! route tables is documented exactly; [`chain`], a chain of named people served by
//! such an API for route tests.

pub mod chain;

use crate::{ApiState, AppRoutes, Caller, ChainView, Custody, Metrics, PeerStatus};
use fapiao_ledger::{Ledger, Store};
use fapiao_mempool::{Admitter, Mempool, MempoolLimits};
use fapiao_types::{AccountId, PublicKey, SignedTx, Suite, Tx};
use std::{collections::BTreeSet, sync::Arc, time::Duration};

/// Consensus is not running: no peers, nothing finalized, no certificate decodes.
pub struct NoConsensus;

impl ChainView for NoConsensus {
    fn peers(&self) -> Vec<PeerStatus> {
        Vec::new()
    }
    fn finalized_height(&self) -> u64 {
        0
    }
    fn certificate_json(&self, _: u64, _: &[u8]) -> Option<serde_json::Value> {
        None
    }
}

/// A node that holds no keys and knows no tokens.
pub struct NoCustody;

impl Custody for NoCustody {
    fn authenticate(&self, _: &str) -> Result<Option<Caller>, String> {
        Ok(None)
    }
    fn sign(&self, _: &AccountId, _: Tx) -> Result<SignedTx, String> {
        Err("no keys".into())
    }
    fn generate(&self, _: &str, _: Suite) -> Result<PublicKey, String> {
        Err("no keystore".into())
    }
    fn create_token(&self, _: &AccountId, _: &str) -> Result<String, String> {
        Err("no tokens".into())
    }
}

/// The state of an API over `ledger` with a pool of at most `max_txs` transactions and
/// `custody`; no consensus, no QR key, default limits, a 100 ms wait for execution.
/// Override fields with struct update syntax. Call it inside a Tokio runtime (the
/// admitter is a task).
pub fn state<S: Store>(
    ledger: Arc<Ledger<S>>,
    max_txs: usize,
    custody: Arc<dyn Custody>,
) -> ApiState {
    let pool = Arc::new(Mempool::new(MempoolLimits::new(max_txs, 1 << 20)));
    let admitter = Admitter::spawn(ledger.clone(), pool.clone(), 64, 64);
    let (exec_tx, executed) = tokio::sync::watch::channel(0);
    // Nothing executes unless the test does, but the sender stays alive, so that a wait
    // for execution runs to its timeout as on a node.
    std::mem::forget(exec_tx);
    ApiState {
        reader: ledger,
        pool,
        admitter,
        executed,
        chain: Arc::new(NoConsensus),
        custody,
        metrics: Arc::new(Metrics::new()),
        wait_timeout: Duration::from_millis(100),
        max_body_bytes: 1 << 20,
        qr_signer: None,
        peers: None,
        limits: crate::limits::Limits::default(),
        audit: Arc::new(crate::AuditLog::without_file(Default::default())),
        secrets: None,
    }
}

/// Checks that the router built from [`crate::PLATFORM`] and `apps` and the OpenAPI
/// document describe exactly the same (method, path) pairs, that no route is declared
/// twice, that every operation documents the admission layer's 429 and 503, and that
/// every schema the document refers to is in it (the tables' schemas were merged).
///
/// # Panics
/// When they differ (this is a test helper).
pub fn assert_routes_documented(apps: &[AppRoutes]) {
    let routes = crate::all_routes(apps);
    let table: BTreeSet<(String, String)> =
        routes.iter().map(|(m, p, _)| (m.to_string(), p.replace("{*", "{"))).collect();
    assert_eq!(table.len(), routes.len(), "a route is declared twice");
    let doc: serde_json::Value =
        serde_json::from_str(&crate::openapi_json(apps)).expect("the document is JSON");
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            documented.insert((method.clone(), path.clone()));
            for code in ["429", "503"] {
                let r = &op["responses"][code];
                assert!(r.is_object(), "{method} {path} documents {code}");
                assert!(r["headers"]["Retry-After"].is_object(), "{method} {path} {code}");
            }
        }
    }
    assert_eq!(table, documented);
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for r in refs {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or(&r);
        assert!(doc["components"]["schemas"][name].is_object(), "{r} is not in the document");
    }
}

fn collect_refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|v| collect_refs(v, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}
