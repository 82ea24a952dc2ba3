use fapiao_invoice_rules::{
    compute_document, Direction, Document, DocumentInput, Error, Fen, InvoiceKind, LineDraft,
    LineInput, Policy, Quantity, RateCode, RateKind, RateTable, SellerType, UnitPrice,
};
use proptest::prelude::*;

const TAX_CODE: &str = "1050201010000000000";
const SERVICE_CODE: &str = "3040201000000000000";

fn fen(s: &str) -> Fen {
    Fen::parse(s).unwrap()
}

fn rate(s: &str) -> RateCode {
    RateCode::parse(s).unwrap()
}

fn line(name: &str, r: &str) -> LineInput {
    LineInput {
        name: name.into(),
        tax_code: TAX_CODE.into(),
        spec: String::new(),
        unit: String::new(),
        quantity: None,
        unit_price: None,
        amount: None,
        gross: None,
        rate: rate(r),
        tax: None,
        discount: false,
    }
}

fn amount_line(name: &str, amount: &str, r: &str) -> LineInput {
    LineInput { amount: Some(fen(amount)), ..line(name, r) }
}

/// DOMAIN.md's worked example.
fn worked_example() -> DocumentInput {
    DocumentInput {
        kind: InvoiceKind::Ordinary,
        direction: Direction::Blue,
        seller_type: SellerType::General,
        rate_date: 20260315,
        buyer_tax_id: None,
        lines: vec![
            LineInput {
                quantity: Some(Quantity::parse("3").unwrap()),
                unit_price: Some(UnitPrice::parse("120.00").unwrap()),
                spec: "AC-01".into(),
                unit: "把".into(),
                ..line("*家具*办公椅", "0.13")
            },
            LineInput {
                tax_code: SERVICE_CODE.into(),
                ..amount_line("*咨询服务*咨询服务", "943.40", "0.06")
            },
            LineInput { gross: Some(fen("100.00")), ..line("*运输服务*运输服务", "0.09") },
        ],
        declared: Default::default(),
    }
}

fn compute(input: &DocumentInput) -> Result<Document, Error> {
    compute_document(input, &RateTable::default_prc(), &Policy::default())
}

#[test]
fn domain_worked_example() {
    let doc = compute(&worked_example()).unwrap();
    let got: Vec<(String, String)> =
        doc.lines.iter().map(|l| (l.amount.to_string(), l.tax.to_string())).collect();
    assert_eq!(
        got,
        [("360.00", "46.80"), ("943.40", "56.60"), ("91.74", "8.26")]
            .map(|(a, t)| (a.to_string(), t.to_string()))
    );
    assert_eq!(doc.total_amount, fen("1395.14"));
    assert_eq!(doc.total_tax, fen("111.66"));
    assert_eq!(doc.total_with_tax, fen("1506.80"));
    assert_eq!(doc.total_with_tax_in_capitals, "壹仟伍佰零陆圆捌角整");
    assert!(doc.lines.iter().all(|l| l.rate_kind == RateKind::Standard));
    assert_eq!(doc.lines[0].category(), "家具");
    assert_eq!(doc.lines[2].gross(), fen("100.00"));

    // Declared totals and any legal spelling of the capitals are checked, not compared.
    let mut declared = worked_example();
    declared.declared.total_amount = Some(fen("1395.14"));
    declared.declared.total_tax = Some(fen("111.66"));
    declared.declared.total_with_tax = Some(fen("1506.8"));
    declared.declared.total_with_tax_in_capitals = Some("壹仟伍佰零陆元捌角".into());
    assert_eq!(compute(&declared).unwrap(), doc);

    let json = serde_json::to_value(&doc).unwrap();
    assert_eq!(json["total_with_tax"], "1506.80");
    assert_eq!(json["lines"][0]["quantity"], "3");
    assert_eq!(json["lines"][0]["unit_price"], "120");
    assert_eq!(json["lines"][0]["rate"], "0.13");
    assert_eq!(json["lines"][0]["rate_kind"], "standard");
    assert_eq!(json["lines"][2]["tax"], "8.26");
}

#[test]
fn documents_from_json() {
    let input: DocumentInput = serde_json::from_str(
        r#"{"kind":"ordinary","direction":"blue","seller_type":"general","rate_date":20260315,
            "lines":[{"name":"*餐饮服务*餐费","tax_code":"3070401000000000000","gross":"66.00","rate":"0.06"}]}"#,
    )
    .unwrap();
    let doc = compute(&input).unwrap();
    assert_eq!((doc.total_amount, doc.total_tax), (fen("62.26"), fen("3.74")));
    assert_eq!(doc.total_with_tax_in_capitals, "陆拾陆圆整");
}

#[test]
fn accepted_variants() {
    // A supplied tax within ±0.06 of amount × rate is kept as supplied.
    let mut d = worked_example();
    d.lines[1].tax = Some(fen("56.66"));
    let doc = compute(&d).unwrap();
    assert_eq!(doc.lines[1].tax, fen("56.66"));
    assert_eq!(doc.total_tax, fen("111.72"));

    // A discount line after its line.
    let mut d = worked_example();
    d.lines
        .insert(1, LineInput { discount: true, ..amount_line("*家具*办公椅", "-60.00", "0.13") });
    let doc = compute(&d).unwrap();
    assert_eq!((doc.lines[1].amount, doc.lines[1].tax), (fen("-60.00"), fen("-7.80")));
    assert_eq!(doc.total_amount, fen("1335.14"));
    assert_eq!(doc.total_with_tax, fen("1439.00"));
    // A full discount is allowed.
    d.lines[1].amount = Some(fen("-360.00"));
    assert!(compute(&d).is_ok());

    // Exempt and out of scope: no tax, printed ***; 0% prints 0.00.
    let mut d = worked_example();
    d.lines = vec![
        amount_line("*医疗服务*门诊", "100", "exempt"),
        amount_line("*预付卡销售*充值", "50", "out_of_scope"),
        amount_line("*出口货物*机床", "1000", "0"),
    ];
    let doc = compute(&d).unwrap();
    assert_eq!(doc.total_tax, Fen::ZERO);
    let labels: Vec<(String, String)> =
        doc.lines.iter().map(|l| (l.rate.label(), l.tax_label())).collect();
    assert_eq!(
        labels,
        [("免税", "***"), ("不征税", "***"), ("0%", "0.00")].map(|(a, b)| (a.into(), b.into()))
    );
    assert_eq!(doc.lines[2].rate_kind, RateKind::Zero);

    // A small-scale seller at the 1% relief rate, through 2027-12-31.
    let mut d = worked_example();
    d.seller_type = SellerType::SmallScale;
    d.rate_date = 20271231;
    d.lines = vec![amount_line("*餐饮服务*餐费", "1000", "0.01")];
    assert_eq!(compute(&d).unwrap().total_tax, fen("10.00"));

    // A special invoice with the buyer's USCC.
    let mut d = worked_example();
    d.kind = InvoiceKind::Special;
    d.buyer_tax_id = Some("914403001922038216".parse().unwrap());
    assert_eq!(compute(&d).unwrap().buyer_tax_id.unwrap().as_str(), "914403001922038216");
    // An ordinary invoice to a person: no tax ID.
    let d = worked_example();
    assert_eq!(compute(&d).unwrap().buyer_tax_id, None);
    // A bad USCC never reaches the rules: it is refused where it is read.
    let e = serde_json::from_str::<fapiao_invoice_rules::Uscc>("\"914403001922038217\"");
    assert!(e.is_err());
}

#[test]
fn red_invoice_reverses_the_worked_example() {
    let mut d = worked_example();
    d.direction = Direction::Red;
    d.lines[0].quantity = Some(Quantity::parse("-3").unwrap());
    d.lines[1].amount = Some(fen("-943.40"));
    d.lines[2].gross = Some(fen("-100.00"));
    let doc = compute(&d).unwrap();
    let got: Vec<(Fen, Fen)> = doc.lines.iter().map(|l| (l.amount, l.tax)).collect();
    assert_eq!(
        got,
        [
            (fen("-360"), fen("-46.80")),
            (fen("-943.40"), fen("-56.60")),
            (fen("-91.74"), fen("-8.26"))
        ]
    );
    assert_eq!(doc.total_with_tax, fen("-1506.80"));
    assert_eq!(doc.total_with_tax_in_capitals, "(负数)壹仟伍佰零陆圆捌角整");

    // A red invoice copies the blue one's rates: 16% is fine with the blue date of 2019.
    let mut red_old = worked_example();
    red_old.direction = Direction::Red;
    red_old.rate_date = 20190301;
    red_old.lines = vec![amount_line("*家具*办公椅", "-100", "0.16")];
    assert_eq!(compute(&red_old).unwrap().total_tax, fen("-16.00"));
}

type Mutation = fn(&mut DocumentInput);

/// Every refusal, with the code and the field it names.
#[test]
fn refusals() {
    let cases: Vec<(&str, Mutation, &str, &str)> = vec![
        (
            "name without stars",
            |d| d.lines[0].name = "办公椅".into(),
            "invoice.bad_name",
            "lines[0].name",
        ),
        (
            "empty category",
            |d| d.lines[0].name = "**办公椅".into(),
            "invoice.bad_name",
            "lines[0].name",
        ),
        (
            "empty item",
            |d| d.lines[1].name = "*咨询服务*".into(),
            "invoice.bad_name",
            "lines[1].name",
        ),
        (
            "blank item",
            |d| d.lines[1].name = "*咨询服务* ".into(),
            "invoice.bad_name",
            "lines[1].name",
        ),
        (
            "name too long",
            |d| d.lines[0].name = format!("*家具*{}", "椅".repeat(200)),
            "invoice.bad_name",
            "lines[0].name",
        ),
        (
            "control in name",
            |d| d.lines[0].name = "*家具*办公\n椅".into(),
            "invoice.bad_name",
            "lines[0].name",
        ),
        (
            "short tax code",
            |d| d.lines[2].tax_code = "105020101000000000".into(),
            "invoice.bad_tax_code",
            "lines[2].tax_code",
        ),
        (
            "letter in tax code",
            |d| d.lines[2].tax_code = "10502010100000000A0".into(),
            "invoice.bad_tax_code",
            "lines[2].tax_code",
        ),
        (
            "tax code class 7",
            |d| d.lines[2].tax_code = "7050201010000000000".into(),
            "invoice.bad_tax_code",
            "lines[2].tax_code",
        ),
        (
            "control in spec",
            |d| d.lines[0].spec = "A\u{7}".into(),
            "invoice.bad_text",
            "lines[0].spec",
        ),
        (
            "unit too long",
            |d| d.lines[0].unit = "个".repeat(101),
            "invoice.bad_text",
            "lines[0].unit",
        ),
        (
            "unknown rate",
            |d| d.lines[1].rate = rate("0.12"),
            "invoice.unknown_rate",
            "lines[1].rate",
        ),
        (
            "13% for a small-scale seller",
            |d| d.seller_type = SellerType::SmallScale,
            "invoice.rate_not_allowed_for_seller",
            "lines[0].rate",
        ),
        (
            "13% before 2019-04 for a blue invoice",
            |d| d.rate_date = 20180601,
            "invoice.rate_not_effective",
            "lines[0].rate",
        ),
        (
            "16% after 2019-03",
            |d| d.lines[2].rate = rate("0.16"),
            "invoice.rate_not_effective",
            "lines[2].rate",
        ),
        ("invalid rate date", |d| d.rate_date = 20260229, "bad_date", "rate_date"),
        (
            "quantity without price",
            |d| d.lines[0].unit_price = None,
            "invoice.incomplete_quantity_price",
            "lines[0].unit_price",
        ),
        (
            "price without quantity",
            |d| d.lines[0].quantity = None,
            "invoice.incomplete_quantity_price",
            "lines[0].quantity",
        ),
        (
            "no amount at all",
            |d| d.lines[1].amount = None,
            "invoice.amount_required",
            "lines[1].amount",
        ),
        (
            "amount ≠ quantity × price",
            |d| d.lines[0].amount = Some(fen("361.00")),
            "invoice.amount_mismatch",
            "lines[0].amount",
        ),
        (
            "amount ≠ gross / (1 + rate)",
            |d| d.lines[2].amount = Some(fen("91.75")),
            "invoice.amount_mismatch",
            "lines[2].amount",
        ),
        (
            "tax off by more than 0.06",
            |d| d.lines[1].tax = Some(fen("56.67")),
            "invoice.line_tax_mismatch",
            "lines[1].tax",
        ),
        (
            "tax ≠ gross − amount",
            |d| d.lines[2].tax = Some(fen("8.25")),
            "invoice.line_tax_mismatch",
            "lines[2].tax",
        ),
        (
            "tax on an exempt line",
            |d| {
                d.lines[1].rate = rate("exempt");
                d.lines[1].tax = Some(fen("0.01"));
            },
            "invoice.tax_must_be_zero",
            "lines[1].tax",
        ),
        (
            "tax on a 0% line",
            |d| {
                d.lines[1].rate = rate("0");
                d.lines[1].tax = Some(fen("0.05"));
            },
            "invoice.tax_must_be_zero",
            "lines[1].tax",
        ),
        (
            "negative tax on a positive line",
            |d| {
                d.lines[1].amount = Some(fen("0.10"));
                d.lines[1].tax = Some(fen("-0.01"));
            },
            "invoice.tax_sign_mismatch",
            "lines[1].tax",
        ),
        (
            "zero amount on a blue invoice",
            |d| d.lines[1].amount = Some(Fen::ZERO),
            "invoice.non_positive_amount",
            "lines[1].amount",
        ),
        (
            "negative amount on a blue invoice",
            |d| d.lines[1].amount = Some(fen("-943.40")),
            "invoice.non_positive_amount",
            "lines[1].amount",
        ),
        (
            "negative gross on a blue invoice",
            |d| d.lines[2].gross = Some(fen("-100")),
            "invoice.non_positive_amount",
            "lines[2].amount",
        ),
        (
            "zero quantity",
            |d| d.lines[0].quantity = Some(Quantity::parse("0").unwrap()),
            "invoice.non_positive_amount",
            "lines[0].amount",
        ),
        (
            "positive line on a red invoice",
            |d| d.direction = Direction::Red,
            "invoice.red_amount_not_negative",
            "lines[0].amount",
        ),
        (
            "discount on a red invoice",
            |d| {
                d.direction = Direction::Red;
                d.lines = vec![LineInput {
                    discount: true,
                    ..amount_line("*家具*办公椅", "-1", "0.13")
                }];
            },
            "invoice.discount_on_red",
            "lines[0].discount",
        ),
        (
            "discount first",
            |d| {
                d.lines[0] =
                    LineInput { discount: true, ..amount_line("*家具*办公椅", "-1", "0.13") };
            },
            "invoice.discount_without_line",
            "lines[0].discount",
        ),
        (
            "discount after a discount",
            |d| {
                let disc =
                    LineInput { discount: true, ..amount_line("*家具*办公椅", "-1", "0.13") };
                d.lines.insert(1, disc.clone());
                d.lines.insert(2, disc);
            },
            "invoice.discount_without_line",
            "lines[2].discount",
        ),
        (
            "positive discount",
            |d| {
                d.lines.insert(
                    1,
                    LineInput { discount: true, ..amount_line("*家具*办公椅", "1", "0.13") },
                );
            },
            "invoice.discount_not_negative",
            "lines[1].amount",
        ),
        (
            "discount with another name",
            |d| {
                d.lines.insert(
                    1,
                    LineInput { discount: true, ..amount_line("*家具*办公桌", "-1", "0.13") },
                );
            },
            "invoice.discount_name_mismatch",
            "lines[1].name",
        ),
        (
            "discount with another code",
            |d| {
                d.lines.insert(
                    1,
                    LineInput {
                        discount: true,
                        tax_code: SERVICE_CODE.into(),
                        ..amount_line("*家具*办公椅", "-1", "0.13")
                    },
                );
            },
            "invoice.discount_tax_code_mismatch",
            "lines[1].tax_code",
        ),
        (
            "discount with another rate",
            |d| {
                d.lines.insert(
                    1,
                    LineInput { discount: true, ..amount_line("*家具*办公椅", "-1", "0.09") },
                );
            },
            "invoice.discount_rate_mismatch",
            "lines[1].rate",
        ),
        (
            "discount larger than its line",
            |d| {
                d.lines.insert(
                    1,
                    LineInput {
                        discount: true, ..amount_line("*家具*办公椅", "-360.01", "0.13")
                    },
                );
            },
            "invoice.discount_exceeds_line",
            "lines[1].amount",
        ),
        (
            "discount tax larger than its line's",
            |d| {
                d.lines.insert(
                    1,
                    LineInput {
                        discount: true,
                        tax: Some(fen("-46.85")),
                        ..amount_line("*家具*办公椅", "-360.00", "0.13")
                    },
                );
            },
            "invoice.discount_exceeds_line",
            "lines[1].tax",
        ),
        ("no lines", |d| d.lines.clear(), "invoice.no_lines", "lines"),
        (
            "too many lines",
            |d| {
                let l = d.lines[1].clone();
                d.lines = vec![l; 2001];
            },
            "invoice.too_many_lines",
            "lines",
        ),
        (
            "line taxes drift past 1.27",
            |d| {
                d.lines = vec![
                    LineInput {
                        tax: Some(fen("0.06")),
                        ..amount_line("*家具*垫片", "0.01", "0.13")
                    };
                    30
                ];
            },
            "invoice.document_tax_tolerance_exceeded",
            "total_tax",
        ),
        (
            "declared total amount",
            |d| d.declared.total_amount = Some(fen("1395.15")),
            "invoice.totals_mismatch",
            "total_amount",
        ),
        (
            "declared total tax",
            |d| d.declared.total_tax = Some(fen("111.65")),
            "invoice.totals_mismatch",
            "total_tax",
        ),
        (
            "declared total with tax",
            |d| d.declared.total_with_tax = Some(fen("1506.00")),
            "invoice.totals_mismatch",
            "total_with_tax",
        ),
        (
            "capitals of another amount",
            |d| {
                d.declared.total_with_tax_in_capitals = Some("壹仟伍佰零陆圆整".into());
            },
            "invoice.capitals_mismatch",
            "total_with_tax_in_capitals",
        ),
        (
            "illegal capitals",
            |d| {
                d.declared.total_with_tax_in_capitals = Some("壹仟伍佰陆圆捌角整".into());
            },
            "invoice.bad_capitals",
            "total_with_tax_in_capitals",
        ),
        (
            "special invoice without buyer ID",
            |d| d.kind = InvoiceKind::Special,
            "invoice.buyer_tax_id_required",
            "buyer.tax_id",
        ),
        (
            "exempt line on a special invoice",
            |d| {
                d.kind = InvoiceKind::Special;
                d.buyer_tax_id = Some("91440300708461136T".parse().unwrap());
                d.lines[1].rate = rate("exempt");
            },
            "invoice.exempt_on_special",
            "lines[1].rate",
        ),
        (
            "quantity × price beyond DECIMAL(18,2)",
            |d| {
                d.lines[0].quantity = Some(Quantity::parse("9999999999999999").unwrap());
                d.lines[0].unit_price = Some(UnitPrice::parse("2").unwrap());
            },
            "amount_out_of_range",
            "lines[0].amount",
        ),
        (
            "amount + tax beyond DECIMAL(18,2)",
            |d| {
                d.lines = vec![amount_line("*家具*办公椅", "9999999999999999", "0.13")];
            },
            "amount_out_of_range",
            "lines[0].amount",
        ),
        (
            "total beyond DECIMAL(18,2)",
            |d| {
                d.lines = vec![amount_line("*家具*办公椅", "9000000000000000", "exempt"); 2];
            },
            "amount_out_of_range",
            "total_amount",
        ),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (desc, mutate, code, field) in cases {
        let mut d = worked_example();
        mutate(&mut d);
        match compute(&d) {
            Err(e) => {
                assert_eq!((e.code(), e.field()), (code, field), "{desc}: {e}");
                assert!(e.to_string().starts_with(field), "{desc}: {e}");
                seen.insert(code);
            }
            Ok(_) => panic!("{desc}: accepted"),
        }
    }
    // Every code a document can produce is covered (parsing-only and config codes aside).
    // (The values' own codes are covered by fapiao-values' tests.)
    for code in fapiao_invoice_rules::RULE_CODES.iter().map(|c| c.code()) {
        let config = [
            "invoice.bad_rate_config",
            "bad_region_code",
            "invoice.unknown_region",
            "invoice.bad_region_config",
        ];
        assert!(seen.contains(code) || config.contains(&code), "no document case for {code}");
    }
}

#[test]
fn drafts_report_their_line() {
    let draft = LineDraft {
        name: "*家具*办公椅".into(),
        tax_code: TAX_CODE.into(),
        quantity: Some("3".into()),
        unit_price: Some("120.00".into()),
        amount: Some(String::new()),
        rate: "0.13".into(),
        ..Default::default()
    };
    let input = draft.parse(0).unwrap();
    assert_eq!(input.amount, None);
    assert_eq!(input.unit_price, Some(UnitPrice::parse("120").unwrap()));
    for (edit, code, field) in [
        (
            LineDraft { amount: Some("1.005".into()), ..draft.clone() },
            "bad_amount",
            "lines[3].amount",
        ),
        (LineDraft { gross: Some("1e3".into()), ..draft.clone() }, "bad_amount", "lines[3].gross"),
        (LineDraft { tax: Some("+1".into()), ..draft.clone() }, "bad_amount", "lines[3].tax"),
        (LineDraft { rate: "13%".into(), ..draft.clone() }, "bad_rate", "lines[3].rate"),
        (
            LineDraft { quantity: Some("三".into()), ..draft.clone() },
            "bad_quantity",
            "lines[3].quantity",
        ),
        (
            LineDraft { unit_price: Some("-1".into()), ..draft.clone() },
            "bad_unit_price",
            "lines[3].unit_price",
        ),
        (
            LineDraft { amount: Some("99999999999999999".into()), ..draft.clone() },
            "amount_out_of_range",
            "lines[3].amount",
        ),
    ] {
        let e = edit.parse(3).unwrap_err();
        assert_eq!((e.code(), e.field()), (code, field));
    }
    let from_json: LineDraft =
        serde_json::from_str(r#"{"name":"*餐饮服务*餐费","amount":"66.00","rate":"0.06"}"#)
            .unwrap();
    assert_eq!(from_json.parse(0).unwrap().amount, Some(fen("66")));
}

fn rates_for_general() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "0.13",
        "0.09",
        "0.06",
        "0.03",
        "0.05",
        "0",
        "exempt",
        "out_of_scope",
    ])
}

proptest! {
    /// Documents whose taxes are all computed satisfy every rule: exact totals, per-line
    /// tolerance, the document tolerance (≤ 254 lines × 0.5 fen < 1.27), capitals that
    /// parse back.
    #[test]
    fn computed_documents_hold_every_rule(
        lines in prop::collection::vec((1i64..=10_000_000_000, rates_for_general(), any::<bool>()), 1..60)
    ) {
        let mut d = worked_example();
        d.lines = lines
            .iter()
            .map(|(v, r, inclusive)| {
                let f = Fen::new(*v).unwrap();
                if *inclusive {
                    LineInput { gross: Some(f), ..line("*家具*椅", r) }
                } else {
                    LineInput { amount: Some(f), ..line("*家具*椅", r) }
                }
            })
            .collect();
        let doc = compute(&d).unwrap();
        let amounts: i64 = doc.lines.iter().map(|l| l.amount.fen()).sum();
        let taxes: i64 = doc.lines.iter().map(|l| l.tax.fen()).sum();
        prop_assert_eq!(doc.total_amount.fen(), amounts);
        prop_assert_eq!(doc.total_tax.fen(), taxes);
        prop_assert_eq!(doc.total_with_tax.fen(), amounts + taxes);
        prop_assert_eq!(fapiao_invoice_rules::parse_capitals(&doc.total_with_tax_in_capitals).unwrap(), doc.total_with_tax);
        for (l, (v, _, inclusive)) in doc.lines.iter().zip(&lines) {
            if *inclusive {
                prop_assert_eq!(l.gross().fen(), *v);
            }
            let dev = l.rate.effective_rate().tax_deviation(l.amount, l.tax);
            prop_assert!(dev.abs() <= 60_000);
        }

        // The red reversal of the same lines mirrors every figure.
        let mut red = d.clone();
        red.direction = Direction::Red;
        for l in &mut red.lines {
            l.amount = l.amount.map(|a| a.checked_neg().unwrap());
            l.gross = l.gross.map(|g| g.checked_neg().unwrap());
        }
        let red_doc = compute(&red).unwrap();
        prop_assert_eq!(red_doc.total_with_tax, doc.total_with_tax.checked_neg().unwrap());
        prop_assert!(red_doc.total_with_tax_in_capitals.starts_with("(负数)"));
    }
}
