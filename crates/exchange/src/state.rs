//! Typed access to the exchange's records over the seam's [`StateAccess`], and the
//! checks the actions share (texts, organisations, envelopes sealed to a recipient).

use crate::{Code, ExchangeLimits};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_exchange_types::{DepartmentRecord, Envelope, ExchangeKey, KeyRecord, PersonRecord};
use fapiao_types::{AccountId, AccountRecord, OrgKind, OrgRecord, StateKey};

/// Longest name or free text, in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 200;
/// Longest purpose (case number), in characters.
pub(crate) const MAX_PURPOSE_CHARS: usize = 100;

pub(crate) use fapiao_app::Records;

/// The organisation kinds that take part as departments (those that may hold
/// `exchange.officer`).
pub(crate) fn is_department(kind: OrgKind) -> bool {
    fapiao_types::Role::ExchangeOfficer.allowed_in(kind)
}

/// The organisation `id`, refused with `exchange.unknown_org` on `field`.
pub(crate) fn org(state: &(impl StateAccess + ?Sized), id: &str, field: &str) -> Result<OrgRecord> {
    state
        .get(StateKey::Org(id.to_string()))?
        .ok_or_else(|| Error::reject(Code::UnknownOrg, field, format!("no organisation {id:?}")))
}

/// A department `id`: an organisation of a department kind.
pub(crate) fn department_org(
    state: &(impl StateAccess + ?Sized),
    id: &str,
    field: &str,
) -> Result<OrgRecord> {
    let o = org(state, id, field)?;
    if !is_department(o.kind) {
        return Err(Error::reject(
            Code::WrongKind,
            field,
            format!("{id} is a {}, not a department of the exchange", o.kind),
        ));
    }
    Ok(o)
}

/// The account `id`, if it exists.
pub(crate) fn account(
    state: &(impl StateAccess + ?Sized),
    id: &AccountId,
) -> Result<Option<AccountRecord>> {
    state.get(StateKey::Account(*id))
}

/// A department's record (empty when it never registered anything).
pub(crate) fn department(
    state: &(impl StateAccess + ?Sized),
    id: &str,
) -> Result<DepartmentRecord> {
    Ok(state.get(ExchangeKey::Department(id.to_string()))?.unwrap_or_default())
}

/// A registered person, refused with `exchange.not_registered` on `field`.
pub(crate) fn person(
    state: &(impl StateAccess + ?Sized),
    id: &AccountId,
    field: &str,
) -> Result<PersonRecord> {
    state.get(ExchangeKey::Person(*id))?.ok_or_else(|| {
        Error::reject(Code::NotRegistered, field, "the person has not registered a key")
    })
}

/// Checks that `envelope` is sealed to department `to`'s current key; `field` names
/// the envelope (`envelope`, `shares[0].envelope`).
pub(crate) fn sealed_to(
    state: &(impl StateAccess + ?Sized),
    to: &str,
    envelope: &Envelope,
    limits: &ExchangeLimits,
    field: &str,
) -> Result<()> {
    let epoch = department(state, to)?.key_epoch;
    if epoch == 0 {
        return Err(Error::reject(Code::NoKey, field, format!("{to} has registered no key")));
    }
    let key: KeyRecord = state
        .get(ExchangeKey::Key(to.to_string(), epoch))?
        .ok_or_else(|| Error::Fatal(format!("exchange-key/{to}/{epoch} is missing")))?;
    check_envelope(envelope, epoch, &key, limits, field)
}

/// Checks an envelope against the recipient's key `key` of epoch `epoch`.
pub(crate) fn check_envelope(
    envelope: &Envelope,
    epoch: u32,
    key: &KeyRecord,
    limits: &ExchangeLimits,
    field: &str,
) -> Result<()> {
    if envelope.key_epoch != epoch {
        return Err(Error::reject(
            Code::WrongEpoch,
            format!("{field}.key_epoch"),
            format!("sealed to epoch {}, the recipient's key is epoch {epoch}", envelope.key_epoch),
        ));
    }
    if envelope.suite != key.suite {
        return Err(Error::reject(
            Code::WrongSuite,
            format!("{field}.suite"),
            format!("sealed with {}, the recipient's key is {}", envelope.suite, key.suite),
        ));
    }
    let max = usize::try_from(limits.max_ciphertext).unwrap_or(usize::MAX);
    if !envelope.shape_ok(max) {
        return Err(Error::reject(
            Code::BadEnvelope,
            field,
            format!(
                "{} needs enc of {} bytes and a ciphertext of {} to {max} bytes",
                envelope.suite,
                envelope.suite.enc_len(),
                envelope.suite.min_ciphertext()
            ),
        ));
    }
    Ok(())
}

/// Refuses an empty (when `required`), over-long or control-character text.
pub(crate) fn text(s: &str, field: &str, required: bool, max_chars: usize) -> Result<()> {
    let ok = (!required || !s.trim().is_empty())
        && s.chars().count() <= max_chars
        && !s.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(Error::reject(Code::BadText, field, "empty, too long or with control characters"))
    }
}

/// Refuses a list that is empty (when `required`) or longer than `max`.
pub(crate) fn count(n: usize, field: &str, required: bool, max: u16) -> Result<()> {
    if (required && n == 0) || n > usize::from(max) {
        return Err(Error::reject(
            Code::BadCount,
            field,
            format!("{n} entries; {} to {max} allowed", usize::from(required)),
        ));
    }
    Ok(())
}

/// The sender's organisation, which must be a tax authority.
pub(crate) fn tax_authority(ctx: &Ctx<'_>) -> Result<()> {
    if ctx.org.kind != OrgKind::TaxAuthority {
        return Err(Error::reject(
            Code::NotTaxAuthority,
            "sender",
            "only a tax authority does this",
        ));
    }
    Ok(())
}
