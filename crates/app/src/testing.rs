//! Test scaffolding for applications (feature `testing`): [`Mem`], a state in memory, and
//! [`MemChain`], an application's chain in memory — organisations, accounts and state,
//! each action applied as the ledger applies it (the role check, then the application
//! through the seam; its writes kept only on success), one action per block.
//!
//! It panics on what a test got wrong (an unknown sender, a fatal error).
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use crate::{Application, Ctx, Error, StateAccess};
use commonware_codec::Encode;
use fapiao_types::{
    AccountId, AccountRecord, Action, Hash32, OrgKind, OrgRecord, OrgStatus, PublicKey, Role,
    StateKey, TxOutput,
};
use std::collections::BTreeMap;

/// A state in memory, by key path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mem(pub BTreeMap<String, Vec<u8>>);

impl StateAccess for Mem {
    fn read(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String> {
        Ok(self.0.get(&key.to_string()).cloned())
    }
    fn write(&mut self, key: &StateKey, value: Vec<u8>) {
        self.0.insert(key.to_string(), value);
    }
}

/// An application's chain in memory.
pub struct MemChain<A> {
    app: A,
    /// The state.
    pub state: Mem,
    orgs: BTreeMap<String, OrgRecord>,
    accounts: BTreeMap<AccountId, AccountRecord>,
    /// Height of the last block (one action each).
    pub height: u64,
    /// Time of the next block, ms since the Unix epoch.
    pub now_ms: u64,
    /// How far each block's time advances after it, ms.
    pub step_ms: u64,
    /// Hash of the last action sent (height in its first 8 bytes, `0xEE` last).
    pub last_tx: Hash32,
    /// The chain id the actions see ([`Ctx::chain_id`]).
    pub chain_id: &'static str,
    /// The chain secret the actions see ([`Ctx::secret`]).
    pub secret: Option<[u8; 32]>,
}

impl<A: Application> MemChain<A> {
    /// An empty chain of `app`, its first block at `now_ms`, blocks `step_ms` apart.
    pub fn new(app: A, now_ms: u64, step_ms: u64) -> Self {
        MemChain {
            app,
            state: Mem::default(),
            orgs: BTreeMap::new(),
            accounts: BTreeMap::new(),
            height: 0,
            now_ms,
            step_ms,
            last_tx: [0; 32],
            chain_id: "fapiao-test",
            secret: None,
        }
    }

    /// Adds an active organisation (its record written to the state).
    pub fn org(&mut self, id: &str, kind: OrgKind) {
        let o = OrgRecord {
            id: id.into(),
            name: id.into(),
            kind,
            tax_id: None,
            status: OrgStatus::Active,
        };
        self.state.write(&StateKey::Org(o.id.clone()), o.encode().to_vec());
        self.orgs.insert(o.id.clone(), o);
    }

    /// Adds account `id` (an Ed25519 key of the same bytes) to `org` with `roles`.
    pub fn account(&mut self, id: AccountId, org: &str, roles: &[Role]) {
        let record = AccountRecord {
            public_key: PublicKey::Ed25519(id.0),
            org: org.into(),
            name: org.into(),
            roles: roles.to_vec(),
            added_at: 0,
            revoked_at: None,
        };
        self.state.write(&StateKey::Account(id), record.encode().to_vec());
        self.accounts.insert(id, record);
    }

    /// Sends `action` from `sender` in the next block: `Ok(output)` or
    /// `Err((code, field))` (`missing_role` on `sender` when its spec's role is not held).
    pub fn send(
        &mut self,
        sender: AccountId,
        action: impl Into<Action>,
    ) -> Result<TxOutput, (&'static str, String)> {
        let Action::App(action) = action.into() else { panic!("not an application action") };
        self.height += 1;
        let time_ms = self.now_ms;
        self.now_ms += self.step_ms;
        let mut tx_hash = [0u8; 32];
        tx_hash[..8].copy_from_slice(&self.height.to_be_bytes());
        tx_hash[31] = 0xEE;
        self.last_tx = tx_hash;
        let account = self.accounts.get(&sender).expect("the sender is an account of the test");
        if let Some(role) = action.spec().role {
            if !account.roles.contains(&role) {
                return Err(("missing_role", "sender".into()));
            }
        }
        let ctx = Ctx {
            height: self.height,
            time_ms,
            tx_hash,
            sender,
            account,
            org: &self.orgs[&account.org],
            chain_id: self.chain_id,
            secret: self.secret.as_ref(),
        };
        let mut staged = self.state.clone();
        match self.app.apply(&mut staged, &action, &ctx) {
            Ok(out) => {
                self.state = staged;
                Ok(out)
            }
            Err(Error::Rejected { code, field, .. }) => Err((code, field)),
            Err(e) => panic!("fatal: {e}"),
        }
    }

    /// Sends and expects success.
    pub fn ok(&mut self, sender: AccountId, action: impl Into<Action>) -> TxOutput {
        let action = action.into();
        let name = action.name();
        self.send(sender, action).unwrap_or_else(|e| panic!("{name} refused: {e:?}"))
    }

    /// Sends and expects a refusal with `code` on `field`; checks nothing was written.
    pub fn refused(
        &mut self,
        sender: AccountId,
        action: impl Into<Action>,
        code: &str,
        field: &str,
    ) {
        let action = action.into();
        let name = action.name();
        let before = self.state.0.clone();
        match self.send(sender, action) {
            Err((c, f)) => {
                assert_eq!((c, f.as_str()), (code, field), "{name}");
                assert_eq!(before, self.state.0, "{name} wrote on refusal");
            }
            Ok(out) => panic!("{name} accepted ({out:?}); expected {code} on {field}"),
        }
    }

    /// The record under `key`, decoded.
    pub fn get<T: commonware_codec::Read<Cfg = ()>>(&self, key: impl Into<StateKey>) -> Option<T> {
        self.state
            .read(&key.into())
            .unwrap()
            .map(|b| fapiao_types::decode_exact::<T>(&b, &()).unwrap())
    }
}
