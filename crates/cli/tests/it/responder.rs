//! The police responder of the demo, as a real process beside a real demo node: the
//! tax bureau's query is answered within two blocks; killed with SIGKILL and started
//! again, the responder neither drops nor repeats an answer.
//!
//! The demo starts without its own responders (`FAPIAO_DEMO_RESPONDERS=off`), so that
//! the test's is the only one answering for the police.

use crate::harness::Demo;
use serde_json::{json, Value};
use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const POLICE: &str = "sz-police";

fn start_responder(config: &Path, log: &Path) -> Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    Command::new(env!("CARGO_BIN_EXE_fapiao"))
        .args(["responder", "--config"])
        .arg(config)
        .env("FAPIAO_LOG", "info")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("spawn fapiao responder")
}

fn ask(demo: &Demo, token: &str, subject: &str) -> (String, u64) {
    let (status, v) = demo.post_json(
        "/v1/exchange/queries",
        Some(token),
        json!({"to": POLICE, "item": "police.identity", "subject": subject,
               "purpose": "e2e-responder", "params": {}}),
    );
    assert_eq!(status, 200, "{v}");
    (v["record"].as_str().expect("the query id").to_owned(), v["height"].as_u64().unwrap())
}

fn query(demo: &Demo, token: &str, id: &str) -> Value {
    let resp = demo
        .http
        .get(format!("{}/v1/exchange/queries/{id}", demo.url))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert!(resp.status().is_success());
    resp.json().unwrap()
}

/// Waits until query `id` is answered; returns the height of its answer.
fn answered(demo: &Demo, token: &str, id: &str, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let q = query(demo, token, id);
        if q["answered"] == true {
            return q;
        }
        assert!(Instant::now() < deadline, "query {id} not answered: {q}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn responder_slow_answers_within_two_blocks_and_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::start_with(dir.path(), &[("FAPIAO_DEMO_RESPONDERS", "off")]);
    let token = demo.identity("Tax exchange desk")["token"].as_str().unwrap().to_owned();
    let config = dir.path().join("demo/responders").join(POLICE).join("responder.toml");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !config.exists() {
        assert!(
            Instant::now() < deadline,
            "the demo wrote no responder config; log:\n{}",
            demo.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = dir.path().join("responder.log");
    let mut responder = start_responder(&config, &log);

    // Answered within two blocks of the query, with the police database's row.
    let (q1, h1) = ask(&demo, &token, "440305199003071236");
    let a = answered(&demo, &token, &q1, Duration::from_secs(60));
    assert!(a["answer_height"].as_u64().unwrap() <= h1 + 2, "{a}");
    assert_eq!(a["outcome"], "found");
    assert_eq!(a["rows"][0]["name"], "李伟", "{a}");

    // SIGKILL, a query while it is down, a restart: answered once.
    responder.kill().unwrap();
    responder.wait().unwrap();
    let (q2, _) = ask(&demo, &token, "440305195809120019");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(query(&demo, &token, &q2)["answered"], false);
    let mut responder = start_responder(&config, &log);
    let a = answered(&demo, &token, &q2, Duration::from_secs(60));
    assert_eq!(a["rows"][0]["name"], "李建国", "{a}");

    // Killed again at once, restarted: nothing is answered a second time (the chain
    // would refuse it; the log shows no refusal other than already_answered).
    responder.kill().unwrap();
    responder.wait().unwrap();
    let mut responder = start_responder(&config, &log);
    std::thread::sleep(Duration::from_secs(3));
    responder.kill().unwrap();
    responder.wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains("responder.answer refused"), "{text}");
    for id in [&q1, &q2] {
        assert_eq!(query(&demo, &token, id)["answered"], true);
    }
}
