//! Builders shared by the ledger tests.

use fapiao_crypto::SigningKey;
use fapiao_ledger::{Ledger, Store};
use fapiao_types::*;

pub const CHAIN: &str = "fapiao-test";

/// Deterministic key from a seed byte.
pub fn key(seed: u8, suite: Suite) -> SigningKey {
    let mut b = [seed; 32];
    b[0] = 1; // keeps SM2 scalars valid
    SigningKey::from_bytes(suite, &b).unwrap()
}

pub struct Orgs {
    pub tax_admin: SigningKey,
    pub bank_admin: SigningKey,
    pub firm_admin: SigningKey,
}

/// The taxpayer id of the `firm` organisation (Huawei's published USCC).
pub const FIRM_USCC: &str = "914403001922038216";

pub fn genesis() -> (Genesis, Orgs) {
    let tax_admin = key(1, Suite::Ed25519);
    let bank_admin = key(2, Suite::Sm2);
    let firm_admin = key(3, Suite::Ed25519);
    let admin = |name: &str, k: &SigningKey| GenesisAdmin {
        name: name.into(),
        suite: k.suite().as_str().into(),
        public_key: k.public_key().to_hex(),
    };
    let g = Genesis {
        chain_id: CHAIN.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: 1_764_000_000_000,
        consensus: ConsensusParams::default(),
        organisations: vec![
            GenesisOrg {
                id: "sz-tax".into(),
                name: "Shenzhen Tax".into(),
                kind: OrgKind::TaxAuthority,
                tax_id: None,
                admins: vec![admin("tax admin", &tax_admin)],
            },
            GenesisOrg {
                id: "bank".into(),
                name: "Bank".into(),
                kind: OrgKind::Bank,
                tax_id: None,
                admins: vec![admin("bank admin", &bank_admin)],
            },
            GenesisOrg {
                id: "firm".into(),
                name: "Firm".into(),
                kind: OrgKind::Enterprise,
                tax_id: Some(FIRM_USCC.parse().unwrap()),
                admins: vec![admin("firm admin", &firm_admin)],
            },
        ],
        validators: vec![GenesisValidator {
            name: "v0".into(),
            org: "sz-tax".into(),
            public_key: hex::encode([9u8; 32]),
            p2p_address: "127.0.0.1:9000".into(),
        }],
        demo: false,
        governance: Default::default(),
        params: Default::default(),
    };
    (g, Orgs { tax_admin, bank_admin, firm_admin })
}

pub fn tx(signer: &SigningKey, nonce: u64, expiry: u64, action: Action) -> SignedTx {
    signer.sign_tx(Tx {
        chain_id: CHAIN.into(),
        sender: signer.public_key(),
        nonce,
        expiry,
        action,
    })
}

pub fn add(signer: &SigningKey, nonce: u64, new: &SigningKey, roles: Vec<Role>) -> SignedTx {
    tx(
        signer,
        nonce,
        100,
        Action::AddAccount(NewAccount {
            public_key: new.public_key(),
            name: "member".into(),
            roles,
        }),
    )
}

/// The next block on top of the ledger's executed tip.
pub fn next_block<S: Store>(ledger: &Ledger<S>, txs: Vec<SignedTx>) -> Block {
    let tip = ledger.executed_tip();
    Block::child(&tip.header, tip.header.time_ms + 500, 0, (tip.height, tip.state_root), txs)
}

pub fn run<S: Store>(ledger: &Ledger<S>, txs: Vec<SignedTx>) -> Vec<Receipt> {
    let b = next_block(ledger, txs);
    ledger.execute_block(&b, b"cert").unwrap()
}

/// Executes the next block through `stage_block`, as the node does (it commits before it
/// returns: the pipeline is gone, ADR 0009 Decision 4).
pub fn stage<S: Store>(ledger: &Ledger<S>, txs: Vec<SignedTx>) -> Vec<Receipt> {
    let b = next_block(ledger, txs);
    let receipts = ledger.stage_block(&b, b"cert").unwrap();
    assert_eq!(ledger.executed_tip().height, b.header.height);
    assert_eq!(ledger.tip().height, b.header.height, "durable when it returns");
    receipts
}

pub fn code(r: &Receipt) -> &str {
    match &r.outcome {
        Outcome::Ok => "ok",
        Outcome::Failed { code, .. } => code,
    }
}
