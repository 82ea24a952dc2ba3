//! The application seam: what every application on the chain is written against.
//!
//! An application (invoices today; tax certificates, the department exchange, loans and
//! the cow bank next) is a crate with a pure `apply(state, action, ctx)`. It reads and
//! writes state only through [`StateAccess`], learns the block and the sender from
//! [`Ctx`], reads its governed parameters through [`params`] (the version in force at a
//! height or on a date, from the `params/` key space), and refuses with codes it declares
//! in one table of [`Refusal`]s (an enum declared with [`refusals!`]; the platform's own
//! codes are [`Platform`]). The ledger registers applications in one list and hands
//! each transaction to the one that owns its action's tag ([`Application::tags`]). An
//! application may also declare derived index tables and fill them from each executed
//! block ([`index`]).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod application;
mod decode;
mod error;
pub mod index;
pub mod params;
mod refusal;
mod state;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use application::{Application, Output};
pub use decode::{check_key_as, decode_action};
pub use error::{Error, Result};
pub use fapiao_values::refusals;
pub use index::{BlockIndex, IndexRead, IndexTable, IndexTxn, Rows, Scan, States, TxIndex, Writes};
pub use params::{Param, ParamSpec, Timing};
pub use refusal::{check_unique, Platform, Refusal, RefusalCode, Refused, ValueCode};
pub use state::{Ctx, Records, StateAccess};
