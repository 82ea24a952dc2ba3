//! The invoice application's vocabulary on the chain.
//!
//! What the invoice application writes into transactions and state — its action payloads
//! (tags `0x10–0x4f` of the action envelope), its state keys and the records stored under
//! them — with their canonical encodings and nothing else. It has no logic, so the offline
//! verifier, the risk engine, the bench and the pages can read invoices without linking the
//! application itself (`fapiao-invoice`).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod keys;

pub use keys::InvoiceKey;
