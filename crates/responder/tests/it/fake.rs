//! A fake node serving the three exchange routes the responder uses, over HTTP on
//! 127.0.0.1, with the chain's one rule that matters here: one answer per query.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
    Json, Router,
};
use fapiao_envelope::{binding, os_rng, seal, SecretKey, Suite};
use fapiao_responder::node::EnvelopeJson;
use serde_json::{json, Value};

pub const DEPT: &str = "police";
pub const ASKER: &str = "tax";
pub const TOKEN: &str = "police-token";

#[derive(Clone, Debug)]
pub struct Query {
    pub id: String,
    pub height: u64,
    pub item: String,
    pub subject_tag: String,
    pub purpose: String,
    pub envelope: EnvelopeJson,
}

#[derive(Clone, Debug)]
pub struct Answer {
    pub query: String,
    pub outcome: String,
    pub envelope: EnvelopeJson,
}

#[derive(Default)]
pub struct Chain {
    pub queries: Vec<Query>,
    pub answers: Vec<Answer>,
    /// Every POST of an answer, accepted or refused.
    pub posts: usize,
    pub keys: BTreeMap<String, (Suite, u32, Vec<u8>)>,
    /// The inbox lists answered queries as open too: a node whose index lags the chain.
    pub lagging_inbox: bool,
    /// The chain's height (transactions past their expiry are refused).
    pub height: u64,
    /// Every signed transaction relayed, by its bytes (a resubmission is `replayed`).
    pub relayed: std::collections::BTreeSet<Vec<u8>>,
    /// The sender accounts of the answers relayed as signed transactions.
    pub signers: Vec<String>,
    /// Queries about a person no consent covers (the inbox says `covered: false`).
    pub uncovered: std::collections::BTreeSet<String>,
}

pub const CHAIN_ID: &str = "fake-chain";

async fn status(State(c): State<Arc<Mutex<Chain>>>) -> Json<Value> {
    let c = c.lock().unwrap();
    Json(json!({"chain_id": CHAIN_ID, "height": c.height}))
}

/// `POST /v1/transactions`: decodes a signed exchange transaction, checks its signature,
/// expiry and replay, and applies an answer as the chain would.
async fn transactions(
    State(c): State<Arc<Mutex<Chain>>>,
    body: axum::body::Bytes,
) -> (StatusCode, Json<Value>) {
    use fapiao_exchange_types::{ExchangeAction, ExchangeBodies};
    use fapiao_types::{ActionCodecs, SignedTx, TxLimits};
    static BODIES: [&'static dyn fapiao_types::ActionBodies; 1] = [&ExchangeBodies];
    let limits = TxLimits { max_tx_bytes: 1 << 20, actions: ActionCodecs(&BODIES) };
    let Ok(stx) = SignedTx::decode_limited(&body, &limits) else {
        return err(StatusCode::BAD_REQUEST, "malformed");
    };
    let payload = SignedTx::signing_payload(&stx.tx);
    if fapiao_crypto::verify(&stx.tx.sender, &payload, &stx.signature).is_err() {
        return err(StatusCode::UNAUTHORIZED, "bad_signature");
    }
    let mut c = c.lock().unwrap();
    if stx.tx.chain_id != CHAIN_ID {
        return err(StatusCode::BAD_REQUEST, "wrong_chain");
    }
    if c.height > stx.tx.expiry {
        return err(StatusCode::BAD_REQUEST, "expired");
    }
    if !c.relayed.insert(body.to_vec()) {
        return err(StatusCode::CONFLICT, "replayed");
    }
    let Ok(ExchangeAction::Answer(a)) = ExchangeAction::try_from(&stx.tx.action) else {
        return err(StatusCode::BAD_REQUEST, "not_an_answer");
    };
    let query = hex::encode(a.query);
    let receipt = if c.answers.iter().any(|x| x.query == query) {
        json!({"status": "failed", "code": "exchange.already_answered"})
    } else {
        c.signers.push(stx.tx.sender.account_id().to_string());
        let envelope = EnvelopeJson {
            suite: a.envelope.suite.as_str().into(),
            key_epoch: a.envelope.key_epoch,
            enc: hex::encode(&a.envelope.enc),
            ciphertext: hex::encode(&a.envelope.ciphertext),
        };
        c.answers.push(Answer { query, outcome: a.outcome.as_str().into(), envelope });
        json!({"status": "ok"})
    };
    (StatusCode::OK, Json(json!({"hash": "00", "status": "committed", "receipt": receipt})))
}

#[derive(Clone)]
pub struct FakeNode {
    pub chain: Arc<Mutex<Chain>>,
    pub url: String,
}

fn authorized(h: &HeaderMap) -> bool {
    h.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {TOKEN}"))
}

fn err(status: StatusCode, code: &str) -> (StatusCode, Json<Value>) {
    (status, Json(json!({"code": code, "message": code})))
}

async fn inbox(State(c): State<Arc<Mutex<Chain>>>, h: HeaderMap) -> (StatusCode, Json<Value>) {
    if !authorized(&h) {
        return err(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let c = c.lock().unwrap();
    let open: Vec<Value> = c
        .queries
        .iter()
        .filter(|q| c.lagging_inbox || !c.answers.iter().any(|a| a.query == q.id))
        .map(|q| {
            let covered = if c.uncovered.contains(&q.id) { json!(false) } else { Value::Null };
            json!({"id": q.id, "height": q.height, "from": ASKER, "item": q.item,
                   "subject_tag": q.subject_tag, "purpose": q.purpose, "person": null,
                   "answered": false, "covered": covered, "envelope": q.envelope})
        })
        .collect();
    (StatusCode::OK, Json(json!({ "queries": open })))
}

async fn key(
    State(c): State<Arc<Mutex<Chain>>>,
    Path(org): Path<String>,
) -> (StatusCode, Json<Value>) {
    let c = c.lock().unwrap();
    match c.keys.get(&org) {
        Some((suite, epoch, pk)) => (
            StatusCode::OK,
            Json(
                json!({"org": org, "epoch": epoch, "suite": suite.name(), "public_key": hex::encode(pk)}),
            ),
        ),
        None => err(StatusCode::NOT_FOUND, "not_found"),
    }
}

async fn answer(
    State(c): State<Arc<Mutex<Chain>>>,
    h: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if !authorized(&h) {
        return err(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let mut c = c.lock().unwrap();
    c.posts += 1;
    let query = body["query"].as_str().unwrap().to_owned();
    if !c.queries.iter().any(|q| q.id == query) {
        return err(StatusCode::NOT_FOUND, "exchange.unknown_query");
    }
    if c.answers.iter().any(|a| a.query == query) {
        return err(StatusCode::CONFLICT, "exchange.already_answered");
    }
    let envelope: EnvelopeJson = serde_json::from_value(body["envelope"].clone()).unwrap();
    c.answers.push(Answer { query, outcome: body["outcome"].as_str().unwrap().into(), envelope });
    (StatusCode::OK, Json(json!({"hash": "00", "status": "committed"})))
}

impl FakeNode {
    pub async fn start() -> FakeNode {
        let chain = Arc::new(Mutex::new(Chain::default()));
        let app = Router::new()
            .route("/v1/exchange/inbox", get(inbox))
            .route("/v1/exchange/keys/{org}", get(key))
            .route("/v1/exchange/answers", post(answer))
            .route("/v1/status", get(status))
            .route("/v1/transactions", post(transactions))
            .with_state(chain.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeNode { chain, url }
    }

    pub fn register(&self, org: &str, epoch: u32, sk: &SecretKey) {
        let pk = sk.public_key();
        self.chain.lock().unwrap().keys.insert(org.into(), (pk.suite(), epoch, pk.to_bytes()));
    }

    /// The asker seals `payload` to the department's key and puts the query on the chain.
    pub fn ask(&self, item: &str, payload: &Value) -> String {
        let mut c = self.chain.lock().unwrap();
        let (suite, epoch, pk) = c.keys[DEPT].clone();
        let pk = fapiao_envelope::PublicKey::from_bytes(suite, &pk).unwrap();
        let n = c.queries.len() as u64 + 1;
        let id = hex::encode([n as u8; 32]);
        let tag = [0x5a; 32];
        let purpose = format!("case-{n}");
        let aad = binding::query_aad(&binding::QueryBinding {
            from: ASKER,
            to: DEPT,
            item,
            subject_tag: &tag,
            purpose: &purpose,
            person: None,
            key_epoch: epoch,
        });
        let plain = serde_json::to_vec(payload).unwrap();
        let s = seal(suite, &pk, &binding::query_info(), &aad, &plain, &mut os_rng()).unwrap();
        c.queries.push(Query {
            id: id.clone(),
            height: n,
            item: item.into(),
            subject_tag: hex::encode(tag),
            purpose,
            envelope: EnvelopeJson {
                suite: suite.name().into(),
                key_epoch: epoch,
                enc: hex::encode(s.enc),
                ciphertext: hex::encode(s.ciphertext),
            },
        });
        id
    }

    /// A query whose envelope is garbage.
    pub fn ask_garbage(&self, item: &str) -> String {
        let mut c = self.chain.lock().unwrap();
        let n = c.queries.len() as u64 + 1;
        let id = hex::encode([n as u8; 32]);
        let (suite, epoch) = (c.keys[DEPT].0, c.keys[DEPT].1);
        c.queries.push(Query {
            id: id.clone(),
            height: n,
            item: item.into(),
            subject_tag: hex::encode([0; 32]),
            purpose: "case-x".into(),
            envelope: EnvelopeJson {
                suite: suite.name().into(),
                key_epoch: epoch,
                enc: "00".repeat(32),
                ciphertext: "11".repeat(40),
            },
        });
        id
    }

    /// The asker opens the answer to `query`: (outcome, payload).
    pub fn read_answer(&self, asker: &SecretKey, query: &str) -> (String, Value) {
        let c = self.chain.lock().unwrap();
        let a = c.answers.iter().find(|a| a.query == query).expect("answered");
        let qid = hex::decode(query).unwrap();
        let aad = binding::answer_aad(&binding::AnswerBinding {
            query_id: &qid,
            from: DEPT,
            to: ASKER,
            outcome: &a.outcome,
            key_epoch: a.envelope.key_epoch,
        });
        let plain = fapiao_envelope::open(
            asker,
            Suite::from_name(&a.envelope.suite).unwrap(),
            &hex::decode(&a.envelope.enc).unwrap(),
            &hex::decode(&a.envelope.ciphertext).unwrap(),
            &binding::answer_info(&qid),
            &aad,
        )
        .expect("the asker opens the answer");
        (a.outcome.clone(), serde_json::from_slice(&plain).unwrap())
    }

    pub fn answers_to(&self, query: &str) -> usize {
        self.chain.lock().unwrap().answers.iter().filter(|a| a.query == query).count()
    }
}
