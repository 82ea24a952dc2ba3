//! The finality blobs that `docs/formats.md` §11 shows, rebuilt with Commonware from fixed
//! keys (ed25519 signing is deterministic) and pinned by fixtures:
//!
//! * `tests/fixtures/finality-1.hex`: §11.2's one-validator example;
//! * `tests/fixtures/finality-4.json`: §11.4's four-validator example, a blob over the
//!   header fixture of `crates/types` signed by three of four validators.
//!
//! Each test checks that Commonware still produces the fixture's bytes (rewrite the
//! fixtures with `FAPIAO_REGENERATE_FIXTURES=1`), that both verifiers accept them, and
//! that formats.md shows exactly those bytes and their length.

use commonware_codec::{Copying, DecodeExt as _, Encode as _};
use commonware_cryptography::{ed25519, Signer as _};
use fapiao_types::{decode_exact, Header, NAMESPACE_CONSENSUS};
use fapiao_verify::{verify_finalization, Certified};

const FORMATS: &str = include_str!("../../../docs/formats.md");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
/// The header fixture of `crates/types` (formats.md §5.1).
const HEADER_HEX: &str = include_str!("../../types/tests/fixtures/header.hex");

fn key(seed: [u8; 32]) -> ed25519::PrivateKey {
    ed25519::PrivateKey::decode(Copying(&seed)).unwrap()
}

mod support;
use support::blob;

fn key_bytes(key: &ed25519::PrivateKey) -> [u8; 32] {
    key.public_key().as_ref().try_into().unwrap()
}

/// Writes `text` to the fixture under `FAPIAO_REGENERATE_FIXTURES`, then returns the
/// fixture's text.
fn fixture(name: &str, text: &str) -> String {
    let path = format!("{FIXTURES}/{name}");
    if std::env::var_os("FAPIAO_REGENERATE_FIXTURES").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    std::fs::read_to_string(&path).unwrap()
}

/// The section of formats.md that starts with the heading `### <number> `.
fn section(number: &str) -> &'static str {
    FORMATS
        .split(&format!("\n### {number} "))
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .unwrap_or_else(|| panic!("formats.md has §{number}"))
}

/// The bytes a code block of formats.md spells out: on each line, the leading tokens
/// that are hex with an even number of digits (what follows is the description).
fn code_block_bytes(text: &str) -> Vec<u8> {
    let hex_text: String = text
        .lines()
        .flat_map(|l| {
            l.split_whitespace()
                .take_while(|t| t.len() % 2 == 0 && t.chars().all(|c| c.is_ascii_hexdigit()))
        })
        .collect();
    hex::decode(hex_text).unwrap()
}

/// The first ``` code block after `marker` in `text`.
fn code_block_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let after = text.split(marker).nth(1).unwrap_or_else(|| panic!("formats.md has {marker:?}"));
    after.split("```").nth(1).unwrap()
}

#[test]
fn one_validator_example_of_section_11_2() {
    let v = key([7; 32]);
    let public = key_bytes(&v);
    let digest: [u8; 32] =
        hex::decode("fc82c8da197edb266bbeb3db5636fac39390a698b1ee38745d706b0c931a1794")
            .unwrap()
            .try_into()
            .unwrap();
    let generated = blob(std::slice::from_ref(&v), &[0], 1, digest, 2, 1);
    let pinned = hex::decode(fixture("finality-1.hex", &hex::encode(&generated)).trim()).unwrap();
    assert_eq!(pinned, generated, "Commonware's encoding or signing changed");
    assert_eq!(generated.len(), 149);

    let text = section("11.2");
    assert!(text.contains(&hex::encode(public)), "§11.2 names the validator key");
    assert!(text.contains(&format!("{} bytes:", generated.len())), "§11.2 gives the length");
    assert_eq!(code_block_bytes(code_block_after(text, "bytes:")), generated);

    let certified =
        verify_finalization(&[public], NAMESPACE_CONSENSUS, digest, &generated[40..]).unwrap();
    assert_eq!((certified.view, certified.parent_view, certified.signers), (2, 1, vec![0]));
}

/// Four validators from the seeds `i ‖ fa×31` (as `finalization-4.json`), genesis
/// validators 0, 1 and 3 signing the header fixture (height 7) in view 9.
#[test]
fn four_validator_example_of_section_11_4() {
    let keys: Vec<_> = (0..4u8)
        .map(|i| {
            let mut seed = [0xfa; 32];
            seed[0] = i;
            key(seed)
        })
        .collect();
    let validators: Vec<[u8; 32]> = keys.iter().map(key_bytes).collect();
    let header_bytes = hex::decode(HEADER_HEX.trim()).unwrap();
    let header: Header = decode_exact(&header_bytes, &()).unwrap();
    let digest = header.digest();
    let signers = [0usize, 1, 3];
    let generated = blob(&keys, &signers, header.height, digest, 9, 8);

    let json = serde_json::json!({
        "description": "A finality blob (docs/formats.md §11.2, §11.4): height ‖ digest ‖ Commonware simplex Finalization<ed25519::Scheme, sha256::Digest> (commonware 2026.10.0) of the header fixture crates/types/tests/fixtures/header.hex, epoch 0, view 9, parent view 8, signed by genesis validators 0, 1 and 3 of 4 in the _FAPIAO_CONSENSUS namespace. Generated by crates/verify/tests/finality_examples.rs with FAPIAO_REGENERATE_FIXTURES=1.",
        "validators": validators.iter().map(hex::encode).collect::<Vec<_>>(),
        "private_key_seeds": keys.iter().map(|k| hex::encode(k.encode())).collect::<Vec<_>>(),
        "header_hex": hex::encode(&header_bytes),
        "header_digest": hex::encode(digest),
        "finality_blob": hex::encode(&generated),
        "expected": { "height": 7, "view": 9, "parent_view": 8, "signers": signers,
                      "quorum": 3, "validators": 4 },
    });
    let text = serde_json::to_string_pretty(&json).unwrap() + "\n";
    let pinned: serde_json::Value =
        serde_json::from_str(&fixture("finality-4.json", &text)).unwrap();
    assert_eq!(pinned, json, "Commonware's encoding or signing changed");
    assert_eq!(generated.len(), 40 + 3 + 32 + 8 + 1 + 1 + 3 * 64);

    // The offline verifier, as a client would call it, and Commonware's own.
    assert_eq!(&generated[..8], &7u64.to_be_bytes());
    assert_eq!(&generated[8..40], &digest);
    let certified =
        verify_finalization(&validators, NAMESPACE_CONSENSUS, digest, &generated[40..]).unwrap();
    assert_eq!(
        certified,
        Certified {
            epoch: 0,
            view: 9,
            parent_view: 8,
            digest,
            signers: vec![0, 1, 3],
            quorum: 3,
            validators: 4
        }
    );
    fapiao_consensus::verify_finalization(
        &validators,
        NAMESPACE_CONSENSUS,
        digest,
        &generated[40..],
    )
    .unwrap();

    // formats.md §11.4 shows the keys in genesis order, the header digest and the blob.
    let text = section("11.4");
    for (i, k) in validators.iter().enumerate() {
        assert!(text.contains(&hex::encode(k)), "§11.4 lists validator {i}");
    }
    assert!(text.contains(&hex::encode(digest)), "§11.4 names the header digest");
    assert!(text.contains(&format!("{} bytes:", generated.len())), "§11.4 gives the length");
    assert_eq!(code_block_bytes(code_block_after(text, "bytes:")), generated);
}
