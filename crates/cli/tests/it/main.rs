//! Multi-process tests: real `fapiao` processes on 127.0.0.1, driven over HTTP.
//!
//! Tests whose names contain `_slow_` start nodes; nextest runs them one at a time.

mod cli;
mod demo_node;
mod harness;
mod invoices;
mod kill_restart;
