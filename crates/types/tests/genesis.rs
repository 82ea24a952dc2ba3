//! Genesis validation: a good file parses; each bad field is refused by name.

use fapiao_types::*;

fn good() -> Genesis {
    Genesis {
        chain_id: "fapiao-test".into(),
        full_nodes: Vec::new(),
        genesis_time_ms: 1_764_000_000_000,
        consensus: ConsensusParams::default(),
        organisations: vec![GenesisOrg {
            id: "sz-tax".into(),
            name: "Shenzhen Tax".into(),
            kind: OrgKind::TaxAuthority,
            tax_id: None,
            admins: vec![GenesisAdmin {
                name: "admin".into(),
                suite: "ed25519".into(),
                public_key: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
                    .into(),
            }],
        }],
        validators: vec![GenesisValidator {
            name: "v0".into(),
            org: "sz-tax".into(),
            public_key: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c".into(),
            p2p_address: "127.0.0.1:9000".into(),
        }],
        demo: false,
        governance: Default::default(),
        params: Default::default(),
    }
}

#[test]
fn a_good_genesis_round_trips_through_json() {
    let g = good();
    g.validate().unwrap();
    assert_eq!(Genesis::from_json(&g.to_json()).unwrap(), g);
    // Defaults fill a missing consensus section.
    let mut v: serde_json::Value = serde_json::from_str(&g.to_json()).unwrap();
    v.as_object_mut().unwrap().remove("consensus");
    assert_eq!(Genesis::from_json(&v.to_string()).unwrap().consensus, ConsensusParams::default());
}

/// `max_clock_drift_ms` defaults to 2000 and is written only when it differs, so a
/// genesis file from before the field keeps its bytes (and the fingerprint a store was
/// created with).
#[test]
fn the_clock_drift_defaults_and_is_written_only_when_set() {
    let mut g = good();
    assert_eq!(g.consensus.max_clock_drift_ms, 2_000);
    assert!(!g.to_json().contains("max_clock_drift_ms"));
    g.consensus.max_clock_drift_ms = 500;
    let json = g.to_json();
    assert!(
        json.contains("\"max_clock_drift_ms\": 500") || json.contains("\"max_clock_drift_ms\":500"),
        "{json}"
    );
    assert_eq!(Genesis::from_json(&json).unwrap(), g);
}

#[test]
fn each_bad_field_is_refused_by_name() {
    type Mutate = fn(&mut Genesis);
    let cases: &[(&str, Mutate)] = &[
        ("chain_id", |g| g.chain_id = String::new()),
        ("chain_id", |g| g.chain_id = "has space".into()),
        ("consensus.block_interval_ms", |g| g.consensus.block_interval_ms = 1),
        ("consensus.expiry_window", |g| g.consensus.expiry_window = 0),
        ("consensus.max_block_txs", |g| g.consensus.max_block_txs = 0),
        ("consensus.max_tx_bytes", |g| g.consensus.max_tx_bytes = 10),
        ("consensus.leader_timeout_ms", |g| g.consensus.leader_timeout_ms = 500),
        ("consensus.notarization_timeout_ms", |g| g.consensus.notarization_timeout_ms = 2_000),
        ("consensus.max_clock_drift_ms", |g| g.consensus.max_clock_drift_ms = 60_001),
        ("organisations", |g| g.organisations.clear()),
        ("organisations.id", |g| g.organisations[0].id = "Bad Id".into()),
        ("organisations.id", |g| {
            let o = g.organisations[0].clone();
            g.organisations.push(o);
        }),
        ("organisations.admins", |g| g.organisations[0].admins.clear()),
        ("admins.name", |g| g.organisations[0].admins[0].name = "n".repeat(129)),
        ("public_key", |g| g.organisations[0].admins[0].public_key = "zz".into()),
        ("suite", |g| g.organisations[0].admins[0].suite = "rsa".into()),
        ("validators", |g| g.validators.clear()),
        ("validators.public_key", |g| g.validators[0].public_key = "00".into()),
        ("validators.p2p_address", |g| g.validators[0].p2p_address = "nowhere".into()),
        ("validators.public_key", |g| {
            let v = g.validators[0].clone();
            g.validators.push(v);
        }),
    ];
    for (field, mutate) in cases {
        let mut g = good();
        mutate(&mut g);
        match g.validate() {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, *field),
            other => panic!("{field}: expected refusal, got {other:?}"),
        }
    }
    assert!(Genesis::from_json("{not json").is_err());
    assert!(Genesis::from_json(&good().to_json().replace("\"chain_id\"", "\"chain\"")).is_err());
}

/// An organisation's `tax_id` is a USCC, checked as the file is read; none is omitted.
#[test]
fn organisation_tax_ids_are_usccs() {
    let json = good().to_json();
    assert!(!json.contains("tax_id"), "none is omitted");
    let with = |id: &str| json.replace("\"kind\"", &format!("\"tax_id\": \"{id}\",\n\"kind\""));
    let g = Genesis::from_json(&with("91350100M000100Y43")).unwrap();
    assert_eq!(g.organisations[0].tax_id, Some("91350100M000100Y43".parse().unwrap()));
    assert!(g.to_json().contains("\"tax_id\": \"91350100M000100Y43\""));
    assert_eq!(Genesis::from_json(&with("")).unwrap().organisations[0].tax_id, None);
    for bad in ["91350100M000100Y4Z", "999999999999999999999999999999999"] {
        assert!(Genesis::from_json(&with(bad)).is_err(), "{bad:?}");
    }
}
