//! Signature and hash micro-benchmarks: what one core can sign, verify and hash.
//!
//! * `ed25519/verify` one signature at a time vs `ed25519/verify_batch` of 64 through
//!   [`BatchVerifier`] (one `ed25519-consensus` batch equation), and `ed25519/sign`;
//! * `sm2/sign`, `sm2/verify`, and `sm2/verify_batch` of 64, which [`BatchVerifier`]
//!   checks one by one (SM2 has no batch equation): the per-signature figure should match
//!   `sm2/verify`;
//! * `ed25519/verify_parallel` of 1,024 on 2 threads, the admission path of a node;
//! * `hash/sha256` vs `hash/sm3` of 300 bytes.
//!
//! Throughputs are in elements (signatures or hashes) per second. Messages are 300 bytes,
//! the order of a transaction's signing payload (a two-line `IssueInvoice` signs about
//! 370 bytes; see the `codec` benchmark of `fapiao-types`).
//!
//! ```text
//! cargo bench -p fapiao-crypto --bench signatures
//! ```

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use fapiao_crypto::{verify, BatchVerifier, SigningKey};
use fapiao_types::{PublicKey, Signature, Suite};
use rand_core::OsRng;
use std::{hint::black_box, num::NonZeroUsize, time::Duration};

/// Bytes of each signed message and of each hashed input.
const MSG_LEN: usize = 300;
/// Items per batch.
const BATCH: usize = 64;
/// Items of the parallel batch.
const PARALLEL: usize = 1024;

/// Deterministic key `i` of `suite`.
fn key(suite: Suite, i: usize) -> SigningKey {
    let mut b = [0x5a; 32];
    b[0] = 1; // keeps SM2 scalars below the group order
    b[1..9].copy_from_slice(&(i as u64).to_be_bytes());
    SigningKey::from_bytes(suite, &b).expect("valid key bytes")
}

/// Message `i`: 300 bytes, distinct per `i`.
fn message(i: usize) -> Vec<u8> {
    let mut m = vec![0xa5; MSG_LEN];
    m[..8].copy_from_slice(&(i as u64).to_be_bytes());
    m
}

/// `n` signed messages, each by its own key.
fn signed(suite: Suite, n: usize) -> Vec<(PublicKey, Vec<u8>, Signature)> {
    (0..n)
        .map(|i| {
            let k = key(suite, i);
            let m = message(i);
            let s = k.sign(&m);
            (k.public_key(), m, s)
        })
        .collect()
}

fn batch_of(items: &[(PublicKey, Vec<u8>, Signature)]) -> BatchVerifier {
    let mut b = BatchVerifier::with_capacity(items.len());
    for (pk, m, s) in items {
        b.add(pk, m, s);
    }
    b
}

fn suite_benches(c: &mut Criterion, suite: Suite, name: &str) {
    let mut g = c.benchmark_group(name);
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));

    let items = signed(suite, BATCH);
    let k = key(suite, 0);
    let m = message(0);

    g.throughput(Throughput::Elements(1));
    g.bench_function("sign", |b| b.iter(|| k.sign(black_box(&m))));

    let (pk, msg, sig) = &items[0];
    g.bench_function("verify", |b| {
        b.iter(|| verify(black_box(pk), black_box(msg), black_box(sig)).expect("valid"))
    });

    // Adding to the batch is part of the cost: for Ed25519 it hashes `R ‖ A ‖ M`.
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("verify_batch_64", |b| {
        b.iter(|| batch_of(black_box(&items)).verify(&mut OsRng).expect("valid"))
    });
    g.finish();
}

fn ed25519(c: &mut Criterion) {
    suite_benches(c, Suite::Ed25519, "ed25519");

    let mut g = c.benchmark_group("ed25519");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    let items = signed(Suite::Ed25519, PARALLEL);
    let two = NonZeroUsize::new(2).expect("non-zero");
    g.throughput(Throughput::Elements(PARALLEL as u64));
    g.bench_function("verify_parallel_1024_on_2_threads", |b| {
        b.iter_batched(
            || batch_of(&items),
            |batch| batch.verify_parallel(two).expect("valid"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn sm2(c: &mut Criterion) {
    suite_benches(c, Suite::Sm2, "sm2");
}

fn hashes(c: &mut Criterion) {
    let mut g = c.benchmark_group("hash");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    let data = message(7);
    g.throughput(Throughput::Elements(1));
    g.bench_function("sha256_300B", |b| b.iter(|| fapiao_types::sha256(black_box(&data))));
    g.bench_function("sm3_300B", |b| b.iter(|| fapiao_crypto::sm3(black_box(&data))));
    g.finish();
}

criterion_group!(benches, ed25519, sm2, hashes);
criterion_main!(benches);
