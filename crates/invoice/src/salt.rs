//! The salts of the private records (`invoice-circ/<n>`, `invoice-red/<n>`): what a record
//! gets when it is first written ([`fapiao_invoice_types::record_salt`]).
//!
//! The secret is the one the chain pins for the tax summary ([`crate::summary`]): the only
//! secret every validator is known to hold the same. Executing without it while it is
//! pinned is [`crate::Error::Fatal`] (the node halts rather than compute another state). A
//! chain that pins none (the summary disabled) derives the salt from 32 zero bytes: the
//! record is still salted per path, but the salt protects nothing there.

use crate::state::{Ctx, Records as _, StateAccess};
use crate::Result;
use fapiao_invoice_types::{Circulation, InvoiceKey, RedTotals};
use fapiao_types::{AccountId, Hash32, InvoiceNumber, StateKey};

/// The salt of the private record at `key` under the chain's pinned secret.
///
/// # Errors
/// [`crate::Error::Fatal`] when the chain pins a secret this node lacks, or the state cannot
/// be read.
pub(crate) fn salt(
    state: &(impl StateAccess + ?Sized),
    ctx: &Ctx<'_>,
    key: InvoiceKey,
) -> Result<Hash32> {
    let secret = crate::summary::secret(state, ctx)?.copied().unwrap_or([0; 32]);
    Ok(fapiao_invoice_types::record_salt(&secret, &StateKey::from(key).to_bytes()))
}

/// A new circulation record of invoice `number` for `holder`, salted.
///
/// # Errors
/// As [`salt`].
pub(crate) fn new_circulation(
    state: &(impl StateAccess + ?Sized),
    ctx: &Ctx<'_>,
    number: InvoiceNumber,
    holder: Option<AccountId>,
) -> Result<Circulation> {
    Ok(Circulation {
        salt: salt(state, ctx, InvoiceKey::InvoiceCirc(number))?,
        holder,
        ..Circulation::default()
    })
}

/// The red totals of blue invoice `number`: the stored record (its salt kept), or a new
/// salted one when nothing was reversed and no form raised yet.
///
/// # Errors
/// As [`salt`].
pub(crate) fn red_totals(
    state: &(impl StateAccess + ?Sized),
    ctx: &Ctx<'_>,
    number: InvoiceNumber,
) -> Result<RedTotals> {
    let key = InvoiceKey::RedTotals(number);
    match state.get::<RedTotals>(&key)? {
        Some(red) => Ok(red),
        None => Ok(RedTotals { salt: salt(state, ctx, key)?, ..RedTotals::default() }),
    }
}
