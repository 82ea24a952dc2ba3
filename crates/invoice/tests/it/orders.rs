//! Payment orders and self-service claiming (交易即开票): catalogue, automatic-issuing
//! delegation, order → claim → invoice, and every refusal leaving the state untouched.

use crate::fixture::*;
use fapiao_invoice::{Error, CHANNEL_SELF_SERVICE};
use fapiao_invoice_types::InvoiceKey;
use fapiao_invoice_types::*;
use fapiao_types::*;

const CODE: &str = "K7fQ2xR9mW4pL8sV3nB6";
const MEAL: &str = "3070401000000000000";

fn code_of<T>(r: &std::result::Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::Rejected { code, .. }) => (*code).into(),
        Err(e) => panic!("fatal: {e}"),
    }
}

fn field_of<T: std::fmt::Debug>(r: &std::result::Result<T, Error>) -> String {
    match r {
        Err(Error::Rejected { field, .. }) => field.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn item(sku: &str, name: &str, rate: &str, amount: i64) -> OrderItem {
    OrderItem {
        sku: sku.into(),
        name: name.into(),
        tax_code: if name.is_empty() { String::new() } else { MEAL.into() },
        rate: (!rate.is_empty()).then(|| rate.parse().unwrap()),
        amount,
    }
}

/// One meal, 66.00 at 6%, as the README's `POST /v1/orders` example.
fn meal_order() -> RecordOrder {
    RecordOrder {
        merchant: SELLER.parse().unwrap(),
        amount: 66_00,
        items: vec![item("", "*餐饮服务*餐费", "0.06", 66_00)],
        claim_code_hash: sha256(CODE.as_bytes()),
    }
}

fn person(name: &str) -> Buyer {
    Buyer { kind: BuyerKind::Person, name: name.into(), tax_id: None, holder: None }
}

fn claim(order_id: Hash32, code: &str) -> InvoiceAction {
    InvoiceAction::ClaimOrder(ClaimOrder {
        order_id,
        claim_code: code.into(),
        kind: InvoiceKind::Ordinary,
        buyer: person("张三"),
        salt: [0x5C; 32],
    })
}

fn auto_issue(platform: &str, enabled: bool) -> InvoiceAction {
    InvoiceAction::SetAutoIssue(SetAutoIssue {
        uscc: SELLER.parse().unwrap(),
        platform_org: platform.into(),
        enabled,
    })
}

fn issue_for(order_id: Hash32) -> InvoiceAction {
    InvoiceAction::IssueForOrder(IssueForOrder { order_id, salt: [0x6D; 32] })
}

/// Records `order` as `who`; returns the order id (the recording tx's hash).
fn record(w: &mut World, who: &str, order: RecordOrder) -> Hash32 {
    let out = w.run_out(who, InvoiceAction::RecordOrder(order)).unwrap().expect("an order id");
    let id = parse_hex32("order_id", &out).unwrap();
    assert_eq!(id, [w.nonce_of_last(); 32], "the order id is the recording tx's hash");
    id
}

fn order(w: &World, id: Hash32) -> OrderRecord {
    w.get(StateKey::from(InvoiceKey::Order(id))).expect("order stored")
}

/// Seller with automatic issuing delegated to `paynet`.
fn world_with_auto_issue() -> World {
    let mut w = World::new().with_taxpayers();
    w.run("issuer", auto_issue("paynet", true)).unwrap();
    w
}

#[test]
fn a_claim_under_automatic_issuing_issues_at_once_to_the_claimant() {
    let mut w = world_with_auto_issue();
    let d: AutoIssueRecord =
        w.get(StateKey::from(InvoiceKey::AutoIssue(SELLER.parse().unwrap()))).unwrap();
    assert_eq!((d.platform_org.as_str(), d.enabled, d.since_height), ("paynet", true, w.height));
    let id = record(&mut w, "payments", meal_order());
    let o = order(&w, id);
    assert_eq!((o.status, o.amount, o.recorded_by), (OrderStatus::Open, 66_00, w.payments.id));
    assert_eq!(o.items, meal_order().items);

    let mut with_holder = claim(id, CODE);
    if let InvoiceAction::ClaimOrder(c) = &mut with_holder {
        c.buyer.holder = Some(w.finance.id); // ignored: the holder is the claimant
    }
    let number = w.run_out("consumer", with_holder).unwrap().expect("issued at once");
    assert_eq!(number.len(), 20);
    assert_eq!(
        number.as_bytes()[4],
        b'0' + CHANNEL_SELF_SERVICE,
        "channel digit 2 (self-service): {number}"
    );
    assert_eq!(CHANNEL_SELF_SERVICE, 2);

    let public: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(number.parse().unwrap()))).unwrap();
    assert_eq!(
        (public.total_with_tax, public.kind, public.status),
        (66_00, InvoiceKind::Ordinary, InvoiceStatus::Issued)
    );
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(number.parse().unwrap()))).unwrap();
    assert_eq!(body.lines.len(), 1);
    let l = &body.lines[0];
    assert_eq!(
        (l.name.as_str(), l.tax_code.as_str(), &*l.rate.to_string(), l.amount, l.tax),
        ("*餐饮服务*餐费", MEAL, "0.06", 62_26, 3_74),
        "66.00 tax included at 6% → 62.26 + 3.74"
    );
    assert_eq!((body.total_amount, body.total_tax), (62_26, 3_74));
    assert_eq!(body.total_in_capitals, "陆拾陆圆整");
    assert_eq!(body.type_code, "82");
    assert_eq!(body.salt, [0x5C; 32]);
    assert_eq!(body.issuer, w.payments.id, "issued by the recorder under the delegation");
    assert_eq!(body.buyer.holder, Some(w.consumer.id));
    assert_eq!(body.buyer.name, "张三");
    assert_eq!(public.commitment, fapiao_invoice::commitment(&body));
    let circ: Circulation =
        w.get(StateKey::from(InvoiceKey::InvoiceCirc(number.parse().unwrap()))).unwrap();
    assert_eq!(circ.holder, Some(w.consumer.id));

    let o = order(&w, id);
    assert_eq!(o.status, OrderStatus::Invoiced);
    assert_eq!(o.invoice, number.parse().ok());
    assert_eq!(o.claimant, Some(w.consumer.id));
    assert_eq!(o.claimed_at, w.height);
    let credit: CreditRecord =
        w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
    assert_eq!(credit.used, 66_00);
    let totals: MonthTotals = w
        .get(StateKey::from(InvoiceKey::MonthTotals(
            SELLER.parse().unwrap(),
            fapiao_types::Month::from_yyyymm(202611).unwrap(),
        )))
        .unwrap();
    assert_eq!((totals.output_tax, totals.issued), (3_74, 1));

    // The consumer holds it: it circulates like any other invoice.
    let submit = InvoiceAction::SubmitInvoice(SubmitInvoice {
        number: number.parse().unwrap(),
        enterprise: BUYER.parse().unwrap(),
    });
    assert_eq!(code_of(&w.run("consumer", submit)), "ok");
}

#[test]
fn without_automatic_issuing_the_claim_waits_for_the_merchant() {
    let mut w = World::new().with_taxpayers();
    let id = record(&mut w, "payments", meal_order());
    assert_eq!(code_of(&w.run("issuer", issue_for(id))), "invoice.order_not_claimed");
    assert_eq!(w.run_out("consumer", claim(id, CODE)).unwrap(), None, "waits");
    let o = order(&w, id);
    assert_eq!(o.status, OrderStatus::Claimed);
    assert_eq!(o.buyer.as_ref().unwrap().holder, Some(w.consumer.id));
    assert!(o.invoice.is_none());
    assert!(!w.state.0.keys().any(|k| k.starts_with("invoice/")), "nothing issued yet");

    // Only an authorised issuer of the merchant issues it.
    let not_issuer = w.run("finance", issue_for(id));
    assert_eq!(
        (code_of(&not_issuer), field_of(&not_issuer)),
        ("invoice.not_an_issuer".into(), "sender".into())
    );
    let number = w.run_out("issuer", issue_for(id)).unwrap().expect("a number");
    assert_eq!(number.as_bytes()[4], b'2', "{number}");
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(number.parse().unwrap()))).unwrap();
    assert_eq!(body.issuer, w.issuer.id);
    assert_eq!(body.salt, [0x6D; 32]);
    assert_eq!(body.buyer.holder, Some(w.consumer.id));
    assert_eq!((body.lines[0].amount, body.lines[0].tax), (62_26, 3_74));
    let o = order(&w, id);
    assert_eq!((o.status, o.invoice.map(|n| n.to_string())), (OrderStatus::Invoiced, Some(number)));
    // One order, one blue invoice.
    assert_eq!(code_of(&w.run("issuer", issue_for(id))), "invoice.order_already_invoiced");
    assert_eq!(code_of(&w.run("consumer", claim(id, CODE))), "invoice.order_already_claimed");
}

#[test]
fn a_wrong_code_is_refused_and_a_code_is_good_for_one_claim() {
    let mut w = world_with_auto_issue();
    let id = record(&mut w, "payments", meal_order());
    let before = w.state.clone();
    for bad in ["", "k7fQ2xR9mW4pL8sV3nB6", "K7fQ2xR9mW4pL8sV3nB", &"x".repeat(200)] {
        let r = w.run("consumer", claim(id, bad));
        assert_eq!(
            (code_of(&r), field_of(&r)),
            ("invoice.wrong_claim_code".into(), "claim_code".into()),
            "{bad:?}"
        );
    }
    assert_eq!(w.state, before);
    assert_eq!(code_of(&w.run("consumer", claim(id, CODE))), "ok");
    let after = w.state.clone();
    // Reused code: by the same consumer, by another consumer — refused. A wrong code on
    // a claimed order still says only that the code is wrong.
    let again = w.run("consumer", claim(id, CODE));
    assert_eq!(
        (code_of(&again), field_of(&again)),
        ("invoice.order_already_claimed".into(), "order_id".into())
    );
    assert_eq!(code_of(&w.run("other_payments", claim(id, CODE))), "invoice.order_already_claimed");
    assert_eq!(code_of(&w.run("other_payments", claim(id, "guess"))), "invoice.wrong_claim_code");
    assert_eq!(w.state, after);
    assert_eq!(w.state.0.keys().filter(|k| k.starts_with("invoice/")).count(), 1);

    // A waiting claim is a claim too.
    let mut w = World::new().with_taxpayers();
    let id = record(&mut w, "payments", meal_order());
    assert_eq!(code_of(&w.run("consumer", claim(id, CODE))), "ok");
    assert_eq!(code_of(&w.run("other_payments", claim(id, CODE))), "invoice.order_already_claimed");
}

#[test]
fn only_consumers_claim_and_only_platforms_or_the_merchant_record() {
    let mut w = world_with_auto_issue();
    let id = record(&mut w, "payments", meal_order());
    for who in ["issuer", "finance", "payments", "officer"] {
        let before = w.state.clone();
        let r = w.run(who, claim(id, CODE));
        assert_eq!((code_of(&r), field_of(&r)), ("missing_role".into(), "sender".into()), "{who}");
        assert_eq!(w.state, before);
    }
    // The merchant's own issuer records orders; its finance office and consumers do not.
    let own = record(&mut w, "issuer", meal_order());
    assert_eq!(order(&w, own).recorded_by, w.issuer.id);
    for who in ["finance", "consumer", "officer"] {
        let r = w.run(who, InvoiceAction::RecordOrder(meal_order()));
        assert_eq!((code_of(&r), field_of(&r)), ("missing_role".into(), "sender".into()), "{who}");
    }
    // An order the merchant's own issuer recorded is issued automatically, by that issuer.
    let n = w.run_out("consumer", claim(own, CODE)).unwrap().unwrap();
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(n.parse().unwrap()))).unwrap();
    assert_eq!(body.issuer, w.issuer.id);
}

#[test]
fn an_order_whose_items_do_not_sum_is_refused() {
    let mut w = World::new().with_taxpayers();
    let before = w.state.clone();
    let mut o = meal_order();
    o.items =
        vec![item("", "*餐饮服务*餐费", "0.06", 60_00), item("", "*餐饮服务*酒水", "0.13", 5_00)];
    let r = w.run("payments", InvoiceAction::RecordOrder(o.clone()));
    assert_eq!(
        (code_of(&r), field_of(&r)),
        ("invoice.order_total_mismatch".into(), "items".into())
    );
    assert_eq!(w.state, before);
    o.items[1].amount = 6_00;
    let id = record(&mut w, "payments", o);
    assert_eq!(order(&w, id).items.len(), 2);
}

#[test]
fn the_catalogue_supplies_name_tax_code_and_rate_by_sku() {
    let mut w = world_with_auto_issue();
    let set = |sku: &str, name: &str, code: &str, rate: &str| {
        InvoiceAction::SetCatalogueItem(SetCatalogueItem {
            uscc: SELLER.parse().unwrap(),
            sku: sku.into(),
            name: name.into(),
            tax_code: code.into(),
            rate: rate.parse().unwrap(),
        })
    };
    assert_eq!(code_of(&w.run("issuer", set("meal-01", "*餐饮服务*套餐", MEAL, "0.06"))), "ok");
    assert_eq!(
        code_of(&w.run("issuer", set("beer.330", "*酒*啤酒", "1030307020000000000", "0.13"))),
        "ok"
    );
    let entry: CatalogueItem = w
        .get(StateKey::from(InvoiceKey::CatalogueItem(
            SELLER.parse().unwrap(),
            "meal-01".parse().unwrap(),
        )))
        .unwrap();
    assert_eq!((entry.rate.to_string().as_str(), entry.updated_at), ("0.06", w.height - 1));

    let o = RecordOrder {
        merchant: SELLER.parse().unwrap(),
        amount: 88_00 + 12_00,
        items: vec![
            item("meal-01", "", "", 88_00),
            // Rate given, the rest from the catalogue.
            OrderItem { rate: Some("0.13".parse().unwrap()), ..item("beer.330", "", "", 12_00) },
        ],
        claim_code_hash: sha256(CODE.as_bytes()),
    };
    let id = record(&mut w, "payments", o.clone());
    let stored = order(&w, id);
    let resolved: Vec<_> = stored
        .items
        .iter()
        .map(|i| {
            (
                i.sku.as_str(),
                i.name.as_str(),
                i.tax_code.as_str(),
                i.rate.map(|r| r.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        resolved,
        vec![
            ("meal-01", "*餐饮服务*套餐", MEAL, "0.06".to_string()),
            ("beer.330", "*酒*啤酒", "1030307020000000000", "0.13".to_string())
        ]
    );
    let n = w.run_out("consumer", claim(id, CODE)).unwrap().unwrap();
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(n.parse().unwrap()))).unwrap();
    let lines: Vec<_> = body.lines.iter().map(|l| (l.amount, l.tax)).collect();
    // 88.00 / 1.06 = 83.02, tax 4.98; 12.00 / 1.13 = 10.62, tax 1.38.
    assert_eq!(lines, vec![(83_02, 4_98), (10_62, 1_38)]);

    // A later catalogue change does not touch a recorded order.
    assert_eq!(code_of(&w.run("issuer", set("meal-01", "*餐饮服务*午餐", MEAL, "0.06"))), "ok");
    assert_eq!(order(&w, id).items[0].name, "*餐饮服务*套餐");

    // Unknown SKU, or no SKU at all, for an incomplete item.
    let before = w.state.clone();
    for (sku, want) in [
        ("nope", "invoice.unknown_sku"),
        ("", "invoice.unknown_sku"),
        ("bad/sku", "invoice.invalid_sku"),
    ] {
        let mut bad = o.clone();
        bad.items[1] = item(sku, "", "", 12_00);
        let r = w.run("payments", InvoiceAction::RecordOrder(bad));
        assert_eq!((code_of(&r), field_of(&r)), (want.into(), "items[1].sku".into()), "{sku:?}");
    }
    assert_eq!(w.state, before);
}

#[test]
fn a_revoked_delegation_or_an_undelegated_platform_makes_the_claim_wait() {
    let mut w = world_with_auto_issue();
    let by_other = record(&mut w, "other_payments", meal_order());
    assert_eq!(
        w.run_out("consumer", claim(by_other, CODE)).unwrap(),
        None,
        "otherpay is not delegated"
    );
    assert_eq!(order(&w, by_other).status, OrderStatus::Claimed);

    assert_eq!(code_of(&w.run("issuer", auto_issue("", false))), "ok");
    let d: AutoIssueRecord =
        w.get(StateKey::from(InvoiceKey::AutoIssue(SELLER.parse().unwrap()))).unwrap();
    assert_eq!((d.platform_org.as_str(), d.enabled), ("paynet", false), "off keeps the platform");
    let id = record(&mut w, "payments", meal_order());
    assert_eq!(w.run_out("consumer", claim(id, CODE)).unwrap(), None);
    assert_eq!(order(&w, id).status, OrderStatus::Claimed);
    assert!(w.run_out("issuer", issue_for(id)).unwrap().is_some());

    // Back on: the next claim issues at once again.
    assert_eq!(code_of(&w.run("issuer", auto_issue("paynet", true))), "ok");
    let id = record(&mut w, "payments", meal_order());
    assert!(w.run_out("consumer", claim(id, CODE)).unwrap().is_some());

    // The recorder's account revoked since: the delegation no longer covers it.
    let id = record(&mut w, "payments", meal_order());
    let mut revoked = w.payments.account.clone();
    revoked.revoked_at = Some(w.height);
    fapiao_invoice::StateAccess::write(
        &mut w.state,
        &StateKey::Account(w.payments.id),
        commonware_codec::Encode::encode(&revoked).to_vec(),
    );
    assert_eq!(w.run_out("consumer", claim(id, CODE)).unwrap(), None);
}

#[test]
fn credit_applies_to_automatic_issuance() {
    let mut w = world_with_auto_issue();
    w.run(
        "officer",
        InvoiceAction::GrantCredit(GrantCredit {
            uscc: SELLER.parse().unwrap(),
            monthly_ceiling: 100_00,
        }),
    )
    .unwrap();
    let first = record(&mut w, "payments", meal_order());
    let second = record(&mut w, "payments", meal_order());
    assert!(w.run_out("consumer", claim(first, CODE)).unwrap().is_some());
    // 66.00 + 66.00 > 100.00: the claim is refused as a whole, the order stays open.
    let before = w.state.clone();
    let r = w.run("consumer", claim(second, CODE));
    assert_eq!(
        (code_of(&r), field_of(&r)),
        ("invoice.over_credit".into(), "total_with_tax".into())
    );
    assert_eq!(w.state, before);
    assert_eq!(order(&w, second).status, OrderStatus::Open);
    // The merchant gets more credit; the consumer claims again.
    w.run(
        "issuer",
        InvoiceAction::RequestCredit(RequestCredit {
            uscc: SELLER.parse().unwrap(),
            amount: 50_00,
            reason: "lunch rush".into(),
        }),
    )
    .unwrap();
    let request = [w.nonce_of_last(); 32];
    w.run(
        "officer",
        InvoiceAction::DecideCredit(DecideCredit { request, approve: true, reason: "ok".into() }),
    )
    .unwrap();
    assert!(w.run_out("consumer", claim(second, CODE)).unwrap().is_some());
    let c: CreditRecord =
        w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
    assert_eq!(c.used, 132_00);
}

#[test]
fn an_enterprise_buyer_may_claim_a_special_invoice() {
    let mut w = world_with_auto_issue();
    let id = record(&mut w, "payments", meal_order());
    let special = |buyer: Buyer| {
        InvoiceAction::ClaimOrder(ClaimOrder {
            order_id: id,
            claim_code: CODE.into(),
            kind: InvoiceKind::Special,
            buyer,
            salt: [1; 32],
        })
    };
    let before = w.state.clone();
    let r = w.run("consumer", special(person("张三")));
    assert_eq!(
        (code_of(&r), field_of(&r)),
        ("invoice.buyer_tax_id_required".into(), "buyer.tax_id".into())
    );
    // A malformed buyer USCC cannot be written: it is refused where it is read.
    assert!("91350100M000100Y4Z".parse::<Uscc>().is_err());
    let bad_id =
        Buyer { kind: BuyerKind::Enterprise, name: "华为".into(), tax_id: None, holder: None };
    assert_eq!(w.state, before);
    let n = w
        .run_out("consumer", special(Buyer { tax_id: Some(BUYER.parse().unwrap()), ..bad_id }))
        .unwrap()
        .unwrap();
    let public: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(n.parse().unwrap()))).unwrap();
    assert_eq!(public.kind, InvoiceKind::Special);
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(n.parse().unwrap()))).unwrap();
    assert_eq!((body.type_code.as_str(), body.buyer.tax_id), ("81", Some(uscc(BUYER))));
    // The buyer enterprise books it for deduction.
    let book = InvoiceAction::BookInvoice(InvoiceRef { number: n.parse().unwrap() });
    assert_eq!(code_of(&w.run("finance", book)), "ok");
}

/// Refusals of every order command: the rule's code, the field, and nothing written.
#[test]
fn order_refusals_name_the_rule_and_the_field_and_change_nothing() {
    type Make = fn(Hash32) -> InvoiceAction;
    // (description, who, command, code, field). `Hash32` is an open order recorded by
    // `payments`, the merchant having delegated automatic issuing to `paynet`.
    let cases: Vec<(&str, &str, Make, &str, &str)> = vec![
        (
            "unregistered merchant",
            "payments",
            |_| {
                let mut o = meal_order();
                o.merchant = "91110000802100433B".parse().unwrap();
                InvoiceAction::RecordOrder(o)
            },
            "invoice.unknown_taxpayer",
            "merchant",
        ),
        (
            "zero order",
            "payments",
            |_| {
                let mut o = meal_order();
                o.amount = 0;
                o.items[0].amount = 0;
                InvoiceAction::RecordOrder(o)
            },
            "invoice.invalid_amount",
            "amount",
        ),
        (
            "negative item",
            "payments",
            |_| {
                let mut o = meal_order();
                o.items.push(item("", "*餐饮服务*折扣", "0.06", -6_00));
                o.items[0].amount = 72_00;
                InvoiceAction::RecordOrder(o)
            },
            "invoice.invalid_amount",
            "items[1].amount",
        ),
        (
            "no items",
            "payments",
            |_| {
                let mut o = meal_order();
                o.items.clear();
                InvoiceAction::RecordOrder(o)
            },
            "invoice.invalid_items",
            "items",
        ),
        (
            "unknown rate",
            "payments",
            |_| {
                let mut o = meal_order();
                o.items[0].rate = Some("0.07".parse().unwrap());
                InvoiceAction::RecordOrder(o)
            },
            "invoice.unknown_rate",
            "items[0].rate",
        ),
        (
            "bad tax code",
            "payments",
            |_| {
                let mut o = meal_order();
                o.items[0].tax_code = "123".into();
                InvoiceAction::RecordOrder(o)
            },
            "invoice.bad_tax_code",
            "items[0].tax_code",
        ),
        (
            "bad item name",
            "payments",
            |_| {
                let mut o = meal_order();
                o.items[0].name = "餐费".into();
                InvoiceAction::RecordOrder(o)
            },
            "invoice.bad_name",
            "items[0].name",
        ),
        (
            "recorded by a consumer",
            "consumer",
            |_| InvoiceAction::RecordOrder(meal_order()),
            "missing_role",
            "sender",
        ),
        (
            "unknown order",
            "consumer",
            |_| claim([0xEE; 32], CODE),
            "invoice.unknown_order",
            "order_id",
        ),
        (
            "wrong code",
            "consumer",
            |id| claim(id, "0000"),
            "invoice.wrong_claim_code",
            "claim_code",
        ),
        ("claim by a merchant", "issuer", |id| claim(id, CODE), "missing_role", "sender"),
        (
            "blank buyer",
            "consumer",
            |id| {
                let InvoiceAction::ClaimOrder(mut c) = claim(id, CODE) else { unreachable!() };
                c.buyer.name = " ".into();
                InvoiceAction::ClaimOrder(c)
            },
            "invoice.invalid_name",
            "buyer.name",
        ),
        (
            "enterprise without id",
            "consumer",
            |id| {
                let InvoiceAction::ClaimOrder(mut c) = claim(id, CODE) else { unreachable!() };
                c.buyer.kind = BuyerKind::Enterprise;
                InvoiceAction::ClaimOrder(c)
            },
            "invoice.buyer_tax_id_required",
            "buyer.tax_id",
        ),
        (
            "issue an open order",
            "issuer",
            |id| issue_for(id),
            "invoice.order_not_claimed",
            "order_id",
        ),
        (
            "issue an unknown order",
            "issuer",
            |_| issue_for([0xEE; 32]),
            "invoice.unknown_order",
            "order_id",
        ),
        (
            "catalogue by a non-issuer",
            "finance",
            |_| {
                InvoiceAction::SetCatalogueItem(SetCatalogueItem {
                    uscc: SELLER.parse().unwrap(),
                    sku: "a".into(),
                    name: "*餐饮服务*餐费".into(),
                    tax_code: MEAL.into(),
                    rate: "0.06".parse().unwrap(),
                })
            },
            "invoice.not_an_issuer",
            "sender",
        ),
        (
            "catalogue bad sku",
            "issuer",
            |_| {
                InvoiceAction::SetCatalogueItem(SetCatalogueItem {
                    uscc: SELLER.parse().unwrap(),
                    sku: "..".into(),
                    name: "*餐饮服务*餐费".into(),
                    tax_code: MEAL.into(),
                    rate: "0.06".parse().unwrap(),
                })
            },
            "invoice.invalid_sku",
            "sku",
        ),
        (
            "catalogue bad rate",
            "issuer",
            |_| {
                InvoiceAction::SetCatalogueItem(SetCatalogueItem {
                    uscc: SELLER.parse().unwrap(),
                    sku: "a".into(),
                    name: "*餐饮服务*餐费".into(),
                    tax_code: MEAL.into(),
                    rate: "0.01".parse().unwrap(),
                })
            },
            "invoice.rate_not_allowed_for_seller",
            "rate",
        ),
        (
            "catalogue bad tax code",
            "issuer",
            |_| {
                InvoiceAction::SetCatalogueItem(SetCatalogueItem {
                    uscc: SELLER.parse().unwrap(),
                    sku: "a".into(),
                    name: "*餐饮服务*餐费".into(),
                    tax_code: "9".repeat(19),
                    rate: "0.06".parse().unwrap(),
                })
            },
            "invoice.bad_tax_code",
            "tax_code",
        ),
        (
            "delegate by a non-issuer",
            "finance",
            |_| auto_issue("paynet", true),
            "invoice.not_an_issuer",
            "sender",
        ),
        (
            "delegate to nobody",
            "issuer",
            |_| auto_issue("nobody", true),
            "unknown_org",
            "platform_org",
        ),
        (
            "delegate to an enterprise",
            "issuer",
            |_| auto_issue("buyer", true),
            "invoice.not_a_platform",
            "platform_org",
        ),
        (
            "delegate for an unknown taxpayer",
            "issuer",
            |_| {
                InvoiceAction::SetAutoIssue(SetAutoIssue {
                    uscc: "91110000802100433B".parse().unwrap(),
                    platform_org: "paynet".into(),
                    enabled: true,
                })
            },
            "invoice.unknown_taxpayer",
            "uscc",
        ),
    ];
    for (desc, who, make, want_code, want_field) in cases {
        let mut w = world_with_auto_issue();
        let id = record(&mut w, "payments", meal_order());
        let before = w.state.clone();
        let action = make(id);
        let r = w.run(who, action);
        let Err(Error::Rejected { code, field, message }) = r else { panic!("{desc}: accepted") };
        assert_eq!((code, field.as_str()), (want_code, want_field), "{desc}: {message}");
        assert_eq!(w.state, before, "{desc}: state untouched");
    }
}

#[test]
fn a_frozen_merchant_records_no_orders_and_issues_nothing_on_claim() {
    let mut w = world_with_auto_issue();
    let id = record(&mut w, "payments", meal_order());
    let freeze = |s| {
        InvoiceAction::SetTaxpayerStatus(SetTaxpayerStatus {
            uscc: SELLER.parse().unwrap(),
            status: s,
            reason: "audit".into(),
        })
    };
    w.run("officer", freeze(TaxpayerStatus::Frozen)).unwrap();
    let r = w.run("payments", InvoiceAction::RecordOrder(meal_order()));
    assert_eq!((code_of(&r), field_of(&r)), ("invoice.seller_frozen".into(), "merchant".into()));
    let r = w.run("consumer", claim(id, CODE));
    assert_eq!(code_of(&r), "invoice.seller_frozen");
    w.run("officer", freeze(TaxpayerStatus::Active)).unwrap();
    assert!(w.run_out("consumer", claim(id, CODE)).unwrap().is_some());
}

/// Regression (issue #12): ten items of 9 999 999 999 999 999.99 each (every one within
/// DECIMAL(18,2)) summed in unchecked `i64` and the order was refused with "the items
/// sum to −8446744073709551626" in release builds (a panic in debug ones). The sum is
/// checked: a clean refusal naming the items.
#[test]
fn an_order_whose_items_sum_beyond_decimal_18_2_is_refused_cleanly() {
    let mut w = World::new().with_taxpayers();
    let before = w.state.clone();
    let max = 999_999_999_999_999_999;
    let o = RecordOrder {
        amount: max,
        items: (0..10).map(|_| item("", "*餐饮服务*餐费", "0.06", max)).collect(),
        ..meal_order()
    };
    let r = w.run("payments", InvoiceAction::RecordOrder(o));
    assert_eq!((code_of(&r), field_of(&r)), ("amount_out_of_range".into(), "items".into()));
    match &r {
        Err(Error::Rejected { message, .. }) => assert!(!message.contains("sum to -"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(w.state, before);
}
