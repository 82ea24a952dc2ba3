//! Who may act: the buyer's side of a red-letter form, seller and buyer of an invoice,
//! the payment platforms a merchant takes orders from, and a taxpayer's issuers.
//! Each table row starts from a fresh world.

use crate::fixture::*;
use fapiao_invoice::Error;
use fapiao_invoice_types::InvoiceKey;
use fapiao_invoice_types::*;
use fapiao_types::*;

fn outcome<T>(r: std::result::Result<T, Error>) -> (String, String) {
    match r {
        Ok(_) => ("ok".into(), String::new()),
        Err(Error::Rejected { code, field, .. }) => (code.into(), field),
        Err(e) => panic!("fatal: {e}"),
    }
}

fn code<T>(r: std::result::Result<T, Error>) -> String {
    outcome(r).0
}

fn raise(blue: &str) -> InvoiceAction {
    InvoiceAction::RaiseRedForm(RaiseRedForm {
        blue_number: blue.parse().unwrap(),
        reason: RedReason::ServiceStopped,
        lines: vec![],
        salt: [9; 32],
    })
}

/// A clerk of the buyer enterprise without `enterprise.finance`.
fn buyer_clerk() -> Actor {
    actor(40, "buyer", OrgKind::Enterprise, BUYER, vec![Role::MerchantIssuer])
}

/// A finance officer of the buyer enterprise whose account was revoked.
fn revoked_buyer_finance() -> Actor {
    let mut a = actor(41, "buyer", OrgKind::Enterprise, BUYER, vec![Role::EnterpriseFinance]);
    a.account.revoked_at = Some(5);
    a
}

/// A world with the seller, the buyer enterprise and the extra actors above.
fn world() -> World {
    let mut w = World::new().with_taxpayers();
    w.add(&buyer_clerk());
    w.add(&revoked_buyer_finance());
    w
}

/// Runs `action` as a named fixture actor or one of the extra actors above.
fn run(
    w: &mut World,
    who: &str,
    action: InvoiceAction,
) -> std::result::Result<Option<String>, Error> {
    match who {
        "buyer_clerk" => {
            w.run_as(&buyer_clerk(), action).map(|o| (!o.is_none()).then(|| o.to_string()))
        }
        "revoked_buyer_finance" => w
            .run_as(&revoked_buyer_finance(), action)
            .map(|o| (!o.is_none()).then(|| o.to_string())),
        _ => w.run_out(who, action),
    }
}

/// A special invoice to the buyer enterprise, held by the consumer, reimbursed by the
/// enterprise: a used invoice of an enterprise.
fn enterprise_invoice(w: &mut World) -> String {
    let n = w.issue_example(InvoiceKind::Special);
    w.run(
        "consumer",
        InvoiceAction::SubmitInvoice(SubmitInvoice { number: n, enterprise: uscc(BUYER) }),
    )
    .unwrap();
    w.run("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: n })).unwrap();
    n.to_string()
}

/// An ordinary invoice to a person, held by the consumer.
fn person_invoice(w: &mut World) -> String {
    let mut c = example(InvoiceKind::Ordinary, Some(w.consumer.id));
    c.buyer = Buyer {
        kind: BuyerKind::Person,
        name: "张三".into(),
        tax_id: None,
        holder: Some(w.consumer.id),
    };
    w.run_out("issuer", InvoiceAction::IssueInvoice(c)).unwrap().unwrap()
}

#[test]
fn the_buyers_side_of_a_red_letter_form_table() {
    // (invoice, who raises, expected)
    let rows: &[(&str, &str, &str)] = &[
        ("enterprise", "finance", "ok"),
        ("enterprise", "issuer", "ok"),
        // Holding an enterprise's invoice does not make the consumer its buyer.
        ("enterprise", "consumer", "invoice.not_a_party"),
        ("enterprise", "buyer_clerk", "invoice.not_a_party"),
        ("enterprise", "revoked_buyer_finance", "invoice.not_a_party"),
        ("enterprise", "other_finance", "invoice.not_a_party"),
        ("enterprise", "payments", "invoice.not_a_party"),
        ("person", "consumer", "ok"),
        ("person", "issuer", "ok"),
        ("person", "finance", "invoice.not_a_party"),
        // A consumer, but not the one holding the invoice.
        ("person", "other_payments", "invoice.not_a_party"),
    ];
    for (invoice, who, want) in rows {
        let mut w = world();
        let n = match *invoice {
            "enterprise" => enterprise_invoice(&mut w),
            _ => person_invoice(&mut w),
        };
        let before = w.state.clone();
        let got = code(run(&mut w, who, raise(&n)));
        assert_eq!(got, *want, "{invoice} invoice raised by {who}");
        if got != "ok" {
            assert_eq!(w.state, before, "a refusal changes nothing");
        }
    }
}

#[test]
fn only_the_buyers_finance_office_answers_the_sellers_form_on_an_enterprise_invoice() {
    // (who confirms, expected)
    let rows: &[(&str, &str)] = &[
        ("finance", "ok"),
        ("consumer", "invoice.not_the_other_party"),
        ("buyer_clerk", "invoice.not_the_other_party"),
        ("revoked_buyer_finance", "invoice.not_the_other_party"),
        ("other_finance", "invoice.not_the_other_party"),
    ];
    for (who, want) in rows {
        let mut w = world();
        let n = enterprise_invoice(&mut w);
        let out = w.run_out("issuer", raise(&n)).unwrap().unwrap();
        let form: [u8; 32] = hex::decode(out).unwrap().try_into().unwrap();
        let confirm = InvoiceAction::ConfirmRedForm(RedFormRef {
            form,
            reason: String::new(),
            salt: [8; 32],
        });
        assert_eq!(code(run(&mut w, who, confirm)), *want, "confirmed by {who}");
    }
}

#[test]
fn seller_and_buyer_must_differ() {
    // (buyer tax id, expected code, field)
    let rows: &[(&str, &str, &str)] = &[
        (BUYER, "ok", ""),
        (OTHER, "ok", ""),
        (SELLER, "invoice.buyer_is_seller", "buyer.tax_id"),
    ];
    for (buyer, want, field) in rows {
        let mut w = World::new().with_taxpayers();
        let mut c = example(InvoiceKind::Special, None);
        c.buyer.tax_id = Some((*buyer).parse().unwrap());
        assert_eq!(
            outcome(w.run("issuer", InvoiceAction::IssueInvoice(c))),
            ((*want).into(), (*field).into()),
            "issued to {buyer}"
        );
    }
    // Through an order: the claim is refused before it waits for the merchant.
    let mut w = World::new().with_taxpayers();
    let order = w
        .run_out(
            "payments",
            InvoiceAction::RecordOrder(RecordOrder {
                merchant: SELLER.parse().unwrap(),
                amount: 66_00,
                items: vec![OrderItem {
                    sku: String::new(),
                    name: "*餐饮服务*餐费".into(),
                    tax_code: "3070401000000000000".into(),
                    rate: Some("0.06".parse().unwrap()),
                    amount: 66_00,
                }],
                claim_code_hash: sha256(b"code"),
            }),
        )
        .unwrap()
        .unwrap();
    let claim = InvoiceAction::ClaimOrder(ClaimOrder {
        order_id: parse_hex32("order_id", &order).unwrap(),
        claim_code: "code".into(),
        kind: InvoiceKind::Ordinary,
        buyer: Buyer {
            kind: BuyerKind::Enterprise,
            name: "腾讯".into(),
            tax_id: Some(SELLER.parse().unwrap()),
            holder: None,
        },
        salt: [1; 32],
    });
    assert_eq!(
        outcome(w.run("consumer", claim)),
        ("invoice.buyer_is_seller".into(), "buyer.tax_id".into())
    );
}

fn accept(platforms: &[&str]) -> InvoiceAction {
    InvoiceAction::SetAcceptedPlatforms(SetAcceptedPlatforms {
        uscc: SELLER.parse().unwrap(),
        platforms: platforms.iter().map(|p| (*p).to_string()).collect(),
    })
}

fn meal_order() -> InvoiceAction {
    InvoiceAction::RecordOrder(RecordOrder {
        merchant: SELLER.parse().unwrap(),
        amount: 66_00,
        items: vec![OrderItem {
            sku: String::new(),
            name: "*餐饮服务*餐费".into(),
            tax_code: "3070401000000000000".into(),
            rate: Some("0.06".parse().unwrap()),
            amount: 66_00,
        }],
        claim_code_hash: sha256(b"code"),
    })
}

#[test]
fn a_merchant_takes_orders_only_from_the_platforms_it_lists() {
    // (accepted platforms, automatic issuing delegated to paynet, recorder, expected)
    let rows: &[(Option<&[&str]>, bool, &str, &str)] = &[
        (None, false, "payments", "invoice.platform_not_accepted"),
        (None, false, "issuer", "ok"),
        (Some(&["paynet"]), false, "payments", "ok"),
        (Some(&["paynet"]), false, "other_payments", "invoice.platform_not_accepted"),
        (Some(&["paynet", "otherpay"]), false, "other_payments", "ok"),
        (Some(&[]), false, "payments", "invoice.platform_not_accepted"),
        (Some(&[]), false, "issuer", "ok"),
        // The delegation to issue automatically does not make a platform accepted.
        (Some(&[]), true, "payments", "invoice.platform_not_accepted"),
        (Some(&["otherpay"]), true, "payments", "invoice.platform_not_accepted"),
        (Some(&["paynet"]), true, "payments", "ok"),
    ];
    for (accepted, delegated, who, want) in rows {
        let mut w = World::new().with_taxpayers();
        match accepted {
            Some(list) => w.run("issuer", accept(list)).unwrap(),
            // A merchant that never listed any: `with_taxpayers` lists both, so start
            // from a world whose seller has no list yet.
            None => {
                w.state.0.remove(
                    &StateKey::from(InvoiceKey::AcceptedPlatforms(SELLER.parse().unwrap()))
                        .to_string(),
                );
            }
        }
        if *delegated {
            w.run(
                "issuer",
                InvoiceAction::SetAutoIssue(SetAutoIssue {
                    uscc: SELLER.parse().unwrap(),
                    platform_org: "paynet".into(),
                    enabled: true,
                }),
            )
            .unwrap();
        }
        let got = outcome(w.run(who, meal_order()));
        let field = if *want == "ok" { "" } else { "sender" };
        assert_eq!(got, ((*want).into(), field.into()), "{accepted:?} {delegated} {who}");
    }
}

#[test]
fn setting_the_accepted_platforms_table() {
    let many: Vec<String> = (0..=MAX_ACCEPTED_PLATFORMS).map(|i| format!("p{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    // (who, platforms, expected code, field)
    let rows: &[(&str, &[&str], &str, &str)] = &[
        ("issuer", &["paynet"], "ok", ""),
        ("issuer", &["paynet", "otherpay"], "ok", ""),
        ("issuer", &[], "ok", ""),
        ("finance", &["paynet"], "invoice.not_an_issuer", "sender"),
        ("issuer", &["nowhere"], "unknown_org", "platforms[0]"),
        ("issuer", &["paynet", "Bad Id"], "unknown_org", "platforms[1]"),
        ("issuer", &["seller"], "invoice.not_a_platform", "platforms[0]"),
        ("issuer", &["paynet", "paynet"], "invoice.duplicate_platform", "platforms[1]"),
        ("issuer", &many, "invoice.too_many_platforms", "platforms"),
    ];
    for (who, platforms, want, field) in rows {
        let mut w = World::new().with_taxpayers();
        let before = w.state.clone();
        let got = outcome(w.run(who, accept(platforms)));
        assert_eq!(got, ((*want).into(), (*field).into()), "{who} {platforms:?}");
        if *want == "ok" {
            let r: AcceptedPlatformsRecord = w
                .get(StateKey::from(InvoiceKey::AcceptedPlatforms(SELLER.parse().unwrap())))
                .unwrap();
            assert_eq!(r.platforms, platforms.iter().map(|p| p.to_string()).collect::<Vec<_>>());
            assert_eq!(r.since_height, w.height);
        } else {
            assert_eq!(w.state, before);
        }
    }
}

#[test]
fn a_taxpayers_issuers_are_accounts_of_its_own_organisation() {
    let own = actor(42, "buyer", OrgKind::Enterprise, BUYER, vec![Role::MerchantIssuer]);
    let no_tax_id = actor(43, "shop", OrgKind::Enterprise, "", vec![Role::MerchantIssuer]);
    // (issuer, expected code, field)
    let rows: Vec<(AccountId, &str, &str)> = vec![
        (own.id, "ok", ""),
        (acct(2), "invoice.issuer_not_in_org", "issuers[0]"), // the seller's issuer
        (no_tax_id.id, "invoice.issuer_not_in_org", "issuers[0]"),
        (acct(3), "missing_role", "issuers[0]"), // the buyer's finance office
    ];
    for (issuer, want, field) in rows {
        let mut w = World::new().with_taxpayers();
        w.add(&own);
        w.add(&no_tax_id);
        let set = InvoiceAction::SetIssuers(SetIssuers {
            uscc: BUYER.parse().unwrap(),
            issuers: vec![issuer],
        });
        assert_eq!(outcome(w.run("officer", set)), (want.into(), field.into()), "{issuer}");
        // Registering is checked the same way.
        let mut w = World::new();
        w.add(&own);
        w.add(&no_tax_id);
        let reg = InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
            uscc: BUYER.parse().unwrap(),
            name: "华为".into(),
            region: "440300".parse().unwrap(),
            seller_type: SellerType::General,
            issuers: vec![issuer],
        });
        assert_eq!(outcome(w.run("officer", reg)), (want.into(), field.into()), "{issuer}");
    }
}
