//! The exchange's derived tables, written by the ledger's hooks on a real ledger:
//! queries in and out, alerts per department (in the block that raised them), the
//! watch lists, a person's access log and consents, declarations per withholding agent
//! and per person.

use crate::chain::{self as c, code, run};
use fapiao_crypto::SigningKey;
use fapiao_exchange::index;
use fapiao_exchange_types::*;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::{
    Action, GenesisAdmin, GenesisOrg, OrgKind, Receipt, Role, SignedTx, Suite, TxOutput,
};

fn org(id: &str, kind: OrgKind, admin: &SigningKey) -> GenesisOrg {
    GenesisOrg {
        id: id.into(),
        name: id.into(),
        kind,
        tax_id: None,
        admins: vec![GenesisAdmin {
            name: "admin".into(),
            suite: admin.suite().as_str().into(),
            public_key: admin.public_key().to_hex(),
        }],
    }
}

fn send(k: &SigningKey, nonce: u64, a: ExchangeAction) -> SignedTx {
    c::tx(k, nonce, 1000, Action::from(a))
}

fn ok(r: &[Receipt]) {
    assert!(r.iter().all(|r| code(r) == "ok"), "{r:?}");
}

#[test]
fn the_exchange_tables_list_what_each_desk_and_person_reads() {
    let (mut g, o) = c::genesis();
    let (police_admin, edu_admin, wallet_admin) =
        (c::key(40, Suite::Ed25519), c::key(41, Suite::Ed25519), c::key(42, Suite::Ed25519));
    g.organisations.push(org("sz-police", OrgKind::Police, &police_admin));
    g.organisations.push(org("sz-edu", OrgKind::Education, &edu_admin));
    g.organisations.push(org("wallet", OrgKind::Platform, &wallet_admin));
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let (tax, police, edu, li) = (
        c::key(50, Suite::Ed25519),
        c::key(51, Suite::Ed25519),
        c::key(52, Suite::Ed25519),
        c::key(53, Suite::Ed25519),
    );
    let officer = vec![Role::ExchangeOfficer];
    ok(&run(
        &l,
        vec![
            c::add(&o.tax_admin, 1, &tax, officer.clone()),
            c::add(&police_admin, 1, &police, officer.clone()),
            c::add(&edu_admin, 1, &edu, officer),
            c::add(&wallet_admin, 1, &li, vec![Role::Consumer]),
        ],
    ));
    let key = |fill| {
        ExchangeAction::RegisterKey(RegisterKey {
            suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
            public_key: KeyBytes(vec![fill; 32]),
        })
    };
    let person = ExchangeAction::RegisterPerson(RegisterPerson {
        suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
        public_key: KeyBytes(vec![4; 32]),
        resident_commitment: resident_commitment("11010519491231002X", &[4; 32]),
    });
    ok(&run(
        &l,
        vec![
            send(&tax, 2, key(1)),
            send(&police, 2, key(2)),
            send(&edu, 2, key(3)),
            send(&li, 2, person),
        ],
    ));
    let catalogue = |i: &str, consent| {
        ExchangeAction::PublishCatalogue(PublishCatalogue {
            changes: vec![CatalogueChange {
                item: ItemId::parse(i).unwrap(),
                entry: Some(CatalogueEntry {
                    title: "查询".into(),
                    subject_kind: SubjectKind::ResidentId,
                    answer_schema: vec!["result".into()],
                    askers: vec!["sz-tax".into()],
                    legal_basis: "《个人所得税法》第十五条".into(),
                    consent_required: consent,
                }),
            }],
        })
    };
    ok(&run(
        &l,
        vec![
            send(&police, 3, catalogue("police.vehicle_owner", false)),
            send(&edu, 3, catalogue("education.enrolment", true)),
        ],
    ));
    // A watch entry matching another department's raises the alert in its own block,
    // listed for both departments.
    let watch = |tag| {
        ExchangeAction::Watch(Watch {
            tag: [tag; 32],
            category: WatchCategory::InvoiceMill,
            note: None,
        })
    };
    ok(&run(&l, vec![send(&tax, 4, watch(0x7A))]));
    let r = run(&l, vec![send(&police, 4, watch(0x7A))]);
    ok(&r);
    let alert = alert_id(&r[0].tx_hash, 0);
    assert_eq!(r[0].output, TxOutput::Record(alert));
    assert_eq!(index::alerts_of(&l, "sz-tax", 10).unwrap(), vec![alert]);
    assert_eq!(index::alerts_of(&l, "sz-police", 10).unwrap(), vec![alert]);
    assert!(index::alerts_of(&l, "sz-edu", 10).unwrap().is_empty());
    assert_eq!(index::watching(&l, "sz-tax", 10).unwrap(), vec![[0x7A; 32]]);
    // Queries in and out; a consent; a declaration.
    let env = Envelope {
        suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
        key_epoch: 1,
        enc: vec![9; 32],
        ciphertext: vec![8; 40],
    };
    let purpose = "2026年度专项附加扣除核验";
    let query = |to: &str, i: &str, person| {
        ExchangeAction::Query(Query {
            to: to.into(),
            item: ItemId::parse(i).unwrap(),
            subject_tag: [0x11; 32],
            purpose: purpose.into(),
            person,
            envelope: env.clone(),
        })
    };
    let grant = ExchangeAction::GrantConsent(GrantConsent {
        department: "sz-tax".into(),
        item: ItemId::parse("education.enrolment").unwrap(),
        purpose: purpose.into(),
        expires_ms: 1_764_000_000_000 + 30 * 86_400_000,
    });
    let declare = ExchangeAction::DeclareDeductions(DeclareDeductions {
        year: 2025,
        withholding_agent: "firm".into(),
        tax_authority: "sz-tax".into(),
        items: vec![DeductionItem {
            kind: DeductionKind::ChildrenEducation,
            months: 12,
            amount: 200_000,
            share_bp: 10_000,
            rent_tier: None,
            only_child: false,
            details: env.clone(),
        }],
    });
    let li_id = li.public_key().account_id();
    let r = run(
        &l,
        vec![
            send(&tax, 5, query("sz-police", "police.vehicle_owner", None)),
            send(&tax, 6, query("sz-edu", "education.enrolment", Some(li_id))),
            send(&li, 3, grant),
            send(&li, 4, declare),
        ],
    );
    ok(&r);
    let (q_police, q_edu, consent, declaration) =
        (r[0].tx_hash, r[1].tx_hash, r[2].tx_hash, r[3].tx_hash);
    let mut out = index::queries_out(&l, "sz-tax", 10).unwrap();
    out.sort_unstable();
    let mut want = vec![q_police, q_edu];
    want.sort_unstable();
    assert_eq!(out, want);
    assert_eq!(index::queries_in(&l, "sz-edu", 10).unwrap(), vec![q_edu]);
    let height = r[1].height;
    assert_eq!(
        index::queries_in_since(&l, "sz-police", height, 10).unwrap(),
        vec![(height, q_police)]
    );
    assert!(index::queries_in_since(&l, "sz-police", height + 1, 10).unwrap().is_empty());
    assert_eq!(index::consents_of(&l, &li_id, 10).unwrap(), vec![consent]);
    assert_eq!(index::declarations_of_person(&l, &li_id, 10).unwrap(), vec![declaration]);
    let agent = index::declarations_of_agent(&l, "firm", 10).unwrap();
    assert_eq!(agent.len(), 1);
    assert_eq!(
        (agent[0].declaration, agent[0].person, agent[0].total),
        (declaration, li_id, 2_400_000)
    );
    // Every answer about the person is in their access log.
    assert!(index::access_log(&l, &li_id, 10).unwrap().is_empty());
    let answer = |q| {
        ExchangeAction::Answer(AnswerQuery {
            query: q,
            outcome: AnswerOutcome::Found,
            envelope: env.clone(),
        })
    };
    ok(&run(&l, vec![send(&edu, 4, answer(q_edu)), send(&police, 5, answer(q_police))]));
    let log = index::access_log(&l, &li_id, 10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].query, log[0].asker.as_str(), log[0].answerer.as_str(), log[0].consent),
        (q_edu, "sz-tax", "sz-edu", consent)
    );
    assert_eq!(log[0].item.as_str(), "education.enrolment");
    // Unwatching takes the tag off the department's list.
    ok(&run(&l, vec![send(&tax, 7, ExchangeAction::Unwatch(Unwatch { tag: [0x7A; 32] }))]));
    assert!(index::watching(&l, "sz-tax", 10).unwrap().is_empty());
}
