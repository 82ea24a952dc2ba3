//! Proofs at the tip (ADR 0009): an invoice's bundle is proven as the state is when asked
//! and certified by a later header — the first whose `state_height` is the proven height —
//! which the request waits for; the bundle then verifies offline with the genesis alone
//! (`fapiao_verify::verify_bundle`, real certificates of the test chain's validator).

use super::desk::{get, history_chain, Chain};
use axum::{body::Body, http::Request, Router};
use commonware_codec::Encode;
use fapiao_types::{decode_exact, Header};
use fapiao_verify::ProofBundle;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// How long after the request the next block comes.
const SOON: Duration = Duration::from_millis(300);

/// Runs `blocks` on the chain after [`SOON`], in a task (the request waits meanwhile).
fn later(
    mut chain: Chain,
    blocks: impl FnOnce(&mut Chain) + Send + 'static,
) -> tokio::task::JoinHandle<Chain> {
    tokio::spawn(async move {
        tokio::time::sleep(SOON).await;
        blocks(&mut chain);
        chain
    })
}

/// The full bundle of `number`, asked by the issuing party.
async fn bundle(app: &Router, number: &str) -> (axum::http::StatusCode, serde_json::Value) {
    get(app, &format!("/v1/invoices/{number}/proof"), "issuer").await
}

fn header(hex_bytes: &str) -> Header {
    decode_exact(&hex::decode(hex_bytes).unwrap(), &()).unwrap()
}

#[tokio::test]
async fn a_bundle_asked_right_after_a_change_waits_for_the_next_header_and_verifies_offline() {
    let (app, _, numbers, chain) = history_chain(0);
    let genesis = chain.ledger.genesis().clone();
    let ledger = chain.ledger.clone();
    // The tip's block booked invoice 1: its latest change, not yet under any header.
    let tip = ledger.tip().height;
    let asked = Instant::now();
    let next = later(chain, |c| {
        c.block(vec![]);
    });
    let (s, b) = bundle(&app, &numbers[1]).await;
    assert_eq!(s, 200, "{b}");
    assert!(asked.elapsed() >= SOON, "it waited for the next block");
    next.await.unwrap();
    let b: ProofBundle = serde_json::from_value(b).unwrap();
    let h = header(&b.header_hex);
    assert_eq!((h.height, h.state_height), (tip + 1, tip), "the first header certifying the tip");
    assert_eq!(h.state_root, ledger.state_root_at(tip).unwrap().unwrap());
    assert!(b.descendants_hex.is_empty(), "the header is certified directly");
    let v = fapiao_verify::verify_bundle(&genesis, &b).unwrap();
    assert_eq!(v.public.number.to_string(), numbers[1]);
    assert_eq!((v.state_height, v.header_height, v.certified_height), (tip, tip + 1, tip + 1));
    let circ = v.circulation.flatten().expect("circulated");
    assert_eq!(circ.booked_at, tip, "the booking of the tip's block shows");
    // Any flipped byte of the certificate fails.
    let mut forged = b.clone();
    let mut cert = hex::decode(&b.certificate_hex).unwrap();
    let last = cert.len() - 1;
    cert[last] ^= 1;
    forged.certificate_hex = hex::encode(cert);
    assert!(fapiao_verify::verify_bundle(&genesis, &forged).is_err());
}

#[tokio::test]
async fn with_no_later_block_the_wait_ends_in_not_final_yet() {
    let (app, _, numbers, _chain) = history_chain(0);
    let asked = Instant::now();
    let req = Request::get(format!("/v1/invoices/{}/proof", numbers[1]))
        .header("authorization", "Bearer issuer")
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    // It waited a few block intervals (500 ms in this genesis), not forever.
    fapiao_api::testing::chain::assert_not_final_yet(resp, asked).await;
}

#[tokio::test]
async fn a_skipped_state_height_is_proven_again_at_the_new_tip() {
    let (app, _, numbers, chain) = history_chain(0);
    let genesis = chain.ledger.genesis().clone();
    let ledger = chain.ledger.clone();
    let tip = ledger.tip().height;
    // Execution lags behind, then jumps: no header ever commits to the state after `tip`.
    let next = later(chain, move |c| {
        c.block_with(Some(tip - 1), true, vec![]); // tip + 1 commits to tip - 1
        c.block_with(Some(tip + 1), true, vec![]); // tip + 2 skips tip
    });
    let last = tokio::spawn(async move {
        let mut c = next.await.unwrap();
        tokio::time::sleep(SOON).await;
        c.block(vec![]); // tip + 3 commits to tip + 2, the new tip of the second proof
    });
    let (s, b) = bundle(&app, &numbers[1]).await;
    assert_eq!(s, 200, "{b}");
    last.await.unwrap();
    let b: ProofBundle = serde_json::from_value(b).unwrap();
    let h = header(&b.header_hex);
    assert_eq!((h.height, h.state_height), (tip + 3, tip + 2));
    fapiao_verify::verify_bundle(&genesis, &b).unwrap();
}

#[tokio::test]
async fn a_header_certified_through_a_descendant_carries_the_headers_up_to_it() {
    let (app, _, numbers, chain) = history_chain(0);
    let genesis = chain.ledger.genesis().clone();
    let ledger = chain.ledger.clone();
    let tip = ledger.tip().height;
    let next = later(chain, |c| {
        c.block_with(None, false, vec![]); // tip + 1 certifies the tip, but its blob is not its own
        c.block(vec![]); // tip + 2, certified itself
    });
    let (s, b) = bundle(&app, &numbers[0]).await;
    assert_eq!(s, 200, "{b}");
    next.await.unwrap();
    let b: ProofBundle = serde_json::from_value(b).unwrap();
    let h = header(&b.header_hex);
    assert_eq!((h.height, h.state_height), (tip + 1, tip));
    let descendant = ledger.header(tip + 2).unwrap().unwrap();
    assert_eq!(b.descendants_hex, [hex::encode(descendant.encode())]);
    assert_eq!(b.certificate_hex, hex::encode(ledger.certificate(tip + 2).unwrap().unwrap()));
    fapiao_verify::verify_bundle(&genesis, &b).unwrap();
    // Without the descendant, the certificate does not finalize the header.
    let mut cut = b.clone();
    cut.descendants_hex.clear();
    assert!(fapiao_verify::verify_bundle(&genesis, &cut).is_err());
}
