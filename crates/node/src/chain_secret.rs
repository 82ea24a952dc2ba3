//! The chain secret (ADR 0012): 32 bytes in `<secrets_dir>/chain-secret` (64 hex digits),
//! identical on every validator and full node of a chain that keeps the tax summary, never
//! on any chain. The parameter `invoice/tax-summary` pins its id; a node that lacks the
//! pinned secret, or holds another, refuses to start — naming the file — instead of
//! halting at the first summary update.

use crate::{Error, Result};
use fapiao_ledger::{Ledger, Store};
use std::path::{Path, PathBuf};

/// The file name of the chain secret in the secrets directory.
pub const FILE: &str = "chain-secret";

/// Where the chain secret of a node with `secrets_dir` lives.
fn path_of(secrets_dir: Option<&Path>) -> PathBuf {
    secrets_dir.map_or_else(|| PathBuf::from("<secrets_dir>").join(FILE), |d| d.join(FILE))
}

/// Reads the chain secret, if the node has a secrets directory holding one.
///
/// # Errors
/// [`Error::Config`] naming the file when it is not 64 hex digits; I/O errors.
pub fn load(secrets_dir: Option<&Path>) -> Result<Option<[u8; 32]>> {
    let Some(dir) = secrets_dir else { return Ok(None) };
    let path = dir.join(FILE);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let bytes = hex::decode(text.trim()).ok().and_then(|b| <[u8; 32]>::try_from(b).ok());
    bytes.map(Some).ok_or_else(|| {
        Error::Config(format!("{} must hold 64 hex digits (32 bytes)", path.display()))
    })
}

/// Writes `secret` as `<dir>/chain-secret` (mode 0600 on Unix), creating `dir`.
///
/// # Errors
/// I/O errors.
pub fn write(dir: &Path, secret: &[u8; 32]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = dir.join(FILE);
    crate::write_atomic(&path, format!("{}\n", hex::encode(secret)).as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// The secret in `dir`, or a fresh random one written there on first use.
///
/// # Errors
/// As [`load`] and [`write()`].
pub fn keep_or_generate(dir: &Path) -> Result<[u8; 32]> {
    if let Some(s) = load(Some(dir))? {
        return Ok(s);
    }
    let mut s = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut s);
    write(dir, &s)?;
    Ok(s)
}

/// The genesis value of `invoice/tax-summary` that enables the summary under `secret`.
pub fn genesis_param(secret: &[u8; 32]) -> (String, serde_json::Value) {
    (
        "invoice/tax-summary".into(),
        serde_json::json!({
            "enabled": true,
            "secret_id": fapiao_types::hex32(&fapiao_types::commit::secret_id(secret)),
        }),
    )
}

/// Gives `ledger` the node's chain secret after checking it against every id the chain
/// pins now or has scheduled.
///
/// # Errors
/// [`Error::Config`] naming the file when a pinned secret is missing or another one is
/// configured, or the file is malformed.
pub fn attach<S: Store>(ledger: Ledger<S>, secrets_dir: Option<&Path>) -> Result<Ledger<S>> {
    let secret = load(secrets_dir)?;
    let required =
        fapiao_invoice::summary::required_secret_ids(&ledger.view(), ledger.tip().height)
            .map_err(|e| Error::Config(e.to_string()))?;
    let path = path_of(secrets_dir);
    for id in &required {
        match &secret {
            None => {
                return Err(Error::Config(format!(
                    "this chain keeps the tax summary (invoice/tax-summary pins secret {id}): \
                     put its chain secret in {} (identical on every node of the chain)",
                    path.display()
                )))
            }
            Some(s) if &fapiao_types::hex32(&fapiao_types::commit::secret_id(s)) != id => {
                return Err(Error::Config(format!(
                    "{} holds another chain secret than the one invoice/tax-summary pins ({id})",
                    path.display()
                )))
            }
            Some(_) => {}
        }
    }
    Ok(match secret {
        Some(s) => ledger.with_chain_secret(s),
        None => ledger,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fapiao_types::Genesis;

    fn genesis(pinned: Option<&[u8; 32]>) -> Genesis {
        use fapiao_types::{ConsensusParams, GenesisAdmin, GenesisOrg, GenesisValidator, OrgKind};
        let admin =
            fapiao_crypto::SigningKey::from_bytes(fapiao_types::Suite::Ed25519, &[1; 32]).unwrap();
        let mut g = Genesis {
            chain_id: "fapiao-tax".into(),
            demo: false,
            governance: Default::default(),
            params: Default::default(),
            full_nodes: Vec::new(),
            genesis_time_ms: 1_764_000_000_000,
            consensus: ConsensusParams::default(),
            organisations: vec![GenesisOrg {
                id: "sz-tax".into(),
                name: "Shenzhen Tax".into(),
                kind: OrgKind::TaxAuthority,
                tax_id: None,
                admins: vec![GenesisAdmin {
                    name: "admin".into(),
                    suite: "ed25519".into(),
                    public_key: admin.public_key().to_hex(),
                }],
            }],
            validators: vec![GenesisValidator {
                name: "v0".into(),
                org: "sz-tax".into(),
                public_key: hex::encode([9u8; 32]),
                p2p_address: "127.0.0.1:9000".into(),
            }],
        };
        if let Some(s) = pinned {
            let (id, value) = genesis_param(s);
            g.params.insert(id, value);
        }
        g
    }

    fn open(g: Genesis) -> Ledger<fapiao_ledger::MemStore> {
        Ledger::open(fapiao_ledger::MemStore::new(), g).unwrap()
    }

    #[test]
    fn a_node_without_the_pinned_secret_or_with_another_refuses_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = [0x42; 32];
        let g = genesis(Some(&secret));
        // No secrets directory, then an empty one: missing.
        for d in [None, Some(dir.path())] {
            let err = attach(open(g.clone()), d).err().unwrap().to_string();
            assert!(err.contains("chain-secret") && err.contains("invoice/tax-summary"), "{err}");
        }
        // Another secret.
        write(dir.path(), &[0x43; 32]).unwrap();
        let err = attach(open(g.clone()), Some(dir.path())).err().unwrap().to_string();
        assert!(err.contains("chain-secret") && err.contains("another"), "{err}");
        // Malformed.
        std::fs::write(dir.path().join(FILE), "zz").unwrap();
        let err = attach(open(g.clone()), Some(dir.path())).err().unwrap().to_string();
        assert!(err.contains("chain-secret") && err.contains("64 hex"), "{err}");
        // The pinned one: attached.
        write(dir.path(), &secret).unwrap();
        let l = attach(open(g), Some(dir.path())).unwrap();
        assert_eq!(l.chain_secret(), Some(&secret));
    }

    #[test]
    fn a_generated_secret_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let s = keep_or_generate(dir.path()).unwrap();
        assert_eq!(keep_or_generate(dir.path()).unwrap(), s);
        assert_eq!(load(Some(dir.path())).unwrap(), Some(s));
    }

    #[test]
    fn a_chain_that_pins_nothing_starts_with_or_without_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        assert!(attach(open(genesis(None)), None).unwrap().chain_secret().is_none());
        write(dir.path(), &[7; 32]).unwrap();
        let l = attach(open(genesis(None)), Some(dir.path())).unwrap();
        assert_eq!(l.chain_secret(), Some(&[7; 32]));
    }
}
