//! Golden fixtures of the industry chain: the canonical encoding of every action (inside
//! a transaction), every record and every key kind is frozen in `tests/fixtures/*.hex`.
//! A change here is a change of the chain format: update `docs/formats.md` §26 first.
//! The fixtures were written once by the bless mechanism when the types were new
//! (`FAPIAO_BLESS=1`, which must never be run against existing fixtures).

use commonware_codec::Encode;
use fapiao_industry_types::*;
use fapiao_types::*;
use fapiao_values::{Month, Uscc};

#[path = "../../types/tests/support/golden.rs"]
mod support;
use support::{check, check_actions};

const CODECS: ActionCodecs = ActionCodecs(&[&IndustryBodies]);
const HUAWEI: Uscc = Uscc::from_const("914403001922038216");

fn month(m: u32) -> Month {
    Month::from_yyyymm(m).unwrap()
}

/// One sample of every action, named as its fixture.
fn actions() -> Vec<(&'static str, IndustryAction)> {
    vec![
        (
            "tx_industry_register_enterprise",
            IndustryAction::RegisterEnterprise(RegisterEnterprise {
                uscc: HUAWEI,
                name: "华为技术有限公司".into(),
            }),
        ),
        (
            "tx_industry_attest",
            IndustryAction::Attest(Attest {
                uscc: HUAWEI,
                month: month(202610),
                metric: Metric::ElectricityKwh,
                value: 1_250_000,
            }),
        ),
        (
            "tx_industry_correct",
            IndustryAction::Correct(Correct {
                uscc: HUAWEI,
                month: month(202610),
                metric: Metric::ElectricityKwh,
                value: 1_205_000,
                reason: "抄表错误".into(),
            }),
        ),
    ]
}

#[test]
fn every_action_encoding_is_frozen() {
    check_actions(actions(), IndustryAction::SPECS, CODECS, IndustryAction::name);
}

#[test]
fn every_record_encoding_is_frozen() {
    fn frozen<T: Encode + commonware_codec::Read<Cfg = ()> + PartialEq + core::fmt::Debug>(
        name: &str,
        v: &T,
    ) {
        check(name, &v.encode());
        assert_eq!(&decode_exact::<T>(&v.encode(), &()).unwrap(), v, "{name}");
    }
    frozen(
        "industry_enterprise",
        &EnterpriseRecord {
            name: "华为技术有限公司".into(),
            registered_by: "park-operator".into(),
            registered_at: 7,
        },
    );
    frozen(
        "industry_operating",
        &OperatingRecord {
            value: 1_205_000,
            attester: "utility".into(),
            account: AccountId([0x21; 32]),
            height: 12,
            corrections: vec![Correction {
                previous: 1_250_000,
                reason: "抄表错误".into(),
                height: 15,
            }],
        },
    );
    frozen(
        "industry_operating_commit",
        &OperatingCommit {
            uscc: HUAWEI,
            month: month(202610),
            commitments: vec![
                MetricCommitment { metric: Metric::ElectricityKwh, commitment: [0xE1; 32] },
                MetricCommitment { metric: Metric::InsuredHeadcount, commitment: [0x1C; 32] },
            ],
            updated_at: 15,
        },
    );
}

#[test]
fn every_key_kind_is_frozen() {
    let keys = vec![
        IndustryKey::Enterprise(HUAWEI),
        IndustryKey::Operating(HUAWEI, month(202610), Metric::InsuredHeadcount),
        IndustryKey::OperatingCommit(HUAWEI, month(202610)),
    ];
    let kinds: Vec<&str> = keys.iter().map(IndustryKey::kind).collect();
    assert_eq!(kinds, IndustryKey::KINDS);
    let mut text = String::new();
    for k in &keys {
        let path = k.to_string();
        assert_eq!(&IndustryKey::parse(&path).unwrap(), k, "{path}");
        let state = StateKey::from(k);
        assert_eq!(IndustryKey::try_from(&state).unwrap(), *k);
        assert!(AppKey::parse(&path).is_ok(), "{path}");
        text.push_str(&path);
        text.push('\n');
    }
    check("industry_state_keys", text.as_bytes());
    for bad in [
        "operating/914403001922038216/202613/electricity_kwh",
        "operating/914403001922038216/2026-10/electricity_kwh",
        "operating/914403001922038216/202610/water_m3",
        "operating/914403001922038217/202610/electricity_kwh",
        "operating-commit/914403001922038216",
        "industry-enterprise/x",
        "industry-nothing/x",
    ] {
        assert!(IndustryKey::parse(bad).is_err(), "{bad}");
    }
}

/// A commitment frozen with its inputs: any holder of the secret recomputes it.
#[test]
fn a_commitment_is_frozen() {
    let secret = [0x5E; 32];
    let m = month(202610);
    let salt = salt(&secret, &HUAWEI, Metric::ElectricityKwh, m);
    let c = commitment(&salt, &HUAWEI, Metric::ElectricityKwh, m, 1_250_000);
    let mut bytes = salt.to_vec();
    bytes.extend_from_slice(&c);
    check("industry_commitment", &bytes);
}

/// Every action reads back from its JSON (the API's and the CLI's form): the month as
/// `yyyy-mm`, the action's name without `industry_` beside its fields.
#[test]
fn every_action_round_trips_through_json() {
    for (name, action) in actions() {
        let json = serde_json::to_value(&action).unwrap();
        assert_eq!(json["action"], name.trim_start_matches("tx_industry_"), "{json}");
        let back: IndustryAction = serde_json::from_value(json).unwrap();
        assert_eq!(back, action);
    }
    let a: IndustryAction = serde_json::from_str(
        r#"{"action":"attest","uscc":"914403001922038216","month":"2026-10",
            "metric":"insured_headcount","value":1200}"#,
    )
    .unwrap();
    assert!(matches!(a, IndustryAction::Attest(Attest { value: 1200, .. })));
    for bad in [
        r#"{"action":"attest","uscc":"914403001922038217","month":"2026-10","metric":"insured_headcount","value":1}"#,
        r#"{"action":"attest","uscc":"914403001922038216","month":"2026-13","metric":"insured_headcount","value":1}"#,
        r#"{"action":"attest","uscc":"914403001922038216","month":"2026-10","metric":"water","value":1}"#,
        r#"{"action":"attest","uscc":"914403001922038216","month":"2026-10","metric":"insured_headcount","value":-1}"#,
    ] {
        assert!(serde_json::from_str::<IndustryAction>(bad).is_err(), "{bad}");
    }
}
