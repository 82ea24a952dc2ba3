//! Read access to the tax-certificate application's records, declared beside its routes
//! ([`crate::ROUTES`]'s `key_access`) so the API's `GET /v1/state` asks it for the
//! certificate kinds.
//!
//! A collection (`cert-collection/<id>`, and the `cert-vehicle/<vin>/<year>` pointer to
//! it) is visible to its owner's account, the collecting insurer and the tax authority
//! (by oversight, audited); a settlement batch (`cert-settlement/<id>`) to its insurer
//! and the tax authority. A certificate's public record (`certificate/<number>`) and the
//! serial counters are public: the record names no plate, only a tag binding the
//! number to it, and shows the owner masked. Everyone else gets 404, the same answer as
//! for a record that does not exist.

use fapiao_api::{
    access::{audited, Access, Viewer},
    Reader,
};
use fapiao_certificate_types::{CertificateKey, CollectionRecord, SettlementRecord};
use fapiao_types::{AppKey, Hash32, StateKey};

/// How `viewer` may read collection `id`. A missing collection is [`Access::Denied`]
/// to everyone: it reads as 404 either way.
pub fn collection_access(reader: &dyn Reader, id: &Hash32, viewer: Option<&Viewer>) -> Access {
    let Some(v) = viewer else { return Access::Denied };
    let key = StateKey::from(CertificateKey::Collection(*id));
    match reader.get::<CollectionRecord>(&key) {
        Ok(Some(r)) => v.access(r.collection.owner == v.account || r.insurer == v.org.id),
        _ => Access::Denied,
    }
}

/// How `viewer` may read settlement batch `id`.
pub fn settlement_access(reader: &dyn Reader, id: &Hash32, viewer: Option<&Viewer>) -> Access {
    let Some(v) = viewer else { return Access::Denied };
    let key = StateKey::from(CertificateKey::Settlement(*id));
    match reader.get::<SettlementRecord>(&key) {
        Ok(Some(s)) => v.access(s.insurer == v.org.id),
        _ => Access::Denied,
    }
}

/// How `viewer` may read the certificate application's record under `key`.
pub fn certificate_key_access(
    reader: &dyn Reader,
    key: &CertificateKey,
    viewer: Option<&Viewer>,
) -> Access {
    match key {
        CertificateKey::Certificate(_) | CertificateKey::Serial(_) => Access::Party,
        CertificateKey::Collection(id) => collection_access(reader, id, viewer),
        CertificateKey::VehicleYear(..) => {
            match reader.get::<[u8; 32]>(&StateKey::from(key)).ok().flatten() {
                Some(id) => collection_access(reader, &id, viewer),
                None => Access::Denied,
            }
        }
        CertificateKey::Settlement(id) => settlement_access(reader, id, viewer),
    }
}

/// The application's `key_access` hook (declared in [`crate::ROUTES`]): how `viewer`
/// may read `key`, or `None` when it is not a certificate key.
pub fn key_access(reader: &dyn Reader, key: &AppKey, viewer: Option<&Viewer>) -> Option<Access> {
    let key = CertificateKey::try_from(key).ok()?;
    Some(certificate_key_access(reader, &key, viewer))
}

/// Whether `viewer` may read collection `id`; a read by oversight is audited.
pub fn may_read_collection(reader: &dyn Reader, id: &Hash32, viewer: Option<&Viewer>) -> bool {
    audited(collection_access(reader, id, viewer), viewer, &CertificateKey::Collection(*id))
}

/// Whether `viewer` may read settlement `id`; a read by oversight is audited.
pub fn may_read_settlement(reader: &dyn Reader, id: &Hash32, viewer: Option<&Viewer>) -> bool {
    audited(settlement_access(reader, id, viewer), viewer, &CertificateKey::Settlement(*id))
}
