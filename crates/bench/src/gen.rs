//! Workload data: fresh taxpayers with valid USCCs, and invoices that look like the
//! ones a Shenzhen restaurant, metro, furniture shop or consultancy issues — 1 to 3
//! lines with their real classification codes and rates, to a person or an enterprise.

use crate::{Error, Result};
use fapiao_invoice_rules as rules;
use fapiao_invoice_types::{Buyer, BuyerKind, LineInput};
use fapiao_types::{AccountId, Hash32, Quantity, UnitPrice, Uscc};
use rand::{seq::SliceRandom, Rng};

/// Characters valid both in an organisation code (GB 11714) and in a USCC.
const ORG_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A fresh, check-digit-valid USCC of a Shenzhen (`440300`) enterprise with a random
/// organisation code, so that reruns do not collide with earlier bench taxpayers.
///
/// # Errors
/// [`Error::Data`] if the generated parts are refused (they are drawn from the valid
/// alphabet, so this does not happen).
pub fn fresh_uscc(rng: &mut impl Rng) -> Result<Uscc> {
    let body: String =
        (0..8).map(|_| char::from(*ORG_CHARS.choose(rng).unwrap_or(&b'0'))).collect();
    rules::Uscc::from_parts('9', '1', "440300", &body)
        .map_err(|e| Error::Data(format!("generated USCC: {e}")))
}

/// How a catalogue line is entered.
#[derive(Clone, Copy)]
enum Entry {
    /// Tax-inclusive amount between the bounds, in fen (as a consumer paid it).
    Gross(i64, i64),
    /// Quantity (1..=max) × unit price (tax excluded, fen bounds), with a unit.
    Priced(u32, i64, i64, &'static str),
}

/// Goods and services with their classification codes and rates.
const CATALOGUE: &[(&str, &str, &str, Entry)] = &[
    ("*餐饮服务*餐费", "3070401000000000000", "0.06", Entry::Gross(2_000, 80_000)),
    ("*餐饮服务*饮品", "3070401000000000000", "0.06", Entry::Gross(1_200, 6_000)),
    ("*运输服务*城市轨道交通客运服务", "3010102020100000000", "0.09", Entry::Gross(200, 1_200)),
    ("*家具*办公椅", "1050201990000000000", "0.13", Entry::Priced(20, 12_000, 68_000, "把")),
    ("*现代服务*咨询服务", "3040201010000000000", "0.06", Entry::Gross(50_000, 2_000_000)),
    ("*酒*啤酒", "1030307020000000000", "0.13", Entry::Priced(24, 600, 1_500, "瓶")),
];

/// Catalogue entries (sku, name, tax code, rate) a merchant keeps for orders.
pub const SKUS: &[(&str, &str, &str, &str)] = &[
    ("LUNCH", "*餐饮服务*餐费", "3070401000000000000", "0.06"),
    ("COFFEE", "*餐饮服务*饮品", "3070401000000000000", "0.06"),
    ("BEER", "*酒*啤酒", "1030307020000000000", "0.13"),
];

fn yuan_text(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// 1 to 3 lines drawn from the catalogue.
pub fn lines(rng: &mut impl Rng) -> Vec<LineInput> {
    let n = rng.gen_range(1..=3);
    (0..n)
        .map(|_| {
            let (name, code, rate, entry) = CATALOGUE[rng.gen_range(0..CATALOGUE.len())];
            let mut line = LineInput {
                name: name.into(),
                tax_code: code.into(),
                spec: String::new(),
                unit: String::new(),
                quantity: None,
                unit_price: None,
                amount: None,
                gross: None,
                rate: rate.parse().expect("the catalogue's rates are valid"),
                tax: None,
            };
            match entry {
                Entry::Gross(lo, hi) => line.gross = Some(rng.gen_range(lo..=hi)),
                Entry::Priced(max_q, lo, hi, unit) => {
                    let quantity = i128::from(rng.gen_range(1..=max_q)) * 100_000_000;
                    line.quantity = Quantity::from_scaled(quantity).ok();
                    line.unit_price = UnitPrice::parse(&yuan_text(rng.gen_range(lo..=hi))).ok();
                    line.unit = unit.into();
                }
            }
            line
        })
        .collect()
}

const PEOPLE: &[&str] =
    &["李伟", "王芳", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄丽", "周杰", "吴娟"];

/// Enterprises of the demo consortium (valid USCCs) that receive invoices.
pub const ENTERPRISES: &[(&str, &str)] = &[
    ("华为技术有限公司", "914403001922038216"),
    ("深圳市腾讯计算机系统有限公司", "91440300708461136T"),
    ("深圳市地铁集团有限公司", "914403002796543264"),
];

/// Huawei, the enterprise that reimburses.
pub const HUAWEI: (&str, &str) = ("华为技术有限公司", "914403001922038216");

/// A person (most invoices) or an enterprise buyer other than `seller` (an invoice's
/// buyer and seller differ); persons are held by `holder`.
pub fn buyer(rng: &mut impl Rng, holder: Option<AccountId>, seller: &str) -> Buyer {
    let others: Vec<&(&str, &str)> = ENTERPRISES.iter().filter(|(_, t)| *t != seller).collect();
    if others.is_empty() || rng.gen_bool(0.7) {
        Buyer {
            kind: BuyerKind::Person,
            name: PEOPLE[rng.gen_range(0..PEOPLE.len())].into(),
            tax_id: None,
            holder,
        }
    } else {
        let (name, tax_id) = *others[rng.gen_range(0..others.len())];
        Buyer {
            kind: BuyerKind::Enterprise,
            name: name.into(),
            tax_id: Uscc::parse(tax_id).ok(),
            holder: None,
        }
    }
}

/// Huawei as the buyer, the invoice held by `holder` (an employee's expense).
pub fn huawei_buyer(holder: Option<AccountId>) -> Buyer {
    Buyer {
        kind: BuyerKind::Enterprise,
        name: HUAWEI.0.into(),
        tax_id: Uscc::parse(HUAWEI.1).ok(),
        holder,
    }
}

/// A random 32-byte salt (of the invoice commitment) or claim code seed.
pub fn salt(rng: &mut impl Rng) -> Hash32 {
    rng.gen()
}

/// The totals of an ordinary invoice as the chain computes them: (amount, tax, total
/// with tax), in fen, at `date` (`yyyymmdd`) for a general taxpayer.
///
/// # Errors
/// [`Error::Data`] when the lines break a rule (they are generated valid).
pub fn totals(
    lines: &[LineInput],
    buyer_tax_id: Option<&Uscc>,
    date: u32,
) -> Result<(i64, i64, i64)> {
    let parsed = lines
        .iter()
        .map(|l| {
            let fen = |v: Option<i64>| v.map(rules::Fen::new).transpose();
            Ok(rules::LineInput {
                name: l.name.clone(),
                tax_code: l.tax_code.clone(),
                spec: l.spec.clone(),
                unit: l.unit.clone(),
                quantity: l.quantity,
                unit_price: l.unit_price,
                amount: fen(l.amount)?,
                gross: fen(l.gross)?,
                rate: l.rate,
                tax: fen(l.tax)?,
                discount: false,
            })
        })
        .collect::<core::result::Result<Vec<_>, rules::ValueError>>()
        .map_err(|e| Error::Data(e.to_string()))?;
    let doc = rules::compute_document(
        &rules::DocumentInput {
            kind: rules::InvoiceKind::Ordinary,
            direction: rules::Direction::Blue,
            seller_type: rules::SellerType::General,
            rate_date: date,
            buyer_tax_id: buyer_tax_id.copied(),
            lines: parsed,
            declared: Default::default(),
        },
        &rules::RateTable::default_prc(),
        &rules::Policy::default(),
    )
    .map_err(|e| Error::Data(e.to_string()))?;
    Ok((doc.total_amount.fen(), doc.total_tax.fen(), doc.total_with_tax.fen()))
}

/// Today in China time, `yyyymmdd`.
pub fn today() -> u32 {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    let (y, m, d) = rules::china_date(ms);
    y * 10_000 + m * 100 + d
}

/// The order of reimbursement attempts for `invoices` invoices: each invoice once,
/// plus `rate × invoices` extra attempts for distinct invoices — half right behind the
/// first attempt (likely the same request and block), half one to four requests of
/// `batch` later. Returns (invoice index, is an extra attempt).
pub fn duplicate_plan(invoices: usize, rate: f64, batch: usize) -> Vec<(usize, bool)> {
    let mut rng = rand::thread_rng();
    let dups = ((invoices as f64 * rate).round() as usize).min(invoices);
    let mut chosen: Vec<usize> = (0..invoices).collect();
    chosen.shuffle(&mut rng);
    chosen.truncate(dups);
    let mut plan: Vec<(f64, usize, bool)> = (0..invoices).map(|i| (i as f64, i, false)).collect();
    for (j, &i) in chosen.iter().enumerate() {
        let pos = if j % 2 == 0 {
            i as f64 + 0.5
        } else {
            (i + batch * rng.gen_range(1..=4)) as f64 + 0.25
        };
        plan.push((pos, i, true));
    }
    plan.sort_by(|a, b| a.0.total_cmp(&b.0));
    plan.into_iter().map(|(_, i, dup)| (i, dup)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn duplicates_follow_their_first_attempt() {
        let plan = duplicate_plan(1000, 0.1, 64);
        assert_eq!(plan.len(), 1100);
        let mut first = std::collections::BTreeMap::new();
        for (pos, (i, dup)) in plan.iter().enumerate() {
            if *dup {
                assert!(first.get(i).is_some_and(|p| *p < pos), "duplicate before first");
            } else {
                assert!(first.insert(*i, pos).is_none(), "two first attempts");
            }
        }
        assert_eq!(first.len(), 1000);
    }

    #[test]
    fn generated_usccs_are_valid_and_distinct() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let a: Vec<Uscc> = (0..200).map(|_| fresh_uscc(&mut rng).unwrap()).collect();
        for u in &a {
            assert!(rules::Uscc::parse(u).is_ok(), "{u}");
        }
        let distinct: std::collections::BTreeSet<_> = a.iter().collect();
        assert_eq!(distinct.len(), a.len());
    }

    #[test]
    fn generated_invoices_pass_the_rules() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(9);
        for _ in 0..500 {
            let l = lines(&mut rng);
            assert!((1..=3).contains(&l.len()));
            let seller = ENTERPRISES[rng.gen_range(0..ENTERPRISES.len())].1;
            let b = buyer(&mut rng, None, seller);
            assert_ne!(b.tax_id, seller.parse().ok(), "an invoice's buyer is not its seller");
            let (amount, tax, total) = totals(&l, b.tax_id.as_ref(), 20261126).unwrap();
            assert_eq!(amount + tax, total);
            assert!(total > 0);
        }
    }
}
