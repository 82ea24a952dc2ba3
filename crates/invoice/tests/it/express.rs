//! The express edition, table-driven: an applicant's fresh key applies, the tax
//! authority reviews; approval registers the taxpayer and its issuer, who then issues,
//! and the invoice is reimbursed — all online.

use crate::fixture::*;
use fapiao_invoice::{applicant_org, Error};
use fapiao_invoice_types::InvoiceKey;
use fapiao_invoice_types::*;
use fapiao_types::*;

fn code<T>(r: std::result::Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::Rejected { code, .. }) => code.into(),
        Err(e) => panic!("fatal: {e}"),
    }
}

/// A fresh key with no account: what the ledger hands the lifecycle for it.
fn fresh(n: u8) -> Actor {
    let mut a = actor(n, "", OrgKind::Enterprise, "", vec![]);
    a.org.id = String::new();
    a.org.name = String::new();
    a.account.org = String::new();
    a
}

/// The actor `a` as the state now records it (account and organisation).
fn reload(w: &World, a: &Actor) -> Actor {
    let account: AccountRecord = w.get(StateKey::Account(a.id)).unwrap();
    let org: OrgRecord = w.get(StateKey::Org(account.org.clone())).unwrap();
    Actor { id: a.id, account, org }
}

const NEW: &str = "91350100M000100Y43"; // GB 32100 example, registered by no one here

fn application(uscc: &str) -> ApplyForRegistration {
    ApplyForRegistration {
        uscc: uscc.parse().unwrap(),
        name: "福州示例商贸有限公司".into(),
        region: "350100".parse().unwrap(),
        seller_type: SellerType::SmallScale,
        contact: "王经理 13800000000".into(),
        requested_ceiling: 50_000_00,
    }
}

fn world() -> World {
    let mut w = World::new();
    w.run(
        "officer",
        InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
            uscc: SELLER.parse().unwrap(),
            name: "registered".into(),
            region: "440300".parse().unwrap(),
            seller_type: SellerType::General,
            issuers: vec![],
        }),
    )
    .unwrap();
    w.run(
        "officer",
        InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
            uscc: BUYER.parse().unwrap(),
            name: "buyer".into(),
            region: "440300".parse().unwrap(),
            seller_type: SellerType::General,
            issuers: vec![],
        }),
    )
    .unwrap();
    w
}

#[test]
fn who_and_what_may_apply() {
    let with = |f: fn(&mut ApplyForRegistration)| {
        let mut a = application(NEW);
        f(&mut a);
        InvoiceAction::ApplyForRegistration(a)
    };
    // (case, from a fresh key, application, expected code).
    let cases: Vec<(&str, bool, InvoiceAction, &str)> = vec![
        ("a fresh key", true, with(|_| {}), "ok"),
        ("an existing account", false, with(|_| {}), "invoice.not_a_new_key"),
        (
            "registered USCC",
            true,
            with(|a| a.uscc = SELLER.parse().unwrap()),
            "invoice.taxpayer_exists",
        ),
        ("blank name", true, with(|a| a.name = " ".into()), "invoice.invalid_name"),
        (
            "unknown region",
            true,
            with(|a| a.region = "999999".parse().unwrap()),
            "invoice.unknown_region",
        ),
        ("blank contact", true, with(|a| a.contact = String::new()), "invoice.invalid_contact"),
        ("negative credit", true, with(|a| a.requested_ceiling = -1), "invoice.invalid_amount"),
    ];
    for (case, is_fresh, action, want) in cases {
        let mut w = world();
        let before = w.state.clone();
        let who = if is_fresh { fresh(40) } else { w.issuer.clone() };
        let got = code(w.run_as(&who, action));
        assert_eq!(got, want, "{case}");
        if want != "ok" {
            assert_eq!(w.state, before, "{case}: a refusal writes nothing");
        }
    }
}

#[test]
fn a_pending_application_blocks_another_for_the_same_uscc() {
    let mut w = world();
    let id = w
        .run_as(&fresh(40), InvoiceAction::ApplyForRegistration(application(NEW)))
        .unwrap()
        .to_string();
    let id: [u8; 32] = hex::decode(id).unwrap().try_into().unwrap();
    let app: ApplicationRecord = w.get(StateKey::from(InvoiceKey::Application(id))).unwrap();
    assert_eq!(
        (app.status, app.applicant, app.org.clone()),
        (ApplicationStatus::Pending, acct(40), applicant_org(&id))
    );
    // The applicant's account exists, in an organisation of its own, with no role and no
    // taxpayer id: it can do nothing yet and reads nobody's records.
    let applicant = reload(&w, &fresh(40));
    assert!(applicant.account.roles.is_empty());
    assert_eq!(applicant.org.tax_id, None);
    assert_eq!(
        code(w.run_as(&fresh(41), InvoiceAction::ApplyForRegistration(application(NEW)))),
        "invoice.application_pending"
    );
    // The same key cannot apply twice.
    assert_eq!(
        code(w.run_as(&applicant, InvoiceAction::ApplyForRegistration(application(OTHER)))),
        "invoice.not_a_new_key"
    );
    // Once rejected, another key may apply for it.
    let reject = InvoiceAction::ReviewApplication(ReviewApplication {
        application: id,
        approve: false,
        monthly_ceiling: 0,
        reason: "营业执照信息不符".into(),
    });
    w.run("officer", reject).unwrap();
    assert_eq!(
        code(w.run_as(&fresh(41), InvoiceAction::ApplyForRegistration(application(NEW)))),
        "ok"
    );
}

/// Every (application status, review) pair.
#[test]
fn review_table() {
    #[derive(Clone, Copy, Debug)]
    enum From {
        Pending,
        Approved,
        Rejected,
        /// Pending, but the USCC was registered by the tax authority meanwhile.
        RegisteredMeanwhile,
    }
    let review = |id, approve, ceiling, reason: &str| {
        InvoiceAction::ReviewApplication(ReviewApplication {
            application: id,
            approve,
            monthly_ceiling: ceiling,
            reason: reason.into(),
        })
    };
    // (from, approve, ceiling, reason, expected code, status after).
    let cases = [
        (From::Pending, true, 30_000_00, "", "ok", ApplicationStatus::Approved),
        (From::Pending, false, 0, "资料不全", "ok", ApplicationStatus::Rejected),
        (From::Pending, false, 0, " ", "invoice.invalid_reason", ApplicationStatus::Pending),
        (From::Pending, true, -1, "", "invoice.invalid_amount", ApplicationStatus::Pending),
        (
            From::Approved,
            true,
            30_000_00,
            "",
            "invoice.already_decided",
            ApplicationStatus::Approved,
        ),
        (From::Approved, false, 0, "x", "invoice.already_decided", ApplicationStatus::Approved),
        (
            From::Rejected,
            true,
            30_000_00,
            "",
            "invoice.already_decided",
            ApplicationStatus::Rejected,
        ),
        (From::Rejected, false, 0, "x", "invoice.already_decided", ApplicationStatus::Rejected),
        (
            From::RegisteredMeanwhile,
            true,
            30_000_00,
            "",
            "invoice.taxpayer_exists",
            ApplicationStatus::Pending,
        ),
        (From::RegisteredMeanwhile, false, 0, "已登记", "ok", ApplicationStatus::Rejected),
    ];
    for (from, approve, ceiling, reason, want, after) in cases {
        let mut w = world();
        let id = w
            .run_as(&fresh(40), InvoiceAction::ApplyForRegistration(application(NEW)))
            .unwrap()
            .to_string();
        let id: [u8; 32] = hex::decode(id).unwrap().try_into().unwrap();
        match from {
            From::Pending => {}
            From::Approved => w.run("officer", review(id, true, 1_00, "")).unwrap(),
            From::Rejected => w.run("officer", review(id, false, 0, "no")).unwrap(),
            From::RegisteredMeanwhile => w
                .run(
                    "officer",
                    InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
                        uscc: NEW.parse().unwrap(),
                        name: "other".into(),
                        region: "350100".parse().unwrap(),
                        seller_type: SellerType::General,
                        issuers: vec![],
                    }),
                )
                .unwrap(),
        }
        let before = w.state.clone();
        let got = code(w.run("officer", review(id, approve, ceiling, reason)));
        assert_eq!(got, want, "{from:?} approve {approve}");
        if want != "ok" {
            assert_eq!(w.state, before, "{from:?}: a refusal writes nothing");
        }
        let a: ApplicationRecord = w.get(StateKey::from(InvoiceKey::Application(id))).unwrap();
        assert_eq!(a.status, after, "{from:?} approve {approve}");
    }
}

#[test]
fn approval_registers_the_taxpayer_and_its_issuer_who_issues_and_is_reimbursed() {
    let mut w = world();
    let key = fresh(40);
    let id =
        w.run_as(&key, InvoiceAction::ApplyForRegistration(application(NEW))).unwrap().to_string();
    let id: [u8; 32] = hex::decode(id).unwrap().try_into().unwrap();
    w.run(
        "officer",
        InvoiceAction::ReviewApplication(ReviewApplication {
            application: id,
            approve: true,
            monthly_ceiling: 30_000_00,
            reason: String::new(),
        }),
    )
    .unwrap();
    let t: TaxpayerRecord =
        w.get(StateKey::from(InvoiceKey::Taxpayer(NEW.parse().unwrap()))).unwrap();
    assert_eq!(
        (t.status, t.issuers.clone(), t.seller_type),
        (TaxpayerStatus::Active, vec![acct(40)], SellerType::SmallScale)
    );
    let credit: CreditRecord =
        w.get(StateKey::from(InvoiceKey::Credit(NEW.parse().unwrap()))).unwrap();
    assert_eq!(credit.monthly_ceiling, 30_000_00);
    let merchant = reload(&w, &key);
    assert_eq!(merchant.org.tax_id, Some(NEW.parse().unwrap()));
    assert_eq!(
        merchant.account.roles,
        [Role::OrgAdmin, Role::MerchantIssuer, Role::EnterpriseFinance]
    );
    // Issuing: a small-scale seller invoices at the 3 % collection rate (1 % relief).
    let mut inv = example(InvoiceKind::Ordinary, Some(w.consumer.id));
    inv.seller = NEW.parse().unwrap();
    inv.lines = vec![line("*现代服务*咨询服务", "", "", Some(1000_00), None, "0.01", None)];
    let number = w.run_as(&merchant, InvoiceAction::IssueInvoice(inv)).unwrap().to_string();
    // Reimbursing: the holder submits it to the buyer enterprise, which accepts it.
    let num: InvoiceNumber = number.parse().unwrap();
    let submit = SubmitInvoice { number: num, enterprise: BUYER.parse().unwrap() };
    w.run("consumer", InvoiceAction::SubmitInvoice(submit)).unwrap();
    w.run("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: num })).unwrap();
    let p: InvoicePublic = w.get(StateKey::from(InvoiceKey::Invoice(num))).unwrap();
    assert_eq!(p.status, InvoiceStatus::Reimbursed);
}
