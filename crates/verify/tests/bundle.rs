//! Invoice proof bundles of format 2 made from a real state database: a
//! [`fapiao_state::QmdbState`] on Commonware's deterministic runtime holding invoices as the
//! chain writes them (public records, salted circulation and red totals stored as
//! commitments, bodies beside the state), proofs made at its tip, a header certifying that
//! state (`state_height`, `state_root`) finalized by a certificate that Commonware assembles
//! from real Ed25519 votes of the genesis validators.
//!
//! Checked here: the bundle verifies and shows what was written; every single bit flip of
//! every proof, value, header and certificate is refused (an error, never a panic); a body
//! entry carrying a proof, a body not matching the commitment, a format-1 bundle, an absent
//! record claimed present (and a present one claimed absent) are refused with the
//! `VerifyError` naming the check; a tax-payment certificate bundle of format 2 verifies
//! and is refused when altered; and `tests/fixtures/bundle-v2.json` (genesis and bundle)
//! still verifies and is what the engine makes today — regenerate it with
//! `FAPIAO_REGENERATE_FIXTURES=1` only with a chain format change; docs/formats.md §9.1
//! spells its circulation proof byte for byte.

use commonware_codec::{Copying, DecodeExt as _, Encode as _};
use commonware_cryptography::{ed25519, Signer as _};
use commonware_runtime::{deterministic, Runner as _};
use fapiao_invoice_types::{
    record_salt, Buyer, BuyerKind, Circulation, InvoiceBody, InvoicePublic, InvoiceStatus, Line,
    RedTotals,
};
use fapiao_state::QmdbState;
use fapiao_types::{
    sha256, AccountId, ChinaDate, Genesis, GenesisValidator, Header, InvoiceKind, InvoiceNumber,
    SellerType, Uscc, HEADER_VERSION,
};
mod support;

use fapiao_verify::{verify_bundle, BundleEntry, ProofBundle, VerifyError, BUNDLE_FORMAT};

const CHAIN: &str = "fapiao-tax";
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bundle-v2.json");
/// The chain secret the record salts are derived from.
const SECRET: [u8; 32] = [0x5e; 32];
/// The invoice with every record (public, body, circulation, red totals).
const N1: &str = "26951000000000000001";
/// An invoice whose circulation record is absent (proven absent in its bundle).
const N2: &str = "26951000000000000002";
/// The height of the state the proofs show; the header at `STATE_HEIGHT + 1` certifies it.
const STATE_HEIGHT: u64 = 2;

fn number(n: &str) -> InvoiceNumber {
    n.parse().unwrap()
}

fn keys() -> Vec<ed25519::PrivateKey> {
    (0..4u8)
        .map(|i| {
            let mut seed = [0x42; 32];
            seed[0] = i;
            ed25519::PrivateKey::decode(Copying(&seed)).unwrap()
        })
        .collect()
}

fn genesis(keys: &[ed25519::PrivateKey]) -> Genesis {
    Genesis {
        chain_id: CHAIN.into(),
        genesis_time_ms: 1_795_000_000_000,
        consensus: Default::default(),
        organisations: Vec::new(),
        validators: keys
            .iter()
            .enumerate()
            .map(|(i, k)| GenesisValidator {
                name: format!("v{i}"),
                org: String::new(),
                public_key: hex::encode(k.public_key().as_ref()),
                p2p_address: format!("127.0.0.1:{}", 3000 + i),
            })
            .collect(),
        full_nodes: Vec::new(),
        demo: false,
        governance: Default::default(),
        params: Default::default(),
    }
}

fn body(n: &str) -> InvoiceBody {
    InvoiceBody {
        salt: sha256(n.as_bytes()),
        type_code: "82".into(),
        seller_type: SellerType::General,
        buyer: Buyer {
            kind: BuyerKind::Person,
            name: "张三".into(),
            tax_id: None,
            holder: Some(AccountId([4; 32])),
        },
        lines: vec![Line {
            name: "*现代服务*咨询服务".into(),
            tax_code: "3040201010000000000".into(),
            spec: String::new(),
            unit: String::new(),
            quantity: None,
            unit_price: None,
            amount: 94_340,
            rate: "0.06".parse().unwrap(),
            tax: 5_660,
        }],
        total_amount: 94_340,
        total_tax: 5_660,
        total_in_capitals: "壹仟圆整".into(),
        remarks: String::new(),
        issuer: AccountId([2; 32]),
        red_of: None,
        industry: None,
    }
}

fn public(n: &str, status: InvoiceStatus) -> InvoicePublic {
    InvoicePublic {
        number: number(n),
        kind: InvoiceKind::Ordinary,
        date: ChinaDate::from_yyyymmdd(20261126).unwrap(),
        issued_at_ms: 1_795_665_600_000,
        total_with_tax: 100_000,
        seller_tax_id: Uscc::from_const("91440300708461136T"),
        seller_name: "腾讯".into(),
        status,
        flagged: false,
        commitment: sha256(&body(n).encode()),
        rules_version: 1,
    }
}

fn circulation(n: &str, reimbursed_at: u64) -> Circulation {
    Circulation {
        salt: record_salt(&SECRET, format!("invoice-circ/{n}").as_bytes()),
        holder: Some(AccountId([4; 32])),
        enterprise: Some(Uscc::from_const("914403001922038216")),
        reimbursed_at,
        booked_at: 0,
        last_rejection: String::new(),
        reversed: -11_30,
    }
}

fn red_totals(n: &str) -> RedTotals {
    RedTotals {
        salt: record_salt(&SECRET, format!("invoice-red/{n}").as_bytes()),
        amounts: vec![-10_00],
        taxes: vec![-1_30],
        red_numbers: vec![number("26951000000000000003")],
        open_form: None,
    }
}

type Change = (Vec<u8>, Option<Vec<u8>>);

fn put(path: String, record: &impl commonware_codec::Encode) -> Change {
    (path.into_bytes(), Some(record.encode().to_vec()))
}

/// The two blocks of the test chain's state (bodies are not in it).
fn blocks() -> Vec<Vec<Change>> {
    vec![
        vec![
            (b"org/tax-bureau".to_vec(), Some(b"an organisation".to_vec())),
            (b"org/tencent".to_vec(), Some(b"another organisation".to_vec())),
            put(format!("invoice/{N1}"), &public(N1, InvoiceStatus::Submitted)),
            put(format!("invoice-circ/{N1}"), &circulation(N1, 0)),
        ],
        vec![
            put(format!("invoice/{N1}"), &public(N1, InvoiceStatus::Reimbursed)),
            put(format!("invoice-circ/{N1}"), &circulation(N1, 2)),
            put(format!("invoice-red/{N1}"), &red_totals(N1)),
            put(format!("invoice/{N2}"), &public(N2, InvoiceStatus::Issued)),
        ],
    ]
}

/// One proof of a path: the stored value the engine reports and the encoded proof.
struct Proven {
    stored: Option<Vec<u8>>,
    proof: Vec<u8>,
}

/// Builds the state of [`blocks`] on a deterministic runtime; returns its root and the
/// proofs of `paths` at its tip.
fn state(paths: &[String]) -> ([u8; 32], Vec<Proven>) {
    state_of(blocks(), paths)
}

/// Builds the state of `blocks` (heights 1, 2, …); returns its root and the proofs of
/// `paths` at its tip.
fn state_of(blocks: Vec<Vec<Change>>, paths: &[String]) -> ([u8; 32], Vec<Proven>) {
    let paths = paths.to_vec();
    let height = blocks.len() as u64;
    deterministic::Runner::seeded(7).start(|ctx| async move {
        let mut db = QmdbState::open(ctx, "bundle").await.unwrap();
        for (i, block) in blocks.into_iter().enumerate() {
            db.apply_block(i as u64 + 1, block).await.unwrap();
        }
        assert_eq!(db.height().unwrap(), Some(height));
        let root = db.root().unwrap();
        let mut out = Vec::new();
        for p in &paths {
            let proof = db.prove(p.as_bytes()).await.unwrap();
            assert_eq!(proof.root, root);
            out.push(Proven { stored: proof.value, proof: proof.proof });
        }
        (root, out)
    })
}

/// The header at `height` certifying `root` as the state after `STATE_HEIGHT`.
fn header(height: u64, parent: [u8; 32], root: [u8; 32]) -> Header {
    Header {
        version: HEADER_VERSION,
        chain_id: sha256(CHAIN.as_bytes()),
        height,
        parent,
        time_ms: 1_795_665_600_000 + height * 500,
        proposer: 0,
        tx_root: sha256(b""),
        tx_count: 0,
        state_height: STATE_HEIGHT,
        state_root: root,
    }
}

/// The finality blob of `header`, its certificate assembled by Commonware from the finalize
/// votes of the validators at `signers` (view = height, parent view = height − 1).
fn finality(keys: &[ed25519::PrivateKey], header: &Header, signers: &[usize]) -> Vec<u8> {
    support::blob(keys, signers, header.height, header.digest(), header.height, header.height - 1)
}

/// The records a party's node holds for `n` (beside the state), by path.
fn record(path: &str) -> Option<Vec<u8>> {
    let (kind, n) = path.split_once('/').unwrap();
    let latest =
        blocks().into_iter().flatten().rfind(|(p, _)| p == path.as_bytes()).and_then(|(_, r)| r);
    match kind {
        "invoice-body" if n == N1 || n == N2 => Some(body(n).encode().to_vec()),
        _ => latest,
    }
}

/// The world of the tests: the genesis, the bundles of `N1` and `N2` (public, body and
/// circulation), certified by three of the four validators; `descendant` puts the
/// certificate on a child of the proving header instead.
struct World {
    genesis: Genesis,
    n1: ProofBundle,
    n2: ProofBundle,
}

fn world(descendant: bool) -> World {
    let keys = keys();
    let paths: Vec<String> = [N1, N2]
        .iter()
        .flat_map(|n| [format!("invoice/{n}"), format!("invoice-circ/{n}")])
        .collect();
    let (root, proofs) = state(&paths);
    let proving = header(STATE_HEIGHT + 1, sha256(b"block 2"), root);
    let mut certified = proving;
    let mut descendants_hex = Vec::new();
    if descendant {
        certified = header(STATE_HEIGHT + 2, proving.digest(), [0xee; 32]);
        descendants_hex.push(hex::encode(certified.encode()));
    }
    let certificate_hex = hex::encode(finality(&keys, &certified, &[0, 1, 3]));
    let mut bundles = [N1, N2].iter().enumerate().map(|(i, n)| {
        let entry = |path: &String, p: &Proven| {
            let value = record(path);
            // The database keeps what the verifier recomputes from the record.
            assert_eq!(
                p.stored,
                value.as_ref().map(|v| fapiao_types::state_order::stored_value(path.as_bytes(), v))
            );
            BundleEntry {
                key: path.clone(),
                value_hex: value.map(hex::encode),
                proof_hex: hex::encode(&p.proof),
            }
        };
        let body = format!("invoice-body/{n}");
        ProofBundle {
            format: BUNDLE_FORMAT.into(),
            chain_id: CHAIN.into(),
            number: (*n).into(),
            entries: vec![
                entry(&paths[2 * i], &proofs[2 * i]),
                BundleEntry {
                    key: body.clone(),
                    value_hex: record(&body).map(hex::encode),
                    proof_hex: String::new(),
                },
                entry(&paths[2 * i + 1], &proofs[2 * i + 1]),
            ],
            header_hex: hex::encode(proving.encode()),
            descendants_hex: descendants_hex.clone(),
            certificate_hex: certificate_hex.clone(),
        }
    });
    let n1 = bundles.next().unwrap();
    let n2 = bundles.next().unwrap();
    World { genesis: genesis(&keys), n1, n2 }
}

#[test]
fn a_bundle_of_real_qmdb_proofs_verifies_and_shows_the_records() {
    for descendant in [false, true] {
        let w = world(descendant);
        let v = verify_bundle(&w.genesis, &w.n1).unwrap();
        assert_eq!(v.public, public(N1, InvoiceStatus::Reimbursed));
        assert_eq!(v.body, Some(body(N1)));
        assert_eq!(v.circulation, Some(Some(circulation(N1, 2))));
        assert_eq!((v.state_height, v.header_height), (STATE_HEIGHT, STATE_HEIGHT + 1));
        assert_eq!(v.certified_height, STATE_HEIGHT + 1 + u64::from(descendant));
        assert_eq!((v.signers, v.quorum), (vec![0, 1, 3], 3));
        // N2 was never circulated: its bundle proves the record absent.
        let v = verify_bundle(&w.genesis, &w.n2).unwrap();
        assert_eq!(v.public.status, InvoiceStatus::Issued);
        assert_eq!(v.circulation, Some(None));
    }
}

/// The private records are stored as commitments: the circulation entry's proof is of
/// `SHA-256(domain ‖ path ‖ record)`, and the record starts with its salt.
#[test]
fn private_records_are_proven_through_their_salted_commitment() {
    let paths = [format!("invoice-circ/{N1}"), format!("invoice-red/{N1}")];
    let (root, proofs) = state(&paths);
    for (path, p) in paths.iter().zip(&proofs) {
        let rec = record(path).unwrap();
        let stored = p.stored.clone().unwrap();
        assert_eq!(stored.len(), 32);
        assert_eq!(stored, fapiao_types::state_order::private_commitment(path.as_bytes(), &rec));
        assert!(
            fapiao_verify::verify_state_proof(&root, path.as_bytes(), Some(&rec), &p.proof).is_ok()
        );
        // The same record under another salt (another secret) is another commitment.
        let mut other = rec.clone();
        other[0] ^= 1;
        assert!(fapiao_verify::verify_state_proof(&root, path.as_bytes(), Some(&other), &p.proof)
            .is_err());
    }
}

fn flip_hex(s: &str, bit: usize) -> String {
    let mut b = hex::decode(s).unwrap();
    b[bit / 8] ^= 1 << (bit % 8);
    hex::encode(b)
}

fn bits(s: &str) -> usize {
    s.len() / 2 * 8
}

/// Every single bit flip of every proof, value, header and certificate of both bundles is
/// refused by `verify_bundle`, which returns an error rather than panic.
#[test]
fn every_bit_flip_of_a_bundle_is_refused() {
    let w = world(true);
    let mut tried = 0usize;
    for bundle in [&w.n1, &w.n2] {
        let refused = |b: &ProofBundle, what: &str| {
            let r = std::panic::catch_unwind(|| verify_bundle(&w.genesis, b));
            match r {
                Ok(Err(_)) => {}
                Ok(Ok(_)) => panic!("{} {what}: accepted", b.number),
                Err(_) => panic!("{} {what}: panicked", b.number),
            }
        };
        for (i, e) in bundle.entries.iter().enumerate() {
            for bit in 0..bits(&e.proof_hex) {
                let mut b = bundle.clone();
                b.entries[i].proof_hex = flip_hex(&e.proof_hex, bit);
                refused(&b, &format!("proof of {} bit {bit}", e.key));
                tried += 1;
            }
            if let Some(v) = &e.value_hex {
                for bit in 0..bits(v) {
                    let mut b = bundle.clone();
                    b.entries[i].value_hex = Some(flip_hex(v, bit));
                    refused(&b, &format!("value of {} bit {bit}", e.key));
                    tried += 1;
                }
            }
        }
        for bit in 0..bits(&bundle.header_hex) {
            let mut b = bundle.clone();
            b.header_hex = flip_hex(&bundle.header_hex, bit);
            refused(&b, &format!("header bit {bit}"));
            tried += 1;
        }
        for (i, d) in bundle.descendants_hex.iter().enumerate() {
            for bit in 0..bits(d) {
                let mut b = bundle.clone();
                b.descendants_hex[i] = flip_hex(d, bit);
                refused(&b, &format!("descendant {i} bit {bit}"));
                tried += 1;
            }
        }
        for bit in 0..bits(&bundle.certificate_hex) {
            let mut b = bundle.clone();
            b.certificate_hex = flip_hex(&bundle.certificate_hex, bit);
            refused(&b, &format!("certificate bit {bit}"));
            tried += 1;
        }
    }
    assert!(tried > 10_000, "{tried} flips");
}

fn entry<'a>(b: &'a mut ProofBundle, kind: &str) -> &'a mut BundleEntry {
    b.entries.iter_mut().find(|e| e.key.starts_with(&format!("{kind}/"))).unwrap()
}

#[test]
fn malformed_bundles_are_refused_with_the_check_at_fault() {
    let w = world(false);
    // A body entry carrying a proof: a body is not in the state.
    let mut b = w.n1.clone();
    let proof = entry(&mut b, "invoice").proof_hex.clone();
    entry(&mut b, "invoice-body").proof_hex = proof;
    let e = verify_bundle(&w.genesis, &b).unwrap_err();
    assert!(matches!(&e, VerifyError::Bundle(m) if m.contains("invoice-body")), "{e}");
    // A body without its value.
    let mut b = w.n1.clone();
    entry(&mut b, "invoice-body").value_hex = None;
    assert!(matches!(verify_bundle(&w.genesis, &b), Err(VerifyError::Bundle(_))));
    // A well-formed body that is not the committed one (N2's body in N1's bundle).
    let mut b = w.n1.clone();
    entry(&mut b, "invoice-body").value_hex = Some(hex::encode(body(N2).encode()));
    let e = verify_bundle(&w.genesis, &b).unwrap_err();
    assert!(
        matches!(&e, VerifyError::Record { key, reason } if key == &format!("invoice-body/{N1}")
            && reason.contains("commitment")),
        "{e}"
    );
    // Format 1 (Jellyfish proofs) is refused before anything else.
    let mut b = w.n1.clone();
    b.format = "fapiao-invoice-proof/1".into();
    let e = verify_bundle(&w.genesis, &b).unwrap_err();
    assert!(matches!(&e, VerifyError::Bundle(m) if m.contains("format")), "{e}");
    // N2's circulation is absent: claiming a record there with the absence proof fails.
    let mut b = w.n2.clone();
    entry(&mut b, "invoice-circ").value_hex = Some(hex::encode(circulation(N2, 0).encode()));
    let e = verify_bundle(&w.genesis, &b).unwrap_err();
    assert!(
        matches!(&e, VerifyError::Proof { key, .. } if key == &format!("invoice-circ/{N2}")),
        "{e}"
    );
    // And N1's present circulation claimed absent with its value proof fails too.
    let mut b = w.n1.clone();
    entry(&mut b, "invoice-circ").value_hex = None;
    let e = verify_bundle(&w.genesis, &b).unwrap_err();
    assert!(
        matches!(&e, VerifyError::Proof { key, .. } if key == &format!("invoice-circ/{N1}")),
        "{e}"
    );
    // The public record's proof against another header's root.
    let mut b = w.n1.clone();
    let n2_proof = entry(&mut w.n2.clone(), "invoice").proof_hex.clone();
    entry(&mut b, "invoice").proof_hex = n2_proof;
    assert!(matches!(verify_bundle(&w.genesis, &b), Err(VerifyError::Proof { .. })));
    // The public record missing.
    let mut b = w.n1.clone();
    b.entries.retain(|e| !e.key.starts_with("invoice/"));
    assert!(matches!(verify_bundle(&w.genesis, &b), Err(VerifyError::Bundle(_))));
    // A genesis naming another key in place of a signer: its signature does not verify.
    let mut other = w.genesis.clone();
    other.validators[3].public_key = hex::encode([0x55; 32]);
    let e = verify_bundle(&other, &w.n1).unwrap_err();
    assert!(e.check().starts_with("certificate."), "{e}");
    // Another chain's genesis.
    let mut other = w.genesis.clone();
    other.chain_id = "fapiao-other".into();
    assert!(matches!(verify_bundle(&other, &w.n1), Err(VerifyError::ChainId)));
}

/// `tests/fixtures/bundle-v2.json`: the genesis and N1's bundle, certified directly. It
/// verifies, and the engine still makes exactly it (an upstream change of the proofs, the
/// records or the certificate shows here).
#[test]
fn the_golden_bundle_verifies_and_is_what_the_engine_makes() {
    let w = world(false);
    let generated = serde_json::json!({ "genesis": w.genesis, "bundle": w.n1 });
    let text = serde_json::to_string_pretty(&generated).unwrap() + "\n";
    if std::env::var_os("FAPIAO_REGENERATE_FIXTURES").is_some() {
        std::fs::write(FIXTURE, &text).unwrap();
    }
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).expect("fixture")).unwrap();
    let genesis: Genesis = serde_json::from_value(stored["genesis"].clone()).unwrap();
    let bundle: ProofBundle = serde_json::from_value(stored["bundle"].clone()).unwrap();
    let v = verify_bundle(&genesis, &bundle).unwrap();
    assert_eq!(v.body, Some(body(N1)));
    assert_eq!(stored, generated, "the engine's proofs, the records or the certificate changed");
}

/// docs/formats.md §9.1's worked example is the golden bundle's `invoice-circ` entry: its
/// state root, its stored commitment, and the proof's bytes as the section spells them.
#[test]
fn formats_section_9_1_shows_the_golden_circulation_proof() {
    let formats = include_str!("../../../docs/formats.md");
    let section = formats
        .split("\n### 9.1 ")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("formats.md has §9.1");
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).expect("fixture")).unwrap();
    let bundle: ProofBundle = serde_json::from_value(stored["bundle"].clone()).unwrap();
    let header: Header =
        fapiao_types::decode_exact(&hex::decode(&bundle.header_hex).unwrap(), &()).unwrap();
    assert!(section.contains(&hex::encode(header.state_root)), "state root");
    let circ = bundle.entries.iter().find(|e| e.key.starts_with("invoice-circ/")).unwrap();
    let path = circ.key.as_bytes();
    let record = hex::decode(circ.value_hex.as_deref().unwrap()).unwrap();
    let commitment = fapiao_types::state_order::private_commitment(path, &record);
    assert!(section.contains(&hex::encode(commitment)), "commitment");
    // The proof as the code block spells it: the leading hex tokens of each line.
    let block = section.split("value proof\n(270 bytes):\n\n```\n").nth(1).unwrap();
    let block = block.split("```").next().unwrap();
    let spelled: String = block
        .lines()
        .flat_map(|l| {
            l.split_whitespace()
                .take_while(|t| t.len() % 2 == 0 && t.chars().all(|c| c.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(spelled, circ.proof_hex, "formats.md §9.1 spells the proof");
    assert_eq!(circ.proof_hex.len() / 2, 270);
}

/// A tax-payment certificate bundle (`fapiao-certificate-proof/2`) of a real QMDB proof of
/// `certificate/<number>`: it verifies (with and without the plate), and is refused for
/// another plate, a flipped proof or record, the invoice format, a second entry, and the
/// certificate claimed absent.
#[test]
fn a_certificate_bundle_of_a_real_qmdb_proof_verifies() {
    use fapiao_certificate_types::{
        certificate_number_text, plate_tag, CertificatePublic, CertificateStatus, Relief,
        VehicleClass,
    };
    use fapiao_verify::{verify_certificate_bundle, CERTIFICATE_BUNDLE_FORMAT};
    let number = 2026_0000_0001u64;
    let public = CertificatePublic {
        number,
        plate_tag: plate_tag(number, "粤B12345"),
        tax_year: 2026,
        owner_masked: "张*".into(),
        class: VehicleClass::Passenger,
        total: 96_000,
        relief: Relief::None,
        insurer: "picc-sz".into(),
        status: CertificateStatus::Valid,
        refunded: 0,
        issued_on: ChinaDate::from_yyyymmdd(20261126).unwrap(),
        collection: [0x3c; 32],
    };
    let path = format!("certificate/{}", certificate_number_text(number));
    let mut chain = blocks();
    chain.push(vec![put(path.clone(), &public)]);
    let (root, proofs) = state_of(chain, std::slice::from_ref(&path));
    let keys = keys();
    let genesis = genesis(&keys);
    let mut proving = header(4, sha256(b"block 3"), root);
    proving.state_height = 3;
    let bundle = ProofBundle {
        format: CERTIFICATE_BUNDLE_FORMAT.into(),
        chain_id: CHAIN.into(),
        number: certificate_number_text(number),
        entries: vec![BundleEntry {
            key: path.clone(),
            value_hex: Some(hex::encode(public.encode())),
            proof_hex: hex::encode(&proofs[0].proof),
        }],
        header_hex: hex::encode(proving.encode()),
        descendants_hex: Vec::new(),
        certificate_hex: hex::encode(finality(&keys, &proving, &[1, 2, 3])),
    };
    let v = verify_certificate_bundle(&genesis, &bundle, Some("粤B12345")).unwrap();
    assert_eq!((v.public, v.plate_checked, v.state_height), (public.clone(), true, 3));
    assert!(!verify_certificate_bundle(&genesis, &bundle, None).unwrap().plate_checked);
    let e = verify_certificate_bundle(&genesis, &bundle, Some("粤B54321")).unwrap_err();
    assert!(matches!(&e, VerifyError::Record { reason, .. } if reason.contains("plate")), "{e}");
    for bit in 0..bits(&bundle.entries[0].proof_hex) {
        let mut b = bundle.clone();
        b.entries[0].proof_hex = flip_hex(&bundle.entries[0].proof_hex, bit);
        assert!(verify_certificate_bundle(&genesis, &b, None).is_err(), "proof bit {bit}");
    }
    let value = bundle.entries[0].value_hex.clone().unwrap();
    for bit in 0..bits(&value) {
        let mut b = bundle.clone();
        b.entries[0].value_hex = Some(flip_hex(&value, bit));
        assert!(verify_certificate_bundle(&genesis, &b, None).is_err(), "record bit {bit}");
    }
    let mut b = bundle.clone();
    b.format = BUNDLE_FORMAT.into();
    assert!(matches!(verify_certificate_bundle(&genesis, &b, None), Err(VerifyError::Bundle(_))));
    let mut b = bundle.clone();
    b.entries.push(b.entries[0].clone());
    assert!(matches!(verify_certificate_bundle(&genesis, &b, None), Err(VerifyError::Bundle(_))));
    let mut b = bundle.clone();
    b.entries[0].value_hex = None;
    assert!(verify_certificate_bundle(&genesis, &b, None).is_err());
}
