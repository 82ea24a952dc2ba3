//! Tax summaries as salted commitments, and the enterprise's grants to disclose them to a
//! bank (issue 18, ADR 0012).
//!
//! The tax chain keeps, per enterprise, one provable record per month
//! ([`SummaryMonth`], key `tax-summary/<uscc>/<yyyymm>`: sales, VAT paid, filed on time)
//! and one for its status ([`SummaryStatus`], key `tax-status/<uscc>`). Every field is a
//! **salted commitment**, never a value: [`commitment`] over a [`salt`] that only the
//! holders of the chain's summary secret (its validators' configuration) can derive, so
//! that a low-entropy value (a status, a flag) cannot be brute-forced from the record. The
//! enterprise gets its salts from its own node ([`Opening`]s) and hands the ones it chooses
//! to a bank off the chain; the bank checks each opening against the commitment that a
//! state proof of the tax chain gave it ([`Opening::opens`]).
//!
//! A [`DisclosureGrant`] (key `disclosure/<id>`) records the enterprise's authorisation:
//! which bank on which chain, for what purpose, which fields of which months, until when;
//! it is provable too, so the receiving chain can check that it was in force.
//!
//! Encodings (docs/formats.md §24): [`fapiao_types::commit`] with the USCC as subject, the
//! field's name, the month `yyyymm` (or `-` for the status) as period and the value's
//! canonical text ([`SummaryValue::text`]).

use fapiao_types::{canonical_struct, string_enum, Hash32};
use fapiao_values::{Month, Uscc};

use crate::TaxpayerStatus;

pub use fapiao_types::commit::{secret_id, COMMIT_DOMAIN, SALT_DOMAIN, SECRET_ID_DOMAIN};

/// The most months one grant may cover.
pub const MAX_GRANT_MONTHS: u32 = 12;
/// The longest purpose text of a grant, in bytes.
pub const MAX_PURPOSE_LEN: usize = 200;

string_enum! {
    /// A field of the tax summary that a grant may disclose.
    SummaryField {
        /// Sales of the month: Σ amount (tax excluded) of the invoices issued, net of red
        /// invoices, fen.
        Sales = (0, "sales"),
        /// VAT paid for the month: the payable of its filed return (0 until filed), fen.
        VatPaid = (1, "vat_paid"),
        /// Whether the month's return was filed by the 15th of the next month.
        OnTime = (2, "on_time"),
        /// The taxpayer's status (`active`, `frozen`, `deregistered`), not by month.
        Status = (3, "status"),
    }
}

impl SummaryField {
    /// Whether the field is kept per month (every field but the status).
    pub fn monthly(self) -> bool {
        !matches!(self, SummaryField::Status)
    }
}

/// The value of one summary field, before it is committed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryValue {
    /// An amount in fen ([`SummaryField::Sales`], [`SummaryField::VatPaid`]).
    Fen(i64),
    /// A flag ([`SummaryField::OnTime`]).
    Flag(bool),
    /// A status ([`SummaryField::Status`]).
    Status(TaxpayerStatus),
}

impl SummaryValue {
    /// Its canonical text, the bytes the commitment covers: an amount as a decimal integer
    /// of fen (`-1200`), a flag as `true`/`false`, a status by name.
    pub fn text(&self) -> String {
        match self {
            SummaryValue::Fen(f) => f.to_string(),
            SummaryValue::Flag(b) => b.to_string(),
            SummaryValue::Status(s) => s.as_str().to_string(),
        }
    }

    /// Parses the canonical text of `field`'s value.
    ///
    /// # Errors
    /// [`fapiao_types::Error::Invalid`] naming `value` when it is not canonical.
    pub fn parse(field: SummaryField, text: &str) -> fapiao_types::Result<Self> {
        let bad = || fapiao_types::Error::invalid("value", format!("not a {field} value"));
        let v = match field {
            SummaryField::Sales | SummaryField::VatPaid => {
                SummaryValue::Fen(text.parse::<i64>().map_err(|_| bad())?)
            }
            SummaryField::OnTime => SummaryValue::Flag(text.parse::<bool>().map_err(|_| bad())?),
            SummaryField::Status => SummaryValue::Status(TaxpayerStatus::parse(text)?),
        };
        if v.text() == text {
            Ok(v)
        } else {
            Err(bad())
        }
    }
}

/// The period text a salt and a commitment cover: `yyyymm`, or `-` for the status.
fn period_text(month: Option<Month>) -> String {
    month.map_or_else(|| "-".to_string(), |m| m.yyyymm().to_string())
}

/// The salt of `field` of `uscc` for `month` (`None` for the status), derived from the
/// chain's summary secret.
pub fn salt(secret: &[u8; 32], uscc: &Uscc, field: SummaryField, month: Option<Month>) -> Hash32 {
    fapiao_types::commit::salt(secret, uscc.as_str(), field.as_str(), &period_text(month))
}

/// The commitment to `value` of `field` of `uscc` for `month` under the salt the chain
/// `secret` derives ([`salt`], then [`commitment`]).
pub fn commit(
    secret: &[u8; 32],
    uscc: &Uscc,
    field: SummaryField,
    month: Option<Month>,
    value: &SummaryValue,
) -> Hash32 {
    commitment(&salt(secret, uscc, field, month), uscc, field, month, value)
}

/// The commitment to `value` of `field` of `uscc` for `month` under `salt`.
pub fn commitment(
    salt: &Hash32,
    uscc: &Uscc,
    field: SummaryField,
    month: Option<Month>,
    value: &SummaryValue,
) -> Hash32 {
    fapiao_types::commit::commitment(
        salt,
        uscc.as_str(),
        field.as_str(),
        &period_text(month),
        &value.text(),
    )
}

/// One field's value with its salt: what the enterprise hands a bank, off the chain.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Opening {
    /// The field.
    pub field: SummaryField,
    /// The month (`yyyymm`), for a monthly field; absent for the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    /// The value's canonical text ([`SummaryValue::text`]).
    pub value: String,
    /// The salt, lower-case hex.
    pub salt: String,
}

impl Opening {
    /// The opening of `value` for `field` of `uscc` in `month`, with the salt the secret
    /// gives.
    pub fn new(
        secret: &[u8; 32],
        uscc: &Uscc,
        field: SummaryField,
        month: Option<Month>,
        value: &SummaryValue,
    ) -> Self {
        Opening {
            field,
            month: month.map(|m| m.yyyymm()),
            value: value.text(),
            salt: fapiao_types::hex32(&salt(secret, uscc, field, month)),
        }
    }

    /// The month, checked.
    ///
    /// # Errors
    /// [`fapiao_types::Error::Invalid`] naming `month` when it is missing for a monthly
    /// field, present for the status, or not a month.
    pub fn period(&self) -> fapiao_types::Result<Option<Month>> {
        match (self.field.monthly(), self.month) {
            (true, Some(m)) => Month::from_yyyymm(m)
                .map(Some)
                .map_err(|e| fapiao_types::Error::invalid("month", e.to_string())),
            (true, None) => Err(fapiao_types::Error::invalid("month", "a monthly field needs one")),
            (false, None) => Ok(None),
            (false, Some(_)) => {
                Err(fapiao_types::Error::invalid("month", "the status is not by month"))
            }
        }
    }

    /// Whether this opening opens `commitment` (of `uscc`): its value is canonical and the
    /// commitment of it under its salt is `commitment`.
    ///
    /// # Errors
    /// [`fapiao_types::Error::Invalid`] naming the field at fault when the opening is
    /// malformed (a bad month, value or salt); a well-formed opening of another value or
    /// under another salt is `Ok(false)`.
    pub fn opens(&self, uscc: &Uscc, commitment: &Hash32) -> fapiao_types::Result<bool> {
        let month = self.period()?;
        let value = SummaryValue::parse(self.field, &self.value)?;
        let salt = fapiao_types::parse_hex32("salt", &self.salt)?;
        Ok(self::commitment(&salt, uscc, self.field, month, &value) == *commitment)
    }
}

/// What the enterprise hands a bank for one grant, off the chain (its node builds it:
/// `GET /v1/disclosures/{id}/package`): the grant and the committed records it covers,
/// each with its proof against one certified header of the tax chain, and the openings of
/// the fields it covers. The bank's node submits the claims to its own chain (where the
/// light client checks them) and keeps the openings, checked against the proven
/// commitments, to itself.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DisclosurePackage {
    /// The enterprise.
    pub uscc: String,
    /// The grant's id, hex.
    pub grant_id: String,
    /// `disclosure/<id>`, proven.
    pub grant: fapiao_crosschain_types::ClaimJson,
    /// `tax-summary/<uscc>/<yyyymm>` of every month the grant covers (absent when the month
    /// had no activity) and `tax-status/<uscc>` when it covers the status, proven at the
    /// grant's header.
    pub records: Vec<fapiao_crosschain_types::ClaimJson>,
    /// The openings of every field the grant covers: a month without a record opens as
    /// sales 0, VAT paid 0, not on time, and needs none.
    pub openings: Vec<Opening>,
}

canonical_struct! {
    /// The committed tax summary of one month (`tax-summary/<uscc>/<yyyymm>`): written when
    /// the month's first invoice is issued or its return is filed, updated by every invoice,
    /// red invoice and filing of that month.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SummaryMonth {
        /// The taxpayer.
        pub uscc: Uscc,
        /// The month.
        pub month: Month,
        /// Commitment to [`SummaryField::Sales`].
        pub sales: Hash32,
        /// Commitment to [`SummaryField::VatPaid`].
        pub vat_paid: Hash32,
        /// Commitment to [`SummaryField::OnTime`].
        pub on_time: Hash32,
        /// Height of the last update.
        pub updated_at: u64,
    }
}

canonical_struct! {
    /// The committed status of a taxpayer (`tax-status/<uscc>`): written at registration,
    /// updated by every status change.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SummaryStatus {
        /// The taxpayer.
        pub uscc: Uscc,
        /// Commitment to [`SummaryField::Status`].
        pub status: Hash32,
        /// Height of the last update.
        pub updated_at: u64,
    }
}

impl SummaryMonth {
    /// `uscc`'s record of `month` committing its `sales`, `vat_paid` and `on_time` under
    /// the chain `secret`, updated at `updated_at`.
    pub fn committed(
        secret: &[u8; 32],
        uscc: &Uscc,
        month: Month,
        [sales, vat_paid, on_time]: [&SummaryValue; 3],
        updated_at: u64,
    ) -> Self {
        let m = Some(month);
        SummaryMonth {
            uscc: *uscc,
            month,
            sales: commit(secret, uscc, SummaryField::Sales, m, sales),
            vat_paid: commit(secret, uscc, SummaryField::VatPaid, m, vat_paid),
            on_time: commit(secret, uscc, SummaryField::OnTime, m, on_time),
            updated_at,
        }
    }
}

impl SummaryStatus {
    /// `uscc`'s record committing `status` under the chain `secret`, updated at
    /// `updated_at`.
    pub fn committed(
        secret: &[u8; 32],
        uscc: &Uscc,
        status: TaxpayerStatus,
        updated_at: u64,
    ) -> Self {
        let status = SummaryValue::Status(status);
        SummaryStatus {
            uscc: *uscc,
            status: commit(secret, uscc, SummaryField::Status, None, &status),
            updated_at,
        }
    }
}

canonical_struct! {
    /// An enterprise authorises a bank of another chain to receive fields of its tax summary
    /// for a purpose until an expiry (`authorise_disclosure`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct AuthoriseDisclosure {
        /// The enterprise.
        pub uscc: Uscc,
        /// The receiving chain's id (`fapiao-finance`).
        pub chain_id: String,
        /// The bank: its organisation id on that chain.
        pub bank: String,
        /// What for (`working-capital loan`), at most [`MAX_PURPOSE_LEN`] bytes.
        pub purpose: String,
        /// The fields disclosed: distinct, in [`SummaryField`] order.
        pub fields: Vec<SummaryField>,
        /// First month covered (monthly fields).
        pub first_month: Month,
        /// Last month covered: at most [`MAX_GRANT_MONTHS`] months from the first, already
        /// ended when granted.
        pub last_month: Month,
        /// Expiry, ms since the Unix epoch (block time); after the block's time.
        pub expires_ms: u64,
    }
}

canonical_struct! {
    /// The enterprise revokes one of its grants (`revoke_disclosure`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RevokeDisclosure {
        /// The grant's id.
        pub id: Hash32,
    }
}

canonical_struct! {
    /// A disclosure grant (`disclosure/<id>`, the id being the granting transaction's
    /// hash), in force from its block until it expires or is revoked.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DisclosureGrant {
        /// Its id.
        pub id: Hash32,
        /// The enterprise.
        pub uscc: Uscc,
        /// The receiving chain's id.
        pub chain_id: String,
        /// The bank's organisation id on that chain.
        pub bank: String,
        /// What for.
        pub purpose: String,
        /// The fields disclosed.
        pub fields: Vec<SummaryField>,
        /// First month covered.
        pub first_month: Month,
        /// Last month covered.
        pub last_month: Month,
        /// Expiry, ms since the Unix epoch.
        pub expires_ms: u64,
        /// Height of the granting block.
        pub granted_at: u64,
        /// Height of the revoking block (0 while not revoked).
        pub revoked_at: u64,
    }
}

impl DisclosureGrant {
    /// Whether the grant is in force at block time `time_ms`: not revoked, not expired.
    pub fn in_force(&self, time_ms: u64) -> bool {
        self.revoked_at == 0 && time_ms < self.expires_ms
    }

    /// Whether it covers `field` of `month` (`None` for the status).
    pub fn covers(&self, field: SummaryField, month: Option<Month>) -> bool {
        self.fields.contains(&field)
            && match month {
                Some(m) => field.monthly() && self.first_month <= m && m <= self.last_month,
                None => !field.monthly(),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uscc() -> Uscc {
        // Huawei's published USCC.
        Uscc::parse("914403001922038216").expect("valid")
    }

    #[test]
    fn an_opening_opens_its_commitment_and_nothing_else() {
        let secret = [7u8; 32];
        let month = Month::from_yyyymm(202608).expect("month");
        let value = SummaryValue::Fen(1_234_500);
        let s = salt(&secret, &uscc(), SummaryField::Sales, Some(month));
        let c = commitment(&s, &uscc(), SummaryField::Sales, Some(month), &value);
        let o = Opening::new(&secret, &uscc(), SummaryField::Sales, Some(month), &value);
        assert_eq!(o.opens(&uscc(), &c).ok(), Some(true));
        let mut other = o.clone();
        other.value = "1234501".into();
        assert_eq!(other.opens(&uscc(), &c).ok(), Some(false));
        let mut wrong_salt = o.clone();
        wrong_salt.salt =
            fapiao_types::hex32(&salt(&[8u8; 32], &uscc(), SummaryField::Sales, Some(month)));
        assert_eq!(wrong_salt.opens(&uscc(), &c).ok(), Some(false));
        let mut other_month = o;
        other_month.month = Some(202609);
        assert_eq!(other_month.opens(&uscc(), &c).ok(), Some(false));
    }

    #[test]
    fn values_are_canonical() {
        assert!(SummaryValue::parse(SummaryField::Sales, "0012").is_err());
        assert!(SummaryValue::parse(SummaryField::OnTime, "yes").is_err());
        assert_eq!(
            SummaryValue::parse(SummaryField::Status, "frozen").ok(),
            Some(SummaryValue::Status(TaxpayerStatus::Frozen))
        );
    }
}
