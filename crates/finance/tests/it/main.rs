//! The finance application over an in-memory finance-chain state whose light client
//! follows a tax chain and an industry chain built here (`fapiao_crosschain::testing`):
//! their states are real QMDB state databases and their headers are certified by real
//! validator keys and relayed through `fapiao_crosschain::apply`, so every claim these
//! tests carry is a real proof. Every transition, legal and illegal, table-driven.

mod financing;
mod loans;

use fapiao_app::{Ctx, StateAccess};
use fapiao_crosschain::testing::{param, register, Mem, Source};
use fapiao_crosschain_types::{CrosschainAction, StateClaim};
use fapiao_finance::FinancingPolicy;
use fapiao_finance_types::FinanceAction;
use fapiao_invoice_types::{
    DisclosureGrant, InvoiceKey, InvoicePublic, InvoiceStatus, Opening, SummaryField, SummaryMonth,
    SummaryStatus, SummaryValue, TaxpayerStatus,
};
use fapiao_types::{
    AccountId, AccountRecord, Hash32, OrgKind, OrgRecord, PublicKey, StateKey, TxOutput,
};
use fapiao_values::{ChinaDate, InvoiceKind, InvoiceNumber, Month, Uscc};

pub(crate) const TAX: &str = "fapiao-tax";
pub(crate) const INDUSTRY: &str = "fapiao-industry";
pub(crate) const FINANCE: &str = "fapiao-finance";
/// The tax chain's summary secret (its validators' configuration).
pub(crate) const SECRET: [u8; 32] = [7; 32];
/// Block time of the tax chain's first block.
pub(crate) const T0: u64 = 1_796_184_000_000;
pub(crate) const DAY: u64 = 86_400_000;

pub(crate) fn huawei() -> Uscc {
    Uscc::parse("914403001922038216").unwrap()
}

pub(crate) fn other() -> Uscc {
    Uscc::parse("91440300708461136T").unwrap()
}

pub(crate) fn month(m: u32) -> Month {
    Month::from_yyyymm(m).unwrap()
}

pub(crate) fn number(n: u32) -> InvoiceNumber {
    InvoiceNumber::parse(&format!("264420000000000{n:05}")).unwrap()
}

/// Monthly sales of Huawei in the test: month m → m * 1000 yuan.
pub(crate) fn sales(m: u32) -> SummaryValue {
    SummaryValue::Fen(i64::from(m % 100) * 100_000)
}

pub(crate) fn grant(id: u8, bank: &str, fields: &[SummaryField]) -> DisclosureGrant {
    DisclosureGrant {
        id: [id; 32],
        uscc: huawei(),
        chain_id: FINANCE.into(),
        bank: bank.into(),
        purpose: "working-capital loan".into(),
        fields: fields.to_vec(),
        first_month: month(202601),
        last_month: month(202606),
        expires_ms: T0 + 30 * DAY,
        granted_at: 1,
        revoked_at: 0,
    }
}

pub(crate) fn grant_key(id: u8) -> String {
    InvoiceKey::Disclosure([id; 32]).to_string()
}

pub(crate) fn invoice(
    n: u32,
    seller: Uscc,
    total: i64,
    status: InvoiceStatus,
    flagged: bool,
) -> InvoicePublic {
    InvoicePublic {
        number: number(n),
        kind: InvoiceKind::Special,
        date: ChinaDate::from_yyyymmdd(20260610).unwrap(),
        issued_at_ms: T0 - DAY,
        total_with_tax: total,
        seller_tax_id: seller,
        seller_name: "seller".into(),
        status,
        flagged,
        commitment: [9; 32],
        rules_version: 0,
    }
}

pub(crate) const ALL_FIELDS: &[SummaryField] =
    &[SummaryField::Sales, SummaryField::VatPaid, SummaryField::OnTime, SummaryField::Status];

/// The tax chain's state of the tests: Huawei's summary for January–May 2026 (June had
/// no activity), its status, grants and invoices.
pub(crate) fn tax_chain() -> Source {
    let mut tax = Source::new(TAX, 4, 1);
    let u = huawei();
    for m in 202601..=202605 {
        let (paid, on_time) = (SummaryValue::Fen(13_000), SummaryValue::Flag(true));
        let record =
            SummaryMonth::committed(&SECRET, &u, month(m), [&sales(m), &paid, &on_time], 1);
        tax.put(InvoiceKey::SummaryMonth(u, month(m)), &record);
    }
    let status = SummaryStatus::committed(&SECRET, &u, TaxpayerStatus::Active, 1);
    tax.put(InvoiceKey::SummaryStatus(u), &status);
    tax.put(grant_key(1), &grant(1, "icbc", ALL_FIELDS));
    tax.put(grant_key(2), &DisclosureGrant { revoked_at: 1, ..grant(2, "icbc", ALL_FIELDS) });
    tax.put(grant_key(3), &DisclosureGrant { expires_ms: T0 - 1, ..grant(3, "icbc", ALL_FIELDS) });
    tax.put(grant_key(4), &grant(4, "ccb", ALL_FIELDS));
    tax.put(
        grant_key(5),
        &DisclosureGrant { chain_id: "fapiao-other".into(), ..grant(5, "icbc", ALL_FIELDS) },
    );
    tax.put(grant_key(6), &grant(6, "icbc", &[SummaryField::Sales]));
    tax.put(grant_key(7), &DisclosureGrant { uscc: other(), ..grant(7, "icbc", ALL_FIELDS) });
    tax.put(
        grant_key(8),
        &DisclosureGrant { expires_ms: T0 + 500, ..grant(8, "icbc", ALL_FIELDS) },
    );
    tax.put(grant_key(9), &DisclosureGrant { id: [0x99; 32], ..grant(9, "icbc", ALL_FIELDS) });
    tax.put(grant_key(10), &grant(10, "icbc", ALL_FIELDS));
    let i = |n, seller, total, status, flagged| invoice(n, seller, total, status, flagged);
    tax.put(
        InvoiceKey::Invoice(number(1)),
        &i(1, huawei(), 11_300_000, InvoiceStatus::Issued, false),
    );
    tax.put(
        InvoiceKey::Invoice(number(2)),
        &i(2, huawei(), 5_000_000, InvoiceStatus::Reversed, false),
    );
    tax.put(
        InvoiceKey::Invoice(number(3)),
        &i(3, huawei(), 5_000_000, InvoiceStatus::Issued, true),
    );
    tax.put(
        InvoiceKey::Invoice(number(4)),
        &i(4, huawei(), -5_000_000, InvoiceStatus::Issued, false),
    );
    tax.put(
        InvoiceKey::Invoice(number(5)),
        &i(5, other(), 5_000_000, InvoiceStatus::Issued, false),
    );
    tax.put(
        InvoiceKey::Invoice(number(6)),
        &i(6, huawei(), 2_000_000, InvoiceStatus::Submitted, false),
    );
    tax.commit(T0);
    tax
}

/// The industry chain: a power utility's monthly attestation of Huawei's electricity use.
pub(crate) fn industry_chain() -> Source {
    let mut ind = Source::new(INDUSTRY, 1, 60);
    ind.put(format!("industry-record/{}/202605/electricity", huawei().as_str()), &42_000u64);
    ind.put(format!("industry-record/{}/202605/electricity", other().as_str()), &7u64);
    ind.commit(T0);
    ind
}

/// The finance chain: its state, its clock and its members.
pub(crate) struct World {
    pub tax: Source,
    pub industry: Source,
    pub state: Mem,
    pub height: u64,
    pub time_ms: u64,
}

fn org(id: &str) -> OrgRecord {
    let kind = match id {
        "pboc" => OrgKind::CentralBank,
        _ => OrgKind::Bank,
    };
    OrgRecord {
        id: id.into(),
        name: id.into(),
        kind,
        tax_id: None,
        status: fapiao_types::OrgStatus::Active,
    }
}

pub(crate) fn officer_of(org: &str) -> AccountId {
    AccountId(fapiao_types::sha256(org.as_bytes()))
}

impl World {
    /// Both source chains registered (window of `window`), the tax chain's first header
    /// relayed.
    pub(crate) fn new(window: u32) -> World {
        let tax = tax_chain();
        let industry = industry_chain();
        let mut state = Mem::default();
        register(&mut state, &[&tax, &industry], window);
        param(&mut state, "finance/financing", &FinancingPolicy::default());
        let mut w = World { tax, industry, state, height: 10, time_ms: T0 + 1_000 };
        w.relay(&w.tax.relay(1)).unwrap();
        w.relay(&w.industry.relay(1)).unwrap();
        w
    }

    fn ctx_parts(&mut self, org_id: &str) -> (AccountRecord, OrgRecord) {
        self.height += 1;
        let account = AccountRecord {
            public_key: PublicKey::Ed25519([9; 32]),
            org: org_id.into(),
            name: "officer".into(),
            roles: vec![fapiao_types::Role::BankOfficer],
            added_at: 0,
            revoked_at: None,
        };
        (account, org(org_id))
    }

    /// Relays a header as the ledger would apply it (writes kept only on success).
    pub(crate) fn relay(&mut self, action: &CrosschainAction) -> Result<(), &'static str> {
        let (account, org) = self.ctx_parts("icbc");
        let ctx = self.ctx(&account, &org, "relayer");
        let mut scratch = self.state.clone();
        match fapiao_crosschain::apply(&mut scratch, action, &ctx) {
            Ok(_) => {
                self.state = scratch;
                Ok(())
            }
            Err(fapiao_app::Error::Rejected { code, .. }) => Err(code),
            Err(e) => panic!("fatal: {e}"),
        }
    }

    fn ctx<'a>(&self, account: &'a AccountRecord, org: &'a OrgRecord, seed: &str) -> Ctx<'a> {
        let mut tx_hash = fapiao_types::sha256(format!("{seed}/{}", self.height).as_bytes());
        tx_hash[31] = self.height as u8;
        Ctx {
            height: self.height,
            time_ms: self.time_ms,
            tx_hash,
            sender: officer_of(&org.id),
            account,
            org,
            chain_id: FINANCE,
            secret: None,
        }
    }

    /// Applies `action` sent by an officer of `org_id`: the output, or the refusal's
    /// (code, field). A refusal writes nothing.
    pub(crate) fn send(
        &mut self,
        org_id: &str,
        action: impl Into<FinanceAction>,
    ) -> Result<TxOutput, (&'static str, String)> {
        let action = action.into();
        let (account, org) = self.ctx_parts(org_id);
        let ctx = self.ctx(&account, &org, "tx");
        let mut scratch = self.state.clone();
        match fapiao_finance::apply(&mut scratch, &action, &ctx) {
            Ok(out) => {
                self.state = scratch;
                Ok(out)
            }
            Err(fapiao_app::Error::Rejected { code, field, .. }) => Err((code, field)),
            Err(e) => panic!("fatal: {e}"),
        }
    }

    /// The code of a refusal (panics on success).
    pub(crate) fn refused(
        &mut self,
        org_id: &str,
        action: impl Into<FinanceAction>,
    ) -> (&'static str, String) {
        let before = self.state.0.clone();
        let r = self.send(org_id, action).expect_err("refused");
        assert_eq!(before, self.state.0, "a refusal writes nothing");
        r
    }

    pub(crate) fn get<T: commonware_codec::Read<Cfg = ()>>(
        &self,
        key: impl Into<StateKey>,
    ) -> Option<T> {
        self.state
            .read(&key.into())
            .unwrap()
            .map(|b| fapiao_types::decode_exact::<T>(&b, &()).unwrap())
    }

    /// The tax chain commits a new block at `time_ms` and it is relayed; its height.
    pub(crate) fn tax_block(&mut self, time_ms: u64) -> u64 {
        let h = self.tax.commit(time_ms);
        let relay = self.tax.relay(h);
        self.relay(&relay).unwrap();
        h
    }

    pub(crate) fn tax_claim(&self, height: u64, key: impl ToString) -> StateClaim {
        self.tax.claim(height, key)
    }
}

/// The enterprise's openings of every field grant 1 covers (what its node gives it).
pub(crate) fn openings() -> Vec<Opening> {
    let u = huawei();
    let mut out = Vec::new();
    for m in 202601..=202605 {
        let mo = Some(month(m));
        out.push(Opening::new(&SECRET, &u, SummaryField::Sales, mo, &sales(m)));
        out.push(Opening::new(&SECRET, &u, SummaryField::VatPaid, mo, &SummaryValue::Fen(13_000)));
        out.push(Opening::new(&SECRET, &u, SummaryField::OnTime, mo, &SummaryValue::Flag(true)));
    }
    out.push(Opening::new(
        &SECRET,
        &u,
        SummaryField::Status,
        None,
        &SummaryValue::Status(TaxpayerStatus::Active),
    ));
    out
}

pub(crate) fn hash_of(out: TxOutput) -> Hash32 {
    match out {
        TxOutput::Record(h) => h,
        other => panic!("expected a record id, got {other:?}"),
    }
}
