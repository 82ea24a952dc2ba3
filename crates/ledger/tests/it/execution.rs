//! Execution rules: membership, roles, replay, expiry, idempotence and durability.

use crate::common::*;
use commonware_codec::Encode;
use fapiao_app::Platform;
use fapiao_invoice::index::read;
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::*;
use fapiao_ledger::{Error, Ledger, MemStore, RedbStore};
use fapiao_types::*;

#[test]
fn admin_adds_member_and_member_acts_only_with_its_roles() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let officer = key(10, Suite::Ed25519);
    let r = run(&l, vec![add(&o.tax_admin, 1, &officer, vec![Role::TaxOfficer])]);
    assert_eq!(code(&r[0]), "ok");
    let rec = l.account(&officer.account_id()).unwrap().unwrap();
    assert_eq!(rec.org, "sz-tax");
    assert_eq!(rec.roles, vec![Role::TaxOfficer]);
    assert_eq!(rec.added_at, 1);

    // The officer is not an admin: adding an account needs org.admin.
    let other = key(11, Suite::Ed25519);
    let r = run(&l, vec![add(&officer, 2, &other, vec![])]);
    assert_eq!(code(&r[0]), Platform::MissingRole.code());
    let Outcome::Failed { message, .. } = &r[0].outcome else { panic!() };
    assert!(message.contains("org.admin"), "{message}");
    assert!(l.account(&other.account_id()).unwrap().is_none());
}

#[test]
fn table_of_membership_refusals() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let member = key(20, Suite::Sm2);
    assert_eq!(
        code(&run(&l, vec![add(&o.bank_admin, 1, &member, vec![Role::BankOfficer])])[0]),
        "ok"
    );
    let stranger = key(21, Suite::Ed25519);
    let cases: Vec<(&str, SignedTx, &str)> = vec![
        (
            "role unfit for org kind",
            add(&o.bank_admin, 2, &key(22, Suite::Ed25519), vec![Role::TaxOfficer]),
            Platform::RoleNotAllowed.code(),
        ),
        ("account exists", add(&o.bank_admin, 3, &member, vec![]), Platform::AccountExists.code()),
        (
            "small-order key (the Ed25519 identity point)",
            tx(
                &o.bank_admin,
                13,
                100,
                Action::AddAccount(NewAccount {
                    public_key: PublicKey::Ed25519({
                        let mut p = [0u8; 32];
                        p[0] = 1;
                        p
                    }),
                    name: "weak".into(),
                    roles: vec![],
                }),
            ),
            Platform::InvalidKey.code(),
        ),
        (
            "unknown sender",
            add(&stranger, 4, &key(23, Suite::Ed25519), vec![]),
            Platform::UnknownAccount.code(),
        ),
        (
            "revoke other org's account",
            tx(&o.tax_admin, 5, 100, Action::RevokeAccount { account: member.account_id() }),
            Platform::NotInOrg.code(),
        ),
        (
            "revoke self",
            tx(&o.bank_admin, 6, 100, Action::RevokeAccount { account: o.bank_admin.account_id() }),
            Platform::CannotRevokeSelf.code(),
        ),
        (
            "revoke missing",
            tx(&o.bank_admin, 7, 100, Action::RevokeAccount { account: stranger.account_id() }),
            Platform::NoSuchAccount.code(),
        ),
        (
            "expired",
            tx(&o.bank_admin, 8, 1, Action::RevokeAccount { account: member.account_id() }),
            Platform::Expired.code(),
        ),
        (
            "wrong chain",
            o.bank_admin.sign_tx(Tx {
                chain_id: "other".into(),
                sender: o.bank_admin.public_key(),
                nonce: 9,
                expiry: 100,
                action: Action::RevokeAccount { account: member.account_id() },
            }),
            Platform::WrongChain.code(),
        ),
    ];
    for (desc, t, want) in cases {
        let root = l.tip().state_root;
        let r = run(&l, vec![t.clone()]);
        assert_eq!(code(&r[0]), want, "{desc}");
        // A failed transaction changes no state; its record (beside the state) says why.
        let rec = l.get::<TxRecord>(&StateKey::Tx(t.hash())).unwrap().unwrap();
        assert!(!rec.outcome.is_ok(), "{desc}");
        assert_eq!(l.tip().state_root, root, "{desc}: state unchanged");
    }
    assert!(l.account(&member.account_id()).unwrap().unwrap().revoked_at.is_none());

    // Revocation works, and then the revoked account is refused.
    let r = run(
        &l,
        vec![tx(&o.bank_admin, 10, 100, Action::RevokeAccount { account: member.account_id() })],
    );
    assert_eq!(code(&r[0]), "ok");
    let again = tx(&o.bank_admin, 11, 100, Action::RevokeAccount { account: member.account_id() });
    assert_eq!(code(&run(&l, vec![again])[0]), Platform::AlreadyRevoked.code());
    // Give the revoked member admin rights would be needed to act; it is refused as revoked first.
    let by_revoked = add(&member, 12, &key(24, Suite::Ed25519), vec![]);
    assert_eq!(code(&run(&l, vec![by_revoked])[0]), Platform::RevokedAccount.code());
}

#[test]
fn a_hash_is_accepted_once_even_within_one_block() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let m = key(30, Suite::Ed25519);
    let t = add(&o.tax_admin, 1, &m, vec![]);
    let r = run(&l, vec![t.clone(), t.clone()]);
    assert_eq!(code(&r[0]), "ok");
    assert_eq!(code(&r[1]), Platform::Replayed.code());
    let r = run(&l, vec![t.clone()]);
    assert_eq!(code(&r[0]), Platform::Replayed.code());
    // The state record still points at the first inclusion.
    let found = l.transaction(&t.hash()).unwrap().unwrap();
    assert_eq!(found.receipt.height, 1);
    assert_eq!(found.tx, t);
}

#[test]
fn execution_is_idempotent_by_height_and_refuses_gaps() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let b1 = next_block(&l, vec![add(&o.tax_admin, 1, &key(40, Suite::Ed25519), vec![])]);
    l.execute_block(&b1, b"c1").unwrap();
    let tip = l.tip();
    assert!(l.execute_block(&b1, b"c1").unwrap().is_empty());
    assert_eq!(l.tip(), tip);
    let mut b3 = next_block(&l, vec![]);
    b3.header.height += 1;
    assert!(matches!(l.execute_block(&b3, b""), Err(Error::Gap { .. })));
    let mut wrong_parent = next_block(&l, vec![]);
    wrong_parent.header.parent = [7; 32];
    assert!(l.execute_block(&wrong_parent, b"").is_err());
    assert_eq!(l.certificate(1).unwrap().unwrap(), b"c1");
    assert_eq!(l.height_of(&b1.digest()).unwrap(), Some(1));
}

#[test]
fn redb_reopens_with_the_same_chain_and_refuses_another_genesis() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let (g, o) = genesis();
    let headers: Vec<Header>;
    {
        let l = Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).unwrap();
        for i in 0..5u8 {
            run(&l, vec![add(&o.tax_admin, i as u64, &key(50 + i, Suite::Ed25519), vec![])]);
            run(&l, vec![]);
        }
        headers = (0..=10).map(|h| l.header(h).unwrap().unwrap()).collect();
    }
    let l = Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).unwrap();
    assert_eq!(l.tip().height, 10);
    for (h, header) in headers.iter().enumerate() {
        assert_eq!(&l.header(h as u64).unwrap().unwrap(), header);
    }
    // Empty blocks keep the root of the block before them.
    assert_eq!(l.state_root_at(10).unwrap(), l.state_root_at(9).unwrap());
    drop(l);
    let mut other = g;
    other.chain_id = "another".into();
    assert!(matches!(
        Ledger::open(RedbStore::open(&path).unwrap(), other),
        Err(Error::GenesisMismatch(_))
    ));
}

#[test]
fn table_stats_count_every_table_and_the_rows_a_block_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let (g, o) = genesis();
    let l = Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).unwrap();
    run(&l, vec![add(&o.tax_admin, 1, &key(50, Suite::Ed25519), vec![])]);
    run(&l, vec![]);
    drop(l);
    let stats = RedbStore::open(&path).unwrap().table_stats().unwrap();
    let names: std::collections::BTreeSet<_> = stats.iter().map(|t| t.name.as_str()).collect();
    for t in fapiao_ledger::store::Table::all() {
        assert!(names.contains(t.name()), "{} listed", t.name());
    }
    let rows = |name: &str| stats.iter().find(|t| t.name == name).unwrap().rows;
    assert_eq!(rows("blocks"), 3, "genesis and two blocks");
    assert_eq!(rows("txs"), 1, "one transaction");
    // The account's history row beside genesis's; no private records without invoices.
    assert!(rows("state_history") > 0 && rows("private") == 0);
    assert!(stats.windows(2).all(|w| w[0].total() >= w[1].total()), "largest first");
}

#[test]
fn admission_refuses_each_bad_transaction_with_its_own_code() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let member = key(60, Suite::Ed25519);
    run(&l, vec![add(&o.tax_admin, 1, &member, vec![Role::TaxOfficer])]);
    let used = add(&o.tax_admin, 2, &key(61, Suite::Ed25519), vec![]);
    run(&l, vec![used.clone()]);
    let mut bad_sig = add(&o.tax_admin, 3, &key(62, Suite::Ed25519), vec![]);
    bad_sig.signature.0[5] ^= 1;
    let good = add(&o.tax_admin, 4, &key(63, Suite::Ed25519), vec![]);
    let wrong_chain = o.tax_admin.sign_tx(Tx { chain_id: "x".into(), ..good.tx.clone() });
    let stranger = key(64, Suite::Sm2);
    let cases = [
        (good.clone(), "ok"),
        (bad_sig, Platform::BadSignature.code()),
        (wrong_chain, Platform::WrongChain.code()),
        (add(&stranger, 5, &key(65, Suite::Ed25519), vec![]), Platform::UnknownAccount.code()),
        (add(&member, 6, &key(66, Suite::Ed25519), vec![]), Platform::MissingRole.code()),
        (
            tx(&o.tax_admin, 7, 1, Action::RevokeAccount { account: member.account_id() }),
            Platform::Expired.code(),
        ),
        (
            tx(&o.tax_admin, 8, 10_000, Action::RevokeAccount { account: member.account_id() }),
            Platform::ExpiryTooFar.code(),
        ),
        (used, Platform::Replayed.code()),
    ];
    let txs: Vec<SignedTx> = cases.iter().map(|(t, _)| t.clone()).collect();
    let results = l.admit(&txs);
    for ((_, want), got) in cases.iter().zip(results) {
        let got = match got {
            Ok(()) => "ok",
            Err(r) => r.code,
        };
        assert_eq!(got, *want);
    }
    assert_eq!(
        fapiao_ledger::decode_tx(b"garbage", 1024).unwrap_err().code,
        Platform::Malformed.code()
    );
    assert_eq!(
        fapiao_ledger::decode_tx(&[0u8; 2048], 1024).unwrap_err().code,
        Platform::TooLarge.code()
    );
    // A block carrying a bad signature is refused by a voting validator.
    let mut bad = add(&o.tax_admin, 9, &key(67, Suite::Ed25519), vec![]);
    bad.signature.0[0] ^= 1;
    assert!(!l.check_block_txs(&next_block(&l, vec![good.clone(), bad])));
    assert!(l.check_block_txs(&next_block(&l, vec![good.clone()])));
    assert!(!l.check_block_txs(&next_block(&l, vec![good.clone(), good])));
}

/// A voting validator refuses a block carrying a transaction over the genesis
/// `max_tx_bytes`, or one whose sender is unknown or revoked in the state the block
/// commits to (its `state_height`) — and accepts the same sender in a block that commits
/// to a state where the account stood.
#[test]
fn block_checks_refuse_oversized_transactions_and_senders_unknown_at_the_state_height() {
    let (mut g, o) = genesis();
    g.consensus.max_tx_bytes = 1024;
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let member = key(70, Suite::Ed25519);
    let refusal = |b: &Block| l.block_txs_refusal(b, |_| false).err().map(|r| r.code);

    // Height 1 adds the member (an org admin of the bank, so it may add accounts);
    // height 2 revokes it.
    run(&l, vec![add(&o.bank_admin, 1, &member, vec![Role::OrgAdmin])]);
    let revoke = Action::RevokeAccount { account: member.public_key().account_id() };
    assert_eq!(code(&run(&l, vec![tx(&o.bank_admin, 2, 100, revoke)])[0]), "ok");

    let by_member = add(&member, 3, &key(71, Suite::Ed25519), vec![]);
    let mut b = next_block(&l, vec![by_member.clone()]);
    assert_eq!(refusal(&b), Some(Platform::RevokedAccount.code()));
    assert!(!l.check_block_txs(&b));
    b.header.state_height = 1;
    assert_eq!(refusal(&b), None, "the member stood at height 1");
    b.header.state_height = 0;
    assert_eq!(refusal(&b), Some(Platform::UnknownAccount.code()));

    let stranger = add(&key(72, Suite::Sm2), 4, &key(73, Suite::Ed25519), vec![]);
    assert_eq!(refusal(&next_block(&l, vec![stranger])), Some(Platform::UnknownAccount.code()));

    let big = tx(
        &o.tax_admin,
        5,
        100,
        Action::AddAccount(NewAccount {
            public_key: key(74, Suite::Ed25519).public_key(),
            name: "n".repeat(1100),
            roles: vec![],
        }),
    );
    assert_eq!(refusal(&next_block(&l, vec![big])), Some(Platform::TooLarge.code()));
    let fine = add(&o.tax_admin, 6, &key(75, Suite::Ed25519), vec![]);
    assert_eq!(refusal(&next_block(&l, vec![fine])), None);
}

/// Express edition: a key with no account may send its application — and nothing else —
/// and the application creates its roleless account; the tax officer's approval makes it
/// the new taxpayer's issuer.
#[test]
fn a_fresh_key_may_send_its_application_and_nothing_else() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let officer = key(80, Suite::Ed25519);
    run(&l, vec![add(&o.tax_admin, 1, &officer, vec![Role::TaxOfficer])]);
    let applicant = key(81, Suite::Ed25519);
    let stranger = key(82, Suite::Sm2);
    let apply = |uscc: &str| {
        Action::from(InvoiceAction::ApplyForRegistration(ApplyForRegistration {
            uscc: uscc.parse().unwrap(),
            name: "Fuzhou Trading".into(),
            region: "350100".parse().unwrap(),
            seller_type: SellerType::General,
            contact: "Wang 13800000000".into(),
            requested_ceiling: 1_000_000,
        }))
    };
    let refusal = |b: &Block| l.block_txs_refusal(b, |_| false).err().map(|r| r.code);
    let b = next_block(&l, vec![tx(&applicant, 2, 100, apply("91350100M000100Y43"))]);
    assert_eq!(refusal(&b), None, "admitted without an account");
    let other = next_block(&l, vec![add(&stranger, 3, &key(83, Suite::Ed25519), vec![])]);
    assert_eq!(refusal(&other), Some(Platform::UnknownAccount.code()), "any other action is not");
    let r = l.execute_block(&b, b"cert").unwrap();
    assert_eq!(code(&r[0]), "ok", "{r:?}");
    let TxOutput::Application(id) = r[0].output else { panic!("{r:?}") };
    assert_eq!(read::applications(&l, 10).unwrap(), vec![id]);
    let account = l.account(&applicant.public_key().account_id()).unwrap().unwrap();
    assert!(account.roles.is_empty());
    // The same key, now an account of the placeholder organisation (suspended until the
    // tax authority decides), cannot apply again; a second fresh key cannot apply for a
    // USCC with a pending application.
    let r = run(
        &l,
        vec![
            tx(&applicant, 4, 100, apply("914403001922038216")),
            tx(&stranger, 5, 100, apply("91350100M000100Y43")),
        ],
    );
    assert_eq!(
        (code(&r[0]), code(&r[1])),
        (Platform::OrgInactive.code(), "invoice.application_pending")
    );
    let approve = Action::from(InvoiceAction::ReviewApplication(ReviewApplication {
        application: id,
        approve: true,
        monthly_ceiling: 2_000_000,
        reason: String::new(),
    }));
    assert_eq!(
        code(&run(&l, vec![tx(&applicant, 6, 100, approve.clone())])[0]),
        Platform::MissingRole.code()
    );
    assert_eq!(code(&run(&l, vec![tx(&officer, 7, 100, approve)])[0]), "ok");
    let account = l.account(&applicant.public_key().account_id()).unwrap().unwrap();
    assert!(account.has_role(Role::MerchantIssuer));
    assert!(read::taxpayers(&l, 10).unwrap().contains(&"91350100M000100Y43".parse().unwrap()));
}

/// The decoding limits the ledger hands to every decoder of its blocks (the node's
/// consensus engine and followers take them from here) know every invoice action: a
/// block of every frozen invoice transaction decodes with them, and would not with the
/// platform's actions alone.
#[test]
fn a_block_of_every_invoice_fixture_decodes_with_the_ledger_limits() {
    let (g, _) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../invoice-types/tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("tx_"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 12);
    let limits = l.block_limits();
    let txs: Vec<SignedTx> = paths
        .iter()
        .map(|p| {
            let bytes = hex::decode(std::fs::read_to_string(p).unwrap().trim()).unwrap();
            let tx = decode_exact::<Tx>(&bytes, &limits.actions).unwrap();
            assert!(InvoiceAction::try_from(&tx.action).is_ok(), "{p:?}");
            SignedTx { tx, signature: Signature([0x5A; 64]) }
        })
        .collect();
    let block = next_block(&l, txs);
    let bytes = block.encode();
    assert_eq!(decode_exact::<Block>(&bytes, &limits).unwrap(), block);
    let platform_only = BlockLimits { actions: ActionCodecs::default(), ..limits };
    assert!(decode_exact::<Block>(&bytes, &platform_only).is_err());
}
