//! One round of the responder: read the open inbox, answer what is not settled.
//!
//! For each open query, oldest first: skip it if settled; otherwise take the pending
//! sealed answer from the state file, or make one — open the query's envelope, bind the
//! mapped SQL's parameters from the decrypted payload, run it, seal the rows to the
//! asker's current key — and record it as pending. Then submit it. Success, and the
//! chain's `exchange.already_answered`, settle the query; another refusal settles it as
//! refused (logged: retrying cannot change the chain's mind); an unreachable node or a
//! failing database leaves it for the next round. A query the department cannot answer
//! — an item it has not mapped, an envelope that does not open, a payload that is not
//! `{"subject": …, "params": {…}}` or lacks a bound field — is answered `declined`.

use std::collections::{BTreeMap, BTreeSet};

use fapiao_envelope::{binding, open, os_rng, seal, PublicKey, SecretKey, Suite};
use serde_json::{json, Value};

use crate::{
    config::Config,
    db::Db,
    node::{AnswerRequest, EnvelopeJson, InboxQuery, NodeClient},
    state::{Pending, StateFile},
    Error, Result,
};

/// At most this many rows go into one answer; a query matching more is declined.
pub const MAX_ROWS: usize = 1000;

/// The largest answer plaintext sealed, in bytes: an envelope's ciphertext is at most
/// 64 KiB (`fapiao_exchange_types::MAX_CIPHERTEXT`) and a transaction carries the rest
/// of the answer too; a larger answer is declined instead.
pub const MAX_ANSWER_BYTES: usize = 48 * 1024;

/// A self-signed answer may be included up to this many blocks after the height it was
/// signed at (the CLI's default; the chain caps it at its expiry window).
const EXPIRY_BLOCKS: u64 = 100;

/// Where a test stops the responder as if it were killed.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailPoint {
    /// After the pending answer is durable, before it is submitted.
    AfterRecord,
    /// After the node accepted the answer, before the state file says so.
    AfterSubmit,
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Queries answered in this round (including ones the chain had already answered).
    pub settled: Vec<String>,
    /// Queries left for a later round (node or database unavailable).
    pub deferred: Vec<String>,
}

/// A department's responder.
pub struct Responder {
    cfg: Config,
    node: NodeClient,
    db: Db,
    keys: BTreeMap<u32, SecretKey>,
    state: StateFile,
    signer: Option<fapiao_crypto::SigningKey>,
    /// Tests only: stop at this point of the next answer with [`Error::Stopped`].
    #[doc(hidden)]
    pub fail_at: Option<FailPoint>,
}

impl Responder {
    /// Load the keys and the state file and connect to the database.
    ///
    /// # Errors
    /// [`Error::Key`] for a key file that does not read, or two for one epoch;
    /// [`Error::State`], [`Error::Database`] as their openings fail.
    pub async fn new(cfg: Config, http: reqwest::Client) -> Result<Responder> {
        let mut keys = BTreeMap::new();
        for path in &cfg.key_files {
            let kf = fapiao_envelope::read_key_file(path)?;
            if keys.insert(kf.epoch, kf.secret).is_some() {
                return Err(Error::Config(format!("two key files for epoch {}", kf.epoch)));
            }
        }
        let signer = match &cfg.account_key {
            Some(path) => Some(
                fapiao_keystore::read_key_file(path)
                    .map_err(|e| Error::Config(format!("account_key {}: {e}", path.display())))?,
            ),
            None => None,
        };
        let state = StateFile::open(&cfg.state_file)?;
        let db = Db::connect(&cfg.database, cfg.init_sql.as_deref()).await?;
        let node = NodeClient::new(http, &cfg.node, &cfg.token);
        Ok(Responder { cfg, node, db, keys, state, signer, fail_at: None })
    }

    /// One round over the open inbox.
    ///
    /// # Errors
    /// [`Error::Node`] when the inbox cannot be read, [`Error::State`] when the state
    /// file cannot be written (the round stops: nothing is submitted unrecorded).
    pub async fn round(&mut self) -> Result<Round> {
        let mut inbox = self.node.inbox().await?;
        inbox.sort_by(|a, b| (a.height, &a.id).cmp(&(b.height, &b.id)));
        let open: BTreeSet<&str> =
            inbox.iter().filter(|q| !q.answered).map(|q| q.id.as_str()).collect();
        self.state.retain_open(&open)?;
        let mut round = Round::default();
        for q in &inbox {
            if q.answered || self.state.is_done(&q.id) {
                continue;
            }
            if q.covered == Some(false) && self.state.pending(&q.id).is_none() {
                // About a person who has not consented (yet): the chain would refuse the
                // answer. Wait; a consent may come, and the query stays in the inbox.
                round.deferred.push(q.id.clone());
                continue;
            }
            match self.answer(q).await {
                Ok(()) => round.settled.push(q.id.clone()),
                Err(e @ (Error::State(_) | Error::Stopped)) => return Err(e),
                Err(e) => {
                    tracing::warn!(query = %q.id, item = %q.item, error = %e, "responder.answer deferred");
                    round.deferred.push(q.id.clone());
                }
            }
        }
        Ok(round)
    }

    async fn answer(&mut self, q: &InboxQuery) -> Result<()> {
        let mut pending = match self.state.pending(&q.id) {
            Some(p) => {
                tracing::info!(query = %q.id, "responder.answer resubmitting the recorded answer");
                p.clone()
            }
            None => {
                let mut p = self.prepare(q).await?;
                if self.signer.is_some() {
                    p.tx = Some(self.sign_answer(q, &p).await?);
                }
                self.state.record_pending(&q.id, p.clone())?;
                if self.fail_at == Some(FailPoint::AfterRecord) {
                    return Err(Error::Stopped);
                }
                p
            }
        };
        let submitted = if self.signer.is_some() {
            self.submit_signed(q, &mut pending).await
        } else {
            let req = AnswerRequest {
                query: &q.id,
                outcome: &pending.outcome,
                envelope: &pending.envelope,
            };
            self.node.post_answer(&req).await
        };
        let how = match submitted {
            Ok(_) => "answered".to_owned(),
            Err(Error::Refused { code, .. }) if code == "exchange.already_answered" => {
                "already_answered".to_owned()
            }
            // The very transaction is on the chain or in its pool already (a resubmission
            // after a crash): its own receipt is the answer's.
            Err(Error::Refused { code, .. }) if code == "replayed" => "replayed".to_owned(),
            Err(Error::Refused { code, message, .. }) => {
                tracing::error!(query = %q.id, code = %code, message = %message, "responder.answer refused");
                format!("refused:{code}")
            }
            Err(e) => return Err(e),
        };
        if self.fail_at == Some(FailPoint::AfterSubmit) {
            return Err(Error::Stopped);
        }
        tracing::info!(query = %q.id, item = %q.item, outcome = %pending.outcome, settled = %how, "responder.answer");
        self.state.settle(&q.id, &how)
    }

    /// Relay the pending answer's signed transaction (signing it first if it was recorded
    /// without one). An expired transaction is signed again with a fresh expiry, the same
    /// envelope, and recorded before it is sent.
    async fn submit_signed(&mut self, q: &InboxQuery, p: &mut Pending) -> Result<Value> {
        if p.tx.is_none() {
            p.tx = Some(self.sign_answer(q, p).await?);
            self.state.record_pending(&q.id, p.clone())?;
        }
        let bytes = tx_bytes(p)?;
        match self.node.post_tx(bytes).await {
            Err(Error::Refused { code, .. }) if code == "expired" => {
                p.tx = Some(self.sign_answer(q, p).await?);
                self.state.record_pending(&q.id, p.clone())?;
                receipt_result(self.node.post_tx(tx_bytes(p)?).await?)
            }
            other => receipt_result(other?),
        }
    }

    /// The signed `exchange_answer` transaction of `p` (hex).
    async fn sign_answer(&self, q: &InboxQuery, p: &Pending) -> Result<String> {
        use fapiao_exchange_types::{
            AnswerOutcome, AnswerQuery, Envelope, EnvelopeSuite, ExchangeAction,
        };
        let Some(key) = &self.signer else {
            return Err(Error::Config("no account_key to sign with".into()));
        };
        let bad = |what: &str| Error::State(format!("pending answer to {}: {what}", q.id));
        let envelope = Envelope {
            suite: EnvelopeSuite::parse(&p.envelope.suite).map_err(|_| bad("suite"))?,
            key_epoch: p.envelope.key_epoch,
            enc: hex::decode(&p.envelope.enc).map_err(|_| bad("enc"))?,
            ciphertext: hex::decode(&p.envelope.ciphertext).map_err(|_| bad("ciphertext"))?,
        };
        let query: fapiao_types::Hash32 =
            hex::decode(&q.id)
                .ok()
                .and_then(|v| v.try_into().ok())
                .ok_or_else(|| Error::Node(format!("query id {} is not 32 bytes of hex", q.id)))?;
        let outcome = AnswerOutcome::parse(&p.outcome).map_err(|_| bad("outcome"))?;
        let action = ExchangeAction::Answer(AnswerQuery { query, outcome, envelope });
        let (chain_id, height) = self.node.status().await?;
        let tx = fapiao_types::Tx {
            chain_id,
            sender: key.public_key(),
            nonce: rand_core::RngCore::next_u64(&mut rand_core::OsRng),
            expiry: height.saturating_add(EXPIRY_BLOCKS),
            action: fapiao_types::Action::from(action),
        };
        let stx = key.sign_tx(tx);
        Ok(hex::encode(commonware_codec::Encode::encode(&stx)))
    }

    /// The answer to `q`, sealed to the asker. Errors are transient (retried later);
    /// what the department will never answer becomes a `declined` answer instead.
    async fn prepare(&self, q: &InboxQuery) -> Result<Pending> {
        let (outcome, payload) = match self.decrypt(q)? {
            Err(reason) => ("declined", json!({ "reason": reason })),
            Ok(query) => match self.run_mapping(q, &query).await? {
                Err(reason) => ("declined", json!({ "reason": reason })),
                Ok(rows) if rows.is_empty() => ("not_found", json!({ "rows": [] })),
                Ok(rows) => ("found", json!({ "rows": rows })),
            },
        };
        let mut plain = serde_json::to_vec(&payload).map_err(|e| Error::Node(e.to_string()))?;
        let mut outcome = outcome;
        if plain.len() > MAX_ANSWER_BYTES {
            outcome = "declined";
            let reason = format!("the answer is over {MAX_ANSWER_BYTES} bytes; narrow the query");
            plain = serde_json::to_vec(&json!({ "reason": reason }))
                .map_err(|e| Error::Node(e.to_string()))?;
        }
        let key = self.node.org_key(&q.from).await?;
        let suite = Suite::from_name(&key.suite).map_err(|_| {
            Error::Node(format!("{}'s key has unknown suite {}", q.from, key.suite))
        })?;
        let pk_bytes = hex::decode(&key.public_key)
            .map_err(|_| Error::Node(format!("{}'s key is not hex", q.from)))?;
        let pk = PublicKey::from_bytes(suite, &pk_bytes)?;
        let qid =
            hex::decode(&q.id).map_err(|_| Error::Node(format!("query id {} is not hex", q.id)))?;
        let info = binding::answer_info(&qid);
        let aad = binding::answer_aad(&binding::AnswerBinding {
            query_id: &qid,
            from: &self.cfg.org,
            to: &q.from,
            outcome,
            key_epoch: key.epoch,
        });
        let sealed = seal(suite, &pk, &info, &aad, &plain, &mut os_rng())?;
        Ok(Pending {
            outcome: outcome.to_owned(),
            envelope: EnvelopeJson {
                suite: suite.name().to_owned(),
                key_epoch: key.epoch,
                enc: hex::encode(&sealed.enc),
                ciphertext: hex::encode(&sealed.ciphertext),
            },
            tx: None,
        })
    }

    /// The decrypted query, or why it is declined. A key epoch the responder does not
    /// hold is an operator's problem, not the asker's: that query waits.
    fn decrypt(&self, q: &InboxQuery) -> Result<std::result::Result<Value, String>> {
        let env = &q.envelope;
        let Some(secret) = self.keys.get(&env.key_epoch) else {
            return Err(Error::Config(format!(
                "no key file for epoch {} (query {})",
                env.key_epoch, q.id
            )));
        };
        let Ok(suite) = Suite::from_name(&env.suite) else {
            return Ok(Err(format!("unknown envelope suite {}", env.suite)));
        };
        let (Ok(enc), Ok(ct), Ok(tag)) =
            (hex::decode(&env.enc), hex::decode(&env.ciphertext), hex::decode(&q.subject_tag))
        else {
            return Ok(Err("the envelope is not hex".into()));
        };
        let info = binding::query_info();
        let aad = binding::query_aad(&binding::QueryBinding {
            from: &q.from,
            to: &self.cfg.org,
            item: &q.item,
            subject_tag: &tag,
            purpose: &q.purpose,
            person: q.person.as_deref(),
            key_epoch: env.key_epoch,
        });
        let Ok(plain) = open(secret, suite, &enc, &ct, &info, &aad) else {
            return Ok(Err("the envelope does not open".into()));
        };
        match serde_json::from_slice::<Value>(&plain) {
            Ok(v) if v.get("subject").is_some_and(Value::is_string) => Ok(Ok(v)),
            _ => Ok(Err("the payload is not {\"subject\": string, \"params\": {…}}".into())),
        }
    }

    /// The mapped query's rows, or why it is declined.
    async fn run_mapping(
        &self,
        q: &InboxQuery,
        query: &Value,
    ) -> Result<std::result::Result<Vec<serde_json::Map<String, Value>>, String>> {
        let Some(mapping) = self.cfg.items.get(&q.item) else {
            return Ok(Err(format!("item {} is not answered here", q.item)));
        };
        let mut params = Vec::with_capacity(mapping.params.len());
        for name in &mapping.params {
            let v = match name.as_str() {
                "subject" => query.get("subject").cloned(),
                "person" => Some(q.person.clone().map_or(Value::Null, Value::String)),
                "purpose" => Some(Value::String(q.purpose.clone())),
                other => query.get("params").and_then(|p| p.get(other)).cloned(),
            };
            match v {
                Some(v) => params.push(v),
                None => return Ok(Err(format!("the payload has no {name}"))),
            }
        }
        match self.db.query(&mapping.sql, &params).await {
            Ok(rows) if rows.len() > MAX_ROWS => {
                Ok(Err(format!("more than {MAX_ROWS} rows match; narrow the query")))
            }
            Ok(rows) => Ok(Ok(rows)),
            Err(Error::BadParam(reason)) => Ok(Err(reason)),
            Err(e) => Err(e),
        }
    }
}

fn tx_bytes(p: &Pending) -> Result<Vec<u8>> {
    p.tx.as_deref()
        .and_then(|t| hex::decode(t).ok())
        .ok_or_else(|| Error::State("a pending answer's transaction is not hex".into()))
}

/// A relayed transaction's response: its receipt `ok`, or its failure as a refusal;
/// not yet executed is retried (resubmitting the same bytes then reads `replayed`).
fn receipt_result(v: Value) -> Result<Value> {
    let receipt = &v["receipt"];
    match receipt["status"].as_str() {
        Some("ok") => Ok(v),
        Some("failed") => Err(Error::Refused {
            status: 422,
            code: receipt["code"].as_str().unwrap_or("failed").to_owned(),
            message: receipt["message"].as_str().unwrap_or("").to_owned(),
        }),
        _ => Err(Error::Node(format!("transaction {} not yet executed", v["hash"]))),
    }
}
