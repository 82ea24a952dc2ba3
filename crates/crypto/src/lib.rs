//! Signature suites (Ed25519 with ZIP-215 batch verification, SM2 with SM3), hashing and signing namespaces.
