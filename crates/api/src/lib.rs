//! The HTTP JSON API (axum) with its OpenAPI document and Prometheus metrics.
