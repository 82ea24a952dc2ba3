//! The crate's one error type.

use fapiao_types::AccountId;
use std::path::PathBuf;

/// Why a keystore operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file (keystore, token store, key file) failed.
    #[error("keystore {}: {source}", path.display())]
    Io {
        /// The file (or its temporary sibling) involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// [`crate::Keystore::create`], [`crate::write_key_file`] or
    /// [`crate::write_validator_key`] found a file already at the path.
    #[error("keystore {} already exists", path.display())]
    AlreadyExists {
        /// The path that is taken.
        path: PathBuf,
    },
    /// The passphrase does not decrypt the keystore's check block: it is wrong,
    /// or the salt, KDF parameters or check block in the file were altered.
    #[error("wrong passphrase for this keystore")]
    WrongPassphrase,
    /// An empty passphrase was given when creating a keystore.
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    /// The file is not a keystore this version can read (bad JSON, bad hex, wrong
    /// lengths, an account id that does not match its public key, duplicates).
    #[error("malformed keystore: {reason}")]
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// The file's format version is not one this crate reads.
    #[error("unsupported keystore version {found} (this build reads {supported})")]
    UnsupportedVersion {
        /// The version in the file.
        found: u32,
        /// The version this build reads and writes.
        supported: u32,
    },
    /// KDF parameters outside the accepted range (see [`crate::KdfParams`]).
    #[error("invalid KDF parameters: {reason}")]
    InvalidKdfParams {
        /// Which bound is broken.
        reason: String,
    },
    /// The file's KDF cost is below the floor [`crate::Keystore::open`] accepts
    /// ([`crate::KdfParams::FLOOR`]): a stolen copy would be too cheap to guess.
    #[error("weak keystore KDF: {reason}; re-encrypt it with `fapiao keystore rekey`")]
    WeakKdf {
        /// Which parameter is below the floor.
        reason: String,
    },
    /// Another process re-encrypted the keystore (new salt or KDF cost) since it
    /// was opened here: open it again with the new passphrase.
    #[error("keystore {} was re-encrypted since it was opened", path.display())]
    Rekeyed {
        /// The keystore file.
        path: PathBuf,
    },
    /// An entry fails authentication under the right passphrase: its ciphertext,
    /// nonce, public key, account or name was altered, or the decrypted secret
    /// does not belong to the public key it is filed under.
    #[error("keystore entry for account {account} was tampered with")]
    Tampered {
        /// The account the entry claims.
        account: AccountId,
    },
    /// The keystore already holds a key for this account.
    #[error("the keystore already holds account {account}")]
    DuplicateAccount {
        /// The account.
        account: AccountId,
    },
    /// The keystore already holds a key with this name.
    #[error("the keystore already holds a key named {name:?}")]
    DuplicateName {
        /// The name.
        name: String,
    },
    /// A key name that is empty, longer than [`crate::MAX_NAME_LEN`] bytes or
    /// contains control characters.
    #[error("invalid key name {name:?}")]
    InvalidName {
        /// The refused name.
        name: String,
    },
    /// No key for this account is held.
    #[error("no key for account {account} in the keystore")]
    UnknownAccount {
        /// The account asked for.
        account: AccountId,
    },
    /// A token store or key file that cannot be read: bad JSON, unknown fields,
    /// bad hex, wrong lengths, an invalid secret, duplicates, or the wrong kind
    /// of file.
    #[error("{}: {reason}", path.display())]
    InvalidFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A key file's public key or account does not belong to its secret key.
    #[error("{}: {field} does not match the secret key", path.display())]
    KeyMismatch {
        /// The key file.
        path: PathBuf,
        /// The field that does not match (`public_key` or `account`).
        field: &'static str,
    },
    /// An API token label longer than [`crate::MAX_NAME_LEN`] bytes or
    /// containing control characters.
    #[error("invalid token label {label:?}")]
    InvalidLabel {
        /// The refused label.
        label: String,
    },
    /// A key failed to load or sign.
    #[error(transparent)]
    Crypto(#[from] fapiao_crypto::Error),
}

/// Result with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
