//! Integration tests of the public API: DOMAIN.md's worked example, every refusal of the
//! line and document rules with its code and field path, and properties of whole
//! documents.

mod documents;
