//! [`NodeCustody`]: the member keys this node holds for its organisation (encrypted
//! keystore) and the API tokens that may use them (hashed token store).

use fapiao_api::{Caller, Custody};
use fapiao_crypto::SigningKey;
use fapiao_keystore::{Keystore, TokenStore};
use fapiao_types::{AccountId, PublicKey, SignedTx, Suite, Tx};
use parking_lot::Mutex;

/// Custody over an optional keystore and a token store.
pub struct NodeCustody {
    keystore: Mutex<Option<Keystore>>,
    tokens: Mutex<Option<TokenStore>>,
}

impl NodeCustody {
    /// Custody with the given stores (either may be absent: then nothing is held).
    pub fn new(keystore: Option<Keystore>, tokens: Option<TokenStore>) -> Self {
        Self { keystore: Mutex::new(keystore), tokens: Mutex::new(tokens) }
    }
}

impl NodeCustody {
    /// The account of the keystore entry called `name`.
    pub fn find(&self, name: &str) -> Option<AccountId> {
        self.keystore.lock().as_ref()?.find(name)
    }

    /// The held key of `account`.
    pub fn key(&self, account: &AccountId) -> Option<SigningKey> {
        self.keystore.lock().as_ref()?.get(account)
    }

    /// Generates and keeps a key named `name`.
    ///
    /// # Errors
    /// No keystore, or the keystore refuses (e.g. a duplicate name).
    pub fn generate_key(&self, name: &str, suite: Suite) -> crate::Result<SigningKey> {
        let mut guard = self.keystore.lock();
        let ks = guard.as_mut().ok_or_else(|| crate::Error::Config("no keystore".into()))?;
        let info = ks.generate(name, suite)?;
        ks.get(&info.account).ok_or_else(|| crate::Error::Config("generated key vanished".into()))
    }

    /// Creates a token for `account`.
    ///
    /// # Errors
    /// No token store, or it cannot be written.
    pub fn token_for(&self, account: &AccountId, label: &str) -> crate::Result<String> {
        let mut guard = self.tokens.lock();
        let tokens = guard.as_mut().ok_or_else(|| crate::Error::Config("no token store".into()))?;
        Ok(tokens.create(*account, label, crate::now_ms())?.0)
    }
}

impl Custody for NodeCustody {
    fn authenticate(&self, bearer: &str) -> Result<Option<Caller>, String> {
        let mut guard = self.tokens.lock();
        let Some(tokens) = guard.as_mut() else { return Ok(None) };
        // Tokens read before a failed reload may include one revoked since: refuse
        // until the file reads again.
        tokens.reload_if_changed().map_err(|e| e.to_string())?;
        Ok(tokens
            .authenticate(bearer)
            .map(|info| Caller { account: info.account, token_id: info.id.clone() }))
    }

    fn sign(&self, account: &AccountId, tx: Tx) -> Result<SignedTx, String> {
        let guard = self.keystore.lock();
        let ks = guard.as_ref().ok_or("this node holds no keys")?;
        if tx.sender.account_id() != *account {
            return Err("the transaction's sender is not the caller".into());
        }
        ks.sign_tx(tx)
            .map_err(|e| format!("this node does not hold the key of account {account}: {e}"))
    }

    fn generate(&self, name: &str, suite: Suite) -> Result<PublicKey, String> {
        let mut guard = self.keystore.lock();
        let ks = guard.as_mut().ok_or("this node has no keystore")?;
        // Keystore names are unique; a second member with the same display name gets a
        // numbered entry.
        let mut entry = name.to_string();
        for n in 2..1000 {
            if ks.find(&entry).is_none() {
                break;
            }
            entry = format!("{name} #{n}");
        }
        ks.generate(&entry, suite).map(|info| info.public_key).map_err(|e| e.to_string())
    }

    fn create_token(&self, account: &AccountId, label: &str) -> Result<String, String> {
        let mut guard = self.tokens.lock();
        let tokens = guard.as_mut().ok_or("this node has no token store")?;
        tokens
            .create(*account, label, crate::now_ms())
            .map(|(secret, _)| secret)
            .map_err(|e| e.to_string())
    }
}
