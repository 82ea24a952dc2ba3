//! Offline verification micro-benchmarks.
//!
//! * `finalization/4_validators`: [`fapiao_verify::verify_finalization`] of the pinned
//!   certificate of `tests/fixtures/finalization-4.json` (Commonware simplex, 3 of 4
//!   Ed25519 signatures): what a full node pays per synced block and a browser per proof
//!   bundle.
//! * `current/value`, `current/absence`: [`fapiao_verify::verify_current_value`] and
//!   [`fapiao_verify::verify_current_absence`] of the first value and span-absence vectors of
//!   `tests/fixtures/qmdb-current.json` (QMDB proofs of ~400–500 bytes over ~1–2k operations).
//! * `state_proof/value_100k`, `state_proof/absence_100k`: [`fapiao_verify::verify_state_proof`]
//!   (the path-level check a light client and a bundle make) of an invoice's public record
//!   and of an absent invoice, in a [`fapiao_state::QmdbState`] of 100,000 invoices written
//!   in 100 blocks on the deterministic runtime (built once, before measuring; its proof
//!   sizes are printed).
//! * `bundle/format2`: [`fapiao_verify::verify_bundle`] of `tests/fixtures/bundle-v2.json`
//!   (public record, body, salted circulation; 3 of 4 signatures): what a browser pays per
//!   scanned invoice. Its binary size (the hex fields decoded) is printed.
//!
//! ```text
//! cargo bench -p fapiao-verify --bench verify
//! ```

use commonware_runtime::{deterministic, Runner as _};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fapiao_state::QmdbState;
use fapiao_types::Genesis;
use fapiao_verify::{
    verify_bundle, verify_current_absence, verify_current_value, verify_finalization,
    verify_state_proof, ProofBundle,
};
use std::{hint::black_box, time::Duration};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/finalization-4.json");

fn hex_field(fixture: &serde_json::Value, field: &str) -> Vec<u8> {
    hex::decode(fixture[field].as_str().expect("hex string")).expect("hex")
}

fn hex32(value: &serde_json::Value) -> [u8; 32] {
    let bytes = hex::decode(value.as_str().expect("hex string")).expect("hex");
    bytes.try_into().expect("32 bytes")
}

fn finalization(c: &mut Criterion) {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let fixture: serde_json::Value = serde_json::from_str(&text).expect("json");
    let validators: Vec<[u8; 32]> =
        fixture["validators"].as_array().expect("validators").iter().map(hex32).collect();
    let namespace = hex_field(&fixture, "namespace");
    let digest = hex32(&fixture["digest"]);
    let cert = hex_field(&fixture, "certificate");
    let certified = verify_finalization(&validators, &namespace, digest, &cert).expect("valid");
    assert_eq!(validators.len(), 4);
    assert_eq!(certified.signers.len(), 3);

    let mut g = c.benchmark_group("finalization");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));
    g.bench_function("4_validators", |b| {
        b.iter(|| {
            verify_finalization(
                black_box(&validators),
                black_box(&namespace),
                black_box(digest),
                black_box(&cert),
            )
            .expect("valid")
        })
    });
    g.finish();
}

const QMDB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/qmdb-current.json");

fn current(c: &mut Criterion) {
    let text = std::fs::read_to_string(QMDB).expect("fixture");
    let fixture: serde_json::Value = serde_json::from_str(&text).expect("json");
    let vectors = fixture["vectors"].as_array().expect("vectors");
    let first = |kind: &str, longer_than: usize| {
        vectors
            .iter()
            .find(|v| {
                v["kind"] == kind && v["proof"].as_str().is_some_and(|p| p.len() > longer_than)
            })
            .expect("vector")
    };
    let value = first("value", 0);
    let absence = first("absence", 400);

    let mut g = c.benchmark_group("current");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));
    let (root, key) = (hex32(&value["root"]), hex_field(value, "key"));
    let (val, proof) = (hex_field(value, "value"), hex_field(value, "proof"));
    verify_current_value(&root, &key, &val, &proof).expect("valid");
    g.bench_function("value", |b| {
        b.iter(|| {
            verify_current_value(
                black_box(&root),
                black_box(&key),
                black_box(&val),
                black_box(&proof),
            )
            .expect("valid")
        })
    });
    let (root, key) = (hex32(&absence["root"]), hex_field(absence, "key"));
    let proof = hex_field(absence, "proof");
    verify_current_absence(&root, &key, &proof).expect("valid");
    g.bench_function("absence", |b| {
        b.iter(|| {
            verify_current_absence(black_box(&root), black_box(&key), black_box(&proof))
                .expect("valid")
        })
    });
    g.finish();
}

/// Invoices in the state of `state_proof`, and per block.
const INVOICES: u64 = 100_000;
const PER_BLOCK: u64 = 1_000;

fn invoice_path(i: u64) -> String {
    format!("invoice/2695100000{i:010}")
}

/// A record of about the size of an invoice's public record (~100 bytes), distinct per `i`.
fn invoice_record(i: u64) -> Vec<u8> {
    let mut r = fapiao_types::sha256(&i.to_be_bytes()).to_vec();
    r.extend_from_slice(&[0x5a; 70]);
    r
}

/// Builds the 100k-invoice state; returns its root, the proof of a present invoice (in the
/// middle) and of an absent one (beyond the last).
fn big_state() -> ([u8; 32], Vec<u8>, Vec<u8>) {
    deterministic::Runner::seeded(1).start(|ctx| async move {
        let mut db = QmdbState::open(ctx, "bench").await.expect("open");
        for block in 0..INVOICES / PER_BLOCK {
            let changes = (block * PER_BLOCK + 1..=(block + 1) * PER_BLOCK)
                .map(|i| (invoice_path(i).into_bytes(), Some(invoice_record(i))))
                .collect();
            db.apply_block(block + 1, changes).await.expect("block");
        }
        let root = db.root().expect("root");
        let value = db.prove(invoice_path(INVOICES / 2).as_bytes()).await.expect("prove");
        let absent = db.prove(invoice_path(INVOICES + 7).as_bytes()).await.expect("prove");
        assert!(value.value.is_some() && absent.value.is_none());
        (root, value.proof, absent.proof)
    })
}

fn state_proof(c: &mut Criterion) {
    let (root, value_proof, absence_proof) = big_state();
    let present = invoice_path(INVOICES / 2);
    let record = invoice_record(INVOICES / 2);
    let absent = invoice_path(INVOICES + 7);
    verify_state_proof(&root, present.as_bytes(), Some(&record), &value_proof).expect("valid");
    verify_state_proof(&root, absent.as_bytes(), None, &absence_proof).expect("valid");
    eprintln!(
        "state_proof at {INVOICES} invoices: value proof {} bytes, absence proof {} bytes",
        value_proof.len(),
        absence_proof.len()
    );
    let mut g = c.benchmark_group("state_proof");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));
    g.bench_function("value_100k", |b| {
        b.iter(|| {
            verify_state_proof(
                black_box(&root),
                black_box(present.as_bytes()),
                black_box(Some(&record)),
                black_box(&value_proof),
            )
            .expect("valid")
        })
    });
    g.bench_function("absence_100k", |b| {
        b.iter(|| {
            verify_state_proof(
                black_box(&root),
                black_box(absent.as_bytes()),
                None,
                black_box(&absence_proof),
            )
            .expect("valid")
        })
    });
    g.finish();
}

const BUNDLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bundle-v2.json");

fn bundle(c: &mut Criterion) {
    let text = std::fs::read_to_string(BUNDLE).expect("fixture");
    let fixture: serde_json::Value = serde_json::from_str(&text).expect("json");
    let genesis: Genesis = serde_json::from_value(fixture["genesis"].clone()).expect("genesis");
    let bundle: ProofBundle = serde_json::from_value(fixture["bundle"].clone()).expect("bundle");
    verify_bundle(&genesis, &bundle).expect("valid");
    let bytes = |h: &str| h.len() / 2;
    let entries: usize = bundle
        .entries
        .iter()
        .map(|e| bytes(&e.proof_hex) + e.value_hex.as_deref().map_or(0, bytes))
        .sum();
    let proofs: usize = bundle.entries.iter().map(|e| bytes(&e.proof_hex)).sum();
    eprintln!(
        "bundle/format2: {} bytes binary (entries {entries}, of which proofs {proofs}; header {}; certificate {}), {} bytes of JSON",
        entries + bytes(&bundle.header_hex) + bytes(&bundle.certificate_hex),
        bytes(&bundle.header_hex),
        bytes(&bundle.certificate_hex),
        serde_json::to_string(&bundle).expect("json").len()
    );
    let mut g = c.benchmark_group("bundle");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));
    g.bench_function("format2", |b| {
        b.iter(|| verify_bundle(black_box(&genesis), black_box(&bundle)).expect("valid"))
    });
    g.finish();
}

criterion_group!(benches, finalization, current, state_proof, bundle);
criterion_main!(benches);
