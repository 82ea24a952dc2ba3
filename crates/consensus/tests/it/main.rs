//! Multi-validator simulations of the consensus engine on Commonware's deterministic runtime
//! and simulated network, with an in-memory ledger that "executes" by hashing.

mod faults;
mod harness;
mod simulation;
mod tcp;
