//! The tax bureau's risk watch against a small fake node: risk alerts of the configured
//! rules become watch entries, a 409 (no watch key shared yet) is retried next round, a
//! subject watched already counts as fed, other rules are ignored, and a restarted feed
//! posts nothing twice.

use axum::{
    extract::State,
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use fapiao_responder::watch_feed::{WatchFeed, WatchFeedConfig};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Node {
    watch_key_shared: bool,
    watched: Vec<(String, String)>,
    posts: usize,
}

async fn alerts() -> Json<Value> {
    // Newest first, as the node lists them.
    Json(json!([
        { "id": "a3", "rule": "volume_jump", "height": 9, "time": "", "subjects": ["91440300MA5EKL3R5J"], "numbers": [], "detail": "" },
        { "id": "a2", "rule": "frozen_counterparty", "height": 7, "time": "", "subjects": ["91440300MA5FNP7T5R"], "numbers": [], "detail": "frozen seller" },
        { "id": "a1", "rule": "circular_ring", "height": 5, "time": "", "subjects": ["91440300MA5D1X2Q9B", "91440300MA5EKL3R5J"], "numbers": [], "detail": "A→B→A" },
    ]))
}

async fn watch(
    State(n): State<Arc<Mutex<Node>>>,
    Json(b): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mut n = n.lock().unwrap();
    n.posts += 1;
    if !n.watch_key_shared {
        return (
            StatusCode::CONFLICT,
            Json(json!({ "code": "exchange.no_watch_key", "message": "" })),
        );
    }
    let subject = b["subject"].as_str().unwrap().to_string();
    if n.watched.iter().any(|(s, _)| *s == subject) {
        return (
            StatusCode::CONFLICT,
            Json(json!({ "code": "exchange.already_watching", "message": "" })),
        );
    }
    n.watched.push((subject, b["category"].as_str().unwrap().to_string()));
    (StatusCode::OK, Json(json!({ "tx_hash": "00", "height": 1, "alerts": [], "alert": null })))
}

#[tokio::test]
async fn risk_alerts_feed_the_watch_list_once_and_retry_until_the_watch_key_is_shared() {
    let node = Arc::new(Mutex::new(Node::default()));
    let app = Router::new()
        .route("/v1/alerts", get(alerts))
        .route("/v1/exchange/watch", post(watch))
        .with_state(node.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let cfg = WatchFeedConfig {
        rules: [("circular_ring", "invoice_mill"), ("frozen_counterparty", "shell_company")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    };
    let http = reqwest::Client::new();
    let mut feed = WatchFeed::new(cfg.clone(), http.clone(), &base, "t", &state).unwrap();

    // No watch key yet: nothing is fed, the round reports a retry.
    assert!(feed.round().await.is_err());
    assert!(node.lock().unwrap().watched.is_empty());

    node.lock().unwrap().watch_key_shared = true;
    let fed = feed.round().await.unwrap();
    assert_eq!(fed.watched, ["91440300MA5D1X2Q9B", "91440300MA5EKL3R5J", "91440300MA5FNP7T5R"]);
    assert_eq!(
        node.lock().unwrap().watched,
        [
            ("91440300MA5D1X2Q9B".to_string(), "invoice_mill".to_string()),
            ("91440300MA5EKL3R5J".to_string(), "invoice_mill".to_string()),
            ("91440300MA5FNP7T5R".to_string(), "shell_company".to_string()),
        ],
        "volume_jump is not a configured rule"
    );

    // Nothing new, and a restarted feed remembers what it fed.
    let posts = node.lock().unwrap().posts;
    assert_eq!(feed.round().await.unwrap().watched.len(), 0);
    let mut again = WatchFeed::new(cfg, http, &base, "t", &state).unwrap();
    assert_eq!(again.round().await.unwrap().watched.len(), 0);
    assert_eq!(node.lock().unwrap().posts, posts, "nothing posted twice");
}
