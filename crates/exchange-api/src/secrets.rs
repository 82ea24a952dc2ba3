//! The department keys this node keeps, and sealing and opening with them.
//!
//! A department's decryption keys live on its own node only, in the node's secrets
//! directory (`secrets_dir` in its TOML): `exchange/<org>/key-<epoch>.toml`, the key
//! file of `fapiao-envelope` (mode `0600`). The node opens what is addressed to the
//! department for its signed-in officers — the queries it received, the answers to its
//! queries, findings, the shared watch key — and seals what they send to the
//! recipient's registered public key. A node without the key answers
//! `exchange.key_not_held`; no other node, validator or not, can open the envelope.
//!
//! What each envelope is bound to (`info` and `aad`) is `fapiao_envelope::binding`'s
//! (docs/formats.md §22.2).

use fapiao_api::{error::ApiError, ApiResult, ApiState, Reader};
use fapiao_envelope::{binding, KeyFile, PublicKey, SecretKey, Suite};
use fapiao_exchange_types::{
    Addressed, DepartmentRecord, Envelope, EnvelopeSuite, ExchangeKey, KeyRecord, PersonRecord,
    WatchHead, WatchKeyRecord,
};
use fapiao_types::{AccountId, Hash32, StateKey};
use std::path::PathBuf;

/// The envelope crate's suite of a chain suite.
pub fn suite_of(s: EnvelopeSuite) -> Suite {
    match s {
        EnvelopeSuite::HpkeX25519ChaCha20Poly1305 => Suite::HpkeX25519ChaCha20Poly1305,
        EnvelopeSuite::Sm2Sm4Gcm => Suite::Sm2Sm4Gcm,
    }
}

/// The chain suite of an envelope crate's suite.
pub fn chain_suite(s: Suite) -> EnvelopeSuite {
    match s {
        Suite::Sm2Sm4Gcm => EnvelopeSuite::Sm2Sm4Gcm,
        _ => EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
    }
}

/// Reads `key`'s record from the tip.
pub fn get<T: commonware_codec::Read<Cfg = ()>>(
    reader: &dyn Reader,
    key: ExchangeKey,
) -> ApiResult<Option<T>> {
    Ok(reader.get::<T>(&StateKey::from(key))?)
}

/// `<secrets>/exchange/<org>`, or `exchange.key_not_held` on a node that keeps no secrets.
fn dir_of(st: &ApiState, org: &str) -> ApiResult<PathBuf> {
    let base = st.secrets.as_ref().ok_or_else(|| {
        ApiError::declared(
            "exchange.key_not_held",
            Some("authorization"),
            "this node keeps no department keys (no secrets_dir in its configuration)",
        )
    })?;
    Ok(base.join("exchange").join(org))
}

/// Where this node keeps `org`'s key of `epoch`.
pub fn key_path(st: &ApiState, org: &str, epoch: u32) -> ApiResult<PathBuf> {
    Ok(dir_of(st, org)?.join(format!("key-{epoch}.toml")))
}

/// `org`'s secret key of `epoch`, if this node keeps it.
pub fn secret(st: &ApiState, org: &str, epoch: u32) -> ApiResult<SecretKey> {
    let path = key_path(st, org, epoch)?;
    if !path.exists() {
        return Err(ApiError::declared(
            "exchange.key_not_held",
            Some("authorization"),
            format!("this node does not keep {org}'s key of epoch {epoch}"),
        ));
    }
    let file = fapiao_envelope::read_key_file(&path).map_err(ApiError::internal)?;
    Ok(file.secret)
}

/// Generates `org`'s next key (of `epoch`) in `suite` and keeps it; returns its public half.
pub fn generate(st: &ApiState, org: &str, epoch: u32, suite: Suite) -> ApiResult<PublicKey> {
    let dir = dir_of(st, org)?;
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let secret = SecretKey::generate(suite, &mut fapiao_envelope::os_rng());
    let public = secret.public_key();
    let path = dir.join(format!("key-{epoch}.toml"));
    fapiao_envelope::write_key_file(&path, &KeyFile { epoch, secret })
        .map_err(ApiError::internal)?;
    Ok(public)
}

/// A department's current key: its epoch and record, or `exchange.no_key`.
pub fn current_key(reader: &dyn Reader, org: &str) -> ApiResult<(u32, KeyRecord)> {
    let no_key = || {
        ApiError::declared("exchange.no_key", Some("to"), format!("{org} has registered no key"))
    };
    let dept: DepartmentRecord =
        get(reader, ExchangeKey::Department(org.to_string()))?.ok_or_else(no_key)?;
    if dept.key_epoch == 0 {
        return Err(no_key());
    }
    let key: KeyRecord =
        get(reader, ExchangeKey::Key(org.to_string(), dept.key_epoch))?.ok_or_else(no_key)?;
    Ok((dept.key_epoch, key))
}

/// A person's current key: its epoch and record, or `exchange.no_key`.
pub fn person_key(reader: &dyn Reader, person: &AccountId) -> ApiResult<(u32, KeyRecord)> {
    let no_key = || ApiError::declared("exchange.no_key", Some("person"), "not registered");
    let p: PersonRecord = get(reader, ExchangeKey::Person(*person))?.ok_or_else(no_key)?;
    let key: KeyRecord =
        get(reader, ExchangeKey::PersonKey(*person, p.key_epoch))?.ok_or_else(no_key)?;
    Ok((p.key_epoch, key))
}

/// Seals `plaintext` to a registered key.
pub fn seal(
    epoch: u32,
    key: &KeyRecord,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> ApiResult<Envelope> {
    let suite = suite_of(key.suite);
    let public = PublicKey::from_bytes(suite, &key.public_key.0).map_err(ApiError::internal)?;
    let sealed =
        fapiao_envelope::seal(suite, &public, info, aad, plaintext, &mut fapiao_envelope::os_rng())
            .map_err(ApiError::internal)?;
    Ok(Envelope {
        suite: key.suite,
        key_epoch: epoch,
        enc: sealed.enc,
        ciphertext: sealed.ciphertext,
    })
}

/// Seals `plaintext` to department `org`'s current key.
pub fn seal_to(
    reader: &dyn Reader,
    org: &str,
    info: &[u8],
    aad: &dyn Fn(u32) -> Vec<u8>,
    plaintext: &[u8],
) -> ApiResult<Envelope> {
    let (epoch, key) = current_key(reader, org)?;
    seal(epoch, &key, info, &aad(epoch), plaintext)
}

/// Opens an envelope addressed to `org` with the key this node keeps for it.
pub fn open(
    st: &ApiState,
    org: &str,
    env: &Envelope,
    info: &[u8],
    aad: &[u8],
) -> ApiResult<Vec<u8>> {
    let secret = secret(st, org, env.key_epoch)?;
    fapiao_envelope::open(&secret, suite_of(env.suite), &env.enc, &env.ciphertext, info, aad)
        .map_err(|e| {
            ApiError::declared(
                "exchange.unopenable",
                Some("envelope"),
                format!("does not open: {e}"),
            )
        })
}

/// `info` of a watch-key share.
pub fn watch_key_info(epoch: u32) -> Vec<u8> {
    binding::watch_key_info(epoch)
}

/// `info` of a finding of case `case`.
pub fn finding_info(case: &Hash32) -> Vec<u8> {
    binding::finding_info(case)
}

/// `info` of a declaration's details (the person and the year).
pub fn deduction_info(person: &AccountId, year: u16) -> Vec<u8> {
    binding::deduction_info(&person.0, year)
}

/// The `aad` of an envelope addressed to one department in a list (a share, a finding,
/// a declaration's details).
pub fn addressed_aad(to: &str, epoch: u32) -> Vec<u8> {
    binding::addressed_aad(to, epoch)
}

/// The current watch key as department `org` opens its share: `(epoch, key)`, or
/// `exchange.no_watch_key`.
pub fn watch_key(st: &ApiState, org: &str) -> ApiResult<(u32, [u8; 32])> {
    let none = |why: String| ApiError::declared("exchange.no_watch_key", None, why);
    let head: WatchHead = get(&*st.reader, ExchangeKey::WatchHead)?
        .ok_or_else(|| none("no watch key has been distributed".into()))?;
    let rec: WatchKeyRecord = get(&*st.reader, ExchangeKey::WatchKey(head.epoch))?
        .ok_or_else(|| none(format!("watch key {} is missing", head.epoch)))?;
    let share = share_for(&rec.shares, org)
        .ok_or_else(|| none(format!("watch key {} was not shared with {org}", head.epoch)))?;
    let key = open(
        st,
        org,
        &share.envelope,
        &watch_key_info(head.epoch),
        &addressed_aad(org, share.envelope.key_epoch),
    )?;
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| ApiError::internal(format!("watch key {} is not 32 bytes", head.epoch)))?;
    Ok((head.epoch, key))
}

/// The envelope addressed to `org` in a list.
pub fn share_for<'a>(shares: &'a [Addressed], org: &str) -> Option<&'a Addressed> {
    shares.iter().find(|a| a.to == org)
}
