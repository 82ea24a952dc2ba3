//! The seam to the ledger ([`fapiao_app`]'s state access and context) and typed record
//! helpers over it.

pub use fapiao_app::{Ctx, StateAccess};

pub(crate) use fapiao_app::Records;
