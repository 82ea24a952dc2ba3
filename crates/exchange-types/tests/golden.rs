//! Golden fixtures of the exchange: the canonical encoding of every action (inside a
//! transaction), every record and every key kind is frozen in `tests/fixtures/*.hex`.
//! A change here is a change of the chain format: update `docs/formats.md` §21 first.
//! The fixtures were written once by the bless mechanism when the types were new
//! (`FAPIAO_BLESS=1`, which must never be run against existing fixtures).

use commonware_codec::Encode;
use fapiao_exchange_types::*;
use fapiao_types::*;

#[path = "../../types/tests/support/golden.rs"]
mod support;
use support::{check, sample_tx};

const CODECS: ActionCodecs = ActionCodecs(&[&ExchangeBodies]);

fn item(s: &str) -> ItemId {
    ItemId::parse(s).unwrap()
}

fn hpke(epoch: u32, fill: u8) -> Envelope {
    Envelope {
        suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
        key_epoch: epoch,
        enc: vec![fill; 32],
        ciphertext: vec![fill ^ 0xFF; 40],
    }
}

fn sm2(epoch: u32, fill: u8) -> Envelope {
    let mut enc = vec![0x04];
    enc.extend(vec![fill; SM2_ENC_LEN - 1]);
    Envelope {
        suite: EnvelopeSuite::Sm2Sm4Gcm,
        key_epoch: epoch,
        enc,
        ciphertext: vec![fill ^ 0x0F; SM4_NONCE_LEN + TAG_LEN + 8],
    }
}

/// One sample of every action, named as its fixture.
fn actions() -> Vec<(&'static str, ExchangeAction)> {
    vec![
        (
            "tx_exchange_register_key",
            ExchangeAction::RegisterKey(RegisterKey {
                suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
                public_key: KeyBytes(vec![0x51; 32]),
            }),
        ),
        (
            "tx_exchange_register_person",
            ExchangeAction::RegisterPerson(RegisterPerson {
                suite: EnvelopeSuite::Sm2Sm4Gcm,
                public_key: KeyBytes([vec![0x04], vec![0x52; 64]].concat()),
                resident_commitment: [0xC1; 32],
            }),
        ),
        (
            "tx_exchange_publish_catalogue",
            ExchangeAction::PublishCatalogue(PublishCatalogue {
                changes: vec![
                    CatalogueChange {
                        item: item("police.vehicle_owner"),
                        entry: Some(CatalogueEntry {
                            title: "机动车所有人查询".into(),
                            subject_kind: SubjectKind::Uscc,
                            answer_schema: vec!["plate".into(), "registered_on".into()],
                            askers: vec!["sz-tax".into(), "sz-customs".into()],
                            legal_basis: "《税收征收管理法》第六条".into(),
                            consent_required: false,
                        }),
                    },
                    CatalogueChange { item: item("police.identity"), entry: None },
                ],
            }),
        ),
        (
            "tx_exchange_query",
            ExchangeAction::Query(Query {
                to: "sz-police".into(),
                item: item("police.parents_ages"),
                subject_tag: [0x7A; 32],
                purpose: "深税稽〔2026〕118号".into(),
                person: Some(AccountId([0x21; 32])),
                envelope: hpke(1, 0x33),
            }),
        ),
        (
            "tx_exchange_answer",
            ExchangeAction::Answer(AnswerQuery {
                query: [0x9C; 32],
                outcome: AnswerOutcome::Found,
                envelope: sm2(2, 0x44),
            }),
        ),
        (
            "tx_exchange_distribute_watch_key",
            ExchangeAction::DistributeWatchKey(DistributeWatchKey {
                epoch: 1,
                shares: vec![
                    Addressed { to: "sz-police".into(), envelope: hpke(1, 0x55) },
                    Addressed { to: "sz-customs".into(), envelope: sm2(1, 0x56) },
                ],
            }),
        ),
        (
            "tx_exchange_watch",
            ExchangeAction::Watch(Watch {
                tag: [0x7A; 32],
                category: WatchCategory::InvoiceMill,
                note: Some(hpke(1, 0x66)),
            }),
        ),
        ("tx_exchange_unwatch", ExchangeAction::Unwatch(Unwatch { tag: [0x7A; 32] })),
        (
            "tx_exchange_attach_finding",
            ExchangeAction::AttachFinding(AttachFinding {
                case: [0xA1; 32],
                envelopes: vec![Addressed { to: "sz-tax".into(), envelope: hpke(1, 0x77) }],
            }),
        ),
        (
            "tx_exchange_assign_case",
            ExchangeAction::AssignCase(AssignCase {
                case: [0xA1; 32],
                assignee: AccountId([0x31; 32]),
            }),
        ),
        (
            "tx_exchange_close_case",
            ExchangeAction::CloseCase(CloseCase {
                case: [0xA1; 32],
                outcome: CaseOutcome::ConfirmedFraud,
                summary: [0x5E; 32],
            }),
        ),
        (
            "tx_exchange_declare_deductions",
            ExchangeAction::DeclareDeductions(DeclareDeductions {
                year: 2026,
                withholding_agent: "shenzhen-kejian".into(),
                tax_authority: "sz-tax".into(),
                items: vec![
                    DeductionItem {
                        kind: DeductionKind::ChildrenEducation,
                        months: 12,
                        amount: 100_000,
                        share_bp: 5000,
                        rent_tier: None,
                        only_child: false,
                        details: hpke(1, 0x81),
                    },
                    DeductionItem {
                        kind: DeductionKind::HousingRent,
                        months: 6,
                        amount: 150_000,
                        share_bp: 10_000,
                        rent_tier: Some(RentTier::Tier1),
                        only_child: false,
                        details: hpke(1, 0x82),
                    },
                ],
            }),
        ),
        (
            "tx_exchange_grant_consent",
            ExchangeAction::GrantConsent(GrantConsent {
                department: "sz-tax".into(),
                item: item("education.enrolment"),
                purpose: "2026年度专项附加扣除核验".into(),
                expires_ms: 1_798_732_800_000,
            }),
        ),
        (
            "tx_exchange_revoke_consent",
            ExchangeAction::RevokeConsent(RevokeConsent { consent: [0xC0; 32] }),
        ),
        (
            "tx_exchange_verify_declaration",
            ExchangeAction::VerifyDeclaration(VerifyDeclaration {
                declaration: [0xDE; 32],
                item: 1,
                verdict: Verdict::Verified,
                answers: vec![[0x9C; 32], [0x9D; 32]],
            }),
        ),
    ]
}

#[test]
fn every_action_is_frozen_and_round_trips() {
    let samples = actions();
    let names: Vec<&str> = samples.iter().map(|(_, a)| a.name()).collect();
    let specs: Vec<&str> = ExchangeAction::SPECS.iter().map(|s| s.name).collect();
    assert_eq!(names, specs, "one sample per action, in tag order");
    for (name, action) in samples {
        assert_eq!(name.trim_start_matches("tx_"), action.name());
        let tx = Tx { action: Action::from(action.clone()), ..sample_tx() };
        let bytes = tx.encode();
        check(name, &bytes);
        let back = decode_exact::<Tx>(&bytes, &CODECS).unwrap();
        assert_eq!(back, tx);
        assert_eq!(ExchangeAction::try_from(&back.action).unwrap(), action);
    }
}

fn frozen<T: Encode + commonware_codec::Read<Cfg = ()> + PartialEq + core::fmt::Debug>(
    name: &str,
    value: &T,
) {
    let bytes = value.encode();
    check(name, &bytes);
    assert_eq!(&decode_exact::<T>(&bytes, &()).unwrap(), value, "{name}");
}

#[test]
fn every_record_is_frozen() {
    frozen(
        "exchange_key",
        &KeyRecord {
            suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
            public_key: KeyBytes(vec![0x51; 32]),
            registered_by: AccountId([0x31; 32]),
            registered_ms: 1_764_000_000_000,
        },
    );
    frozen(
        "exchange_department",
        &DepartmentRecord {
            key_epoch: 2,
            items: vec![item("police.identity"), item("police.vehicle_owner")],
        },
    );
    frozen(
        "exchange_person",
        &PersonRecord {
            key_epoch: 1,
            resident_commitment: [0xC1; 32],
            registered_ms: 1_764_000_000_000,
        },
    );
    frozen(
        "exchange_catalogue_item",
        &CatalogueItem {
            title: "子女在校就读信息".into(),
            subject_kind: SubjectKind::ResidentId,
            answer_schema: vec!["school".into(), "stage".into(), "enrolled_until".into()],
            askers: vec!["sz-tax".into()],
            legal_basis: "《个人所得税专项附加扣除暂行办法》第二十六条".into(),
            consent_required: true,
            withdrawn: false,
            version: 1,
            updated_ms: 1_764_000_000_000,
        },
    );
    frozen(
        "exchange_query",
        &QueryRecord {
            from: "sz-tax".into(),
            asker: AccountId([0x31; 32]),
            to: "sz-education".into(),
            item: item("education.enrolment"),
            subject_tag: [0x7A; 32],
            purpose: "2026年度专项附加扣除核验".into(),
            person: Some(AccountId([0x21; 32])),
            envelope: hpke(1, 0x33),
            height: 42,
            time_ms: 1_764_000_021_000,
            answer: Some([0x9D; 32]),
        },
    );
    frozen(
        "exchange_answer",
        &AnswerRecord {
            answerer: AccountId([0x41; 32]),
            outcome: AnswerOutcome::Found,
            envelope: sm2(2, 0x44),
            consent: Some([0xC0; 32]),
            height: 43,
            time_ms: 1_764_000_021_500,
            tx: [0x9D; 32],
        },
    );
    frozen(
        "exchange_watch_key",
        &WatchKeyRecord {
            by: "sz-tax".into(),
            shares: vec![Addressed { to: "sz-police".into(), envelope: hpke(1, 0x55) }],
            time_ms: 1_764_000_000_000,
        },
    );
    frozen("exchange_watch_head", &WatchHead { epoch: 1 });
    let entry = WatchEntry {
        department: "sz-customs".into(),
        category: WatchCategory::ExportRebateFraud,
        note: Some([0x6E; 32]),
        by: AccountId([0x32; 32]),
        since_ms: 1_764_000_000_000,
        tx: [0x70; 32],
    };
    frozen("exchange_watch_list", &WatchList { entries: vec![entry] });
    frozen(
        "exchange_alert",
        &AlertRecord {
            tag: [0x7A; 32],
            departments: vec!["sz-customs".into(), "sz-tax".into()],
            watcher: "sz-customs".into(),
            category: WatchCategory::ExportRebateFraud,
            triggers: vec![
                Trigger {
                    kind: TriggerKind::Watch,
                    department: "sz-tax".into(),
                    category: Some(WatchCategory::InvoiceMill),
                    item: None,
                    tx: [0x71; 32],
                    height: 50,
                },
                Trigger {
                    kind: TriggerKind::Query,
                    department: "sz-tax".into(),
                    category: None,
                    item: Some(item("customs.export_declarations")),
                    tx: [0x72; 32],
                    height: 51,
                },
            ],
            matches: 2,
            raised_height: 50,
            raised_ms: 1_764_000_025_000,
            status: CaseStatus::Closed,
            assignee: Some(AccountId([0x31; 32])),
            findings: 1,
            outcome: Some(CaseOutcome::Referred),
            summary: Some([0x5E; 32]),
            closed_by: Some("sz-tax".into()),
            closed_ms: Some(1_764_000_090_000),
        },
    );
    frozen("exchange_id_ref", &IdRef { id: [0xA1; 32] });
    frozen(
        "exchange_finding",
        &FindingRecord {
            department: "sz-tax".into(),
            by: AccountId([0x31; 32]),
            envelopes: vec![Addressed { to: "sz-customs".into(), envelope: sm2(1, 0x78) }],
            time_ms: 1_764_000_030_000,
            tx: [0x73; 32],
        },
    );
    frozen(
        "exchange_consent",
        &ConsentRecord {
            person: AccountId([0x21; 32]),
            department: "sz-tax".into(),
            item: item("education.enrolment"),
            purpose: "2026年度专项附加扣除核验".into(),
            granted_ms: 1_764_000_010_000,
            expires_ms: 1_798_732_800_000,
            revoked_ms: None,
            uses: 1,
        },
    );
    frozen(
        "exchange_declaration",
        &DeclarationRecord {
            person: AccountId([0x21; 32]),
            year: 2026,
            withholding_agent: "shenzhen-kejian".into(),
            tax_authority: "sz-tax".into(),
            items: vec![DeclaredItem {
                kind: DeductionKind::ElderlySupport,
                months: 12,
                amount: 150_000,
                share_bp: 5000,
                rent_tier: None,
                only_child: false,
                deduction: 1_800_000,
                details: hpke(1, 0x83),
                verification: Some(Verification {
                    verdict: Verdict::Verified,
                    officer: AccountId([0x31; 32]),
                    answers: vec![[0x9D; 32]],
                    time_ms: 1_764_000_040_000,
                }),
            }],
            total: 1_800_000,
            standards_version: 0,
            time_ms: 1_764_000_012_000,
        },
    );
    frozen(
        "exchange_access_log_entry",
        &AccessLogEntry {
            query: [0x9C; 32],
            asker: "sz-tax".into(),
            answerer: "sz-education".into(),
            item: item("education.enrolment"),
            purpose: "2026年度专项附加扣除核验".into(),
            outcome: AnswerOutcome::Found,
            consent: [0xC0; 32],
            time_ms: 1_764_000_021_500,
        },
    );
    frozen(
        "exchange_agent_declaration",
        &AgentDeclaration {
            declaration: [0xDE; 32],
            person: AccountId([0x21; 32]),
            year: 2026,
            items: vec![AgentItem {
                kind: DeductionKind::HousingLoanInterest,
                months: 12,
                deduction: 1_200_000,
            }],
            total: 1_200_000,
        },
    );
}

#[test]
fn every_key_kind_is_frozen() {
    let a = AccountId([0x21; 32]);
    let keys = vec![
        ExchangeKey::Department("sz-police".into()),
        ExchangeKey::Key("sz-police".into(), 2),
        ExchangeKey::Person(a),
        ExchangeKey::PersonKey(a, 1),
        ExchangeKey::Item("sz-police".into(), item("police.vehicle_owner")),
        ExchangeKey::Query([0x9C; 32]),
        ExchangeKey::Answer([0x9C; 32]),
        ExchangeKey::WatchHead,
        ExchangeKey::WatchKey(1),
        ExchangeKey::Watch([0x7A; 32]),
        ExchangeKey::Alert([0xA1; 32]),
        ExchangeKey::OpenAlert([0x7A; 32], "sz-customs".into(), "sz-tax".into()),
        ExchangeKey::Finding([0xA1; 32], 0),
        ExchangeKey::Consent([0xC0; 32]),
        ExchangeKey::ConsentFor([0xCF; 32]),
        ExchangeKey::Declaration([0xDE; 32]),
    ];
    let kinds: Vec<&str> = keys.iter().map(ExchangeKey::kind).collect();
    assert_eq!(kinds, ExchangeKey::KINDS);
    let mut text = String::new();
    for k in &keys {
        let path = k.to_string();
        assert_eq!(&ExchangeKey::parse(&path).unwrap(), k, "{path}");
        let state = StateKey::from(k);
        assert_eq!(ExchangeKey::try_from(&state).unwrap(), *k);
        assert!(AppKey::parse(&path).is_ok(), "{path}");
        text.push_str(&path);
        text.push('\n');
    }
    check("exchange_state_keys", text.as_bytes());
    let h = "7a".repeat(32);
    for bad in [
        "exchange-key/sz-police/0x".to_string(),
        "exchange-key/sz-police/01".into(),
        "exchange-item/sz-police/identity".into(),
        "exchange-item/SZ/police.identity".into(),
        format!("exchange-open-alert/{h}/sz-tax/sz-customs"),
        format!("exchange-open-alert/{h}/sz-tax/sz-tax"),
        format!("exchange-query/{}", h.to_uppercase()),
        "exchange-watch-head/latest".into(),
        "exchange-dept".into(),
        "exchange-nothing/x".into(),
    ] {
        assert!(ExchangeKey::parse(&bad).is_err(), "{bad}");
    }
}

#[test]
fn subject_tags_are_hmac_sha256_under_the_watch_key() {
    // RFC 2104 HMAC-SHA256, cross-checked with Python's hmac module.
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = u8::try_from(i).unwrap();
    }
    assert_eq!(
        hex::encode(hmac_sha256(&key, b"Hi There")),
        "278639ec02309d3afded1b273f1349ba63b9089c12476d716bee3ecc94673e9e"
    );
    // RFC 4231 test case 6's message under a 32-byte key is not in the RFC; its test
    // case 2 ("Jefe") has a 4-byte key, so check the crate-backed function against the
    // RFC through a key padded with zeros, which HMAC treats identically (RFC 2104 §2).
    let mut jefe = [0u8; 32];
    jefe[..4].copy_from_slice(b"Jefe");
    assert_eq!(
        hex::encode(hmac_sha256(&jefe, b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
        hex::encode(subject_tag(&[7; 32], SubjectKind::Uscc, "91440300MA5FXXXX1X")),
        "04bd9d9a2cb370c7a5f8659b46648011dbdc68f1430ed7a75cee93b48bc16d55"
    );
    assert_ne!(
        subject_tag(&[7; 32], SubjectKind::Uscc, "X"),
        subject_tag(&[7; 32], SubjectKind::ResidentId, "X")
    );
    assert_ne!(alert_id(&[1; 32], 0), alert_id(&[1; 32], 1));
    let p = AccountId([0x21; 32]);
    let e = item("education.enrolment");
    assert_ne!(consent_lookup(&p, "sz-tax", &e, "a"), consent_lookup(&p, "sz-tax", &e, "b"));
}

#[test]
fn envelope_shapes_follow_the_suite() {
    assert!(hpke(1, 1).shape_ok(4096) && sm2(1, 1).shape_ok(4096));
    assert!(!hpke(1, 1).shape_ok(39), "over the limit");
    let mut e = hpke(1, 1);
    e.enc.pop();
    assert!(!e.shape_ok(4096));
    let mut e = sm2(1, 1);
    e.ciphertext.truncate(27);
    assert!(!e.shape_ok(4096));
    let x = EnvelopeSuite::HpkeX25519ChaCha20Poly1305;
    assert!(x.public_key_ok(&[1; 32]) && !x.public_key_ok(&[0; 32]) && !x.public_key_ok(&[1; 33]));
    let s = EnvelopeSuite::Sm2Sm4Gcm;
    assert!(s.public_key_ok(&[[4].as_slice(), &[9; 64]].concat()) && !s.public_key_ok(&[2; 33]));
}

#[test]
fn a_malformed_item_id_or_an_oversized_enc_does_not_decode() {
    let (_, action) = actions().remove(3);
    let mut body = Vec::new();
    action.write_body(&mut body);
    // The item id follows `to` (length 9, "sz-police"): make its first letter upper-case.
    assert_eq!(body[10], 19);
    body[11] = b'P';
    assert!(ExchangeBodies.body_len(0x83, &body).is_err());
    let mut long = hpke(1, 1);
    long.enc = vec![1; MAX_ENC + 1];
    let bytes = long.encode();
    assert!(decode_exact::<Envelope>(&bytes, &()).is_err());
}

/// Every action reads back from its JSON (the API's and the CLI's form).
#[test]
fn every_action_round_trips_through_json() {
    for (name, action) in actions() {
        let json = serde_json::to_value(&action).unwrap();
        assert_eq!(json["action"], name.trim_start_matches("tx_exchange_"), "{json}");
        let back: ExchangeAction = serde_json::from_value(json).unwrap();
        assert_eq!(back, action);
    }
    let q: ExchangeAction =
        serde_json::from_str(&format!(r#"{{"action":"unwatch","tag":"{}"}}"#, "7a".repeat(32)))
            .unwrap();
    assert_eq!(q, ExchangeAction::Unwatch(Unwatch { tag: [0x7A; 32] }));
}
