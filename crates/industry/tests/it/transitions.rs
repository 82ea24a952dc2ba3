//! Every transition, legal and illegal, from one base state: the park's enterprise
//! registered, its October electricity attested. A refusal names its code and field and
//! writes nothing.

use super::*;
use Metric::{ElectricityKwh as Power, InsuredHeadcount as Heads, LogisticsTonnes as Tonnes};

/// Huawei registered by the park; October's electricity attested by the power utility.
fn base() -> Chain {
    let mut c = Chain::new();
    c.send(PARK, act::register(HUAWEI, "华为技术有限公司")).unwrap();
    c.send(POWER, act::attest(HUAWEI, 202610, Power, 1_250_000)).unwrap();
    c
}

type Want = Result<(), (&'static str, &'static str)>;

fn run(cases: Vec<(&str, AccountId, IndustryAction, Want)>, setup: impl Fn() -> Chain) {
    for (name, sender, action, want) in cases {
        let mut c = setup();
        let before = c.state.0.clone();
        let got = c.send(sender, action);
        match (&got, &want) {
            (Ok(()), Ok(())) => assert_ne!(c.state.0, before, "{name}: a success writes"),
            (Err((code, field)), Err((wc, wf))) => {
                assert_eq!((*code, field.as_str()), (*wc, *wf), "{name}");
                assert_eq!(c.state.0, before, "{name}: a refusal writes nothing");
            }
            _ => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn every_legal_and_illegal_transition() {
    let long = "名".repeat(MAX_NAME_CHARS + 1);
    let long: &'static str = Box::leak(long.into_boxed_str());
    let cases: Vec<(&str, AccountId, IndustryAction, Want)> = vec![
        // Registering an enterprise.
        ("the park registers another", PARK, act::register(OTHER, "比亚迪"), Ok(())),
        (
            "a clerk without the role",
            PARK_CLERK,
            act::register(OTHER, "x"),
            Err(("missing_role", "sender")),
        ),
        (
            "a utility registers",
            POWER,
            act::register(OTHER, "x"),
            Err(("industry.not_park_operator", "sender")),
        ),
        ("twice", PARK, act::register(HUAWEI, "华为"), Err(("industry.enterprise_exists", "uscc"))),
        ("a blank name", PARK, act::register(OTHER, "  "), Err(("industry.bad_text", "name"))),
        (
            "a control character",
            PARK,
            act::register(OTHER, "a\nb"),
            Err(("industry.bad_text", "name")),
        ),
        ("a name too long", PARK, act::register(OTHER, long), Err(("industry.bad_text", "name"))),
        // Attesting.
        ("September's power", POWER, act::attest(HUAWEI, 202609, Power, 1_100_000), Ok(())),
        ("November, ended", POWER, act::attest(HUAWEI, 202611, Power, 0), Ok(())),
        ("the largest figure", POWER, act::attest(HUAWEI, 202608, Power, MAX_VALUE), Ok(())),
        ("headcount by social security", SOCIAL, act::attest(HUAWEI, 202610, Heads, 1200), Ok(())),
        ("tonnes by logistics", LOGISTICS, act::attest(HUAWEI, 202610, Tonnes, 830), Ok(())),
        ("tonnes by the park", PARK, act::attest(HUAWEI, 202610, Tonnes, 830), Ok(())),
        (
            "a clerk without the role",
            PARK_CLERK,
            act::attest(HUAWEI, 202610, Tonnes, 1),
            Err(("missing_role", "sender")),
        ),
        (
            "an unregistered enterprise",
            POWER,
            act::attest(OTHER, 202610, Power, 1),
            Err(("industry.unknown_enterprise", "uscc")),
        ),
        (
            "headcount by a utility",
            POWER,
            act::attest(HUAWEI, 202610, Heads, 1),
            Err(("industry.wrong_attester", "metric")),
        ),
        (
            "power by social security",
            SOCIAL,
            act::attest(HUAWEI, 202609, Power, 1),
            Err(("industry.wrong_attester", "metric")),
        ),
        (
            "power by logistics",
            LOGISTICS,
            act::attest(HUAWEI, 202609, Power, 1),
            Err(("industry.wrong_attester", "metric")),
        ),
        (
            "power by the park",
            PARK,
            act::attest(HUAWEI, 202609, Power, 1),
            Err(("industry.wrong_attester", "metric")),
        ),
        (
            "headcount by logistics",
            LOGISTICS,
            act::attest(HUAWEI, 202610, Heads, 1),
            Err(("industry.wrong_attester", "metric")),
        ),
        (
            "this month",
            POWER,
            act::attest(HUAWEI, 202612, Power, 1),
            Err(("industry.month_not_ended", "month")),
        ),
        (
            "next year",
            POWER,
            act::attest(HUAWEI, 202701, Power, 1),
            Err(("industry.month_not_ended", "month")),
        ),
        (
            "twice",
            POWER,
            act::attest(HUAWEI, 202610, Power, 1),
            Err(("industry.already_attested", "metric")),
        ),
        (
            "by another utility",
            POWER2,
            act::attest(HUAWEI, 202610, Power, 1),
            Err(("industry.already_attested", "metric")),
        ),
        (
            "over 10^15",
            POWER,
            act::attest(HUAWEI, 202609, Power, MAX_VALUE + 1),
            Err(("industry.value_too_large", "value")),
        ),
        // Correcting.
        ("a correction", POWER, act::correct(HUAWEI, 202610, Power, 1_205_000, "抄表错误"), Ok(())),
        (
            "by another utility",
            POWER2,
            act::correct(HUAWEI, 202610, Power, 1, "x"),
            Err(("industry.not_the_attester", "sender")),
        ),
        (
            "of a figure never attested",
            POWER,
            act::correct(HUAWEI, 202609, Power, 1, "x"),
            Err(("industry.unknown_figure", "metric")),
        ),
        (
            "of another metric",
            SOCIAL,
            act::correct(HUAWEI, 202610, Heads, 1, "x"),
            Err(("industry.unknown_figure", "metric")),
        ),
        (
            "to the same value",
            POWER,
            act::correct(HUAWEI, 202610, Power, 1_250_000, "x"),
            Err(("industry.no_change", "value")),
        ),
        (
            "without a reason",
            POWER,
            act::correct(HUAWEI, 202610, Power, 1, ""),
            Err(("industry.bad_text", "reason")),
        ),
        (
            "over 10^15",
            POWER,
            act::correct(HUAWEI, 202610, Power, MAX_VALUE + 1, "x"),
            Err(("industry.value_too_large", "value")),
        ),
        (
            "a clerk without the role",
            PARK_CLERK,
            act::correct(HUAWEI, 202610, Power, 1, "x"),
            Err(("missing_role", "sender")),
        ),
    ];
    run(cases, base);
}

#[test]
fn without_a_pinned_secret_nothing_is_attested() {
    let unpinned = || {
        let mut c = base();
        pin(&mut c.state, None);
        c
    };
    run(
        vec![
            (
                "an attestation",
                SOCIAL,
                act::attest(HUAWEI, 202610, Heads, 1200),
                Err(("industry.no_secret", "secret")),
            ),
            (
                "a correction",
                POWER,
                act::correct(HUAWEI, 202610, Power, 1, "x"),
                Err(("industry.no_secret", "secret")),
            ),
            // Registering commits nothing: it needs no secret.
            ("a registration", PARK, act::register(OTHER, "比亚迪"), Ok(())),
        ],
        unpinned,
    );
}

#[test]
fn a_node_without_the_pinned_secret_stops() {
    for node_secret in [None, Some([0x11; 32])] {
        let mut c = base();
        c.secret = node_secret;
        let before = c.state.0.clone();
        match c.send(SOCIAL, act::attest(HUAWEI, 202610, Heads, 1200)) {
            Err(("fatal", m)) => assert!(m.contains("secret"), "{m}"),
            other => panic!("{node_secret:?}: {other:?}"),
        }
        assert_eq!(c.state.0, before);
    }
}

#[test]
fn an_attestation_is_kept_private_and_committed() {
    let mut c = base();
    c.send(LOGISTICS, act::attest(HUAWEI, 202610, Tonnes, 830)).unwrap();
    c.send(SOCIAL, act::attest(HUAWEI, 202610, Heads, 1200)).unwrap();
    let r: OperatingRecord = c.get(IndustryKey::Operating(HUAWEI, month(202610), Power)).unwrap();
    assert_eq!((r.value, r.attester.as_str(), r.account, r.height), (1_250_000, "power", POWER, 2));
    assert!(r.corrections.is_empty());
    let commit: OperatingCommit =
        c.get(IndustryKey::OperatingCommit(HUAWEI, month(202610))).unwrap();
    // One commitment per metric, in metric order whatever the order of attestation.
    let metrics: Vec<Metric> = commit.commitments.iter().map(|m| m.metric).collect();
    assert_eq!(metrics, [Power, Heads, Tonnes]);
    assert_eq!(commit.updated_at, 4);
    for (metric, value) in [(Power, 1_250_000), (Heads, 1200), (Tonnes, 830)] {
        let o = OperatingOpening::new(&SECRET, &HUAWEI, metric, month(202610), value);
        assert!(o.opens(&HUAWEI, commit.get(metric).unwrap()).unwrap(), "{metric}");
        let wrong = OperatingOpening { value: (value + 1).to_string(), ..o };
        assert!(!wrong.opens(&HUAWEI, commit.get(metric).unwrap()).unwrap());
    }
    // Another enterprise's month is untouched.
    assert!(c
        .get::<OperatingCommit>(IndustryKey::OperatingCommit(HUAWEI, month(202609)))
        .is_none());
}

#[test]
fn a_correction_keeps_the_history_and_recommits() {
    let mut c = base();
    let key = IndustryKey::OperatingCommit(HUAWEI, month(202610));
    let before = *c.get::<OperatingCommit>(key.clone()).unwrap().get(Power).unwrap();
    c.send(POWER, act::correct(HUAWEI, 202610, Power, 1_205_000, "抄表错误")).unwrap();
    c.send(POWER, act::correct(HUAWEI, 202610, Power, 1_206_000, "再次核对")).unwrap();
    let r: OperatingRecord = c.get(IndustryKey::Operating(HUAWEI, month(202610), Power)).unwrap();
    assert_eq!(r.value, 1_206_000);
    assert_eq!(
        r.corrections,
        vec![
            Correction { previous: 1_250_000, reason: "抄表错误".into(), height: 3 },
            Correction { previous: 1_205_000, reason: "再次核对".into(), height: 4 },
        ]
    );
    let after = *c.get::<OperatingCommit>(key).unwrap().get(Power).unwrap();
    assert_ne!(before, after);
    let o = |v| OperatingOpening::new(&SECRET, &HUAWEI, Power, month(202610), v);
    assert!(o(1_206_000).opens(&HUAWEI, &after).unwrap());
    assert!(!o(1_250_000).opens(&HUAWEI, &after).unwrap());
    // At most MAX_CORRECTIONS corrections.
    for i in 2..MAX_CORRECTIONS as u64 {
        c.send(POWER, act::correct(HUAWEI, 202610, Power, 2_000_000 + i, "核对")).unwrap();
    }
    let e = c.send(POWER, act::correct(HUAWEI, 202610, Power, 1, "核对")).unwrap_err();
    assert_eq!((e.0, e.1.as_str()), ("industry.too_many_corrections", "metric"));
}

#[test]
fn a_malformed_body_or_a_foreign_action_is_refused() {
    let c = base();
    let account = &c.accounts[&POWER];
    let ctx = Ctx {
        height: 9,
        time_ms: NOW_MS,
        tx_hash: [9; 32],
        sender: POWER,
        account,
        org: &c.orgs["power"],
        chain_id: "fapiao-industry",
        secret: Some(&SECRET),
    };
    let spec = fapiao_types::ActionBodies::spec(&IndustryBodies, 0xc1).unwrap();
    let bad = fapiao_types::AppAction::from_encoded(spec, vec![0xFF; 3]);
    let mut state = c.state.clone();
    match fapiao_app::Application::apply(&IndustryApp, &mut state, &bad, &ctx) {
        Err(Error::Rejected { code, field, .. }) => {
            assert_eq!((code, field.as_str()), ("malformed", "action"))
        }
        other => panic!("{other:?}"),
    }
}
