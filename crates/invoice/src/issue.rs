//! Issuance: every rule a tax system checks, then a chain-allocated number, the
//! credit reservation, and the three invoice leaves (public part with a salted
//! commitment, private body, circulation).

use crate::Code;
use crate::{
    credit, industry, rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use commonware_codec::Encode;
use fapiao_app::Platform;
use fapiao_invoice_types::{
    Buyer, BuyerKind, Industry, InvoiceBody, InvoiceKey, InvoicePublic, InvoiceStatus,
    IssueInvoice, Line, LineInput, MonthTotals, TaxpayerRecord, TaxpayerStatus,
};
use fapiao_types::{
    sha256, AccountId, AccountRecord, Hash32, InvoiceKind, InvoiceNumber, Month, StateKey, Uscc,
};

/// Issuing channel digit of direct issuance by the merchant.
pub const CHANNEL_DIRECT: u8 = 1;
/// Issuing channel digit of invoices issued from a payment order claimed by a consumer
/// (交易即开票), automatically or by the merchant.
pub const CHANNEL_SELF_SERVICE: u8 = 2;

/// One issuance, whatever the command that asked for it: the merchant's
/// [`IssueInvoice`], an automatic issuance on a claim, or the merchant issuing a
/// claimed order. Who may ask is the caller's check; everything else is here.
pub(crate) struct Issuance<'a> {
    /// The seller, loaded and found active ([`active_seller`]).
    pub seller: &'a TaxpayerRecord,
    pub kind: InvoiceKind,
    pub type_code: &'a str,
    pub buyer: &'a Buyer,
    pub lines: &'a [LineInput],
    pub remarks: &'a str,
    pub salt: Hash32,
    /// The account recorded as the invoice's issuer.
    pub issuer: AccountId,
    /// The number's channel digit.
    pub channel: u8,
    /// The typed industry block (特定要素), if any.
    pub industry: Option<&'a Industry>,
}

/// An issuance computed but not committed (`POST /v1/invoices/preview`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    /// Computed lines.
    pub lines: Vec<Line>,
    /// Σ amounts, fen.
    pub total_amount: i64,
    /// Σ taxes, fen.
    pub total_tax: i64,
    /// Total with tax, fen.
    pub total_with_tax: i64,
    /// Total with tax in capitals.
    pub total_in_capitals: String,
    /// The version of the tax rules (`params/invoice/tax-rules`) it was computed with.
    pub rules_version: u32,
}

/// Refuses an invoice whose buyer is its seller: an invoice records a sale between two
/// parties, and one to oneself would only inflate turnover or input tax.
pub(crate) fn check_parties_differ(b: &Buyer, seller_uscc: &Uscc) -> Result<()> {
    if b.tax_id.as_ref() == Some(seller_uscc) {
        return Err(Error::reject(
            Code::BuyerIsSeller,
            "buyer.tax_id",
            "the buyer and the seller of an invoice must differ",
        ));
    }
    Ok(())
}

/// Checks the buyer (name, taxpayer id as the kind needs it, holder account).
pub(crate) fn check_buyer(
    state: &(impl StateAccess + ?Sized),
    b: &Buyer,
    kind: InvoiceKind,
) -> Result<()> {
    taxpayer::check_name(&b.name, "buyer.name")?;
    let needs_id = b.kind == BuyerKind::Enterprise || kind == InvoiceKind::Special;
    if b.tax_id.is_none() && needs_id {
        return Err(Error::reject(
            Code::BuyerTaxIdRequired,
            "buyer.tax_id",
            if kind == InvoiceKind::Special {
                "a special VAT invoice needs the buyer's taxpayer id"
            } else {
                "an enterprise buyer needs its taxpayer id"
            },
        ));
    }
    if let Some(holder) = &b.holder {
        match state.get::<AccountRecord>(&StateKey::Account(*holder))? {
            Some(a) if a.revoked_at.is_none() => {}
            _ => {
                return Err(Error::reject(
                    Platform::UnknownAccount,
                    "buyer.holder",
                    format!("no active account {holder}"),
                ))
            }
        }
    }
    Ok(())
}

fn check_header(type_code: &str, remarks: &str) -> Result<()> {
    if type_code.is_empty() || type_code.len() > 8 || !type_code.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Error::reject(Code::InvalidTypeCode, "type_code", "1-8 digits"));
    }
    if remarks.len() > 1024 {
        return Err(Error::reject(Code::InvalidRemarks, "remarks", "at most 1024 bytes"));
    }
    Ok(())
}

/// Loads the taxpayer `uscc` and refuses unless it is active (`field` names it).
pub(crate) fn active_seller(
    state: &(impl StateAccess + ?Sized),
    uscc: &Uscc,
    field: &str,
) -> Result<TaxpayerRecord> {
    let t = taxpayer::load(state, uscc, field)?;
    match t.status {
        TaxpayerStatus::Active => Ok(t),
        TaxpayerStatus::Frozen => Err(Error::reject(
            Code::SellerFrozen,
            field,
            format!("{} is frozen by the tax authority", t.uscc),
        )),
        TaxpayerStatus::Deregistered => Err(Error::reject(
            Code::SellerDeregistered,
            field,
            format!("{} is deregistered", t.uscc),
        )),
    }
}

/// Validates and computes lines, totals and capitals of a blue invoice.
pub(crate) fn compute(
    state: &(impl StateAccess + ?Sized),
    lines: &[LineInput],
    kind: InvoiceKind,
    buyer_tax_id: Option<&Uscc>,
    t: &TaxpayerRecord,
    time_ms: u64,
) -> Result<Preview> {
    let tax_rules = crate::params::on_date(state, rules::china_date(time_ms).yyyymmdd())?;
    compute_with(&tax_rules, lines, kind, buyer_tax_id, t, time_ms)
}

/// [`compute`] with the rules in force already read.
fn compute_with(
    tax_rules: &crate::params::Compiled,
    lines: &[LineInput],
    kind: InvoiceKind,
    buyer_tax_id: Option<&Uscc>,
    t: &TaxpayerRecord,
    time_ms: u64,
) -> Result<Preview> {
    let date = rules::china_date(time_ms);
    let (lines, total_amount, total_tax) =
        rules::compute_lines(lines, kind, buyer_tax_id, t.seller_type, date, tax_rules)?;
    let total_with_tax = rules::add(total_amount, total_tax, "total_with_tax")?;
    if total_with_tax <= 0 {
        return Err(Error::reject(
            Code::NonPositiveAmount,
            "total_with_tax",
            "a blue invoice's total must be positive",
        ));
    }
    Ok(Preview {
        lines,
        total_amount,
        total_tax,
        total_with_tax,
        total_in_capitals: rules::capitals(total_with_tax)?,
        rules_version: tax_rules.version,
    })
}

/// Validates an issuance and computes its lines, totals and capitals, writing nothing.
///
/// # Errors
/// The first rule the issuance breaks.
pub fn preview(
    state: &(impl StateAccess + ?Sized),
    c: &IssueInvoice,
    time_ms: u64,
) -> Result<Preview> {
    let t = active_seller(state, &c.seller, "seller")?;
    check_buyer(state, &c.buyer, c.kind)?;
    check_header(&c.type_code, &c.remarks)?;
    let p = compute(state, &c.lines, c.kind, c.buyer.tax_id.as_ref(), &t, time_ms)?;
    if let Some(ind) = &c.industry {
        industry::check(ind, &p.lines, p.total_with_tax)?;
    }
    Ok(p)
}

/// The merchant issues directly; returns the allocated number.
pub(crate) fn issue(
    state: &mut (impl StateAccess + ?Sized),
    c: &IssueInvoice,
    ctx: &Ctx<'_>,
) -> Result<InvoiceNumber> {
    let t = active_seller(state, &c.seller, "seller")?;
    taxpayer::require_issuer(&t, ctx)?;
    issue_as(
        state,
        &Issuance {
            seller: &t,
            kind: c.kind,
            type_code: &c.type_code,
            buyer: &c.buyer,
            lines: &c.lines,
            remarks: &c.remarks,
            salt: c.salt,
            issuer: ctx.sender,
            channel: CHANNEL_DIRECT,
            industry: c.industry.as_ref(),
        },
        ctx,
    )
}

/// Every issuance ends here: checks the buyer and header, computes the lines, checks
/// the industry block against them, reserves credit, allocates the number and writes
/// the three invoice leaves and the month's totals. Returns the number.
pub(crate) fn issue_as(
    state: &mut (impl StateAccess + ?Sized),
    i: &Issuance<'_>,
    ctx: &Ctx<'_>,
) -> Result<InvoiceNumber> {
    let t = i.seller;
    check_buyer(state, i.buyer, i.kind)?;
    check_parties_differ(i.buyer, &t.uscc)?;
    check_header(i.type_code, i.remarks)?;
    // One read of the rules in force for the lines and the number's region.
    let tax_rules = crate::params::on_date(state, rules::china_date(ctx.time_ms).yyyymmdd())?;
    let p = compute_with(&tax_rules, i.lines, i.kind, i.buyer.tax_id.as_ref(), t, ctx.time_ms)?;
    if let Some(ind) = i.industry {
        industry::check(ind, &p.lines, p.total_with_tax)?;
    }
    credit::reserve(state, &t.uscc, p.total_with_tax, ctx)?;
    let number = allocate_number_with(state, &tax_rules, t, i.channel, ctx)?;
    let body = InvoiceBody {
        salt: i.salt,
        type_code: i.type_code.to_string(),
        seller_type: t.seller_type,
        buyer: i.buyer.clone(),
        lines: p.lines,
        total_amount: p.total_amount,
        total_tax: p.total_tax,
        total_in_capitals: p.total_in_capitals,
        remarks: i.remarks.to_string(),
        issuer: i.issuer,
        red_of: None,
        industry: i.industry.cloned(),
    };
    let public = InvoicePublic {
        number,
        kind: i.kind,
        date: rules::china_date(ctx.time_ms),
        issued_at_ms: ctx.time_ms,
        total_with_tax: p.total_with_tax,
        seller_tax_id: t.uscc,
        seller_name: t.name.clone(),
        status: InvoiceStatus::Issued,
        flagged: false,
        commitment: commitment(&body),
        rules_version: p.rules_version,
    };
    state.put(StateKey::from(InvoiceKey::Invoice(number)), &public);
    state.put(StateKey::from(InvoiceKey::InvoiceBody(number)), &body);
    let circ = crate::salt::new_circulation(state, ctx, number, i.buyer.holder)?;
    state.put(StateKey::from(InvoiceKey::InvoiceCirc(number)), &circ);
    let month = rules::month_of(ctx.time_ms);
    add_month_totals(state, &t.uscc, month, |m| {
        m.output_tax = rules::add(m.output_tax, body.total_tax, "total_tax")?;
        m.sales = rules::add(m.sales, body.total_amount, "total_amount")?;
        m.issued = m.issued.saturating_add(1);
        Ok(())
    })?;
    crate::summary::touch_month(state, &t.uscc, month, ctx)?;
    credit::after_issue(state, &t.uscc, &number, ctx)?;
    Ok(number)
}

/// The salted commitment to an invoice's private body: SHA-256 of its canonical
/// encoding, which starts with the random 32-byte salt.
pub fn commitment(body: &InvoiceBody) -> [u8; 32] {
    sha256(&body.encode())
}

/// The next number of `t`'s region and `channel` this year, by the region table in force
/// on the block's date.
pub(crate) fn allocate_number(
    state: &mut (impl StateAccess + ?Sized),
    t: &TaxpayerRecord,
    channel: u8,
    ctx: &Ctx<'_>,
) -> Result<InvoiceNumber> {
    let tax_rules = crate::params::on_date(state, rules::china_date(ctx.time_ms).yyyymmdd())?;
    allocate_number_with(state, &tax_rules, t, channel, ctx)
}

fn allocate_number_with(
    state: &mut (impl StateAccess + ?Sized),
    tax_rules: &crate::params::Compiled,
    t: &TaxpayerRecord,
    channel: u8,
    ctx: &Ctx<'_>,
) -> Result<InvoiceNumber> {
    let prefix = rules::number_prefix(&tax_rules.regions, ctx.time_ms, &t.region, channel)?;
    let key = StateKey::from(InvoiceKey::InvoiceSeq(prefix.clone()));
    let last = state.get::<u64>(&key)?.unwrap_or(0);
    let seq = last + 1;
    state.put(&key, &seq);
    rules::format_number(&prefix, seq)
}

pub(crate) fn add_month_totals(
    state: &mut (impl StateAccess + ?Sized),
    uscc: &Uscc,
    month: Month,
    f: impl FnOnce(&mut MonthTotals) -> Result<()>,
) -> Result<()> {
    let key = StateKey::from(InvoiceKey::MonthTotals(*uscc, month));
    let mut m = state.get::<MonthTotals>(&key)?.unwrap_or_default();
    f(&mut m)?;
    state.put(&key, &m);
    Ok(())
}
