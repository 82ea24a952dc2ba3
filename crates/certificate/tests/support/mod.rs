//! What the certificate application's tests share: an in-memory state, actors (an
//! account in an organisation of a kind, with roles) and valid VINs built on a stem.
#![allow(dead_code)]

use fapiao_certificate::StateAccess;
use fapiao_types::*;
use fapiao_values::Vin;
use std::collections::BTreeMap;

/// The state as a `BTreeMap` of key paths.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct MemState(pub BTreeMap<String, Vec<u8>>);

impl StateAccess for MemState {
    fn read(&self, key: &StateKey) -> std::result::Result<Option<Vec<u8>>, String> {
        Ok(self.0.get(&key.to_string()).cloned())
    }
    fn write(&mut self, key: &StateKey, value: Vec<u8>) {
        self.0.insert(key.to_string(), value);
    }
}

/// An account of organisation `org` (of `kind`) holding `roles`.
pub struct Actor {
    pub id: AccountId,
    pub account: AccountRecord,
    pub org: OrgRecord,
}

pub fn actor(n: u8, org: &str, kind: OrgKind, roles: Vec<Role>) -> Actor {
    Actor {
        id: AccountId([n; 32]),
        account: AccountRecord {
            public_key: PublicKey::Ed25519([n; 32]),
            org: org.into(),
            name: format!("actor {n}"),
            roles,
            added_at: 0,
            revoked_at: None,
        },
        org: OrgRecord {
            id: org.into(),
            name: org.into(),
            kind,
            tax_id: None,
            status: OrgStatus::Active,
        },
    }
}

/// Writes the actors' account records, so that they exist as owners and senders.
pub fn register(state: &mut MemState, actors: &[&Actor]) {
    for a in actors {
        state
            .write(&StateKey::Account(a.id), commonware_codec::Encode::encode(&a.account).to_vec());
    }
}

/// A VIN with a valid check digit built on `stem` (its first 16 characters; position 9
/// of the VIN is the check digit).
pub fn vin(stem: &str) -> Vin {
    let (a, b) = stem.split_at(8);
    let b = &b[..8.min(b.len())];
    "0123456789X"
        .chars()
        .find_map(|c| Vin::parse(&format!("{a}{c}{b}")).ok())
        .expect("one check digit fits")
}
