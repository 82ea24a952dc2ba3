//! The invoice application's index tables, written by the ledger's hooks: VAT filings by
//! month.

use crate::chain::*;
use fapiao_invoice::index::read;
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::*;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;

#[test]
fn a_filed_vat_return_is_listed_under_its_month() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let officer = key(80, Suite::Ed25519);
    let finance = key(81, Suite::Ed25519);
    let r = run(
        &l,
        vec![
            add(&o.tax_admin, 1, &officer, vec![Role::TaxOfficer]),
            add(&o.firm_admin, 2, &finance, vec![Role::EnterpriseFinance]),
        ],
    );
    assert!(r.iter().all(|r| r.outcome.is_ok()), "{r:?}");
    let register = Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
        uscc: FIRM_USCC.parse().unwrap(),
        name: "Firm".into(),
        region: "440300".parse().unwrap(),
        seller_type: SellerType::General,
        issuers: vec![],
    }));
    assert_eq!(code(&run(&l, vec![tx(&officer, 3, 100, register)])[0]), "ok");
    // The genesis time is in November 2025 (China time): October is closed.
    let file = Action::from(InvoiceAction::FileVatReturn(FileVatReturn {
        uscc: FIRM_USCC.parse().unwrap(),
        month: fapiao_types::Month::from_yyyymm(202510).unwrap(),
    }));
    assert_eq!(code(&run(&l, vec![tx(&finance, 4, 100, file.clone())])[0]), "ok");
    assert_eq!(
        read::filings(&l, fapiao_types::Month::from_yyyymm(202510).unwrap()).unwrap(),
        vec![FIRM_USCC.to_string()]
    );
    assert!(read::filings(&l, fapiao_types::Month::from_yyyymm(202509).unwrap())
        .unwrap()
        .is_empty());
    // Filing twice is refused and not listed twice.
    assert_eq!(code(&run(&l, vec![tx(&finance, 5, 100, file)])[0]), "invoice.already_filed");
    assert_eq!(
        read::filings(&l, fapiao_types::Month::from_yyyymm(202510).unwrap()).unwrap().len(),
        1
    );
}
