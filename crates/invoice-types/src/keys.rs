//! The invoice application's state keys: [`InvoiceKey`], its twenty-two kinds of record.
//!
//! Each key is a path `kind/rest` (docs/formats.md §8.1). On the chain it is a
//! [`StateKey::App`] like any application's key; this type gives its kinds and their
//! parts names. Its paths, and so the tree keys and proofs, are the ones the platform's
//! `StateKey` spelled before the application owned them, byte for byte.

use core::fmt;
use fapiao_types::{parse_hex32, valid_sku, AppKey, Error, Hash32, Result, StateKey};
use fapiao_values::{InvoiceNumber, Month, Uscc};

/// A key of the invoice application's state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InvoiceKey {
    /// A taxpayer, by USCC.
    Taxpayer(Uscc),
    /// A taxpayer's credit, by USCC.
    Credit(Uscc),
    /// A credit request, by id (the requesting transaction's hash).
    CreditRequest(Hash32),
    /// The public part of an invoice (what verification reveals), by number.
    Invoice(InvoiceNumber),
    /// The private, immutable body of an invoice, by number.
    InvoiceBody(InvoiceNumber),
    /// The private circulation state of an invoice, by number.
    InvoiceCirc(InvoiceNumber),
    /// The last sequence number allocated for a number prefix (`YYRRC`).
    InvoiceSeq(String),
    /// A taxpayer's running monthly tax totals, by USCC and month.
    MonthTotals(Uscc, Month),
    /// A taxpayer's filed VAT return, by USCC and month.
    VatReturn(Uscc, Month),
    /// A payment order, by id (the recording transaction's hash).
    Order(Hash32),
    /// An entry of a merchant's product catalogue, by USCC and SKU.
    CatalogueItem(Uscc, String),
    /// A merchant's automatic-issuing delegation, by USCC.
    AutoIssue(Uscc),
    /// A red-letter confirmation form, by id (the raising transaction's hash).
    RedForm(Hash32),
    /// What red invoices have reversed of a blue invoice, by its number.
    RedTotals(InvoiceNumber),
    /// The payment platforms a merchant accepts orders from, by USCC.
    AcceptedPlatforms(Uscc),
    /// The automatic side of a taxpayer's credit this month, by USCC.
    CreditAuto(Uscc),
    /// One automatic credit adjustment, by the causing transaction's hash.
    CreditAdjustment(Hash32),
    /// An express-edition application, by id (the applying transaction's hash).
    Application(Hash32),
    /// The latest application for a USCC (its id), by USCC.
    ApplicationByUscc(Uscc),
    /// A taxpayer's committed tax summary of a month, by USCC and month.
    SummaryMonth(Uscc, Month),
    /// A taxpayer's committed status, by USCC.
    SummaryStatus(Uscc),
    /// A disclosure grant, by id (the granting transaction's hash).
    Disclosure(Hash32),
}

impl InvoiceKey {
    /// Every key kind the invoice application owns (the first segment of its paths).
    pub const KINDS: &'static [&'static str] = &[
        "taxpayer",
        "credit",
        "credit-request",
        "invoice",
        "invoice-body",
        "invoice-circ",
        "invoice-seq",
        "vat-month",
        "vat-return",
        "order",
        "catalogue",
        "auto-issue",
        "red-form",
        "invoice-red",
        "accepted-platforms",
        "credit-auto",
        "credit-adjustment",
        "application",
        "application-uscc",
        "tax-summary",
        "tax-status",
        "disclosure",
    ];

    /// Its kind: the first segment of its path (one of [`InvoiceKey::KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            InvoiceKey::Taxpayer(_) => "taxpayer",
            InvoiceKey::Credit(_) => "credit",
            InvoiceKey::CreditRequest(_) => "credit-request",
            InvoiceKey::Invoice(_) => "invoice",
            InvoiceKey::InvoiceBody(_) => "invoice-body",
            InvoiceKey::InvoiceCirc(_) => "invoice-circ",
            InvoiceKey::InvoiceSeq(_) => "invoice-seq",
            InvoiceKey::MonthTotals(..) => "vat-month",
            InvoiceKey::VatReturn(..) => "vat-return",
            InvoiceKey::Order(_) => "order",
            InvoiceKey::CatalogueItem(..) => "catalogue",
            InvoiceKey::AutoIssue(_) => "auto-issue",
            InvoiceKey::RedForm(_) => "red-form",
            InvoiceKey::RedTotals(_) => "invoice-red",
            InvoiceKey::AcceptedPlatforms(_) => "accepted-platforms",
            InvoiceKey::CreditAuto(_) => "credit-auto",
            InvoiceKey::CreditAdjustment(_) => "credit-adjustment",
            InvoiceKey::Application(_) => "application",
            InvoiceKey::ApplicationByUscc(_) => "application-uscc",
            InvoiceKey::SummaryMonth(..) => "tax-summary",
            InvoiceKey::SummaryStatus(_) => "tax-status",
            InvoiceKey::Disclosure(_) => "disclosure",
        }
    }

    /// Parses a key path (`invoice/<number>`, `vat-month/<uscc>/<yyyymm>`, ...).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`: a kind the invoice application does not own,
    /// or a malformed rest.
    pub fn parse(s: &str) -> Result<Self> {
        let (kind, rest) =
            s.split_once('/').ok_or_else(|| Error::invalid("key", "expected <kind>/<id>"))?;
        let hash = |rest: &str| parse_hex32("key", rest);
        match kind {
            "taxpayer" => Ok(InvoiceKey::Taxpayer(uscc(rest)?)),
            "credit" => Ok(InvoiceKey::Credit(uscc(rest)?)),
            "credit-request" => Ok(InvoiceKey::CreditRequest(hash(rest)?)),
            "invoice" => Ok(InvoiceKey::Invoice(number(rest)?)),
            "invoice-body" => Ok(InvoiceKey::InvoiceBody(number(rest)?)),
            "invoice-circ" => Ok(InvoiceKey::InvoiceCirc(number(rest)?)),
            "invoice-seq" if valid_digits(rest) => Ok(InvoiceKey::InvoiceSeq(rest.into())),
            "invoice-seq" => Err(Error::invalid("key", "bad number prefix")),
            "vat-month" | "vat-return" | "tax-summary" => {
                let (uscc, month) = rest
                    .split_once('/')
                    .ok_or_else(|| Error::invalid("key", "expected <uscc>/<yyyymm>"))?;
                let month: u32 = month.parse().map_err(|_| Error::invalid("key", "bad month"))?;
                let month =
                    Month::from_yyyymm(month).map_err(|_| Error::invalid("key", "bad month"))?;
                let uscc = self::uscc(uscc)?;
                Ok(match kind {
                    "vat-month" => InvoiceKey::MonthTotals(uscc, month),
                    "vat-return" => InvoiceKey::VatReturn(uscc, month),
                    _ => InvoiceKey::SummaryMonth(uscc, month),
                })
            }
            "order" => Ok(InvoiceKey::Order(hash(rest)?)),
            "catalogue" => {
                let (uscc, sku) = rest
                    .split_once('/')
                    .ok_or_else(|| Error::invalid("key", "expected <uscc>/<sku>"))?;
                if !valid_sku(sku) {
                    return Err(Error::invalid("key", "bad sku"));
                }
                Ok(InvoiceKey::CatalogueItem(self::uscc(uscc)?, sku.into()))
            }
            "auto-issue" => Ok(InvoiceKey::AutoIssue(uscc(rest)?)),
            "red-form" => Ok(InvoiceKey::RedForm(hash(rest)?)),
            "invoice-red" => Ok(InvoiceKey::RedTotals(number(rest)?)),
            "accepted-platforms" => Ok(InvoiceKey::AcceptedPlatforms(uscc(rest)?)),
            "credit-auto" => Ok(InvoiceKey::CreditAuto(uscc(rest)?)),
            "credit-adjustment" => Ok(InvoiceKey::CreditAdjustment(hash(rest)?)),
            "application" => Ok(InvoiceKey::Application(hash(rest)?)),
            "application-uscc" => Ok(InvoiceKey::ApplicationByUscc(uscc(rest)?)),
            "tax-status" => Ok(InvoiceKey::SummaryStatus(uscc(rest)?)),
            "disclosure" => Ok(InvoiceKey::Disclosure(hash(rest)?)),
            other => Err(Error::invalid("key", format!("unknown key kind {other:?}"))),
        }
    }
}

fn uscc(s: &str) -> Result<Uscc> {
    Uscc::parse(s).map_err(|e| Error::invalid("key", e.to_string()))
}

fn number(s: &str) -> Result<InvoiceNumber> {
    InvoiceNumber::parse(s).map_err(|e| Error::invalid("key", e.to_string()))
}

fn valid_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for InvoiceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind();
        match self {
            InvoiceKey::Taxpayer(u)
            | InvoiceKey::Credit(u)
            | InvoiceKey::AutoIssue(u)
            | InvoiceKey::AcceptedPlatforms(u)
            | InvoiceKey::CreditAuto(u)
            | InvoiceKey::ApplicationByUscc(u)
            | InvoiceKey::SummaryStatus(u) => write!(f, "{kind}/{u}"),
            InvoiceKey::CreditRequest(h)
            | InvoiceKey::Order(h)
            | InvoiceKey::RedForm(h)
            | InvoiceKey::CreditAdjustment(h)
            | InvoiceKey::Application(h)
            | InvoiceKey::Disclosure(h) => write!(f, "{kind}/{}", fapiao_types::hex32(h)),
            InvoiceKey::Invoice(n)
            | InvoiceKey::InvoiceBody(n)
            | InvoiceKey::InvoiceCirc(n)
            | InvoiceKey::RedTotals(n) => write!(f, "{kind}/{n}"),
            InvoiceKey::InvoiceSeq(p) => write!(f, "{kind}/{p}"),
            InvoiceKey::MonthTotals(u, m)
            | InvoiceKey::VatReturn(u, m)
            | InvoiceKey::SummaryMonth(u, m) => {
                write!(f, "{kind}/{u}/{}", m.yyyymm())
            }
            InvoiceKey::CatalogueItem(u, sku) => write!(f, "{kind}/{u}/{sku}"),
        }
    }
}

impl core::str::FromStr for InvoiceKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        InvoiceKey::parse(s)
    }
}

impl From<InvoiceKey> for StateKey {
    fn from(key: InvoiceKey) -> StateKey {
        StateKey::from(&key)
    }
}

impl From<&InvoiceKey> for StateKey {
    fn from(key: &InvoiceKey) -> StateKey {
        // Every kind's path is well formed (tests/keys.rs parses each back).
        StateKey::App(AppKey::from_owner(key.to_string()))
    }
}

impl TryFrom<&AppKey> for InvoiceKey {
    type Error = Error;
    fn try_from(key: &AppKey) -> Result<Self> {
        InvoiceKey::parse(key.as_str())
    }
}

impl TryFrom<&StateKey> for InvoiceKey {
    type Error = Error;
    /// The invoice key `key` is.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`: a platform key, another application's kind or
    /// a malformed path.
    fn try_from(key: &StateKey) -> Result<Self> {
        match key {
            StateKey::App(k) => InvoiceKey::try_from(k),
            _ => Err(Error::invalid("key", format!("{key} is not an invoice key"))),
        }
    }
}
