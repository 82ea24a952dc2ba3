//! Canonical codec micro-benchmarks: what encoding, decoding and hashing the chain's
//! objects costs.
//!
//! * `signed_tx/{encode,decode,hash}`: a signed transaction carrying an `IssueInvoice`
//!   with two lines (the common case: a merchant issues to an enterprise buyer);
//!   `signed_tx/decode_app_body`: the invoice application's own decode of that payload
//!   as it applies it (the envelope decoded it once already to find its length);
//! * `header/{encode,decode,digest}`: a 161-byte block header;
//! * `block_1000/{encode,decode,tx_hashes_and_root}`: a block of 1,000 such transactions.
//!
//! Decoding goes through the same entry points as the node (`SignedTx::decode_limited`,
//! `decode_exact`), so it includes the trailing-bytes and limit checks. The signature is
//! a fixed 64-byte value: the codec does not look at it.
//!
//! ```text
//! cargo bench -p fapiao-types --bench codec
//! ```

use commonware_codec::{Encode, EncodeSize, FixedSize};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fapiao_invoice_types::{Buyer, BuyerKind, IssueInvoice, LineInput};
use fapiao_invoice_types::{InvoiceAction, InvoiceBodies};
use fapiao_types::{
    decode_exact, merkle_root, sha256, Action, ActionCodecs, Block, BlockLimits, Header,
    InvoiceKind, PublicKey, Signature, SignedTx, Tx, TxLimits, HEADER_VERSION,
};
use std::{hint::black_box, time::Duration};

/// The codec configuration of a chain running the invoice application.
const CODECS: ActionCodecs = ActionCodecs(&[&InvoiceBodies]);

/// Transactions in the block benchmark.
const BLOCK_TXS: usize = 1_000;

fn line(name: &str, quantity: &str, unit_price: &str, rate: &str) -> LineInput {
    LineInput {
        name: name.into(),
        tax_code: "3040201010000000000".into(),
        spec: String::new(),
        unit: "次".into(),
        quantity: Some(quantity.parse().unwrap()),
        unit_price: Some(unit_price.parse().unwrap()),
        amount: None,
        gross: None,
        rate: rate.parse().unwrap(),
        tax: None,
    }
}

/// A signed `IssueInvoice` with two lines; `nonce` makes it distinct.
fn issue_tx(nonce: u64) -> SignedTx {
    let tx = Tx {
        chain_id: "fapiao-bench".into(),
        sender: PublicKey::Ed25519([0x11; 32]),
        nonce,
        expiry: 1_000,
        action: Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
            seller: "914403001922038216".parse().unwrap(),
            kind: InvoiceKind::Special,
            type_code: "81".into(),
            buyer: Buyer {
                kind: BuyerKind::Enterprise,
                name: "深圳市腾讯计算机系统有限公司".into(),
                tax_id: Some("91440300708461136T".parse().unwrap()),
                holder: None,
            },
            lines: vec![
                line("*信息技术服务*软件开发服务", "1", "12000.00", "0.06"),
                line("*现代服务*咨询服务", "4", "850.00", "0.06"),
            ],
            remarks: "合同编号 2026-0142".into(),
            salt: [0x5a; 32],
            industry: None,
        })),
    };
    SignedTx { tx, signature: Signature([0x22; 64]) }
}

fn header(tx_root: [u8; 32], tx_count: u32) -> Header {
    Header {
        version: HEADER_VERSION,
        chain_id: sha256(b"fapiao-bench"),
        height: 123_456,
        parent: [0x33; 32],
        time_ms: 1_795_665_600_000,
        proposer: 2,
        tx_root,
        tx_count,
        state_height: 123_455,
        state_root: [0x44; 32],
    }
}

fn signed_tx(c: &mut Criterion) {
    let stx = issue_tx(1);
    let bytes = stx.encode().to_vec();
    eprintln!("signed IssueInvoice (two lines): {} bytes", bytes.len());
    let limits = TxLimits::with_actions(CODECS);

    let mut g = c.benchmark_group("signed_tx");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    g.throughput(Throughput::Elements(1));
    g.bench_function("encode", |b| b.iter(|| black_box(&stx).encode()));
    g.bench_function("decode", |b| {
        b.iter(|| SignedTx::decode_limited(black_box(&bytes), &limits).expect("decodes"))
    });
    g.bench_function("hash", |b| b.iter(|| black_box(&stx).hash()));
    // The second decode of the payload, by the application as it applies the action
    // (the first, at admission or block decoding, only checks and measures the body).
    g.bench_function("decode_app_body", |b| {
        b.iter(|| InvoiceAction::try_from(black_box(&stx.tx.action)).expect("decodes"))
    });
    g.finish();
}

fn header_codec(c: &mut Criterion) {
    let h = header([0x55; 32], 1_000);
    let bytes = h.encode().to_vec();
    assert_eq!(bytes.len(), Header::SIZE);

    let mut g = c.benchmark_group("header");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    g.throughput(Throughput::Elements(1));
    g.bench_function("encode", |b| b.iter(|| black_box(&h).encode()));
    g.bench_function("decode", |b| {
        b.iter(|| decode_exact::<Header>(black_box(&bytes), &()).expect("decodes"))
    });
    g.bench_function("digest", |b| b.iter(|| black_box(&h).digest()));
    g.finish();
}

fn block(c: &mut Criterion) {
    let txs: Vec<SignedTx> = (0..BLOCK_TXS as u64).map(issue_tx).collect();
    let hashes: Vec<_> = txs.iter().map(SignedTx::hash).collect();
    let block = Block { header: header(merkle_root(&hashes), BLOCK_TXS as u32), txs };
    let bytes = block.encode().to_vec();
    assert_eq!(bytes.len(), block.encode_size());
    eprintln!("block of {BLOCK_TXS} IssueInvoice transactions: {} bytes", bytes.len());
    let limits = BlockLimits { max_txs: 5_000, actions: CODECS };

    let mut g = c.benchmark_group("block_1000");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    // Per transaction, so the figures compare with `signed_tx`.
    g.throughput(Throughput::Elements(BLOCK_TXS as u64));
    g.bench_function("encode", |b| b.iter(|| black_box(&block).encode()));
    g.bench_function("decode", |b| {
        b.iter(|| decode_exact::<Block>(black_box(&bytes), &limits).expect("decodes"))
    });
    // What a validator does to check `tx_root` (hash every transaction, then the tree).
    g.bench_function("tx_hashes_and_root", |b| {
        b.iter(|| black_box(&block).tx_root_matches().then_some(()).expect("matches"))
    });
    g.finish();
}

criterion_group!(benches, signed_tx, header_codec, block);
criterion_main!(benches);
