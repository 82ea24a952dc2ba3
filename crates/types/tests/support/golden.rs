//! What the golden-fixture tests of `fapiao-types` and of each application's vocabulary
//! crate share (included with `#[path]`): the fixture check, reading
//! `tests/fixtures/<name>.hex` of the crate under test, and the sample transaction whose
//! action each fixture replaces.

use commonware_codec::Encode;
use fapiao_types::{
    Action, ActionCodecs, ActionSpec, NewAccount, PublicKey, Role, Signature, SignedTx, Tx,
    TxLimits,
};
use std::path::PathBuf;

/// Checks `bytes` against `tests/fixtures/<name>.hex` of the crate under test; with
/// `FAPIAO_BLESS` set, writes them there first.
pub fn check(name: &str, bytes: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.hex"));
    let hex = hex::encode(bytes);
    if std::env::var_os("FAPIAO_BLESS").is_some() {
        std::fs::write(&path, format!("{hex}\n")).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {path:?}; run with FAPIAO_BLESS=1"));
    assert_eq!(want.trim(), hex, "encoding of {name} changed");
}

/// A transaction adding a member account (the fixtures' envelope).
pub fn sample_tx() -> Tx {
    Tx {
        chain_id: "fapiao-demo".into(),
        sender: PublicKey::Ed25519([0x11; 32]),
        nonce: 0x0102030405060708,
        expiry: 600,
        action: Action::AddAccount(NewAccount {
            public_key: PublicKey::Sm2([0x02; 33]),
            name: "收银台 1".into(),
            roles: vec![Role::MerchantIssuer, Role::Consumer],
        }),
    }
}

/// Checks an application's `(fixture name, action)` samples: one per action of `specs`,
/// each named `tx_<its name>`, the sample transaction carrying it frozen in its fixture,
/// and a signed transaction carrying it decoded with `codecs` back to the same action.
#[allow(dead_code)] // included by golden tests of crates without actions too
pub fn check_actions<A>(
    samples: Vec<(&str, A)>,
    specs: &[ActionSpec],
    codecs: ActionCodecs,
    name: impl Fn(&A) -> &'static str,
) where
    A: Clone + PartialEq + std::fmt::Debug + Into<Action> + for<'a> TryFrom<&'a Action>,
    for<'a> <A as TryFrom<&'a Action>>::Error: std::fmt::Debug,
{
    assert_eq!(samples.len(), specs.len(), "one sample per action");
    for (fixture, action) in samples {
        assert_eq!(format!("tx_{}", name(&action)), fixture);
        let tx = Tx { action: action.clone().into(), ..sample_tx() };
        check(fixture, &tx.encode());
        let signed = SignedTx { tx: tx.clone(), signature: Signature([0x5A; 64]) };
        let back =
            SignedTx::decode_limited(&signed.encode(), &TxLimits::with_actions(codecs)).unwrap();
        assert_eq!(back.tx, tx);
        assert_eq!(A::try_from(&back.tx.action).unwrap(), action, "{fixture}");
    }
}
