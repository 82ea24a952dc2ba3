//! The invoice-number regions are part of the governed tax rules: a region added by a
//! version dated tomorrow is refused today and numbers invoices from tomorrow on.

use crate::fixture::*;
use fapiao_app::{Param, StateAccess};
use fapiao_invoice::{china_date, Error, TaxRules};
use fapiao_invoice_rules::RegionEntry;
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::{IssueInvoice, RegisterTaxpayer};
use fapiao_types::{Effective, ParamSchedule, ParamValue, ParamVersion, SellerType, StateKey};

const DAY: u64 = 86_400_000;
/// A valid USCC whose region the default table does not know (`71`: Taiwan).
const ISLAND: &str = "91710000M000100Y48";

fn register(w: &mut World, uscc: &str, issuer: &Actor) -> Result<(), Error> {
    w.run(
        "officer",
        InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
            uscc: uscc.parse().unwrap(),
            name: "台北某公司".into(),
            region: "710000".parse().unwrap(),
            seller_type: SellerType::General,
            issuers: vec![issuer.id],
        }),
    )
}

#[test]
fn a_region_added_by_a_dated_version_is_refused_before_its_date_and_numbers_after() {
    let mut w = World::new();
    let pos = actor(
        9,
        "island",
        fapiao_types::OrgKind::Enterprise,
        ISLAND,
        vec![fapiao_types::Role::MerchantIssuer],
    );
    w.add(&pos);
    let tomorrow = china_date(w.time_ms + DAY).yyyymmdd();
    let mut rules = TaxRules::default();
    let rr = (10..100)
        .map(|n| format!("{n:02}"))
        .find(|rr| rules.regions.iter().all(|e| &e.rr != rr))
        .unwrap();
    rules.regions.push(RegionEntry { prefix: "71".into(), rr: rr.clone(), name: "台湾".into() });
    let version = |version, effective, rules: &TaxRules| ParamVersion {
        version,
        effective,
        value: ParamValue(serde_json::to_string(rules).unwrap()),
        enacted_at: 0,
        proposal: 0,
    };
    let schedule = ParamSchedule {
        versions: vec![
            version(0, Effective::OnDate(0), &TaxRules::default()),
            version(1, Effective::OnDate(tomorrow), &rules),
        ],
    };
    use commonware_codec::Encode;
    w.state.write(&StateKey::Param(TaxRules::ID.into()), schedule.encode().to_vec());

    let Err(Error::Rejected { code, field, .. }) = register(&mut w, ISLAND, &pos) else {
        panic!("a region unknown today was accepted")
    };
    assert_eq!((code, field.as_str()), ("invoice.unknown_region", "region"));

    w.time_ms += DAY;
    register(&mut w, ISLAND, &pos).unwrap();
    let mut c: IssueInvoice = example(fapiao_types::InvoiceKind::Ordinary, None);
    c.seller = ISLAND.parse().unwrap();
    c.buyer.tax_id = None;
    c.buyer.kind = fapiao_invoice_types::BuyerKind::Person;
    w.run(
        "officer",
        InvoiceAction::GrantCredit(fapiao_invoice_types::GrantCredit {
            uscc: ISLAND.parse().unwrap(),
            monthly_ceiling: 1_000_000_00,
        }),
    )
    .unwrap();
    let number = w.run_as(&pos, InvoiceAction::IssueInvoice(c)).unwrap().invoice().unwrap();
    assert_eq!(number.rr(), rr.parse::<u8>().unwrap(), "{number}");
}
