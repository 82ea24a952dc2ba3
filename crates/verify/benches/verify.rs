//! Offline verification micro-benchmarks.
//!
//! * `finalization/4_validators`: [`fapiao_verify::verify_finalization`] of the pinned
//!   certificate of `tests/fixtures/finalization-4.json` (Commonware simplex, 3 of 4
//!   Ed25519 signatures): what a full node pays per synced block and a browser per proof
//!   bundle.
//! * `current/value`, `current/absence`: [`fapiao_verify::verify_current_value`] and
//!   [`fapiao_verify::verify_current_absence`] of the first value and span-absence vectors of
//!   `tests/fixtures/qmdb-current.json` (QMDB proofs of ~400–500 bytes over ~1–2k operations).
//!
//! ```text
//! cargo bench -p fapiao-verify --bench verify
//! ```

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fapiao_verify::{verify_current_absence, verify_current_value, verify_finalization};
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

criterion_group!(benches, finalization, current);
criterion_main!(benches);
