//! Permissioned membership: who may send a transaction, and the account actions.
//!
//! Every transaction's sender must be a known, unrevoked account holding the role its
//! action needs. An organisation's admin adds and revokes its own organisation's
//! accounts, granting only roles that fit the organisation's kind.

use crate::{
    error::Rejection,
    exec::{ExecError, TxState},
    store::ReadStore,
};
use fapiao_app::Platform;
use fapiao_types::{AccountId, AccountRecord, Action, OrgRecord, OrgStatus, StateKey, Tx};

type R<T> = core::result::Result<T, ExecError>;

/// Whether `action` may come from a key with no account: an application action whose
/// spec says so (only an applicant's fresh key applying for registration, express
/// edition, docs/formats.md §4.9). Admission, block
/// checks, proposal selection and execution all ask this one function.
pub fn may_send_without_account(action: &Action) -> bool {
    action.keyless()
}

/// Whether the account `id` (its record, if registered) may send `tx`: known,
/// unrevoked, holding the role the action needs. Shared by admission and execution.
pub(crate) fn check_sender(
    id: &AccountId,
    account: Option<AccountRecord>,
    tx: &Tx,
) -> Result<AccountRecord, Rejection> {
    let Some(account) = account else {
        if may_send_without_account(&tx.action) {
            // Express edition: an applicant's fresh key. Its application creates its
            // account (`fapiao_invoice`); until then it stands for no organisation.
            return Ok(AccountRecord {
                public_key: tx.sender,
                org: String::new(),
                name: String::new(),
                roles: Vec::new(),
                added_at: 0,
                revoked_at: None,
            });
        }
        return Err(Rejection::new(
            Platform::UnknownAccount,
            Some("sender"),
            format!("account {id} is not registered on this chain"),
        ));
    };
    if let Some(h) = account.revoked_at {
        return Err(Rejection::new(
            Platform::RevokedAccount,
            Some("sender"),
            format!("account {id} was revoked at height {h}"),
        ));
    }
    if let Some(role) = tx.action.required_role() {
        if !account.has_role(role) {
            return Err(Rejection::missing_role(role, tx.action.name()));
        }
    }
    Ok(account)
}

/// Refuses a sender whose organisation governance suspended or removed.
pub(crate) fn check_org(org: &OrgRecord) -> Result<(), Rejection> {
    if org.status == OrgStatus::Active {
        return Ok(());
    }
    Err(Rejection::new(
        Platform::OrgInactive,
        Some("sender"),
        format!("organisation {} is {}", org.id, org.status),
    ))
}

/// The sender's account and organisation, if it may send `tx` (known, unrevoked, holds
/// the role, its organisation active).
pub(crate) fn authorize<S: ReadStore + ?Sized>(
    state: &TxState<'_, S>,
    tx: &Tx,
) -> R<(AccountRecord, OrgRecord)> {
    let id = tx.sender_account();
    let account = state.get::<AccountRecord>(&StateKey::Account(id))?;
    let account = check_sender(&id, account, tx)?;
    if account.org.is_empty() {
        // An applicant's fresh key (express edition) stands for no organisation yet.
        let none = OrgRecord {
            id: String::new(),
            name: String::new(),
            kind: fapiao_types::OrgKind::Enterprise,
            tax_id: None,
            status: OrgStatus::Active,
        };
        return Ok((account, none));
    }
    let org = state.get::<OrgRecord>(&StateKey::Org(account.org.clone()))?.ok_or_else(|| {
        ExecError::Fatal(crate::Error::Corrupt {
            what: "organisation",
            reason: format!("account belongs to missing organisation {}", account.org),
        })
    })?;
    check_org(&org)?;
    Ok((account, org))
}

/// Applies a membership action.
pub(crate) fn apply<S: ReadStore + ?Sized>(
    state: &mut TxState<'_, S>,
    sender: &AccountRecord,
    tx: &Tx,
) -> R<()> {
    match &tx.action {
        Action::AddAccount(new) => {
            let org =
                state.get::<OrgRecord>(&StateKey::Org(sender.org.clone()))?.ok_or_else(|| {
                    ExecError::Fatal(crate::Error::Corrupt {
                        what: "organisation",
                        reason: format!("account belongs to missing organisation {}", sender.org),
                    })
                })?;
            if new.name.trim().is_empty() {
                return Err(
                    Rejection::new(Platform::InvalidField, Some("name"), "name is empty").into()
                );
            }
            if let Some(role) = new.roles.iter().find(|r| !r.allowed_in(org.kind)) {
                return Err(Rejection::new(
                    Platform::RoleNotAllowed,
                    Some("roles"),
                    format!("role {role} cannot be held in a {} organisation", org.kind),
                )
                .into());
            }
            if let Err(e) = fapiao_crypto::validate_public_key(&new.public_key) {
                return Err(Rejection::new(
                    Platform::InvalidKey,
                    Some("public_key"),
                    format!("the new account's key is not usable: {e}"),
                )
                .into());
            }
            let mut roles = new.roles.clone();
            roles.sort();
            roles.dedup();
            let key = StateKey::Account(new.public_key.account_id());
            if state.get::<AccountRecord>(&key)?.is_some() {
                return Err(Rejection::new(
                    Platform::AccountExists,
                    Some("public_key"),
                    format!("account {} already exists", new.public_key.account_id()),
                )
                .into());
            }
            let record = AccountRecord {
                public_key: new.public_key,
                org: sender.org.clone(),
                name: new.name.clone(),
                roles,
                added_at: state.height,
                revoked_at: None,
            };
            state.put(&key, &record);
            Ok(())
        }
        Action::RevokeAccount { account } => {
            if *account == tx.sender_account() {
                return Err(Rejection::new(
                    Platform::CannotRevokeSelf,
                    Some("account"),
                    "an admin cannot revoke its own account",
                )
                .into());
            }
            let key = StateKey::Account(*account);
            let Some(mut record) = state.get::<AccountRecord>(&key)? else {
                return Err(Rejection::new(
                    Platform::NoSuchAccount,
                    Some("account"),
                    format!("account {account} does not exist"),
                )
                .into());
            };
            if record.org != sender.org {
                return Err(Rejection::new(
                    Platform::NotInOrg,
                    Some("account"),
                    format!("account {account} belongs to organisation {}", record.org),
                )
                .into());
            }
            if record.revoked_at.is_some() {
                return Err(Rejection::new(
                    Platform::AlreadyRevoked,
                    Some("account"),
                    format!("account {account} is already revoked"),
                )
                .into());
            }
            record.revoked_at = Some(state.height);
            state.put(&key, &record);
            Ok(())
        }
        #[allow(unreachable_patterns)]
        other => Err(Rejection::new(
            Platform::InvalidField,
            Some("action"),
            format!("action {} is not handled by membership", other.name()),
        )
        .into()),
    }
}
