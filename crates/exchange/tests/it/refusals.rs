//! Keys, catalogues, queries and answers: each transition, and each refusal with its
//! code and field, nothing written.

use crate::*;

#[test]
fn keys_rotate_into_new_epochs_and_old_ones_stay_readable() {
    let mut c = Chain::bare();
    assert_eq!(c.ok(POLICE_OFFICER, act::key(1)), TxOutput::Serial(1));
    assert_eq!(c.ok(POLICE_OFFICER, act::key(2)), TxOutput::Serial(2));
    let dept: DepartmentRecord = c.get(ExchangeKey::Department(POLICE.into())).unwrap();
    assert_eq!(dept.key_epoch, 2);
    let old: KeyRecord = c.get(ExchangeKey::Key(POLICE.into(), 1)).unwrap();
    assert_eq!(old.public_key, KeyBytes(vec![1; 32]));
    assert_eq!(old.registered_by, POLICE_OFFICER);
    assert_eq!(c.ok(LI_WEI, act::person(3)), TxOutput::Serial(1));
    let p: PersonRecord = c.get(ExchangeKey::Person(LI_WEI)).unwrap();
    let rotate = RegisterPerson {
        suite: EnvelopeSuite::Sm2Sm4Gcm,
        public_key: KeyBytes([vec![4], vec![5; 64]].concat()),
        resident_commitment: p.resident_commitment,
    };
    assert_eq!(c.ok(LI_WEI, ExchangeAction::RegisterPerson(rotate)), TxOutput::Serial(2));
    assert!(c.get::<KeyRecord>(ExchangeKey::PersonKey(LI_WEI, 1)).is_some());
}

#[test]
fn key_refusals() {
    let mut c = Chain::bare();
    let zero = ExchangeAction::RegisterKey(RegisterKey {
        suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
        public_key: KeyBytes(vec![0; 32]),
    });
    c.refused(POLICE_OFFICER, zero, "exchange.bad_key", "public_key");
    let short_sm2 = ExchangeAction::RegisterKey(RegisterKey {
        suite: EnvelopeSuite::Sm2Sm4Gcm,
        public_key: KeyBytes(vec![2; 33]),
    });
    c.refused(POLICE_OFFICER, short_sm2, "exchange.bad_key", "public_key");
    c.refused(LI_WEI, act::key(1), "missing_role", "sender");
    c.refused(POLICE_OFFICER, act::person(1), "missing_role", "sender");
    c.ok(LI_WEI, act::person(1));
    let other = ExchangeAction::RegisterPerson(RegisterPerson {
        suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
        public_key: KeyBytes(vec![2; 32]),
        resident_commitment: [0xAB; 32],
    });
    c.refused(LI_WEI, other, "exchange.commitment_changed", "resident_commitment");
}

#[test]
fn a_catalogue_is_published_updated_and_withdrawn() {
    let mut c = Chain::ready();
    let key = ExchangeKey::Item(POLICE.into(), item("police.vehicle_owner"));
    let first: CatalogueItem = c.get(key.clone()).unwrap();
    assert_eq!((first.version, first.withdrawn), (1, false));
    c.ok(POLICE_OFFICER, act::catalogue(&[("police.vehicle_owner", &[TAX], false)]));
    let second: CatalogueItem = c.get(key.clone()).unwrap();
    assert_eq!((second.version, second.askers.clone()), (2, vec![TAX.to_string()]));
    c.ok(POLICE_OFFICER, act::withdraw("police.vehicle_owner"));
    let third: CatalogueItem = c.get(key).unwrap();
    assert_eq!((third.version, third.withdrawn), (3, true));
    let dept: DepartmentRecord = c.get(ExchangeKey::Department(POLICE.into())).unwrap();
    assert_eq!(dept.items, vec![item("police.vehicle_owner"), item("police.parents_ages")]);
    c.refused(
        TAX_OFFICER,
        ExchangeAction::Query(act::vehicle(1)),
        "exchange.item_withdrawn",
        "item",
    );
    c.refused(
        POLICE_OFFICER,
        act::withdraw("police.vehicle_owner"),
        "exchange.item_withdrawn",
        "changes[0].item",
    );
}

#[test]
fn catalogue_refusals() {
    let mut c = Chain::ready();
    let table: Vec<(ExchangeAction, &str, &str)> = vec![
        (act::withdraw("police.identity"), "exchange.unknown_item", "changes[0].item"),
        (
            ExchangeAction::PublishCatalogue(PublishCatalogue { changes: vec![] }),
            "exchange.bad_count",
            "changes",
        ),
        (
            act::catalogue(&[("police.identity", &["nowhere"], false)]),
            "exchange.unknown_org",
            "changes[0].entry.askers[0]",
        ),
        (
            act::catalogue(&[("police.identity", &[EMPLOYER], false)]),
            "exchange.wrong_kind",
            "changes[0].entry.askers[0]",
        ),
        (
            act::catalogue(&[("police.identity", &[TAX, TAX], false)]),
            "exchange.duplicate",
            "changes[0].entry.askers[1]",
        ),
        (
            act::catalogue(&[("police.identity", &[], false)]),
            "exchange.bad_count",
            "changes[0].entry.askers",
        ),
    ];
    for (action, code, field) in table {
        c.refused(POLICE_OFFICER, action, code, field);
    }
    let mut e = act::entry(&[TAX], false);
    e.title = " ".into();
    let blank = ExchangeAction::PublishCatalogue(PublishCatalogue {
        changes: vec![CatalogueChange { item: item("police.identity"), entry: Some(e) }],
    });
    c.refused(POLICE_OFFICER, blank, "exchange.bad_text", "changes[0].entry.title");
}

#[test]
fn a_query_is_recorded_under_its_transaction_hash() {
    let mut c = Chain::ready();
    let id = c.query(TAX_OFFICER, act::vehicle(1));
    let q: QueryRecord = c.get(ExchangeKey::Query(id)).unwrap();
    assert_eq!((q.from.as_str(), q.to.as_str(), q.asker), (TAX, POLICE, TAX_OFFICER));
    assert_eq!((q.height, q.answer), (c.height, None));
    assert_eq!(q.envelope, env(1));
}

#[test]
fn query_refusals() {
    let mut c = Chain::ready();
    let q = act::vehicle;
    let with = |f: &dyn Fn(&mut Query)| {
        let mut q = act::vehicle(1);
        f(&mut q);
        ExchangeAction::Query(q)
    };
    let table: Vec<(AccountId, ExchangeAction, &str, &str)> = vec![
        (TAX_OFFICER, with(&|q| q.item = item("police.identity")), "exchange.unknown_item", "item"),
        (PBC_OFFICER, ExchangeAction::Query(q(1)), "exchange.not_an_asker", "item"),
        (POLICE_OFFICER, ExchangeAction::Query(q(1)), "exchange.cannot_ask_self", "to"),
        (TAX_OFFICER, with(&|q| q.to = "nowhere".into()), "exchange.unknown_org", "to"),
        (TAX_OFFICER, with(&|q| q.to = EMPLOYER.into()), "exchange.wrong_kind", "to"),
        (TAX_OFFICER, with(&|q| q.purpose = String::new()), "exchange.bad_text", "purpose"),
        (
            TAX_OFFICER,
            with(&|q| q.envelope.key_epoch = 2),
            "exchange.wrong_epoch",
            "envelope.key_epoch",
        ),
        (
            TAX_OFFICER,
            with(&|q| q.envelope.suite = EnvelopeSuite::Sm2Sm4Gcm),
            "exchange.wrong_suite",
            "envelope.suite",
        ),
        (TAX_OFFICER, with(&|q| q.envelope.enc.push(0)), "exchange.bad_envelope", "envelope"),
        (
            TAX_OFFICER,
            with(&|q| q.envelope.ciphertext = vec![0; 16_385]),
            "exchange.bad_envelope",
            "envelope",
        ),
        (LI_WEI, ExchangeAction::Query(q(1)), "missing_role", "sender"),
        (TAX_CLERK, ExchangeAction::Query(q(1)), "missing_role", "sender"),
    ];
    for (sender, action, code, field) in table {
        c.refused(sender, action, code, field);
    }
    // Consent items name a registered person.
    let mut no_person = act::enrolment("2026年度核验");
    no_person.person = None;
    c.refused(TAX_OFFICER, ExchangeAction::Query(no_person), "exchange.person_required", "person");
    let mut stranger = act::enrolment("2026年度核验");
    stranger.person = Some(WANG_FANG);
    c.refused(TAX_OFFICER, ExchangeAction::Query(stranger), "exchange.not_registered", "person");
    // A department without a key cannot be asked.
    c.ok(PBC_OFFICER, act::catalogue(&[("centralbank.large_transactions", &[TAX], false)]));
    let mut to_pbc = act::vehicle(1);
    to_pbc.to = PBC.into();
    to_pbc.item = item("centralbank.large_transactions");
    c.refused(TAX_OFFICER, ExchangeAction::Query(to_pbc), "exchange.no_key", "envelope");
}

#[test]
fn an_answer_is_given_once_by_the_department_asked() {
    let mut c = Chain::ready();
    let id = c.query(TAX_OFFICER, act::vehicle(1));
    c.refused(
        CUSTOMS_OFFICER,
        act::answer(id, AnswerOutcome::Found),
        "exchange.not_addressed",
        "sender",
    );
    c.refused(
        POLICE_OFFICER,
        act::answer([0x42; 32], AnswerOutcome::Found),
        "exchange.unknown_query",
        "query",
    );
    let mut wrong = AnswerQuery { query: id, outcome: AnswerOutcome::Found, envelope: env(2) };
    c.refused(
        POLICE_OFFICER,
        ExchangeAction::Answer(wrong.clone()),
        "exchange.wrong_epoch",
        "envelope.key_epoch",
    );
    wrong.envelope = env(1);
    assert_eq!(c.ok(POLICE_OFFICER, ExchangeAction::Answer(wrong)), TxOutput::None);
    let answer_tx = c.last_tx;
    let a: AnswerRecord = c.get(ExchangeKey::Answer(id)).unwrap();
    assert_eq!(
        (a.answerer, a.outcome, a.tx, a.consent),
        (POLICE_OFFICER, AnswerOutcome::Found, answer_tx, None)
    );
    let q: QueryRecord = c.get(ExchangeKey::Query(id)).unwrap();
    assert_eq!(q.answer, Some(answer_tx));
    c.refused(
        POLICE_OFFICER,
        act::answer(id, AnswerOutcome::NotFound),
        "exchange.already_answered",
        "query",
    );
    // A withdrawn item's open queries may still be answered.
    let id2 = c.query(TAX_OFFICER, act::vehicle(2));
    c.ok(POLICE_OFFICER, act::withdraw("police.vehicle_owner"));
    c.ok(POLICE_OFFICER, act::answer(id2, AnswerOutcome::Declined));
}

#[test]
fn an_answer_about_a_person_needs_their_consent() {
    let mut c = Chain::ready();
    let purpose = "2026年度专项附加扣除核验";
    let id = c.query(TAX_OFFICER, act::enrolment(purpose));
    c.refused(EDU_OFFICER, act::answer(id, AnswerOutcome::Found), "exchange.no_consent", "query");
    // Consents for another department, item or purpose do not cover it.
    let until = NOW_MS + 30 * DAY_MS;
    c.ok(LI_WEI, act::consent(CUSTOMS, "education.enrolment", purpose, until));
    c.ok(LI_WEI, act::consent(TAX, "education.degree", purpose, until));
    c.ok(LI_WEI, act::consent(TAX, "education.enrolment", "另一事项", until));
    c.refused(EDU_OFFICER, act::answer(id, AnswerOutcome::Found), "exchange.no_consent", "query");
    assert_eq!(
        c.ok(LI_WEI, act::consent(TAX, "education.enrolment", purpose, until)),
        TxOutput::Record(c.last_tx)
    );
    let consent = c.last_tx;
    c.ok(EDU_OFFICER, act::answer(id, AnswerOutcome::Found));
    let a: AnswerRecord = c.get(ExchangeKey::Answer(id)).unwrap();
    assert_eq!(a.consent, Some(consent));
    let record: ConsentRecord = c.get(ExchangeKey::Consent(consent)).unwrap();
    assert_eq!(record.uses, 1);
    // Revoked: the next query under it is not answered.
    let id2 = c.query(TAX_OFFICER, act::enrolment(purpose));
    c.ok(LI_WEI, ExchangeAction::RevokeConsent(RevokeConsent { consent }));
    c.refused(EDU_OFFICER, act::answer(id2, AnswerOutcome::Found), "exchange.no_consent", "query");
    // Expired at the block's time: granted again for a day, then two days pass.
    let until = c.now_ms + DAY_MS;
    c.ok(LI_WEI, act::consent(TAX, "education.enrolment", purpose, until));
    c.now_ms += 2 * DAY_MS;
    c.refused(EDU_OFFICER, act::answer(id2, AnswerOutcome::Found), "exchange.no_consent", "query");
}
