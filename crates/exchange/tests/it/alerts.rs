//! Watch keys, watch lists, joint alerts and cases.

use crate::*;

fn record(out: TxOutput) -> Hash32 {
    match out {
        TxOutput::Record(id) => id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_tax_authority_distributes_the_watch_key_epoch_by_epoch() {
    let mut c = Chain::ready();
    let shares = |to: &[&str]| {
        to.iter().map(|t| Addressed { to: t.to_string(), envelope: env(1) }).collect::<Vec<_>>()
    };
    let dist = |epoch, to: &[&str]| {
        ExchangeAction::DistributeWatchKey(DistributeWatchKey { epoch, shares: shares(to) })
    };
    c.refused(POLICE_OFFICER, dist(1, &[TAX]), "exchange.not_tax_authority", "sender");
    c.refused(TAX_OFFICER, dist(2, &[TAX]), "exchange.bad_epoch", "epoch");
    c.refused(TAX_OFFICER, dist(1, &[]), "exchange.bad_count", "shares");
    c.refused(TAX_OFFICER, dist(1, &[POLICE, POLICE]), "exchange.duplicate", "shares[1].to");
    c.refused(TAX_OFFICER, dist(1, &[POLICE, PBC]), "exchange.no_key", "shares[1].envelope");
    c.refused(TAX_OFFICER, dist(1, &[EMPLOYER]), "exchange.wrong_kind", "shares[0].to");
    assert_eq!(c.ok(TAX_OFFICER, dist(1, &[TAX, POLICE, CUSTOMS])), TxOutput::Serial(1));
    assert_eq!(c.get::<WatchHead>(ExchangeKey::WatchHead).unwrap().epoch, 1);
    let k: WatchKeyRecord = c.get(ExchangeKey::WatchKey(1)).unwrap();
    assert_eq!((k.by.as_str(), k.shares.len()), (TAX, 3));
    c.refused(TAX_OFFICER, dist(1, &[TAX]), "exchange.bad_epoch", "epoch");
    assert_eq!(c.ok(TAX_OFFICER, dist(2, &[TAX])), TxOutput::Serial(2));
}

/// The joint alert is raised by the transaction that makes the match, in its block:
/// its record is written there, the receipt names it, and it names the two
/// departments, the tag and the trigger.
#[test]
fn a_joint_alert_is_raised_in_the_block_that_makes_the_match() {
    let mut c = Chain::ready();
    assert_eq!(c.ok(TAX_OFFICER, act::watch(0x7A, WatchCategory::InvoiceMill)), TxOutput::None);
    // The same department's second entry is refused, and does not match itself.
    c.refused(
        TAX_OFFICER,
        act::watch(0x7A, WatchCategory::Other),
        "exchange.already_watching",
        "tag",
    );
    let out = c.ok(CUSTOMS_OFFICER, act::watch(0x7A, WatchCategory::ExportRebateFraud));
    let id = record(out);
    let (height, tx) = (c.height, c.last_tx);
    assert_eq!(id, alert_id(&tx, 0));
    let a = c.alert(id);
    assert_eq!(a.raised_height, height);
    assert_eq!(a.tag, [0x7A; 32]);
    assert_eq!(a.departments, vec![CUSTOMS.to_string(), TAX.to_string()]);
    assert_eq!((a.watcher.as_str(), a.category), (TAX, WatchCategory::InvoiceMill));
    assert_eq!(a.triggers.len(), 1);
    assert_eq!(
        (a.triggers[0].kind, a.triggers[0].department.as_str(), a.triggers[0].tx),
        (TriggerKind::Watch, CUSTOMS, tx)
    );
    assert_eq!((a.status, a.matches), (CaseStatus::Open, 1));
    // A query mentioning the tag, by a third department, matches both watchers in its
    // own block: two alerts, in department order.
    c.ok(
        CUSTOMS_OFFICER,
        act::catalogue(&[("customs.export_declarations", &[POLICE, TAX], false)]),
    );
    let mut q = act::vehicle(0x7A);
    q.to = CUSTOMS.into();
    q.item = item("customs.export_declarations");
    let qid = c.query(POLICE_OFFICER, q.clone());
    let (a0, a1) = (c.alert(alert_id(&qid, 0)), c.alert(alert_id(&qid, 1)));
    assert_eq!(a0.departments, vec![CUSTOMS.to_string(), POLICE.to_string()]);
    assert_eq!(a1.departments, vec![POLICE.to_string(), TAX.to_string()]);
    assert_eq!((a0.raised_height, a1.raised_height), (c.height, c.height));
    assert_eq!(a1.triggers[0].item, Some(item("customs.export_declarations")));
    // The same pair matching again adds to the open alert, raises none.
    let qid2 = c.query(POLICE_OFFICER, q);
    assert!(c.get::<AlertRecord>(ExchangeKey::Alert(alert_id(&qid2, 0))).is_none());
    let a1 = c.alert(alert_id(&qid, 1));
    assert_eq!((a1.matches, a1.triggers.len()), (2, 2));
    // A tag nobody else watches raises nothing.
    assert_eq!(c.ok(POLICE_OFFICER, act::watch(0x01, WatchCategory::ShellCompany)), TxOutput::None);
}

#[test]
fn unwatched_tags_no_longer_match() {
    let mut c = Chain::ready();
    c.ok(TAX_OFFICER, act::watch(0x7A, WatchCategory::InvoiceMill));
    c.ok(TAX_OFFICER, act::unwatch(0x7A));
    c.refused(TAX_OFFICER, act::unwatch(0x7A), "exchange.not_watching", "tag");
    c.refused(CUSTOMS_OFFICER, act::unwatch(0x7A), "exchange.not_watching", "tag");
    assert_eq!(c.ok(CUSTOMS_OFFICER, act::watch(0x7A, WatchCategory::Other)), TxOutput::None);
    let list: WatchList = c.get(ExchangeKey::Watch([0x7A; 32])).unwrap();
    assert_eq!(list.entries.len(), 1);
    assert_eq!(list.entries[0].department, CUSTOMS);
    // A note is sealed to the department's own key.
    let noted = ExchangeAction::Watch(Watch {
        tag: [0x7B; 32],
        category: WatchCategory::Other,
        note: Some(env(2)),
    });
    c.refused(CUSTOMS_OFFICER, noted, "exchange.wrong_epoch", "note.key_epoch");
}

#[test]
fn a_case_is_worked_by_its_two_departments_only() {
    let mut c = Chain::ready();
    c.ok(TAX_OFFICER, act::watch(0x7A, WatchCategory::InvoiceMill));
    let case = record(c.ok(CUSTOMS_OFFICER, act::watch(0x7A, WatchCategory::ExportRebateFraud)));
    let to = |ds: &[&str]| {
        ds.iter().map(|d| Addressed { to: d.to_string(), envelope: env(1) }).collect::<Vec<_>>()
    };
    let finding =
        |ds: &[&str]| ExchangeAction::AttachFinding(AttachFinding { case, envelopes: to(ds) });
    c.refused(POLICE_OFFICER, finding(&[TAX, CUSTOMS]), "exchange.not_case_department", "sender");
    c.refused(TAX_OFFICER, finding(&[TAX]), "exchange.bad_recipients", "envelopes");
    c.refused(TAX_OFFICER, finding(&[TAX, POLICE]), "exchange.bad_recipients", "envelopes");
    c.refused(
        TAX_OFFICER,
        ExchangeAction::AttachFinding(AttachFinding { case: [1; 32], envelopes: to(&[TAX]) }),
        "exchange.unknown_case",
        "case",
    );
    c.ok(TAX_OFFICER, finding(&[CUSTOMS, TAX]));
    let f: FindingRecord = c.get(ExchangeKey::Finding(case, 0)).unwrap();
    assert_eq!((f.department.as_str(), f.envelopes.len()), (TAX, 2));
    assert_eq!(c.alert(case).findings, 1);
    let assign = |who| ExchangeAction::AssignCase(AssignCase { case, assignee: who });
    c.refused(TAX_OFFICER, assign(POLICE_OFFICER), "exchange.bad_assignee", "assignee");
    c.refused(TAX_OFFICER, assign(TAX_CLERK), "exchange.bad_assignee", "assignee");
    c.refused(TAX_OFFICER, assign(AccountId([0x55; 32])), "exchange.bad_assignee", "assignee");
    c.ok(TAX_OFFICER, assign(CUSTOMS_OFFICER));
    assert_eq!(c.alert(case).assignee, Some(CUSTOMS_OFFICER));
    let close = ExchangeAction::CloseCase(CloseCase {
        case,
        outcome: CaseOutcome::Referred,
        summary: [0x5E; 32],
    });
    c.refused(POLICE_OFFICER, close.clone(), "exchange.not_case_department", "sender");
    c.ok(CUSTOMS_OFFICER, close.clone());
    let a = c.alert(case);
    assert_eq!(
        (a.status, a.outcome, a.closed_by.as_deref()),
        (CaseStatus::Closed, Some(CaseOutcome::Referred), Some(CUSTOMS))
    );
    c.refused(TAX_OFFICER, close, "exchange.case_closed", "case");
    c.refused(TAX_OFFICER, finding(&[CUSTOMS, TAX]), "exchange.case_closed", "case");
    // The pair's next match opens a new case.
    c.ok(CUSTOMS_OFFICER, act::unwatch(0x7A));
    let next = record(c.ok(CUSTOMS_OFFICER, act::watch(0x7A, WatchCategory::Other)));
    assert_ne!(next, case);
    assert_eq!(c.alert(next).status, CaseStatus::Open);
}
