//! Golden fixtures of the finance application: the canonical encoding of every action
//! (inside a transaction), every record and its key kinds are frozen in
//! `tests/fixtures/*.hex`. A change here is a change of the chain format: update
//! `docs/formats.md` §25 first. The fixtures were written once when the types were new
//! (`FAPIAO_BLESS=1`), from the encodings printed by these samples and read against
//! §25's layout.

use commonware_codec::Encode;
use fapiao_crosschain_types::{Blob, StateClaim};
use fapiao_finance_types::*;
use fapiao_invoice_types::SummaryField;
use fapiao_types::*;
use fapiao_values::{InvoiceNumber, Uscc};

#[path = "../../types/tests/support/golden.rs"]
mod support;
use support::{check, check_actions};

const CODECS: ActionCodecs = ActionCodecs(&[&FinanceBodies]);

fn uscc() -> Uscc {
    Uscc::parse("914403001922038216").unwrap()
}

fn number() -> InvoiceNumber {
    InvoiceNumber::parse("26442000000000000001").unwrap()
}

fn claim(key: &str, value: Option<u8>) -> StateClaim {
    StateClaim {
        chain_id: "fapiao-tax".into(),
        height: 42,
        key: key.into(),
        value: value.map(|b| Blob(vec![b; 2])),
        proof: Blob(vec![0xCD; 3]),
    }
}

fn actions() -> Vec<(&'static str, FinanceAction)> {
    let loan = [0x11; 32];
    vec![
        (
            "tx_finance_apply_loan",
            ApplyLoan {
                uscc: uscc(),
                amount: 500_000_000,
                term_months: 12,
                purpose: "working capital".into(),
                grant: claim(&format!("disclosure/{}", hex::encode([0x22; 32])), Some(0xAB)),
                records: vec![claim("tax-status/914403001922038216", Some(0xAC))],
                operating: vec![],
            }
            .into(),
        ),
        ("tx_finance_review_loan", ReviewLoan { loan, notes: "ok".into() }.into()),
        (
            "tx_finance_decide_loan",
            DecideLoan {
                loan,
                approve: true,
                amount: 400_000_000,
                rate_bp: 385,
                term_months: 12,
                reasons: "steady".into(),
            }
            .into(),
        ),
        (
            "tx_finance_finance_invoice",
            FinanceInvoice {
                uscc: uscc(),
                loan: Some(loan),
                amount: 10_000_000,
                invoice: claim("invoice/26442000000000000001", Some(0xAD)),
            }
            .into(),
        ),
        (
            "tx_finance_report_reversal",
            ReportReversal {
                number: number(),
                invoice: claim("invoice/26442000000000000001", None),
            }
            .into(),
        ),
        (
            "tx_finance_settle_financing",
            SettleFinancing {
                number: number(),
                repaid: true,
                invoice: claim("invoice/26442000000000000001", Some(0xAE)),
            }
            .into(),
        ),
    ]
}

#[test]
fn every_action_encoding_is_frozen_and_round_trips() {
    check_actions(actions(), FinanceAction::SPECS, CODECS, FinanceAction::name);
}

fn loan() -> LoanRecord {
    LoanRecord {
        id: [0x11; 32],
        bank: "icbc".into(),
        officer: AccountId([0x33; 32]),
        uscc: uscc(),
        amount: 500_000_000,
        term_months: 12,
        purpose: "working capital".into(),
        tax_chain: "fapiao-tax".into(),
        tax_height: 42,
        tax_state_height: 41,
        tax_time_ms: 1_796_184_000_000,
        grant: [0x22; 32],
        grant_expires_ms: 1_798_776_000_000,
        commitments: vec![
            SummaryCommitment {
                field: SummaryField::Sales,
                month: 202605,
                commitment: Some([0x44; 32]),
            },
            SummaryCommitment { field: SummaryField::Sales, month: 202606, commitment: None },
        ],
        operating: vec![ProvenFact {
            chain_id: "fapiao-industry".into(),
            height: 7,
            key: "industry-record/914403001922038216/202605/electricity".into(),
            value_hash: Some([0x55; 32]),
        }],
        status: LoanStatus::Approved,
        applied_at: 100,
        notes: "ok".into(),
        decision: Some(Decision {
            approve: true,
            amount: 400_000_000,
            rate_bp: 385,
            term_months: 12,
            reasons: "steady".into(),
            by: AccountId([0x33; 32]),
            decided_at: 102,
        }),
    }
}

fn financing() -> FinancingRecord {
    FinancingRecord {
        number: number(),
        bank: "icbc".into(),
        uscc: uscc(),
        loan: Some([0x11; 32]),
        amount: 10_000_000,
        invoice_total: 11_300_000,
        tax_chain: "fapiao-tax".into(),
        proof_height: 42,
        proof_time_ms: 1_796_184_000_000,
        status: FinancingStatus::AtRisk,
        financed_at: 103,
        updated_at: 110,
        alert: Some([0x66; 32]),
    }
}

fn alert() -> FinanceAlert {
    FinanceAlert {
        id: [0x66; 32],
        bank: "icbc".into(),
        number: number(),
        reason: "reversed".into(),
        tax_height: 50,
        raised_at: 110,
        time_ms: 1_796_184_004_000,
    }
}

#[test]
fn every_record_encoding_is_frozen_and_round_trips() {
    let l = loan();
    check("finance_loan", &l.encode());
    assert_eq!(decode_exact::<LoanRecord>(&l.encode(), &()).unwrap(), l);
    let f = financing();
    check("finance_financing", &f.encode());
    assert_eq!(decode_exact::<FinancingRecord>(&f.encode(), &()).unwrap(), f);
    let a = alert();
    check("finance_alert", &a.encode());
    assert_eq!(decode_exact::<FinanceAlert>(&a.encode(), &()).unwrap(), a);
}

#[test]
fn the_key_kinds_are_frozen() {
    let keys = [
        FinanceKey::Loan([0x11; 32]),
        FinanceKey::LoanGrant([0x22; 32]),
        FinanceKey::Financing(number()),
        FinanceKey::Alert([0x66; 32]),
    ]
    .map(|k| StateKey::from(k).to_string())
    .join("\n");
    check("finance_state_keys", keys.as_bytes());
}
