//! Integration tests of the ledger: execution rules, durability, proofs and a
//! model-based property test against a `BTreeMap` reference.

mod bodies;
mod common;
mod execution;
mod extremes;
mod format;
mod governance;
mod indexes;
mod model;
mod proofs;
mod replay;
mod restart;
