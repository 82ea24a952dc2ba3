//! Typed access to the finance records over the seam's [`StateAccess`], and the checks
//! the actions share: a bank sender, texts, claims proven by the light client.

use crate::Code;
use commonware_codec::Read;
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_crosschain::{Claim, Proven};
use fapiao_crosschain_types::StateClaim;
use fapiao_types::{decode_exact, OrgKind};

pub(crate) use fapiao_app::Records;

/// The sender's organisation must be a bank (the central bank's branch reads, it does
/// not lend).
pub(crate) fn bank(ctx: &Ctx<'_>) -> Result<()> {
    if ctx.org.kind != OrgKind::Bank {
        return Err(Error::reject(
            Code::NotABank,
            "sender",
            format!("{} is a {}, not a bank", ctx.org.id, ctx.org.kind),
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
        Err(Error::reject(
            Code::BadText,
            field,
            format!("empty, longer than {max_chars} characters or with control characters"),
        ))
    }
}

/// Checks `claim` with the light client at this block; a refusal keeps its code and
/// names the field under `at` (`records[2].proof`).
pub(crate) fn prove(
    state: &(impl StateAccess + ?Sized),
    ctx: &Ctx<'_>,
    claim: &StateClaim,
    at: &str,
) -> Result<Proven> {
    fapiao_crosschain::proven(state, ctx.height, &Claim::from(claim)).map_err(|e| match e {
        Error::Rejected { code, field, message } => {
            Error::Rejected { code, field: format!("{at}.{field}"), message }
        }
        other => other,
    })
}

/// The proven value of a claim that must be present, decoded as `T`.
pub(crate) fn present<T: Read<Cfg = ()>>(claim: &StateClaim, at: &str) -> Result<T> {
    let Some(value) = &claim.value else {
        return Err(Error::reject(
            Code::Absent,
            format!("{at}.value"),
            format!("{} is proven absent", claim.key),
        ));
    };
    decode_exact::<T>(&value.0, &()).map_err(|e| {
        Error::reject(Code::BadRecord, format!("{at}.value"), format!("{}: {e}", claim.key))
    })
}
