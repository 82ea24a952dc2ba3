//! Over a real `fapiao_ledger::Ledger`: the chain secret pinned in genesis, members
//! added, the park registering Huawei and three attesters recording October. Two
//! ledgers configured with the same secret execute the same blocks to the same state
//! root, and the committed figures open with the openings the secret gives; a ledger
//! with another secret, or none, refuses the block rather than compute another state.

use super::*;
use fapiao_crypto::SigningKey;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::{
    Block, ConsensusParams, Genesis, GenesisAdmin, GenesisOrg, GenesisValidator, NewAccount,
    Receipt, SignedTx, Suite, Tx,
};

const CHAIN: &str = "fapiao-industry";
/// Genesis an hour before the test's blocks (2026-12-02 noon, China).
const GENESIS_MS: u64 = NOW_MS - 3_600_000;

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(Suite::Ed25519, &[seed; 32]).unwrap()
}

fn gorg(id: &str, kind: OrgKind, admin: &SigningKey) -> GenesisOrg {
    GenesisOrg {
        id: id.into(),
        name: id.into(),
        kind,
        tax_id: None,
        admins: vec![GenesisAdmin {
            name: format!("{id} admin"),
            suite: "ed25519".into(),
            public_key: admin.public_key().to_hex(),
        }],
    }
}

fn genesis(pinned: [u8; 32]) -> Genesis {
    let mut params = std::collections::BTreeMap::new();
    params.insert(
        "industry/secret".to_string(),
        serde_json::json!({
            "secret_id": fapiao_types::hex32(&fapiao_types::commit::secret_id(&pinned))
        }),
    );
    Genesis {
        chain_id: CHAIN.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: GENESIS_MS,
        consensus: ConsensusParams::default(),
        organisations: vec![
            gorg("park-operator", OrgKind::Platform, &key(10)),
            gorg("power", OrgKind::Utility, &key(11)),
            gorg("social-security", OrgKind::SocialSecurity, &key(12)),
            gorg("logistics", OrgKind::Logistics, &key(13)),
        ],
        validators: vec![GenesisValidator {
            name: "v".into(),
            org: String::new(),
            public_key: hex::encode([3u8; 32]),
            p2p_address: "127.0.0.1:1".into(),
        }],
        demo: false,
        governance: Default::default(),
        params,
    }
}

fn tx(k: &SigningKey, nonce: u64, action: Action) -> SignedTx {
    k.sign_tx(Tx { chain_id: CHAIN.into(), sender: k.public_key(), nonce, expiry: 100, action })
}

/// The blocks of the story: members, then Huawei, then October's figures and a
/// correction.
fn story() -> Vec<Vec<SignedTx>> {
    let add = |admin: u8, member: u8| {
        tx(
            &key(admin),
            1,
            Action::AddAccount(NewAccount {
                public_key: key(member).public_key(),
                name: format!("member {member}"),
                roles: vec![Role::IndustryAttester],
            }),
        )
    };
    let (park, power, social, logistics) = (key(20), key(21), key(22), key(23));
    vec![
        vec![add(10, 20), add(11, 21), add(12, 22), add(13, 23)],
        vec![tx(&park, 1, act::register(HUAWEI, "华为技术有限公司").into())],
        vec![
            tx(&power, 1, act::attest(HUAWEI, 202610, Metric::ElectricityKwh, 1_250_000).into()),
            tx(&social, 1, act::attest(HUAWEI, 202610, Metric::InsuredHeadcount, 1200).into()),
            tx(&logistics, 1, act::attest(HUAWEI, 202610, Metric::LogisticsTonnes, 830).into()),
        ],
        vec![tx(
            &power,
            2,
            act::correct(HUAWEI, 202610, Metric::ElectricityKwh, 1_205_000, "抄表错误").into(),
        )],
    ]
}

/// Executes the story's blocks on `ledger`, block `i` at a fixed time; the receipts, or
/// the error of the block that failed.
fn run(ledger: &Ledger<MemStore>) -> Result<Vec<Receipt>, String> {
    let mut receipts = Vec::new();
    for (i, txs) in story().into_iter().enumerate() {
        let tip = ledger.executed_tip();
        let block = Block::child(
            &tip.header,
            NOW_MS + i as u64 * 1000,
            0,
            (tip.height, tip.state_root),
            txs,
        );
        receipts.extend(ledger.execute_block(&block, b"industry").map_err(|e| e.to_string())?);
    }
    Ok(receipts)
}

fn ledger(pinned: [u8; 32], secret: Option<[u8; 32]>) -> Ledger<MemStore> {
    let l = Ledger::open(MemStore::new(), genesis(pinned)).unwrap();
    match secret {
        Some(s) => l.with_chain_secret(s),
        None => l,
    }
}

#[test]
fn two_ledgers_with_the_same_secret_reach_the_same_root_and_the_commitments_open() {
    let (a, b) = (ledger(SECRET, Some(SECRET)), ledger(SECRET, Some(SECRET)));
    let receipts = run(&a).unwrap();
    assert!(receipts.iter().all(|r| r.outcome.is_ok()), "{receipts:?}");
    run(&b).unwrap();
    assert_eq!(a.executed_tip().state_root, b.executed_tip().state_root);
    let read = |key: IndustryKey| a.get_raw(&StateKey::from(key)).unwrap().unwrap();
    let commit: OperatingCommit =
        fapiao_types::decode_exact(&read(IndustryKey::OperatingCommit(HUAWEI, month(202610))), &())
            .unwrap();
    for (metric, value) in [
        (Metric::ElectricityKwh, 1_205_000),
        (Metric::InsuredHeadcount, 1200),
        (Metric::LogisticsTonnes, 830),
    ] {
        let o = OperatingOpening::new(&SECRET, &HUAWEI, metric, month(202610), value);
        assert!(o.opens(&HUAWEI, commit.get(metric).unwrap()).unwrap(), "{metric}");
    }
    let power: OperatingRecord = fapiao_types::decode_exact(
        &read(IndustryKey::Operating(HUAWEI, month(202610), Metric::ElectricityKwh)),
        &(),
    )
    .unwrap();
    assert_eq!((power.value, power.corrections[0].previous), (1_205_000, 1_250_000));
    // The commitment record is provable at the tip (the state after the correction), by
    // the same proof on both ledgers, and the proven record opens to the corrected figure.
    let key = StateKey::from(IndustryKey::OperatingCommit(HUAWEI, month(202610)));
    let proven = a.prove(std::slice::from_ref(&key)).unwrap();
    assert_eq!(b.prove(std::slice::from_ref(&key)).unwrap(), proven);
    let p = &proven.proofs[0];
    fapiao_ledger::verify_state_proof(&proven.root, &p.key, p.value.as_deref(), &p.proof).unwrap();
    let then: OperatingCommit =
        fapiao_types::decode_exact(p.value.as_deref().unwrap(), &()).unwrap();
    let o =
        OperatingOpening::new(&SECRET, &HUAWEI, Metric::ElectricityKwh, month(202610), 1_205_000);
    assert!(o.opens(&HUAWEI, then.get(Metric::ElectricityKwh).unwrap()).unwrap());
}

#[test]
fn a_ledger_with_another_secret_or_none_refuses_the_block() {
    for secret in [Some([0x11; 32]), None] {
        let l = ledger(SECRET, secret);
        let e = run(&l).unwrap_err();
        assert!(e.contains("secret"), "{secret:?}: {e}");
        // The blocks before the first attestation executed; nothing after.
        assert_eq!(l.executed_tip().height, 2, "{secret:?}");
    }
}

/// The industry chain has no tax authority: governance adds the park's enterprises as
/// organisations (with their USCC), so an enterprise has its own accounts there.
#[test]
fn governance_adds_an_enterprise_on_a_chain_without_a_tax_authority() {
    use fapiao_types::{Change, NewAdmin, NewOrganisation, OrgRecord, Propose};
    let l = ledger(SECRET, Some(SECRET));
    let huawei_admin = key(30);
    let propose = tx(
        &key(10),
        1,
        Action::Propose(Propose {
            change: Change::AddOrganisation(NewOrganisation {
                id: "huawei".into(),
                name: "华为技术有限公司".into(),
                kind: OrgKind::Enterprise,
                tax_id: Some(HUAWEI),
                admins: vec![NewAdmin { public_key: huawei_admin.public_key(), name: "a".into() }],
            }),
            note: String::new(),
        }),
    );
    let tip = l.executed_tip();
    let block = Block::child(&tip.header, NOW_MS, 0, (tip.height, tip.state_root), vec![propose]);
    let r = l.execute_block(&block, b"industry").unwrap();
    assert!(r[0].outcome.is_ok(), "{r:?}");
    let org: OrgRecord = fapiao_types::decode_exact(
        &l.get_raw(&StateKey::Org("huawei".into())).unwrap().unwrap(),
        &(),
    )
    .unwrap();
    assert_eq!((org.kind, org.tax_id), (OrgKind::Enterprise, Some(HUAWEI)));
}
