//! Execution is total: arbitrary sequences of invoice actions carrying extreme values
//! (`i64::MIN`/`MAX`, 0, −1, the DECIMAL(18,2) bounds and one past them, huge
//! quantities, out-of-range months, empty and huge line lists) run through the ledger
//! on both store backends. Every transaction ends in a receipt that a rule gave — none
//! is an `execution_fault` (the panic catch is not what makes this pass) — and the two
//! backends agree on the state root at every height.

use crate::common::*;
use fapiao_app::Platform;
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::*;
use fapiao_ledger::{Ledger, MemStore, RedbStore, Store};
use fapiao_types::*;
use proptest::prelude::*;

const MAX_FEN: i64 = 999_999_999_999_999_999;

/// The buyer of the firm's invoices, an enterprise of its own (a seller may not invoice
/// itself), with the taxpayer id the demo gives the Shenzhen metro operator.
const BUYER_USCC: &str = "914403002796543264";

/// The buyer organisation's admin.
fn buyer_admin() -> SigningKey {
    key(93, Suite::Ed25519)
}

/// The common genesis and a buyer enterprise.
fn world() -> Genesis {
    let (mut g, _) = genesis();
    g.organisations.push(GenesisOrg {
        id: "buyer".into(),
        name: "Buyer".into(),
        kind: OrgKind::Enterprise,
        tax_id: Some(BUYER_USCC.parse().unwrap()),
        admins: vec![GenesisAdmin {
            name: "buyer admin".into(),
            suite: "ed25519".into(),
            public_key: buyer_admin().public_key().to_hex(),
        }],
    });
    g
}

fn money() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => prop::sample::select(vec![
            i64::MIN,
            i64::MIN + 1,
            -MAX_FEN - 1,
            -MAX_FEN,
            -1,
            0,
            1,
            66_00,
            MAX_FEN,
            MAX_FEN + 1,
            i64::MAX,
        ]),
        1 => any::<i64>(),
    ]
}

/// Amounts a rule accepts one at a time, at the top of the range: their sums are what
/// overflows.
fn big_in_range() -> impl Strategy<Value = i64> {
    prop::sample::select(vec![1, MAX_FEN / 2 + 1, MAX_FEN - 1, MAX_FEN])
}

/// A quantity or unit price from texts at the edges of the grammar; a text the value type
/// refuses cannot be in a transaction (it does not decode) and stands for none.
fn decimal<T: std::str::FromStr + Clone + std::fmt::Debug>() -> impl Strategy<Value = Option<T>> {
    prop::sample::select(vec![
        "",
        "0",
        "1",
        "-1",
        "3",
        "120.00",
        "9999999999999999",
        "9999999999999999.99999999",
        "-9999999999999999.99999999",
        "99999999999999999",
        "0.00000001",
        "170141183460469231731687303715884105727",
    ])
    .prop_map(|s| s.parse().ok())
}

fn rate() -> impl Strategy<Value = fapiao_types::RateCode> {
    prop::sample::select(vec!["0.13", "0.06", "0", "1", "exempt", "out_of_scope", "0.03"])
        .prop_map(|s| s.parse().unwrap())
}

fn line() -> impl Strategy<Value = LineInput> {
    (
        decimal(),
        decimal(),
        prop::option::of(money()),
        prop::option::of(money()),
        rate(),
        prop::option::of(money()),
    )
        .prop_map(|(quantity, unit_price, amount, gross, rate, tax)| LineInput {
            name: "*家具*办公椅".into(),
            tax_code: "1050201010000000000".into(),
            spec: String::new(),
            unit: String::new(),
            quantity,
            unit_price,
            amount,
            gross,
            rate,
            tax,
        })
}

/// An ordinary line (3 × 120.00 at 13%), so that invoices exist to book and reverse.
fn good_line() -> LineInput {
    LineInput {
        name: "*家具*办公椅".into(),
        tax_code: "1050201010000000000".into(),
        spec: String::new(),
        unit: String::new(),
        quantity: Some("3".parse().unwrap()),
        unit_price: Some("120.00".parse().unwrap()),
        amount: None,
        gross: None,
        rate: "0.13".parse().unwrap(),
        tax: None,
    }
}

fn lines() -> impl Strategy<Value = Vec<LineInput>> {
    prop_oneof![
        3 => Just(vec![good_line(), good_line()]),
        4 => prop::collection::vec(line(), 0..4),
        1 => (line(), prop::sample::select(vec![0usize, 300, 2001])).prop_map(|(l, n)| vec![l; n]),
    ]
}

#[derive(Clone, Debug)]
enum Op {
    Grant(i64),
    RequestCredit(i64),
    /// Approve the latest credit request.
    ApproveCredit,
    Issue(Vec<LineInput>),
    Order {
        amount: i64,
        items: Vec<i64>,
    },
    /// Raise a red form on the latest invoice: full (no lines) or these lines.
    Red(Vec<(u32, i64, i64)>),
    FileVat(u32),
    /// The buyer enterprise books the latest invoice, so it counts as used and
    /// may be reversed in part.
    Book,
    /// The other party confirms the latest red form.
    ConfirmRed,
    EndBlock,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => money().prop_map(Op::Grant),
        1 => money().prop_map(Op::RequestCredit),
        1 => Just(Op::ApproveCredit),
        4 => lines().prop_map(Op::Issue),
        3 => (prop_oneof![money(), big_in_range()], prop_oneof![
            2 => prop::collection::vec(money(), 0..12),
            2 => (big_in_range(), 2..12usize).prop_map(|(m, n)| vec![m; n]),
            1 => (money(), prop::sample::select(vec![10usize, 1025])).prop_map(|(m, n)| vec![m; n]),
        ]).prop_map(|(amount, items)| Op::Order { amount, items }),
        3 => prop::collection::vec(
            (prop::sample::select(vec![0u32, 1, 2, u32::MAX]), money(), money()),
            0..3,
        ).prop_map(Op::Red),
        2 => Just(Op::Book),
        2 => Just(Op::ConfirmRed),
        // Months outside 1900-01…9999-12 cannot be written in a transaction (a `Month`):
        // the extremes left are the first and last months and a year-end.
        1 => prop::sample::select(vec![190_001u32, 190_012, 202_510, 202_512, 999_912])
            .prop_map(Op::FileVat),
        2 => Just(Op::EndBlock),
    ]
}

struct Actors {
    officer: SigningKey,
    issuer: SigningKey,
    /// The buyer's finance office.
    finance: SigningKey,
}

/// Block 1 adds the officer, the firm's issuer (also its finance office) and the
/// buyer's finance office; block 2 registers the firm as a taxpayer with a credit
/// ceiling.
fn setup<S: Store>(ledger: &Ledger<S>) -> Actors {
    let (_, o) = genesis();
    let officer = key(90, Suite::Ed25519);
    let issuer = key(91, Suite::Sm2);
    let finance = key(92, Suite::Ed25519);
    let r = run(
        ledger,
        vec![
            add(&o.tax_admin, 1, &officer, vec![Role::TaxOfficer]),
            add(&o.firm_admin, 2, &issuer, vec![Role::MerchantIssuer, Role::EnterpriseFinance]),
            add(&buyer_admin(), 5, &finance, vec![Role::EnterpriseFinance]),
        ],
    );
    assert!(r.iter().all(|r| r.outcome.is_ok()), "{r:?}");
    let register = Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
        uscc: FIRM_USCC.parse().unwrap(),
        name: "Firm".into(),
        region: "440300".parse().unwrap(),
        seller_type: SellerType::General,
        issuers: vec![issuer.public_key().account_id()],
    }));
    let grant = Action::from(InvoiceAction::GrantCredit(GrantCredit {
        uscc: FIRM_USCC.parse().unwrap(),
        monthly_ceiling: 100_000_000,
    }));
    let r = run(ledger, vec![tx(&officer, 3, 100, register), tx(&officer, 4, 100, grant)]);
    assert!(r.iter().all(|r| r.outcome.is_ok()), "{r:?}");
    Actors { officer, issuer, finance }
}

/// Runs `ops`; returns every receipt and the state root after each block.
fn drive<S: Store>(ledger: &Ledger<S>, ops: &[Op]) -> (Vec<Receipt>, Vec<Hash32>) {
    let a = setup(ledger);
    let (mut receipts, mut roots) = (Vec::new(), Vec::new());
    let (mut block, mut nonce) = (Vec::new(), 100u64);
    let mut last_invoice = String::new();
    let mut last_request: Option<Hash32> = None;
    let mut last_form: Option<Hash32> = None;
    let flush = |block: &mut Vec<SignedTx>,
                 last_invoice: &mut String,
                 receipts: &mut Vec<Receipt>,
                 roots: &mut Vec<Hash32>| {
        let txs = std::mem::take(block);
        let issued: Vec<bool> = txs
            .iter()
            .map(|t| {
                matches!(InvoiceAction::try_from(&t.tx.action), Ok(InvoiceAction::IssueInvoice(_)))
            })
            .collect();
        let rs = run(ledger, txs);
        for (r, issue) in rs.iter().zip(issued) {
            if issue && r.outcome.is_ok() {
                *last_invoice = r.output.to_string();
            }
        }
        receipts.extend(rs);
        roots.push(ledger.executed_tip().state_root);
    };
    for op in ops {
        nonce += 1;
        let (who, action) = match op.clone() {
            Op::EndBlock => {
                flush(&mut block, &mut last_invoice, &mut receipts, &mut roots);
                continue;
            }
            Op::Grant(monthly_ceiling) => (
                &a.officer,
                Action::from(InvoiceAction::GrantCredit(GrantCredit {
                    uscc: FIRM_USCC.parse().unwrap(),
                    monthly_ceiling,
                })),
            ),
            Op::RequestCredit(amount) => (
                &a.issuer,
                Action::from(InvoiceAction::RequestCredit(RequestCredit {
                    uscc: FIRM_USCC.parse().unwrap(),
                    amount,
                    reason: "peak season".into(),
                })),
            ),
            Op::ApproveCredit => (
                &a.officer,
                Action::from(InvoiceAction::DecideCredit(DecideCredit {
                    request: last_request.unwrap_or([0; 32]),
                    approve: true,
                    reason: String::new(),
                })),
            ),
            Op::Issue(lines) => (
                &a.issuer,
                Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
                    seller: FIRM_USCC.parse().unwrap(),
                    kind: InvoiceKind::Special,
                    type_code: "81".into(),
                    buyer: Buyer {
                        kind: BuyerKind::Enterprise,
                        name: "Buyer".into(),
                        tax_id: Some(BUYER_USCC.parse().unwrap()),
                        holder: None,
                    },
                    lines,
                    remarks: String::new(),
                    salt: [nonce as u8; 32],
                    industry: None,
                })),
            ),
            Op::Order { amount, items } => (
                &a.issuer,
                Action::from(InvoiceAction::RecordOrder(RecordOrder {
                    merchant: FIRM_USCC.parse().unwrap(),
                    amount,
                    items: items
                        .into_iter()
                        .map(|amount| OrderItem {
                            sku: String::new(),
                            name: "*餐饮服务*餐费".into(),
                            tax_code: "3070401000000000000".into(),
                            rate: Some("0.06".parse().unwrap()),
                            amount,
                        })
                        .collect(),
                    claim_code_hash: [nonce as u8; 32],
                })),
            ),
            Op::Red(lines) => (
                &a.issuer,
                Action::from(InvoiceAction::RaiseRedForm(RaiseRedForm {
                    blue_number: last_invoice.parse().unwrap(),
                    reason: if lines.is_empty() {
                        RedReason::IssuingError
                    } else {
                        RedReason::GoodsReturned
                    },
                    lines: lines
                        .into_iter()
                        .map(|(line, amount, tax)| RedLine { line, amount, tax })
                        .collect(),
                    salt: [nonce as u8; 32],
                })),
            ),
            Op::Book => (
                &a.finance,
                Action::from(InvoiceAction::BookInvoice(InvoiceRef {
                    number: last_invoice.parse().unwrap(),
                })),
            ),
            Op::ConfirmRed => (
                &a.finance,
                Action::from(InvoiceAction::ConfirmRedForm(RedFormRef {
                    form: last_form.unwrap_or([0; 32]),
                    reason: String::new(),
                    salt: [nonce as u8; 32],
                })),
            ),
            Op::FileVat(month) => (
                &a.issuer,
                Action::from(InvoiceAction::FileVatReturn(FileVatReturn {
                    uscc: FIRM_USCC.parse().unwrap(),
                    month: Month::from_yyyymm(month).unwrap(),
                })),
            ),
        };
        let t = tx(who, nonce, 10_000, action);
        match op {
            Op::RequestCredit(_) => last_request = Some(t.hash()),
            Op::Red(_) => last_form = Some(t.hash()),
            _ => {}
        }
        block.push(t);
    }
    flush(&mut block, &mut last_invoice, &mut receipts, &mut roots);
    (receipts, roots)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn extreme_values_never_fault_and_both_backends_agree(random in prop::collection::vec(op(), 1..24)) {
        // Every run starts with a booked invoice, which red forms may reverse in part.
        let mut ops = vec![Op::Issue(vec![good_line(), good_line()]), Op::EndBlock, Op::Book, Op::EndBlock];
        ops.extend(random);
        let g = world();
        let mem = Ledger::open(MemStore::new(), g.clone()).unwrap();
        let (mem_receipts, mem_roots) = drive(&mem, &ops);
        let dir = tempfile::tempdir().unwrap();
        let redb = Ledger::open(RedbStore::open(&dir.path().join("state.redb")).unwrap(), g).unwrap();
        let (redb_receipts, redb_roots) = drive(&redb, &ops);
        let faults: Vec<_> = mem_receipts
            .iter()
            .filter(|r| matches!(&r.outcome, Outcome::Failed { code, .. } if code == Platform::ExecutionFault.code()))
            .collect();
        prop_assert!(faults.is_empty(), "execution faults: {faults:?}");
        prop_assert_eq!(mem.execution_faults(), 0);
        prop_assert_eq!(redb.execution_faults(), 0);
        prop_assert_eq!(mem_receipts, redb_receipts);
        prop_assert_eq!(mem_roots, redb_roots);
    }
}

/// The red-letter regression of issue #12 through the ledger: a booked invoice, a red
/// form of `i64::MIN` taxes — refused by a rule, no fault, no red invoice.
#[test]
fn red_lines_of_i64_min_tax_are_refused_through_the_ledger() {
    let l = Ledger::open(MemStore::new(), world()).unwrap();
    let ops = [
        Op::Issue(vec![good_line(), good_line()]),
        Op::EndBlock,
        Op::Book,
        Op::EndBlock,
        Op::Red(vec![(0, -1, i64::MIN), (1, -1, i64::MIN)]),
    ];
    let (receipts, _) = drive(&l, &ops);
    let codes: Vec<String> = receipts.iter().map(|r| code(r).to_string()).collect();
    // Such a form never decodes (its taxes leave DECIMAL(18,2)), so no block can carry
    // it; built in memory, the invoice application refuses its body as it decodes it.
    assert_eq!(codes, ["ok", "ok", "malformed"]);
    assert!(format!("{:?}", receipts[2]).contains("amount"), "{:?}", receipts[2]);
    assert_eq!(l.execution_faults(), 0);
}
