//! Multi-process tests: real `fapiao` processes on 127.0.0.1, driven over HTTP.
//!
//! Tests whose names contain `_slow_` start nodes; nextest runs them one at a time.
#![allow(clippy::inconsistent_digit_grouping)] // fen written yuan_fen: 50_54 is 50.54

mod bench;
mod certificates;
mod cli;
mod crosschain;
mod demo_node;
mod disclosure;
mod financing;
mod harness;
mod invoices;
mod keystore_cmd;
mod kill_restart;
mod linked;
mod loan_flow;
mod network;
mod privacy;
mod procs;
mod proofs;
mod responder;
