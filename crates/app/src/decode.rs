//! What every application's [`Application`](crate::Application) impl does alike: decode
//! the action it was handed as its own ([`decode_action`]), and check a state key as one
//! of its typed keys ([`check_key_as`]).

use crate::{Error, Platform, RefusalCode, Result};
use fapiao_types::{AppAction, AppKey, NotAppAction};

/// Decodes `action` as one of the application's actions `A`: a body that does not decode
/// is [`Platform::Malformed`]; another application's action is the application's own
/// `unsupported` code (the ledger hands an application only its own tags, so that is a
/// registry fault shown plainly).
///
/// # Errors
/// Those two refusals, field `action`.
pub fn decode_action<A>(action: &AppAction, unsupported: impl RefusalCode) -> Result<A>
where
    A: for<'a> TryFrom<&'a AppAction, Error = NotAppAction>,
{
    A::try_from(action).map_err(|e| match e {
        NotAppAction::BadBody { .. } => Error::reject(Platform::Malformed, "action", e.to_string()),
        _ => Error::reject(unsupported, "action", e.to_string()),
    })
}

/// Checks that `key` parses as the application's typed key `K`, and returns it as `K`
/// spells it (its canonical path).
///
/// # Errors
/// `K`'s parse error ([`fapiao_types::Error::Invalid`] naming `key`).
pub fn check_key_as<K>(key: &AppKey) -> fapiao_types::Result<AppKey>
where
    K: for<'a> TryFrom<&'a AppKey, Error = fapiao_types::Error> + core::fmt::Display,
{
    K::try_from(key).map(|k| AppKey::from_owner(k.to_string()))
}
