//! Golden fixtures of the light client: the canonical encoding of its action (inside a
//! transaction), its record and its key kind are frozen in `tests/fixtures/*.hex`. A
//! change here is a change of the chain format: update `docs/formats.md` §23 first.
//! The fixtures were written once when the types were new, from the encodings printed
//! by these samples and read against §23's byte layout.

use commonware_codec::Encode;
use fapiao_crosschain_types::*;
use fapiao_types::*;

#[path = "../../types/tests/support/golden.rs"]
mod support;
use support::{check, sample_tx};

const CODECS: ActionCodecs = ActionCodecs(&[&CrosschainBodies]);

fn relay() -> RelayHeader {
    RelayHeader {
        chain: "fapiao-tax".into(),
        header: Blob(vec![0xAB; 5]),
        certificate: Blob(vec![0xCD; 3]),
    }
}

fn window() -> HeaderWindow {
    HeaderWindow {
        entries: vec![
            WindowEntry {
                height: 41,
                digest: [0x41; 32],
                parent: [0x40; 32],
                time_ms: 1_764_633_600_000,
                state_height: 40,
                state_root: [0x5A; 32],
                verified_at: 7,
            },
            WindowEntry {
                height: 42,
                digest: [0x42; 32],
                parent: [0x41; 32],
                time_ms: 1_764_633_600_500,
                state_height: 41,
                state_root: [0x5B; 32],
                verified_at: 8,
            },
        ],
    }
}

#[test]
fn the_relay_header_encoding_is_frozen() {
    let action = CrosschainAction::RelayHeader(relay());
    let tx = Tx { action: Action::from(action.clone()), ..sample_tx() };
    check("tx_crosschain_relay_header", &tx.encode());
    let signed = SignedTx { tx: tx.clone(), signature: Signature([0x5A; 64]) };
    let back = SignedTx::decode_limited(&signed.encode(), &TxLimits::with_actions(CODECS)).unwrap();
    assert_eq!(back.tx, tx);
    assert_eq!(CrosschainAction::try_from(&back.tx.action).unwrap(), action);
}

#[test]
fn the_header_window_encoding_is_frozen() {
    let w = window();
    check("crosschain_header_window", &w.encode());
    assert_eq!(decode_exact::<HeaderWindow>(&w.encode(), &()).unwrap(), w);
    assert_eq!(w.at(42).unwrap().state_root, [0x5B; 32]);
    assert_eq!(w.oldest(), Some(41));
    assert!(w.at(43).is_none());
}

#[test]
fn the_window_key_is_frozen() {
    let key = StateKey::from(CrosschainKey::window("fapiao-tax"));
    check("crosschain_state_keys", key.to_string().as_bytes());
    assert_eq!(StateKey::parse(&key.to_string()).unwrap(), key);
}
