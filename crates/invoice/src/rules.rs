//! The seam to `fapiao-invoice-rules`: identifiers, regions, dates, capitals, line and
//! document arithmetic, number formats — converted between the rules' exact types and
//! the chain's stored records.

use crate::Code;
use crate::{Error, Result};
use fapiao_invoice_rules as r;
use fapiao_invoice_types::{Line, LineInput};
use fapiao_types::{ChinaDate, InvoiceKind, InvoiceNumber, Month, RateCode, SellerType, Uscc};

/// Checks a 6-digit division code against the region table of the tax rules in force
/// on the block's date.
pub(crate) fn check_region(
    state: &(impl crate::StateAccess + ?Sized),
    time_ms: u64,
    s: &str,
    field: &str,
) -> Result<()> {
    let tax_rules = crate::params::on_date(state, china_date(time_ms).yyyymmdd())?;
    tax_rules.regions.rr_for(s).map(|_| ()).map_err(|e| e.at(field).into())
}

/// The China-time (UTC+8) date of `unix_ms`.
pub fn china_date(unix_ms: u64) -> ChinaDate {
    ChinaDate::from_unix_ms(unix_ms)
}

/// The China-time (UTC+8) month of `unix_ms`.
pub fn month_of(unix_ms: u64) -> Month {
    Month::from_unix_ms(unix_ms)
}

/// `"1506.80"`.
pub(crate) fn yuan(fen: i64) -> String {
    r::Fen::new(fen).map_or_else(|_| fen.to_string(), |f| f.to_string())
}

/// `v` as a range-checked amount, refused at `field` outside DECIMAL(18,2).
pub(crate) fn fen(v: i64, field: &str) -> Result<r::Fen> {
    Ok(r::Fen::new(v).map_err(|e| e.at(field))?)
}

/// `a + b`, refused (`amount_out_of_range` at `field`) when either or the sum leaves
/// DECIMAL(18,2).
pub(crate) fn add(a: i64, b: i64, field: &str) -> Result<i64> {
    Ok(fen(a, field)?.try_add(fen(b, field)?, field)?.fen())
}

/// `a − b`, refused (`amount_out_of_range` at `field`) when either or the difference
/// leaves DECIMAL(18,2).
pub(crate) fn sub(a: i64, b: i64, field: &str) -> Result<i64> {
    Ok(fen(a, field)?.try_sub(fen(b, field)?, field)?.fen())
}

/// The sum of `values`, refused (`amount_out_of_range` at `field`) as soon as a value or
/// a partial sum leaves DECIMAL(18,2).
pub(crate) fn sum(values: impl IntoIterator<Item = i64>, field: &str) -> Result<i64> {
    values.into_iter().try_fold(0, |acc, v| add(acc, v, field))
}

/// Canonical capitals of `fen` (negative amounts carry the 负数 marker).
pub(crate) fn capitals(fen: i64) -> Result<String> {
    Ok(r::to_capitals(r::Fen::new(fen).map_err(|e| e.at("total_with_tax"))?))
}

fn opt_fen(v: Option<i64>, field: String) -> Result<Option<r::Fen>> {
    v.map(|f| r::Fen::new(f).map_err(|e| Error::from(e.at(field)))).transpose()
}

/// Whether a blue invoice's line is a discount line (折扣行, DOMAIN arithmetic rule 7):
/// one whose given amount, or gross when no amount is given, is negative. The rules then
/// require it to follow a line with the same name, classification code and rate, and to
/// take at most that line's amount and tax.
pub(crate) fn is_discount(l: &LineInput) -> bool {
    l.amount.or(l.gross).is_some_and(|a| a < 0)
}

fn to_rules_line(i: usize, l: &LineInput) -> Result<r::LineInput> {
    let at = |f: &str| format!("lines[{i}].{f}");
    let discount = is_discount(l);
    Ok(r::LineInput {
        name: l.name.clone(),
        tax_code: l.tax_code.clone(),
        spec: l.spec.clone(),
        unit: l.unit.clone(),
        quantity: l.quantity,
        unit_price: l.unit_price,
        amount: opt_fen(l.amount, at("amount"))?,
        gross: opt_fen(l.gross, at("gross"))?,
        rate: l.rate,
        tax: opt_fen(l.tax, at("tax"))?,
        discount,
    })
}

/// Validates and computes a blue invoice's lines for a seller of `seller` type on
/// `date` (`yyyymmdd`): returns the lines, Σ amount and Σ tax in fen.
pub(crate) fn compute_lines(
    lines: &[LineInput],
    invoice_kind: InvoiceKind,
    buyer_tax_id: Option<&Uscc>,
    seller: SellerType,
    date: ChinaDate,
    tax_rules: &crate::params::Compiled,
) -> Result<(Vec<Line>, i64, i64)> {
    let input = r::DocumentInput {
        kind: invoice_kind,
        direction: r::Direction::Blue,
        seller_type: seller,
        rate_date: date.yyyymmdd(),
        buyer_tax_id: buyer_tax_id.copied(),
        lines: lines.iter().enumerate().map(|(i, l)| to_rules_line(i, l)).collect::<Result<_>>()?,
        declared: r::DeclaredTotals::default(),
    };
    let doc = r::compute_document(&input, &tax_rules.rates, &tax_rules.policy)?;
    let out = doc
        .lines
        .iter()
        .map(|l| Line {
            name: l.name.clone(),
            tax_code: l.tax_code.clone(),
            spec: l.spec.clone(),
            unit: l.unit.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            amount: l.amount.fen(),
            rate: l.rate,
            tax: l.tax.fen(),
        })
        .collect();
    Ok((out, doc.total_amount.fen(), doc.total_tax.fen()))
}

/// The first five digits of a number: `YY` (issue year, China time), `RR` (the
/// seller's region), `C` (channel).
pub(crate) fn number_prefix(
    regions: &r::RegionTable,
    unix_ms: u64,
    region: &str,
    channel: u8,
) -> Result<String> {
    let rr = regions.rr_for(region).map_err(|e| e.at("seller"))?;
    Ok(format!("{:02}{rr:02}{channel}", r::number::year_yy(unix_ms)))
}

/// `prefix` + the 15-digit sequence.
pub(crate) fn format_number(prefix: &str, seq: u64) -> Result<InvoiceNumber> {
    if seq > r::number::MAX_SEQUENCE {
        return Err(Error::reject(Code::SequenceExhausted, "number", "no numbers left this year"));
    }
    Ok(InvoiceNumber::from_prefix(prefix, seq).map_err(r::Error::from)?)
}

/// The largest amount, in fen (DECIMAL(18,2)).
pub(crate) const MAX_FEN: i64 = r::Fen::MAX.fen();

/// Checks a reversed line's tax against its rate: within ±0.06 yuan of amount × rate.
pub(crate) fn check_line_tax(code: RateCode, amount: i64, tax: i64, field: &str) -> Result<()> {
    let amount = fen(amount, field)?;
    let expected = code.effective_rate().tax_on(amount);
    if fen(tax, field)?.try_sub(expected, field)?.abs() > r::lines::LINE_TAX_TOLERANCE {
        return Err(Error::reject(
            Code::LineTaxMismatch,
            field,
            format!("tax {} is more than 0.06 from {expected}", yuan(tax)),
        ));
    }
    Ok(())
}
