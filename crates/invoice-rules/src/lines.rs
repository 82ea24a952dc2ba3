//! Invoice lines and documents: validation and the arithmetic of DOMAIN.md, rules 1–7.
//!
//! [`compute_line`] turns a [`LineInput`] into a [`Line`]:
//!
//! 1. quantity and unit price go together; when both are given,
//!    `amount = round2(quantity × unit_price)` (a given amount must equal it);
//! 2. tax-exclusive entry: `tax = round2(amount × rate)`;
//! 3. tax-inclusive entry (`gross`): `amount = round2(gross / (1 + rate))`,
//!    `tax = gross − amount` (a given amount or tax must equal these);
//! 4. a tax supplied with a tax-exclusive amount may differ from `amount × rate` by at
//!    most [`LINE_TAX_TOLERANCE`] (0.06 yuan); at a zero rate, exempt or out of scope it
//!    must be exactly 0;
//!
//! and checks the line's own form: `*category*name`, a 19-digit classification code,
//! the rate in force for the seller, signs (blue lines positive, discount lines negative,
//! red lines negative, tax never of the opposite sign).
//!
//! [`compute_document`] adds the rules across lines:
//!
//! 5. Σ line tax may differ from the tax recomputed per rate on the summed amounts by at
//!    most [`Policy::document_tax_tolerance`] (1.27 yuan by default) *(policy)*;
//! 6. totals are exact sums within DECIMAL(18,2), and declared totals and capitals must
//!    match them (capitals are validated by parsing back to fen);
//! 7. a discount line immediately follows the line it discounts, with the same name,
//!    classification code and rate, and takes at most that line's amount and tax;
//!
//! plus the header rules: a special VAT invoice (专票) needs a valid buyer USCC and has no
//! exempt lines; an ordinary invoice's buyer tax ID is optional but valid when given.
//!
//! Errors name the field with 0-based line indices: `lines[2].tax`.

use crate::{
    capitals::{check_capitals, to_capitals},
    error::{Error, Result},
    ids::Uscc,
    money::{div_round_half_up, round2_product, Fen, Quantity, UnitPrice},
    rates::{RateCode, RateKind, RateTable, SellerType},
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rule 4: the largest accepted `|tax − amount × rate|` of a line, 0.06 yuan.
pub const LINE_TAX_TOLERANCE: Fen = Fen::from_const(6);
/// Longest line name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest specification or unit, in characters.
pub const MAX_TEXT_CHARS: usize = 100;

/// Document-level parameters *(policy)*, part of the chain configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Rule 5: largest accepted `|Σ line tax − Σ per-rate recomputed tax|`; 1.27 yuan.
    pub document_tax_tolerance: Fen,
    /// Most lines on one invoice.
    pub max_lines: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { document_tax_tolerance: Fen::from_const(127), max_lines: 2000 }
    }
}

pub use fapiao_values::InvoiceKind;

/// A blue (original) or red (reversing) invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// An original invoice: positive lines, discount lines negative.
    Blue,
    /// A red-letter invoice (红字发票): every line negative, no discount lines.
    Red,
}

/// One line as the issuer enters it. Numbers are exact; absent ones are computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    /// `*category*name`, e.g. `*餐饮服务*餐费`.
    pub name: String,
    /// 19-digit tax classification code (商品和服务税收分类编码).
    pub tax_code: String,
    /// Specification (规格型号); empty if none.
    #[serde(default)]
    pub spec: String,
    /// Unit (单位); empty if none.
    #[serde(default)]
    pub unit: String,
    /// Quantity; given together with `unit_price` or not at all.
    #[serde(default)]
    pub quantity: Option<Quantity>,
    /// Unit price excluding tax.
    #[serde(default)]
    pub unit_price: Option<UnitPrice>,
    /// Amount excluding tax.
    #[serde(default)]
    pub amount: Option<Fen>,
    /// Amount including tax (tax-inclusive entry, as a consumer paid it).
    #[serde(default)]
    pub gross: Option<Fen>,
    /// Rate.
    pub rate: RateCode,
    /// Tax, if the issuer computed it.
    #[serde(default)]
    pub tax: Option<Fen>,
    /// A discount line (折扣行) for the line just above it.
    #[serde(default)]
    pub discount: bool,
}

/// A line as text, the way a form or a JSON body carries it: parsing it with
/// [`LineDraft::parse`] reports malformed numbers with their line's field path.
/// Empty strings count as absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineDraft {
    /// `*category*name`.
    pub name: String,
    /// Classification code.
    pub tax_code: String,
    /// Specification.
    pub spec: String,
    /// Unit.
    pub unit: String,
    /// Quantity text.
    pub quantity: Option<String>,
    /// Unit price text.
    pub unit_price: Option<String>,
    /// Amount text (`"360.00"`).
    pub amount: Option<String>,
    /// Gross text.
    pub gross: Option<String>,
    /// Rate text (`"0.13"`, `"exempt"`).
    pub rate: String,
    /// Tax text.
    pub tax: Option<String>,
    /// Discount line.
    pub discount: bool,
}

impl LineDraft {
    /// Parses the numbers of the line at `index`.
    ///
    /// # Errors
    /// `bad_quantity`, `bad_unit_price`, `bad_amount`, `amount_out_of_range`, `bad_rate` on
    /// `lines[index].<field>`.
    pub fn parse(&self, index: usize) -> Result<LineInput> {
        let at = |f: &'static str| move |e: Error| e.at(format!("lines[{index}].{f}"));
        fn opt<T, E: Into<Error>>(
            s: &Option<String>,
            p: impl Fn(&str) -> core::result::Result<T, E>,
        ) -> Result<Option<T>> {
            match s.as_deref() {
                None | Some("") => Ok(None),
                Some(t) => p(t).map(Some).map_err(Into::into),
            }
        }
        Ok(LineInput {
            name: self.name.clone(),
            tax_code: self.tax_code.clone(),
            spec: self.spec.clone(),
            unit: self.unit.clone(),
            quantity: opt(&self.quantity, Quantity::parse).map_err(at("quantity"))?,
            unit_price: opt(&self.unit_price, UnitPrice::parse).map_err(at("unit_price"))?,
            amount: opt(&self.amount, Fen::parse).map_err(at("amount"))?,
            gross: opt(&self.gross, Fen::parse).map_err(at("gross"))?,
            rate: RateCode::parse(&self.rate).map_err(Error::from).map_err(at("rate"))?,
            tax: opt(&self.tax, Fen::parse).map_err(at("tax"))?,
            discount: self.discount,
        })
    }
}

/// A validated, computed line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// `*category*name`.
    pub name: String,
    /// Classification code.
    pub tax_code: String,
    /// Specification.
    pub spec: String,
    /// Unit.
    pub unit: String,
    /// Quantity, if given.
    pub quantity: Option<Quantity>,
    /// Unit price excluding tax, if given.
    pub unit_price: Option<UnitPrice>,
    /// Amount excluding tax.
    pub amount: Fen,
    /// Rate.
    pub rate: RateCode,
    /// Kind of the rate, from the configuration in force.
    pub rate_kind: RateKind,
    /// Tax (0 for exempt and out of scope).
    pub tax: Fen,
    /// A discount line.
    pub discount: bool,
}

impl Line {
    /// Amount plus tax (checked to fit when the line was computed).
    pub fn gross(&self) -> Fen {
        self.amount.checked_add(self.tax).unwrap_or(self.amount)
    }

    /// The tax column as printed: `***` for exempt and out of scope, else the figure.
    pub fn tax_label(&self) -> String {
        if self.rate.tax_is_starred() {
            "***".into()
        } else {
            self.tax.to_string()
        }
    }

    /// The category between the stars: `餐饮服务` of `*餐饮服务*餐费`.
    pub fn category(&self) -> &str {
        split_name(&self.name).map_or("", |(c, _)| c)
    }
}

/// The inputs of a line that come from the invoice header.
#[derive(Clone, Copy, Debug)]
pub struct LineContext<'a> {
    /// Rate configuration.
    pub rates: &'a RateTable,
    /// The seller's type (for a red invoice: as recorded on the blue one).
    pub seller_type: SellerType,
    /// The `yyyymmdd` date whose rates apply: the issue date (China time), or for a red
    /// invoice the blue invoice's issue date.
    pub rate_date: u32,
    /// Blue or red.
    pub direction: Direction,
}

fn split_name(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix('*')?;
    let (category, item) = rest.split_once('*')?;
    Some((category, item))
}

/// Checks the `*category*name` form: a non-blank category without stars, a non-blank
/// item name, at most [`MAX_NAME_CHARS`] characters, no control characters. Returns
/// `(category, name)`.
///
/// # Errors
/// `invoice.bad_name` (field `name`).
pub fn check_line_name(name: &str) -> Result<(&str, &str)> {
    let bad = |reason| Error::BadName { field: "name".into(), reason };
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(bad("too long"));
    }
    if name.chars().any(char::is_control) {
        return Err(bad("control character"));
    }
    let (category, item) = split_name(name).ok_or_else(|| bad("missing stars"))?;
    if category.trim().is_empty() {
        return Err(bad("empty category"));
    }
    if item.trim().is_empty() {
        return Err(bad("empty item name"));
    }
    Ok((category, item))
}

/// Checks a classification code: 19 ASCII digits, the first 1–6 (goods, services,
/// intangibles, real estate, non-taxable items).
///
/// # Errors
/// `invoice.bad_tax_code` (field `tax_code`).
pub fn check_tax_code(code: &str) -> Result<()> {
    let ok = code.len() == 19
        && code.bytes().all(|b| b.is_ascii_digit())
        && matches!(code.as_bytes().first(), Some(b'1'..=b'6'));
    if ok {
        Ok(())
    } else {
        Err(Error::BadTaxCode { field: "tax_code".into() })
    }
}

fn check_text(text: &str, field: String) -> Result<()> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::BadText { field, reason: "too long" });
    }
    if text.chars().any(char::is_control) {
        return Err(Error::BadText { field, reason: "control character" });
    }
    Ok(())
}

/// Validates and computes the line at `index` (rules 1–4 and the line's own form and
/// signs; the rules that relate lines to each other are [`compute_document`]'s).
///
/// # Errors
/// Any line error of [`crate::Error`], on `lines[index].<field>`.
pub fn compute_line(index: usize, input: &LineInput, ctx: &LineContext<'_>) -> Result<Line> {
    let path = |f: &str| format!("lines[{index}].{f}");
    let at = |f: &'static str| move |e: Error| e.at(format!("lines[{index}].{f}"));

    check_line_name(&input.name).map_err(at("name"))?;
    check_tax_code(&input.tax_code).map_err(at("tax_code"))?;
    check_text(&input.spec, path("spec"))?;
    check_text(&input.unit, path("unit"))?;
    let entry = ctx
        .rates
        .rate_allowed(input.rate, ctx.seller_type, ctx.rate_date)
        .map_err(|e| if e.code() == "bad_date" { e.at("rate_date") } else { e.at(path("rate")) })?;
    let rate = input.rate.effective_rate();

    // Rule 1: quantity × unit price.
    let product = match (input.quantity, input.unit_price) {
        (Some(q), Some(p)) => Some(round2_product(q, p).map_err(at("amount"))?),
        (Some(_), None) => {
            return Err(Error::IncompleteQuantityPrice { field: path("unit_price") })
        }
        (None, Some(_)) => return Err(Error::IncompleteQuantityPrice { field: path("quantity") }),
        (None, None) => None,
    };

    // The amount: from gross (rule 3), else given, else the product.
    let (amount, gross_tax) = match input.gross {
        Some(gross) => {
            let (amount, tax) = rate.split_gross(gross);
            if let Some(given) = input.amount {
                if given != amount {
                    return Err(Error::AmountMismatch {
                        field: path("amount"),
                        expected: amount,
                        found: given,
                    });
                }
            }
            (amount, Some(tax))
        }
        None => match input.amount.or(product) {
            Some(a) => (a, None),
            None => return Err(Error::AmountRequired { field: path("amount") }),
        },
    };
    if let Some(p) = product {
        if p != amount {
            return Err(Error::AmountMismatch {
                field: path("amount"),
                expected: p,
                found: amount,
            });
        }
    }

    // Signs of the amount.
    match (ctx.direction, input.discount) {
        (Direction::Blue, false) if !amount.is_positive() => {
            return Err(Error::NonPositiveAmount { field: path("amount") })
        }
        (Direction::Blue, true) if !amount.is_negative() => {
            return Err(Error::DiscountNotNegative { field: path("amount") })
        }
        (Direction::Red, true) => return Err(Error::DiscountOnRed { field: path("discount") }),
        (Direction::Red, false) if !amount.is_negative() => {
            return Err(Error::RedAmountNotNegative { field: path("amount") })
        }
        _ => {}
    }

    // The tax: rules 2–4.
    let computed = gross_tax.unwrap_or_else(|| rate.tax_on(amount));
    let tax = match input.tax {
        None => computed,
        Some(given) if rate.basis_points() == 0 && !given.is_zero() => {
            return Err(Error::TaxMustBeZero { field: path("tax") })
        }
        Some(given) if gross_tax.is_some() && given != computed => {
            return Err(Error::LineTaxMismatch {
                field: path("tax"),
                expected: computed,
                found: given,
            })
        }
        Some(given) => {
            let tolerance = i128::from(LINE_TAX_TOLERANCE.fen()) * 10_000;
            if rate.tax_deviation(amount, given).abs() > tolerance {
                return Err(Error::LineTaxMismatch {
                    field: path("tax"),
                    expected: computed,
                    found: given,
                });
            }
            given
        }
    };
    if !tax.is_zero() && tax.signum() != amount.signum() {
        return Err(Error::TaxSignMismatch { field: path("tax") });
    }
    if amount.checked_add(tax).is_none() {
        return Err(fapiao_values::Error::out_of_range(path("amount")).into());
    }

    Ok(Line {
        name: input.name.clone(),
        tax_code: input.tax_code.clone(),
        spec: input.spec.clone(),
        unit: input.unit.clone(),
        quantity: input.quantity,
        unit_price: input.unit_price,
        amount,
        rate: input.rate,
        rate_kind: entry.kind,
        tax,
        discount: input.discount,
    })
}

/// Totals an issuer may declare; each given one must equal the computed one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeclaredTotals {
    /// Σ amounts.
    pub total_amount: Option<Fen>,
    /// Σ taxes.
    pub total_tax: Option<Fen>,
    /// Σ amounts + Σ taxes.
    pub total_with_tax: Option<Fen>,
    /// The total with tax in capitals (any legal spelling).
    pub total_with_tax_in_capitals: Option<String>,
}

/// Everything the document rules need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInput {
    /// Special or ordinary.
    pub kind: InvoiceKind,
    /// Blue or red.
    pub direction: Direction,
    /// The seller's type (for a red invoice: as recorded on the blue one).
    pub seller_type: SellerType,
    /// `yyyymmdd` whose rates apply (see [`LineContext::rate_date`]).
    pub rate_date: u32,
    /// The buyer's taxpayer ID (USCC, parsed where it was read); absent for a person.
    #[serde(default)]
    pub buyer_tax_id: Option<Uscc>,
    /// The lines.
    pub lines: Vec<LineInput>,
    /// Declared totals to check.
    #[serde(default)]
    pub declared: DeclaredTotals,
}

/// A validated invoice body with its exact totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Computed lines.
    pub lines: Vec<Line>,
    /// Σ amounts.
    pub total_amount: Fen,
    /// Σ taxes.
    pub total_tax: Fen,
    /// Σ amounts + Σ taxes.
    pub total_with_tax: Fen,
    /// Canonical capitals of `total_with_tax`.
    pub total_with_tax_in_capitals: String,
    /// The buyer's USCC.
    pub buyer_tax_id: Option<Uscc>,
}

/// Checks the buyer's taxpayer ID for an invoice of `kind`: mandatory for a special
/// invoice, optional otherwise (a [`Uscc`] is valid by construction).
///
/// # Errors
/// `invoice.buyer_tax_id_required` on field `buyer.tax_id`.
pub fn check_buyer_tax_id(kind: InvoiceKind, tax_id: Option<&Uscc>) -> Result<Option<Uscc>> {
    match tax_id {
        None if kind == InvoiceKind::Special => {
            Err(Error::BuyerTaxIdRequired { field: "buyer.tax_id".into() })
        }
        other => Ok(other.copied()),
    }
}

/// Validates and computes a whole invoice body (rules 1–7 and the header rules, see the
/// module docs). The first rule broken is reported.
///
/// # Errors
/// Any error of [`crate::Error`] but the parsing-only ones, with its field path.
pub fn compute_document(
    input: &DocumentInput,
    rates: &RateTable,
    policy: &Policy,
) -> Result<Document> {
    let buyer_tax_id = check_buyer_tax_id(input.kind, input.buyer_tax_id.as_ref())?;
    if input.lines.is_empty() {
        return Err(Error::NoLines { field: "lines".into() });
    }
    if input.lines.len() > policy.max_lines {
        return Err(Error::TooManyLines { field: "lines".into(), max: policy.max_lines });
    }
    let ctx = LineContext {
        rates,
        seller_type: input.seller_type,
        rate_date: input.rate_date,
        direction: input.direction,
    };
    let mut lines: Vec<Line> = Vec::with_capacity(input.lines.len());
    for (i, li) in input.lines.iter().enumerate() {
        let path = |f: &str| format!("lines[{i}].{f}");
        let line = compute_line(i, li, &ctx)?;
        if input.kind == InvoiceKind::Special && line.rate == RateCode::Exempt {
            return Err(Error::ExemptOnSpecial { field: path("rate") });
        }
        if line.discount {
            let Some(prev) = lines.last().filter(|p| !p.discount) else {
                return Err(Error::DiscountWithoutLine { field: path("discount") });
            };
            if line.name != prev.name {
                return Err(Error::DiscountNameMismatch { field: path("name") });
            }
            if line.tax_code != prev.tax_code {
                return Err(Error::DiscountTaxCodeMismatch { field: path("tax_code") });
            }
            if line.rate != prev.rate {
                return Err(Error::DiscountRateMismatch { field: path("rate") });
            }
            if line.amount.abs() > prev.amount {
                return Err(Error::DiscountExceedsLine { field: path("amount") });
            }
            if line.tax.abs() > prev.tax {
                return Err(Error::DiscountExceedsLine { field: path("tax") });
            }
        }
        lines.push(line);
    }

    // Rule 6: exact totals.
    let out_of_range = |f: &str| Error::from(fapiao_values::Error::out_of_range(f));
    let total_amount = Fen::checked_sum(lines.iter().map(|l| l.amount))
        .ok_or_else(|| out_of_range("total_amount"))?;
    let total_tax =
        Fen::checked_sum(lines.iter().map(|l| l.tax)).ok_or_else(|| out_of_range("total_tax"))?;
    let total_with_tax =
        total_amount.checked_add(total_tax).ok_or_else(|| out_of_range("total_with_tax"))?;

    // Rule 5: Σ line tax against the tax recomputed per rate on the summed amounts.
    let mut per_rate: BTreeMap<RateCode, i128> = BTreeMap::new();
    for l in &lines {
        *per_rate.entry(l.rate).or_default() += i128::from(l.amount.fen());
    }
    let recomputed: i128 = per_rate
        .iter()
        .map(|(code, sum)| {
            div_round_half_up(sum * i128::from(code.effective_rate().basis_points()), 10_000)
        })
        .sum();
    let difference = i128::from(total_tax.fen()) - recomputed;
    if difference.unsigned_abs() > policy.document_tax_tolerance.fen().unsigned_abs().into() {
        return Err(Error::DocumentTaxToleranceExceeded {
            field: "total_tax".into(),
            difference: Fen::from_i128(difference).unwrap_or(Fen::MAX),
            tolerance: policy.document_tax_tolerance,
        });
    }

    let d = &input.declared;
    for (field, declared, expected) in [
        ("total_amount", d.total_amount, total_amount),
        ("total_tax", d.total_tax, total_tax),
        ("total_with_tax", d.total_with_tax, total_with_tax),
    ] {
        if let Some(found) = declared {
            if found != expected {
                return Err(Error::TotalsMismatch { field: field.into(), expected, found });
            }
        }
    }
    if let Some(text) = &d.total_with_tax_in_capitals {
        check_capitals(text, total_with_tax)?;
    }

    Ok(Document {
        lines,
        total_amount,
        total_tax,
        total_with_tax,
        total_with_tax_in_capitals: to_capitals(total_with_tax),
        buyer_tax_id,
    })
}
