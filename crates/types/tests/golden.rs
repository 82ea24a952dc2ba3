//! Golden fixtures: the canonical encodings of every hashed or signed structure are
//! frozen in `tests/fixtures/*.hex`. A change here is a change of the chain format:
//! update `docs/formats.md`, then regenerate with `FAPIAO_BLESS=1 cargo test -p fapiao-types`.

use commonware_codec::Encode;
use fapiao_types::*;

#[path = "support/golden.rs"]
mod support;
use support::{check, sample_tx};

#[test]
fn tx_encoding_is_frozen() {
    let tx = sample_tx();
    check("tx_add_account", &tx.encode());
    check("tx_add_account_hash", &tx.hash());
    let revoke =
        Tx { action: Action::RevokeAccount { account: AccountId([0xAB; 32]) }, ..tx.clone() };
    check("tx_revoke_account", &revoke.encode());
    let signed = SignedTx { tx: tx.clone(), signature: Signature([0x5A; 64]) };
    check("signed_tx", &signed.encode());
    check("signing_payload", &SignedTx::signing_payload(&tx));
    let back = SignedTx::decode_limited(
        &signed.encode(),
        &TxLimits::with_actions(ActionCodecs::default()),
    )
    .unwrap();
    assert_eq!(back, signed);
}

fn sample_header() -> Header {
    Header {
        version: HEADER_VERSION,
        chain_id: sha256(b"fapiao-demo"),
        height: 7,
        parent: [0x22; 32],
        time_ms: 1_764_000_000_000,
        proposer: 0,
        tx_root: merkle_root(&[[1; 32], [2; 32], [3; 32]]),
        tx_count: 3,
        state_height: 6,
        state_root: [0x33; 32],
    }
}

#[test]
fn header_and_block_encoding_is_frozen() {
    let h = sample_header();
    let enc = h.encode();
    assert_eq!(enc.len(), 161);
    check("header", &enc);
    check("header_digest", &h.digest());
    let signed = SignedTx { tx: sample_tx(), signature: Signature([0x5A; 64]) };
    let mut header = h;
    header.tx_root = merkle_root(&[signed.hash()]);
    header.tx_count = 1;
    let block = Block { header, txs: vec![signed] };
    assert!(block.tx_root_matches());
    check("block", &block.encode());
    let back: Block = decode_exact(
        &block.encode(),
        &BlockLimits { max_txs: 10, actions: ActionCodecs::default() },
    )
    .unwrap();
    assert_eq!(back, block);
    assert!(decode_exact::<Block>(
        &block.encode(),
        &BlockLimits { max_txs: 0, actions: ActionCodecs::default() }
    )
    .is_err());
}

#[test]
fn state_keys_and_records_are_frozen() {
    let keys = [
        StateKey::Org("sz-tax".into()),
        StateKey::Account(AccountId([0xCD; 32])),
        StateKey::Tx([0xEF; 32]),
    ];
    let joined: Vec<u8> = keys
        .iter()
        .flat_map(|k| {
            let mut b = k.to_bytes();
            b.push(b'\n');
            b
        })
        .collect();
    check("state_keys", &joined);
    for k in &keys {
        assert_eq!(&StateKey::parse(&k.to_string()).unwrap(), k);
    }
    let acct = AccountRecord {
        public_key: PublicKey::Ed25519([0x44; 32]),
        org: "sz-tax".into(),
        name: "Officer Li".into(),
        roles: vec![Role::TaxOfficer],
        added_at: 12,
        revoked_at: Some(40),
    };
    check("account_record", &acct.encode());
    assert_eq!(decode_exact::<AccountRecord>(&acct.encode(), &()).unwrap(), acct);
    let org = OrgRecord {
        id: "sz-tax".into(),
        name: "深圳市税务局".into(),
        kind: OrgKind::TaxAuthority,
        tax_id: None,
        status: fapiao_types::OrgStatus::Active,
    };
    check("org_record", &org.encode());
    let rec = TxRecord {
        height: 9,
        index: 2,
        sender: AccountId([0x01; 32]),
        outcome: Outcome::Failed {
            code: "missing_role".into(),
            field: "sender".into(),
            message: "needs org.admin".into(),
        },
        output: TxOutput::None,
    };
    check("tx_record", &rec.encode());
    assert_eq!(decode_exact::<TxRecord>(&rec.encode(), &()).unwrap(), rec);
    let receipt = Receipt {
        tx_hash: [0x0F; 32],
        height: 9,
        index: 2,
        outcome: Outcome::Ok,
        output: TxOutput::Invoice("26424000000104330311".parse().unwrap()),
    };
    check("receipt", &receipt.encode());
}

#[test]
fn garbage_and_trailing_bytes_are_refused() {
    let signed = SignedTx { tx: sample_tx(), signature: Signature([0x5A; 64]) };
    let mut bytes = signed.encode().to_vec();
    bytes.push(0);
    assert!(
        SignedTx::decode_limited(&bytes, &TxLimits::with_actions(ActionCodecs::default())).is_err()
    );
    assert!(SignedTx::decode_limited(
        &bytes[..bytes.len() - 10],
        &TxLimits::with_actions(ActionCodecs::default())
    )
    .is_err());
    assert!(SignedTx::decode_limited(b"garbage", &TxLimits::with_actions(ActionCodecs::default()))
        .is_err());
    assert!(SignedTx::decode_limited(
        &signed.encode(),
        &TxLimits { max_tx_bytes: 100, ..TxLimits::with_actions(ActionCodecs::default()) }
    )
    .is_err());
    // Unknown action tag.
    let mut t = signed.encode().to_vec();
    let action_at = 1 + 11 + 33 + 16;
    t[action_at] = 0x7F;
    assert!(SignedTx::decode_limited(&t, &TxLimits::with_actions(ActionCodecs::default())).is_err());
}

#[test]
fn uscc_like_org_ids_and_suites_parse() {
    assert!(StateKey::parse("org/UPPER").is_err());
    assert!(StateKey::parse("nope").is_err());
    assert_eq!(Suite::parse("sm2").unwrap(), Suite::Sm2);
    assert!(Role::parse("tax.officer").is_ok());
    assert!(Role::parse("root").is_err());
    assert!(Role::TaxOfficer.allowed_in(OrgKind::TaxAuthority));
    assert!(!Role::TaxOfficer.allowed_in(OrgKind::Bank));
    assert!(Role::MerchantIssuer.allowed_in(OrgKind::Insurer));
    assert!(!Role::EnterpriseFinance.allowed_in(OrgKind::Insurer));
}

/// Governance: a `propose` transaction of a parameter change, the records it leaves and
/// the state keys (docs/formats.md §4.9, §8.1, §8.8).
#[test]
fn governance_encoding_is_frozen() {
    let change = Change::SetParam {
        param: "chain/mechanics".into(),
        effective: Effective::AtHeight(1000),
        value: ParamValue(
            r#"{"max_block_txs":1,"expiry_window":600,"max_clock_drift_ms":2000}"#.into(),
        ),
    };
    let tx = Tx {
        action: Action::Propose(Propose { change: change.clone(), note: "cap".into() }),
        ..sample_tx()
    };
    check("tx_propose_param", &tx.encode());
    assert_eq!(decode_exact::<Tx>(&tx.encode(), &ActionCodecs::default()).unwrap(), tx);
    let org = NewOrganisation {
        id: "pingan-sz".into(),
        name: "平安".into(),
        kind: OrgKind::Insurer,
        tax_id: None,
        admins: vec![NewAdmin { public_key: PublicKey::Ed25519([0x55; 32]), name: "a".into() }],
    };
    let add = Tx {
        action: Action::Propose(Propose {
            change: Change::AddOrganisation(org.clone()),
            note: String::new(),
        }),
        ..sample_tx()
    };
    check("tx_propose_organisation", &add.encode());
    let approve = Tx { action: Action::ApproveProposal(ProposalRef { id: 7 }), ..sample_tx() };
    check("tx_approve_proposal", &approve.encode());
    let create = Tx {
        action: Action::CreateEnterprise(NewOrganisation {
            kind: OrgKind::Enterprise,
            tax_id: Some("91350100M000100Y43".parse().unwrap()),
            ..org
        }),
        ..sample_tx()
    };
    check("tx_create_enterprise", &create.encode());
    let record = ProposalRecord {
        id: 7,
        proposer: AccountId([0x01; 32]),
        proposer_org: "sz-tax".into(),
        change: change.clone(),
        note: "cap".into(),
        proposed_at: 900,
        expires_at: 100_900,
        approvals: vec!["sz-tax".into(), "bank".into()],
        status: ProposalStatus::Enacted,
        decided_at: 905,
    };
    check("proposal_record", &record.encode());
    assert_eq!(decode_exact::<ProposalRecord>(&record.encode(), &()).unwrap(), record);
    let schedule = ParamSchedule {
        versions: vec![
            ParamVersion {
                version: 0,
                effective: Effective::OnDate(0),
                value: ParamValue("{}".into()),
                enacted_at: 0,
                proposal: 0,
            },
            ParamVersion {
                version: 1,
                effective: Effective::OnDate(20_261_203),
                value: ParamValue(r#"{"x":1}"#.into()),
                enacted_at: 905,
                proposal: 7,
            },
        ],
    };
    check("param_schedule", &schedule.encode());
    assert_eq!(decode_exact::<ParamSchedule>(&schedule.encode(), &()).unwrap(), schedule);
    let node = FullNodeRecord {
        name: "audit node".into(),
        org: "sz-tax".into(),
        public_key: [0x66; 32],
        added_at: 905,
    };
    check("full_node_record", &node.encode());
    let keys = [
        StateKey::Param("invoice/tax-rules".into()),
        StateKey::Proposal(7),
        StateKey::ProposalSeq,
        StateKey::FullNode([0x66; 32]),
    ];
    let mut joined = Vec::new();
    for k in &keys {
        joined.extend_from_slice(&k.to_bytes());
        joined.push(b'\n');
        assert_eq!(&StateKey::parse(&k.to_string()).unwrap(), k);
    }
    check("state_keys_governance", &joined);
    for bad in ["proposal/0", "proposal/07", "proposal-seq/first", "params/chain", "params/A/b"] {
        assert!(StateKey::parse(bad).is_err(), "{bad}");
    }
}

/// A receipt's output is typed; an order or form id is its 32 bytes, not 64 hex digits.
#[test]
fn receipt_outputs_round_trip_by_tag() {
    for (output, len, text) in [
        (TxOutput::None, 1, String::new()),
        (
            TxOutput::Invoice("26424000000104330311".parse().unwrap()),
            22,
            "26424000000104330311".to_string(),
        ),
        (TxOutput::Order([0xAB; 32]), 33, "ab".repeat(32)),
        (TxOutput::RedForm([0xCD; 32]), 33, "cd".repeat(32)),
        (TxOutput::Proposal(7), 9, "7".to_string()),
        (TxOutput::Application([0x01; 32]), 33, "01".repeat(32)),
        (TxOutput::Record([0xEF; 32]), 33, "ef".repeat(32)),
        (TxOutput::Serial(42_000_017), 9, "42000017".to_string()),
    ] {
        let bytes = output.encode();
        assert_eq!(bytes.len(), len, "{output:?}");
        assert_eq!(decode_exact::<TxOutput>(&bytes, &()).unwrap(), output);
        assert_eq!(output.to_string(), text);
    }
    assert!(decode_exact::<TxOutput>(&[4], &()).is_err());
    assert!(decode_exact::<TxOutput>(&[8], &()).is_err(), "tags past 07 are unknown");
    assert_eq!(TxOutput::Serial(1).encode().as_ref(), &[7, 0, 0, 0, 0, 0, 0, 0, 1]);
    // A malformed invoice number does not decode.
    let mut bad = vec![1, 20];
    bad.extend_from_slice(b"2642400000010433031A");
    assert!(decode_exact::<TxOutput>(&bad, &()).is_err());
}

/// Writes `v` as a field of the old, untyped layout.
fn old(buf: &mut Vec<u8>, v: impl fapiao_types::field::Field) {
    v.write_field(buf);
}

/// An organisation's USCC keeps the bytes of the text it was, empty when it has none.
#[test]
fn an_organisation_tax_id_keeps_the_bytes_of_its_string() {
    let s = |t: &str| t.to_string();
    let org = OrgRecord {
        id: s("huawei"),
        name: s("华为"),
        kind: OrgKind::Enterprise,
        tax_id: Some("914403001922038216".parse().unwrap()),
        status: fapiao_types::OrgStatus::Active,
    };
    let mut want = Vec::new();
    for t in ["huawei", "华为"] {
        old(&mut want, s(t));
    }
    want.push(org.kind.encode()[0]);
    old(&mut want, s("914403001922038216"));
    want.extend_from_slice(&fapiao_types::OrgStatus::Active.encode());
    assert_eq!(org.encode().to_vec(), want);
    assert_eq!(decode_exact::<OrgRecord>(&org.encode(), &()).unwrap(), org);
}
