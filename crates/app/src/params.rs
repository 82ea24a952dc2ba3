//! Governed parameters: typed values under `params/<app>/<name>`, read as the version in
//! force at a block height (chain mechanics) or on a date (tax rules).
//!
//! A parameter is a serde type implementing [`Param`]. Its value on the chain is its
//! canonical JSON text (`serde_json::to_string` of the typed value, so field order is
//! fixed and there is no map iteration); a proposed value is parsed into the type,
//! checked, and re-serialised, and only that canonical text is stored. A parameter never
//! set reads as its `Default`, version 0.

use crate::{Error, Result, StateAccess};
use fapiao_types::{decode_exact, ParamSchedule, ParamVersion, StateKey};
use serde::{de::DeserializeOwned, Serialize};

/// How a parameter's versions take effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// At an activation height, at least the genesis activation delay after the block
    /// that enacts it (chain mechanics).
    Height,
    /// On a legal effective date, China time, no earlier than the enacting block's date
    /// (tax rules); an invoice uses the version in force on its date.
    Date,
}

/// A governed parameter type.
pub trait Param: Serialize + DeserializeOwned + Default + Clone {
    /// Its id, `<app>/<name>`.
    const ID: &'static str;
    /// How its versions take effect.
    const TIMING: Timing;
    /// One sentence on what it governs.
    const ABOUT: &'static str;

    /// Checks a value beyond its type (ranges, consistency).
    ///
    /// # Errors
    /// What is wrong, for the refusal message.
    fn check(&self) -> core::result::Result<(), String> {
        Ok(())
    }
}

/// A parameter as the ledger and the API handle it, without its type.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// Its id, `<app>/<name>`.
    pub id: &'static str,
    /// How its versions take effect.
    pub timing: Timing,
    /// What it governs.
    pub about: &'static str,
    /// The canonical text of its default value.
    pub default: fn() -> String,
    /// Parses, checks and canonicalises a proposed JSON value.
    pub canonical: fn(&serde_json::Value) -> core::result::Result<String, String>,
}

impl ParamSpec {
    /// The spec of `P`.
    pub fn of<P: Param>() -> Self {
        ParamSpec {
            id: P::ID,
            timing: P::TIMING,
            about: P::ABOUT,
            default: || serde_json::to_string(&P::default()).unwrap_or_default(),
            canonical: canonical::<P>,
        }
    }

    /// Canonicalises a stored or proposed text (the same check as a JSON value).
    ///
    /// # Errors
    /// What is wrong with it.
    pub fn canonical_text(&self, text: &str) -> core::result::Result<String, String> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        (self.canonical)(&v)
    }
}

fn canonical<P: Param>(value: &serde_json::Value) -> core::result::Result<String, String> {
    let p: P = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    p.check()?;
    serde_json::to_string(&p).map_err(|e| e.to_string())
}

/// The schedule of parameter `id` (empty when never written).
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read or decoded.
pub fn schedule(state: &(impl StateAccess + ?Sized), id: &str) -> Result<ParamSchedule> {
    match state.read(&StateKey::Param(id.to_string())).map_err(Error::Fatal)? {
        Some(bytes) => decode_exact::<ParamSchedule>(&bytes, &())
            .map_err(|e| Error::Fatal(format!("params/{id}: {e}"))),
        None => Ok(ParamSchedule::default()),
    }
}

/// Decodes a stored version of `P`.
///
/// # Errors
/// [`Error::Fatal`]: stored values were checked when enacted, so a bad one is corruption.
pub fn decode<P: Param>(v: &ParamVersion) -> Result<P> {
    serde_json::from_str(&v.value.0)
        .map_err(|e| Error::Fatal(format!("params/{} version {}: {e}", P::ID, v.version)))
}

/// `P` in force at block `height`, with its version (the default, version 0, when never
/// set).
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read or decoded.
pub fn at_height<P: Param>(state: &(impl StateAccess + ?Sized), height: u64) -> Result<(u32, P)> {
    in_schedule_at_height(&schedule(state, P::ID)?, height)
}

/// `P` in force at block `height` in `schedule`, with its version (the default, version
/// 0, when no version applies).
///
/// # Errors
/// [`Error::Fatal`] when the version in force does not decode.
pub fn in_schedule_at_height<P: Param>(schedule: &ParamSchedule, height: u64) -> Result<(u32, P)> {
    match schedule.at_height(height) {
        Some(v) => Ok((v.version, decode(v)?)),
        None => Ok((0, P::default())),
    }
}

/// `P` in force on `date` (`yyyymmdd`), with its version (the default, version 0, when
/// never set).
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read or decoded.
pub fn on_date<P: Param>(state: &(impl StateAccess + ?Sized), date: u32) -> Result<(u32, P)> {
    let s = schedule(state, P::ID)?;
    match s.on_date(date) {
        Some(v) => Ok((v.version, decode(v)?)),
        None => Ok((0, P::default())),
    }
}

/// Version `version` of `P` (the default when it is version 0 and was never set).
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read or the version does not exist.
pub fn version<P: Param>(state: &(impl StateAccess + ?Sized), version: u32) -> Result<P> {
    let s = schedule(state, P::ID)?;
    match s.version(version) {
        Some(v) => decode(v),
        None if version == 0 && s.versions.is_empty() => Ok(P::default()),
        None => Err(Error::Fatal(format!("params/{} has no version {version}", P::ID))),
    }
}
