//! The responder against a fake node (the exchange routes it uses) and a real database:
//! SQLite in a temporary file, and PostgreSQL in a throw-away cluster when its binaries
//! are installed (skipped with a message otherwise).

mod fake;
mod pg;
mod watch_feed;

use std::collections::BTreeMap;

use fake::{FakeNode, ASKER, DEPT, TOKEN};
use fapiao_envelope::{os_rng, write_key_file, KeyFile, SecretKey, Suite};
use fapiao_responder::{Config, Database, Error, FailPoint, ItemMapping, Responder};
use serde_json::{json, Value};

const SCHEMA_SQLITE: &str = "
CREATE TABLE residents (resident_id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE vehicles (owner_id TEXT NOT NULL, plate TEXT NOT NULL, model TEXT, registered TEXT, seats INTEGER);
";
const SCHEMA_PG: &str = "
CREATE TABLE residents (resident_id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE vehicles (owner_id TEXT NOT NULL, plate TEXT NOT NULL, model TEXT, registered DATE, seats INTEGER);
";
const DATA: &str = "
INSERT INTO residents VALUES ('110101199003071234', '李伟', 'registered');
INSERT INTO residents VALUES ('440305198512120011', '王芳', 'moved_out');
INSERT INTO vehicles VALUES ('110101199003071234', '京A12345', 'BYD Han', '2024-03-01', 5);
INSERT INTO vehicles VALUES ('110101199003071234', '京B54321', 'Wuling', '2025-07-15', 4);
INSERT INTO vehicles VALUES ('110101199003071234', '京C00001', 'Old', '2019-01-01', 2);
";

fn items() -> BTreeMap<String, ItemMapping> {
    let mut m = BTreeMap::new();
    m.insert(
        "identity-check".to_owned(),
        ItemMapping {
            sql: "SELECT name, status FROM residents WHERE resident_id = $1".into(),
            params: vec!["subject".into()],
        },
    );
    m.insert(
        "vehicle-ownership".to_owned(),
        ItemMapping {
            sql: "SELECT plate, model, registered, seats FROM vehicles \
                  WHERE owner_id = $1 AND registered BETWEEN $2 AND $3 ORDER BY plate"
                .into(),
            params: vec!["subject".into(), "period_from".into(), "period_to".into()],
        },
    );
    m
}

/// A department with its key on the fake node, an asker with its key, and the database.
struct Setup {
    node: FakeNode,
    asker: SecretKey,
    cfg: Config,
    _dir: tempfile::TempDir,
    _pg: Option<pg::Cluster>,
}

#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

async fn setup(backend: Backend, dept_suite: Suite, asker_suite: Suite) -> Option<Setup> {
    let dir = tempfile::tempdir().unwrap();
    let (database, pg) = match backend {
        Backend::Sqlite => {
            let path = dir.path().join("police.db");
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(SCHEMA_SQLITE).unwrap();
            conn.execute_batch(DATA).unwrap();
            (Database::Sqlite(path), None)
        }
        Backend::Postgres => {
            let cluster = pg::Cluster::start()?;
            let (client, conn) =
                tokio_postgres::connect(&cluster.conn(), tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            client.batch_execute(SCHEMA_PG).await.unwrap();
            client.batch_execute(DATA).await.unwrap();
            (Database::Postgres(cluster.conn()), Some(cluster))
        }
    };
    let mut rng = os_rng();
    let dept = SecretKey::generate(dept_suite, &mut rng);
    let asker = SecretKey::generate(asker_suite, &mut rng);
    let node = FakeNode::start().await;
    node.register(DEPT, 2, &dept);
    node.register(ASKER, 7, &asker);
    let key_file = dir.path().join("police-exchange-2.toml");
    write_key_file(&key_file, &KeyFile { epoch: 2, secret: dept }).unwrap();
    let cfg = Config {
        node: node.url.clone(),
        tls_certs: vec![],
        token: TOKEN.into(),
        account_key: None,
        org: DEPT.into(),
        key_files: vec![key_file],
        state_file: dir.path().join("state.json"),
        poll_ms: 50,
        database,
        init_sql: None,
        items: items(),
        watch_feed: None,
    };
    Some(Setup { node, asker, cfg, _dir: dir, _pg: pg })
}

async fn responder(s: &Setup) -> Responder {
    Responder::new(s.cfg.clone(), reqwest::Client::new()).await.unwrap()
}

async fn answers_rows_not_found_and_declined(backend: Backend) {
    let Some(s) = setup(backend, Suite::Sm2Sm4Gcm, Suite::HpkeX25519ChaCha20Poly1305).await else {
        return;
    };
    let found =
        s.node.ask("identity-check", &json!({"subject": "110101199003071234", "params": {}}));
    let missing =
        s.node.ask("identity-check", &json!({"subject": "999999199001010000", "params": {}}));
    let cars = s.node.ask(
        "vehicle-ownership",
        &json!({"subject": "110101199003071234", "params": {"period_from": "2024-01-01", "period_to": "2025-12-31"}}),
    );
    let unmapped =
        s.node.ask("household-relations", &json!({"subject": "110101199003071234", "params": {}}));
    let no_param =
        s.node.ask("vehicle-ownership", &json!({"subject": "110101199003071234", "params": {}}));
    let not_json = s.node.ask("identity-check", &json!(["not", "a", "query"]));
    let garbage = s.node.ask_garbage("identity-check");

    let mut r = responder(&s).await;
    let round = r.round().await.unwrap();
    assert_eq!(round.settled.len(), 7, "{round:?}");
    assert!(round.deferred.is_empty());

    let a = |q: &str| s.node.read_answer(&s.asker, q);
    assert_eq!(
        a(&found),
        ("found".into(), json!({"rows": [{"name": "李伟", "status": "registered"}]}))
    );
    assert_eq!(a(&missing), ("not_found".into(), json!({"rows": []})));
    assert_eq!(
        a(&cars),
        (
            "found".into(),
            json!({"rows": [
                {"plate": "京A12345", "model": "BYD Han", "registered": "2024-03-01", "seats": 5},
                {"plate": "京B54321", "model": "Wuling", "registered": "2025-07-15", "seats": 4},
            ]})
        )
    );
    for q in [&unmapped, &no_param, &not_json, &garbage] {
        let (outcome, payload) = a(q);
        assert_eq!(outcome, "declined", "{payload}");
        assert!(payload["reason"].is_string());
    }
    // Nothing left, nothing answered twice.
    let round = r.round().await.unwrap();
    assert!(round.settled.is_empty() && round.deferred.is_empty());
    assert_eq!(s.node.chain.lock().unwrap().posts, 7);
}

/// A query about a person no consent covers waits in the inbox, unanswered, until one
/// does: the responder sends nothing the chain would refuse.
#[tokio::test]
async fn a_query_no_consent_covers_waits_until_one_does() {
    let Some(s) = setup(Backend::Sqlite, Suite::Sm2Sm4Gcm, Suite::HpkeX25519ChaCha20Poly1305).await
    else {
        return;
    };
    let q = s.node.ask("identity-check", &json!({"subject": "110101199003071234", "params": {}}));
    s.node.chain.lock().unwrap().uncovered.insert(q.clone());
    let mut r = responder(&s).await;
    for _ in 0..3 {
        let round = r.round().await.unwrap();
        assert_eq!(round.deferred, std::slice::from_ref(&q), "{round:?}");
        assert!(round.settled.is_empty());
    }
    assert_eq!(s.node.chain.lock().unwrap().posts, 0, "nothing sent in vain");
    s.node.chain.lock().unwrap().uncovered.clear();
    let round = r.round().await.unwrap();
    assert_eq!(round.settled, std::slice::from_ref(&q));
    assert_eq!(s.node.read_answer(&s.asker, &q).0, "found");
}

#[tokio::test]
async fn sqlite_answers_rows_not_found_and_declined() {
    answers_rows_not_found_and_declined(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_answers_rows_not_found_and_declined() {
    answers_rows_not_found_and_declined(Backend::Postgres).await;
}

/// An injection attempt in the subject is a value like any other: it matches nothing
/// and changes nothing.
async fn injection_is_just_a_value(backend: Backend) {
    let Some(s) = setup(backend, Suite::HpkeX25519ChaCha20Poly1305, Suite::Sm2Sm4Gcm).await else {
        return;
    };
    let or_true = s.node.ask("identity-check", &json!({"subject": "x' OR '1'='1", "params": {}}));
    let drop = s
        .node
        .ask("identity-check", &json!({"subject": "'; DROP TABLE residents; --", "params": {}}));
    let dollar = s.node.ask(
        "vehicle-ownership",
        &json!({"subject": "$2", "params": {"period_from": "1900-01-01", "period_to": "2100-01-01"}}),
    );
    let mut r = responder(&s).await;
    r.round().await.unwrap();
    for q in [&or_true, &drop, &dollar] {
        assert_eq!(s.node.read_answer(&s.asker, q), ("not_found".into(), json!({"rows": []})));
    }
    let still =
        s.node.ask("identity-check", &json!({"subject": "440305198512120011", "params": {}}));
    r.round().await.unwrap();
    assert_eq!(s.node.read_answer(&s.asker, &still).0, "found");
}

#[tokio::test]
async fn sqlite_injection_is_just_a_value() {
    injection_is_just_a_value(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_injection_is_just_a_value() {
    injection_is_just_a_value(Backend::Postgres).await;
}

/// Killed after the answer is recorded but before it is submitted, and killed after it
/// is submitted but before the state file says so: restarted, the responder answers
/// every query exactly once, with the envelope it recorded, and answers what arrived
/// while it was down.
async fn restart_neither_loses_nor_repeats(backend: Backend) {
    let Some(s) = setup(backend, Suite::Sm2Sm4Gcm, Suite::Sm2Sm4Gcm).await else {
        return;
    };
    let q1 = s.node.ask("identity-check", &json!({"subject": "110101199003071234", "params": {}}));

    // 1. Killed between "recorded pending" and "submitted".
    let mut r = responder(&s).await;
    r.fail_at = Some(FailPoint::AfterRecord);
    assert!(matches!(r.round().await, Err(Error::Stopped)));
    drop(r);
    assert_eq!(s.node.answers_to(&q1), 0);
    let state: Value = serde_json::from_slice(&std::fs::read(&s.cfg.state_file).unwrap()).unwrap();
    let recorded = state["pending"][&q1]["envelope"].clone();
    assert!(recorded.is_object(), "{state}");

    let q2 = s.node.ask("identity-check", &json!({"subject": "440305198512120011", "params": {}}));
    let mut r = responder(&s).await;
    let round = r.round().await.unwrap();
    assert_eq!(round.settled, vec![q1.clone(), q2.clone()]);
    assert_eq!(s.node.answers_to(&q1), 1);
    assert_eq!(s.node.answers_to(&q2), 1);
    let on_chain = s.node.chain.lock().unwrap().answers[0].envelope.clone();
    assert_eq!(
        serde_json::to_value(&on_chain).unwrap(),
        recorded,
        "the recorded envelope, unchanged"
    );
    assert_eq!(s.node.read_answer(&s.asker, &q1).0, "found");
    drop(r);

    // 2. Killed after submitting, before recording it: the chain has it; the restart's
    // resubmission is refused as already answered and settles the query.
    let q3 = s.node.ask(
        "vehicle-ownership",
        &json!({"subject": "110101199003071234", "params": {"period_from": "2019-01-01", "period_to": "2019-12-31"}}),
    );
    let mut r = responder(&s).await;
    r.fail_at = Some(FailPoint::AfterSubmit);
    assert!(matches!(r.round().await, Err(Error::Stopped)));
    drop(r);
    assert_eq!(s.node.answers_to(&q3), 1);
    // A node whose inbox still lists q3 as open: the restart resubmits the recorded
    // answer, the chain refuses it as already answered, and that settles q3.
    s.node.chain.lock().unwrap().lagging_inbox = true;
    let posts_before = s.node.chain.lock().unwrap().posts;
    let mut r = responder(&s).await;
    let round = r.round().await.unwrap();
    // q1 and q2 were forgotten once they left the inbox; listed again, they are
    // resubmitted and refused as well: the chain, not the state file, is the last word.
    assert_eq!(round.settled, vec![q1.clone(), q2.clone(), q3.clone()], "{round:?}");
    assert_eq!(s.node.chain.lock().unwrap().posts, posts_before + 3);
    for q in [&q1, &q2, &q3] {
        assert_eq!(s.node.answers_to(q), 1);
    }
    // Settled: the next round, the inbox still lagging, submits nothing.
    r.round().await.unwrap();
    assert_eq!(s.node.chain.lock().unwrap().posts, posts_before + 3);
    s.node.chain.lock().unwrap().lagging_inbox = false;
    r.round().await.unwrap();
    let state: Value = serde_json::from_slice(&std::fs::read(&s.cfg.state_file).unwrap()).unwrap();
    assert_eq!(state["done"], json!({}), "settled entries leave with their queries: {state}");
    assert_eq!(state["pending"], json!({}));
    assert_eq!(
        s.node.read_answer(&s.asker, &q3),
        (
            "found".into(),
            json!({"rows": [{"plate": "京C00001", "model": "Old", "registered": "2019-01-01", "seats": 2}]})
        )
    );
}

#[tokio::test]
async fn sqlite_restart_neither_loses_nor_repeats() {
    restart_neither_loses_nor_repeats(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_restart_neither_loses_nor_repeats() {
    restart_neither_loses_nor_repeats(Backend::Postgres).await;
}

/// An answer already on the chain (by a previous run whose state file was lost):
/// the chain's `exchange.already_answered` settles the query, nothing else is added.
#[tokio::test]
async fn already_answered_refusal_settles() {
    let Some(s) = setup(Backend::Sqlite, Suite::Sm2Sm4Gcm, Suite::Sm2Sm4Gcm).await else {
        return;
    };
    let q = s.node.ask("identity-check", &json!({"subject": "110101199003071234", "params": {}}));
    {
        let mut c = s.node.chain.lock().unwrap();
        let envelope = c.queries[0].envelope.clone();
        c.answers.push(fake::Answer { query: q.clone(), outcome: "found".into(), envelope });
        c.lagging_inbox = true;
    }
    let mut r = responder(&s).await;
    let round = r.round().await.unwrap();
    assert_eq!(round.settled, vec![q.clone()]);
    assert_eq!(s.node.answers_to(&q), 1);
    let state: Value = serde_json::from_slice(&std::fs::read(&s.cfg.state_file).unwrap()).unwrap();
    assert_eq!(state["done"][&q], "already_answered");
}

/// A node that is away delays answers and loses none.
#[tokio::test]
async fn node_away_defers() {
    let Some(mut s) = setup(Backend::Sqlite, Suite::Sm2Sm4Gcm, Suite::Sm2Sm4Gcm).await else {
        return;
    };
    let real = s.cfg.node.clone();
    s.cfg.node = "http://127.0.0.1:9".into();
    let mut r = responder(&s).await;
    assert!(matches!(r.round().await, Err(Error::Node(_))));
    s.cfg.node = real;
    let q = s.node.ask("identity-check", &json!({"subject": "110101199003071234", "params": {}}));
    let mut r = responder(&s).await;
    r.round().await.unwrap();
    assert_eq!(s.node.answers_to(&q), 1);
}

/// A configuration file as the demo writes one (`[database] init_sql`, quoted item ids):
/// the missing SQLite database is created from the SQL, and the responder answers.
#[tokio::test]
async fn config_file_with_init_sql() {
    let Some(s) = setup(Backend::Sqlite, Suite::HpkeX25519ChaCha20Poly1305, Suite::Sm2Sm4Gcm).await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("database.sql"), format!("{SCHEMA_SQLITE}{DATA}")).unwrap();
    std::fs::write(dir.path().join("token"), format!("{TOKEN}\n")).unwrap();
    let toml = format!(
        "node = \"{node}\"\ntoken_file = \"token\"\norg = \"{DEPT}\"\nkey_files = [{key:?}]\n\
         state_file = \"state.json\"\npoll_ms = 500\n\n[database]\nsqlite = \"{DEPT}.db\"\n\
         init_sql = \"database.sql\"\n\n[items.\"police.identity\"]\n\
         sql = \"SELECT name, status FROM residents WHERE resident_id = $1\"\nparams = [\"subject\"]\n",
        node = s.node.url,
        key = s.cfg.key_files[0].display().to_string(),
    );
    let path = dir.path().join("responder.toml");
    std::fs::write(&path, toml).unwrap();
    let cfg = Config::load(&path).unwrap();
    assert_eq!(cfg.init_sql.as_deref(), Some(dir.path().join("database.sql").as_path()));
    let q = s.node.ask("police.identity", &json!({"subject": "440305198512120011", "params": {}}));
    let mut r = Responder::new(cfg.clone(), reqwest::Client::new()).await.unwrap();
    r.round().await.unwrap();
    assert!(dir.path().join(format!("{DEPT}.db")).exists());
    assert_eq!(
        s.node.read_answer(&s.asker, &q),
        ("found".into(), json!({"rows": [{"name": "王芳", "status": "moved_out"}]}))
    );
    // A second start leaves the existing database alone.
    drop(r);
    Responder::new(cfg, reqwest::Client::new()).await.unwrap();
}

/// Signing its own answers (`account_key`): the node only relays. Killed after signing
/// and recording, the restart relays the very same transaction; killed after relaying
/// it, the resubmission is `replayed` and settles; an expired one is signed again with
/// the same envelope.
#[tokio::test]
async fn signed_answers_survive_restarts() {
    let Some(mut s) =
        setup(Backend::Sqlite, Suite::Sm2Sm4Gcm, Suite::HpkeX25519ChaCha20Poly1305).await
    else {
        return;
    };
    let key = fapiao_crypto::SigningKey::generate(fapiao_types::Suite::Sm2, &mut rand_core::OsRng);
    let key_path = s._dir.path().join("responder.key");
    fapiao_keystore::write_key_file(&key_path, &key).unwrap();
    s.cfg.account_key = Some(key_path);
    let me = key.public_key().account_id().to_string();

    let q1 = s.node.ask("identity-check", &json!({"subject": "110101199003071234", "params": {}}));
    let mut r = responder(&s).await;
    r.fail_at = Some(FailPoint::AfterRecord);
    assert!(matches!(r.round().await, Err(Error::Stopped)));
    let state: Value = serde_json::from_slice(&std::fs::read(&s.cfg.state_file).unwrap()).unwrap();
    let tx = state["pending"][&q1]["tx"].as_str().unwrap().to_owned();
    let mut r = responder(&s).await;
    assert_eq!(r.round().await.unwrap().settled, vec![q1.clone()]);
    assert!(
        s.node.chain.lock().unwrap().relayed.contains(&hex::decode(&tx).unwrap()),
        "the recorded transaction"
    );
    assert_eq!(s.node.read_answer(&s.asker, &q1).0, "found");
    assert_eq!(s.node.chain.lock().unwrap().signers, vec![me.clone()]);

    // Killed after relaying: the lagging inbox still lists q2, the same bytes come back
    // `replayed`, and that settles it.
    let q2 = s.node.ask("identity-check", &json!({"subject": "440305198512120011", "params": {}}));
    let mut r = responder(&s).await;
    r.fail_at = Some(FailPoint::AfterSubmit);
    assert!(matches!(r.round().await, Err(Error::Stopped)));
    s.node.chain.lock().unwrap().lagging_inbox = true;
    let mut r = responder(&s).await;
    let round = r.round().await.unwrap();
    assert!(round.settled.contains(&q2), "{round:?}");
    assert_eq!(s.node.answers_to(&q2), 1);
    let state: Value = serde_json::from_slice(&std::fs::read(&s.cfg.state_file).unwrap()).unwrap();
    assert_eq!(state["done"][&q2], "replayed");
    s.node.chain.lock().unwrap().lagging_inbox = false;

    // Recorded, then the chain moved past its expiry: signed again, same envelope.
    let q3 = s.node.ask("identity-check", &json!({"subject": "999999199001010000", "params": {}}));
    let mut r = responder(&s).await;
    r.fail_at = Some(FailPoint::AfterRecord);
    assert!(matches!(r.round().await, Err(Error::Stopped)));
    let state: Value = serde_json::from_slice(&std::fs::read(&s.cfg.state_file).unwrap()).unwrap();
    let recorded = state["pending"][&q3].clone();
    s.node.chain.lock().unwrap().height += 1000;
    let mut r = responder(&s).await;
    assert_eq!(r.round().await.unwrap().settled, vec![q3.clone()]);
    let on_chain = s
        .node
        .chain
        .lock()
        .unwrap()
        .answers
        .iter()
        .find(|a| a.query == q3)
        .unwrap()
        .envelope
        .clone();
    assert_eq!(serde_json::to_value(&on_chain).unwrap(), recorded["envelope"]);
    assert_eq!(s.node.read_answer(&s.asker, &q3), ("not_found".into(), json!({"rows": []})));
    assert_eq!(s.node.chain.lock().unwrap().signers, vec![me.clone(), me.clone(), me]);
}

/// `run_until` answers in the background and stops when told.
#[tokio::test]
async fn run_until_answers_then_stops() {
    let Some(s) = setup(Backend::Sqlite, Suite::Sm2Sm4Gcm, Suite::Sm2Sm4Gcm).await else {
        return;
    };
    let q = s.node.ask("identity-check", &json!({"subject": "110101199003071234", "params": {}}));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task =
        tokio::spawn(fapiao_responder::run_until(s.cfg.clone(), reqwest::Client::new(), async {
            let _ = rx.await;
        }));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while s.node.answers_to(&q) == 0 {
        assert!(std::time::Instant::now() < deadline, "not answered");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tx.send(()).unwrap();
    task.await.unwrap().unwrap();
    assert_eq!(s.node.answers_to(&q), 1);
}

/// An answer too large for a transaction is declined, not refused by the chain later.
#[tokio::test]
async fn oversized_answers_are_declined() {
    let Some(mut s) = setup(Backend::Sqlite, Suite::Sm2Sm4Gcm, Suite::Sm2Sm4Gcm).await else {
        return;
    };
    s.cfg.items.insert(
        "big".into(),
        ItemMapping {
            sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 900) \
                  SELECT i, printf('%.100c', 'x') AS filler FROM n WHERE $1 IS NOT NULL"
                .into(),
            params: vec!["subject".into()],
        },
    );
    let q = s.node.ask("big", &json!({"subject": "x", "params": {}}));
    let mut r = responder(&s).await;
    r.round().await.unwrap();
    let (outcome, payload) = s.node.read_answer(&s.asker, &q);
    assert_eq!(outcome, "declined");
    assert!(payload["reason"].as_str().unwrap().contains("bytes"), "{payload}");
}
