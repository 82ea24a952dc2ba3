//! The typed industry block (特定要素): a happy path for each type, and table-driven
//! refusals that name the rule and the field and change nothing.

use crate::fixture::*;
use fapiao_invoice::Error;
use fapiao_invoice_types::InvoiceKey;
use fapiao_invoice_types::*;
use fapiao_types::*;

fn vehicle_tax() -> VehicleVesselTax {
    VehicleVesselTax {
        policy_no: "PDAA202644030000000123".into(),
        plate: "粤B12345".into(),
        vin: fapiao_types::Vin::parse("LSVAU2187N2123456").unwrap(),
        tax_period: "2026".into(),
        tax: 900_00,
        late_fee: 60_00,
        total: 960_00,
    }
}

/// An insurer collecting the vehicle-and-vessel tax: the tax itself is the line, out of
/// VAT scope.
fn vehicle_tax_issue(holder: AccountId) -> IssueInvoice {
    let mut c = example(InvoiceKind::Ordinary, Some(holder));
    c.buyer =
        Buyer {
            kind: BuyerKind::Person, name: "张三".into(), tax_id: None, holder: Some(holder)
        };
    c.lines = vec![line("*代收车船税*车船税", "", "", None, Some(960_00), "out_of_scope", None)];
    c.industry = Some(Industry::VehicleVesselTax(vehicle_tax()));
    c
}

fn passenger() -> PassengerTransport {
    PassengerTransport {
        traveller: "张三".into(),
        id_masked: "110105********002X".into(),
        travel_date: fapiao_types::ChinaDate::from_yyyymmdd(20261130).unwrap(),
        from: "深圳北".into(),
        to: "广州南".into(),
        vehicle_type: "火车".into(),
        seat_class: "二等座".into(),
    }
}

fn passenger_issue(holder: AccountId) -> IssueInvoice {
    let mut c = example(InvoiceKind::Ordinary, Some(holder));
    c.lines = vec![line("*运输服务*客运服务", "", "", None, Some(74_50), "0.09", None)];
    c.industry = Some(Industry::PassengerTransport(passenger()));
    c
}

fn issue(w: &mut World, c: IssueInvoice) -> String {
    let n = w.run_out("issuer", InvoiceAction::IssueInvoice(c)).unwrap().unwrap();
    assert_eq!(n.len(), 20);
    n
}

#[test]
fn a_vehicle_and_vessel_tax_invoice_keeps_its_block_in_the_committed_body() {
    let mut w = World::new().with_taxpayers();
    let c = vehicle_tax_issue(w.consumer.id);
    assert_eq!(fapiao_invoice::preview(&w.state, &c, w.time_ms).unwrap().total_with_tax, 960_00);
    let n = issue(&mut w, c);
    let public: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(n.parse().unwrap()))).unwrap();
    assert_eq!(public.total_with_tax, 960_00);
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(n.parse().unwrap()))).unwrap();
    assert_eq!((body.total_amount, body.total_tax), (960_00, 0));
    assert_eq!(body.industry, Some(Industry::VehicleVesselTax(vehicle_tax())));
    assert_eq!(public.commitment, fapiao_invoice::commitment(&body));
    // The block is committed: changing it changes the commitment.
    let mut other = body.clone();
    other.industry = None;
    assert_ne!(public.commitment, fapiao_invoice::commitment(&other));
}

#[test]
fn a_passenger_transport_invoice_keeps_its_block() {
    let mut w = World::new().with_taxpayers();
    let c = passenger_issue(w.consumer.id);
    let n = issue(&mut w, c);
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(n.parse().unwrap()))).unwrap();
    assert_eq!(body.industry, Some(Industry::PassengerTransport(passenger())));
    assert_eq!((body.lines[0].amount, body.lines[0].tax), (68_35, 6_15));
    // No block, no change: the worked example still issues without one.
    let n = w.issue_example(InvoiceKind::Special);
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(n.parse().unwrap()))).unwrap();
    assert_eq!(body.industry, None);
}

fn vt(c: &mut IssueInvoice) -> &mut VehicleVesselTax {
    match c.industry.as_mut() {
        Some(Industry::VehicleVesselTax(v)) => v,
        _ => unreachable!(),
    }
}

fn pt(c: &mut IssueInvoice) -> &mut PassengerTransport {
    match c.industry.as_mut() {
        Some(Industry::PassengerTransport(p)) => p,
        _ => unreachable!(),
    }
}

#[test]
fn vehicle_and_vessel_tax_refusals_name_the_rule_and_the_field() {
    type Mutate = fn(&mut IssueInvoice);
    let cases: &[(&str, Mutate, &str, &str)] = &[
        (
            "total is not tax + late fee",
            |c| vt(c).total = 950_00,
            "invoice.industry_total_mismatch",
            "industry.total",
        ),
        (
            "a tax outside DECIMAL(18,2)",
            |c| {
                let v = vt(c);
                (v.tax, v.late_fee, v.total) = (i64::MAX, 1, i64::MIN);
            },
            "amount_out_of_range",
            "industry.tax",
        ),
        (
            "tax + late fee beyond DECIMAL(18,2)",
            |c| {
                let v = vt(c);
                (v.tax, v.late_fee, v.total) =
                    (999_999_999_999_999_999, 1, 999_999_999_999_999_999);
            },
            "invoice.industry_total_mismatch",
            "industry.total",
        ),
        (
            "lines do not add up to the block's total",
            |c| {
                let v = vt(c);
                (v.tax, v.late_fee, v.total) = (900_00, 0, 900_00);
            },
            "invoice.industry_total_mismatch",
            "total_with_tax",
        ),
        (
            "a line at a VAT rate",
            |c| c.lines[0].rate = "0.06".parse().unwrap(),
            "invoice.industry_rate_mismatch",
            "lines[0].rate",
        ),
        (
            "zero tax",
            |c| {
                let v = vt(c);
                (v.tax, v.late_fee, v.total) = (0, 960_00, 960_00);
            },
            "invoice.non_positive_amount",
            "industry.tax",
        ),
        (
            "negative late fee",
            |c| {
                let v = vt(c);
                (v.tax, v.late_fee) = (961_00, -1_00);
            },
            "negative_amount",
            "industry.late_fee",
        ),
        (
            "empty plate",
            |c| vt(c).plate.clear(),
            "invoice.industry_field_required",
            "industry.plate",
        ),
        (
            "empty policy number",
            |c| vt(c).policy_no = " ".into(),
            "invoice.industry_field_required",
            "industry.policy_no",
        ),
        (
            "bad tax period",
            |c| vt(c).tax_period = "2026-12..2026-01".into(),
            "invoice.bad_tax_period",
            "industry.tax_period",
        ),
        (
            "overlong plate",
            |c| vt(c).plate = "粤".repeat(100),
            "invoice.industry_field_too_long",
            "industry.plate",
        ),
    ];
    for (what, mutate, code, field) in cases {
        let mut w = World::new().with_taxpayers();
        let mut c = vehicle_tax_issue(w.consumer.id);
        mutate(&mut c);
        refused(&mut w, c, what, code, field);
    }
}

#[test]
fn passenger_transport_refusals_name_the_rule_and_the_field() {
    type Mutate = fn(&mut IssueInvoice);
    let cases: &[(&str, Mutate, &str, &str)] = &[
        (
            "no traveller",
            |c| pt(c).traveller.clear(),
            "invoice.industry_field_required",
            "industry.traveller",
        ),
        (
            "no departure",
            |c| pt(c).from.clear(),
            "invoice.industry_field_required",
            "industry.from",
        ),
        ("no destination", |c| pt(c).to.clear(), "invoice.industry_field_required", "industry.to"),
        (
            "no vehicle type",
            |c| pt(c).vehicle_type.clear(),
            "invoice.industry_field_required",
            "industry.vehicle_type",
        ),
        (
            "a full resident ID",
            |c| pt(c).id_masked = "11010519491231002X".into(),
            "invoice.unmasked_id",
            "industry.id_masked",
        ),
        (
            "an unmasked number",
            |c| pt(c).id_masked = "E12345678".into(),
            "invoice.unmasked_id",
            "industry.id_masked",
        ),
    ];
    for (what, mutate, code, field) in cases {
        let mut w = World::new().with_taxpayers();
        let mut c = passenger_issue(w.consumer.id);
        mutate(&mut c);
        refused(&mut w, c, what, code, field);
    }
    // The masked ID and the seat class are optional.
    let mut w = World::new().with_taxpayers();
    let mut c = passenger_issue(w.consumer.id);
    pt(&mut c).id_masked.clear();
    pt(&mut c).seat_class.clear();
    issue(&mut w, c);
}

fn refused(w: &mut World, c: IssueInvoice, what: &str, code: &str, field: &str) {
    match fapiao_invoice::preview(&w.state, &c, w.time_ms) {
        Err(Error::Rejected { code: got, field: at, .. }) => {
            assert_eq!((got, at.as_str()), (code, field), "preview: {what}")
        }
        other => panic!("preview: {what}: expected a refusal, got {other:?}"),
    }
    let before = w.state.clone();
    match w.run("issuer", InvoiceAction::IssueInvoice(c)) {
        Err(Error::Rejected { code: got, field: at, .. }) => {
            assert_eq!((got, at.as_str()), (code, field), "{what}")
        }
        other => panic!("{what}: expected a refusal, got {other:?}"),
    }
    assert_eq!(w.state, before, "{what}: nothing written");
}
