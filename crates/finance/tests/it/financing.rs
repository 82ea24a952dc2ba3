//! Financing.
