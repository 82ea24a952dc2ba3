//! The seam between the demo and each application: a [`Story`] names the organisations
//! and member accounts it needs in the genesis ([`DemoOrg`]) and puts its part of the
//! demo on chain by signed transactions ([`Story::seed`], through a [`Seeding`]).
//!
//! [`consortium`] merges the stories' organisations in order: an organisation several
//! stories need (the tax bureau, say) is declared by each with the same id, name, kind
//! and taxpayer id, and its members are joined. [`seed_chain`] adds every member
//! account, then runs each story's seed step in turn. Seeding must be idempotent: a
//! demo that stopped half-way seeds again on its next start.
//!
//! A story seeds with [`key_named`] (a member's key), [`signed`] and
//! [`submit_all_and_wait`] (the node's admission, as any client's transaction), reads
//! the chain through the node's ledger, and leaves files with [`Seeding::write_file`].

use crate::{Error, Result};
use fapiao_app::Platform;
use fapiao_crypto::SigningKey;
use fapiao_node::NodeHandle;
use fapiao_types::{Action, NewAccount, OrgKind, Role, SignedTx, Suite, Tx};
use std::{future::Future, path::PathBuf, pin::Pin, time::Duration};

/// One member account a story needs.
pub struct DemoMember {
    /// Display name (also its keystore entry name; unique in the consortium).
    pub name: &'static str,
    /// Roles.
    pub roles: &'static [Role],
    /// Suite.
    pub suite: Suite,
}

impl DemoMember {
    /// A member.
    pub const fn new(name: &'static str, roles: &'static [Role], suite: Suite) -> Self {
        Self { name, roles, suite }
    }
}

/// One organisation as a story declares it (its admin key is generated for it).
pub struct DemoOrg {
    /// Id.
    pub id: &'static str,
    /// Name.
    pub name: &'static str,
    /// Kind.
    pub kind: OrgKind,
    /// Taxpayer id (USCC), where it has one.
    pub tax_id: &'static str,
    /// Members beyond the admin.
    pub members: &'static [DemoMember],
}

/// An organisation of the composed consortium: every story's members of it.
#[derive(Clone)]
pub struct Org {
    /// Id.
    pub id: &'static str,
    /// Name.
    pub name: &'static str,
    /// Kind.
    pub kind: OrgKind,
    /// Taxpayer id (USCC), or empty.
    pub tax_id: &'static str,
    /// Members beyond the admin, in story order.
    pub members: Vec<&'static DemoMember>,
}

impl Org {
    /// Its USCC, parsed where the demo's declaration enters the chain (genesis); none for
    /// an organisation without one.
    ///
    /// # Errors
    /// [`crate::Error::Seed`] for a declared tax id that is no USCC.
    pub fn uscc(&self) -> Result<Option<fapiao_types::Uscc>> {
        if self.tax_id.is_empty() {
            return Ok(None);
        }
        self.tax_id.parse().map(Some).map_err(|e: fapiao_values::Error| {
            crate::Error::Seed(format!("demo taxpayer id {}: {e}", self.tax_id))
        })
    }
}

/// The future a story's seed step returns.
pub type SeedFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// One application's part of the demo.
pub trait Story: Send + Sync {
    /// A short name, for logs and errors.
    fn name(&self) -> &'static str;

    /// The organisations, with their member accounts, this story needs in the genesis.
    fn organisations(&self) -> &'static [DemoOrg];

    /// Puts the story on chain by signed transactions, once every member account of
    /// the consortium exists. Idempotent: what is already on chain is not sent again.
    fn seed<'a>(&'a self, seeding: &'a Seeding<'a>) -> SeedFuture<'a>;

    /// Files this story leaves under `DIR/demo/` for a newcomer (served at `/demo/NAME`).
    fn files(&self) -> &'static [&'static str] {
        &[]
    }

    /// Lines for the start-up banner, from what the seed step left under `demo_dir`;
    /// `base` is the pages' address (`http://ADDR`).
    fn notes(&self, demo_dir: &std::path::Path, base: &str) -> Vec<String> {
        let _ = (demo_dir, base);
        Vec::new()
    }
}

/// The organisations of `stories`, merged by id in order of first appearance.
///
/// # Errors
/// [`Error::Layout`] when two stories describe one organisation differently, or name
/// two members alike.
pub fn consortium(stories: &[Box<dyn Story>]) -> Result<Vec<Org>> {
    let mut orgs: Vec<Org> = Vec::new();
    for story in stories {
        for decl in story.organisations() {
            let org = match orgs.iter_mut().position(|o| o.id == decl.id) {
                Some(i) => {
                    let o = &mut orgs[i];
                    if (o.name, o.kind, o.tax_id) != (decl.name, decl.kind, decl.tax_id) {
                        return Err(Error::Layout(format!(
                            "story {} describes organisation {} differently from an earlier \
                             story",
                            story.name(),
                            decl.id
                        )));
                    }
                    o
                }
                None => {
                    orgs.push(Org {
                        id: decl.id,
                        name: decl.name,
                        kind: decl.kind,
                        tax_id: decl.tax_id,
                        members: Vec::new(),
                    });
                    let last = orgs.len() - 1;
                    &mut orgs[last]
                }
            };
            org.members.extend(decl.members.iter());
        }
    }
    let mut names: Vec<String> = orgs
        .iter()
        .flat_map(|o| o.members.iter().map(|m| m.name.to_string()).chain([crate::admin_name(o)]))
        .collect();
    names.sort();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::Layout(format!("two demo members are called {:?}", w[0])));
    }
    Ok(orgs)
}

/// A seeded identity: name, roles, key.
pub type Seeded = (String, Vec<Role>, SigningKey);

/// Every organisation of the consortium with its members' keys, the admin first.
pub type Planned = Vec<(Org, Vec<Seeded>)>;

/// What a story seeds with: the running node, every member's key, and the directory
/// where it leaves files for a newcomer.
pub struct Seeding<'a> {
    /// The node (its ledger, admission and custody).
    pub node: &'a NodeHandle,
    /// Every organisation with its members' keys.
    pub planned: &'a Planned,
    /// `DIR/demo`: files a story leaves for a newcomer (see [`Story::files`]).
    pub demo_dir: PathBuf,
    /// The `fapiao` executable a story starts its helper processes with (a department's
    /// responder); `None` where the demo runs inside another program (tests), and the
    /// stories then seed without them.
    pub helper: Option<PathBuf>,
}

impl std::ops::Deref for Seeding<'_> {
    type Target = NodeHandle;

    /// The node a story seeds through.
    fn deref(&self) -> &NodeHandle {
        self.node
    }
}

impl Seeding<'_> {
    /// The organisation `id`.
    ///
    /// # Errors
    /// [`Error::Seed`] when the consortium has none.
    pub fn org(&self, id: &str) -> Result<&Org> {
        self.planned
            .iter()
            .map(|(o, _)| o)
            .find(|o| o.id == id)
            .ok_or_else(|| Error::Seed(format!("no demo organisation {id}")))
    }

    /// Writes `bytes` to `DIR/demo/NAME`.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Node`] when it cannot be written.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> Result<()> {
        std::fs::create_dir_all(&self.demo_dir).map_err(|e| Error::io(&self.demo_dir, e))?;
        Ok(fapiao_node::write_atomic(&self.demo_dir.join(name), bytes)?)
    }
}

/// The key of member `name`.
///
/// # Errors
/// [`Error::Seed`] when no organisation has such a member.
pub fn key_named<'a>(planned: &'a Planned, name: &str) -> Result<&'a SigningKey> {
    planned
        .iter()
        .flat_map(|(_, ms)| ms.iter())
        .find(|(n, _, _)| n == name)
        .map(|(_, _, k)| k)
        .ok_or_else(|| Error::Seed(format!("no demo member {name}")))
}

/// `action`, signed by `key`, expiring 100 blocks ahead.
pub fn signed(h: &NodeHandle, key: &SigningKey, action: Action) -> SignedTx {
    key.sign_tx(Tx {
        chain_id: h.ledger.genesis().chain_id.clone(),
        sender: key.public_key(),
        nonce: rand_nonce(),
        expiry: h.ledger.tip().height + 100,
        action,
    })
}

/// Submits `txs` and waits until each executed (a replay of one already admitted counts
/// as submitted).
///
/// # Errors
/// [`Error::Seed`] when one is refused or fails, or not all execute within 60 s.
pub async fn submit_all_and_wait(h: &NodeHandle, txs: Vec<SignedTx>) -> Result<()> {
    let mut hashes = Vec::with_capacity(txs.len());
    for stx in txs {
        hashes.push(stx.hash());
        let size = commonware_codec::EncodeSize::encode_size(&stx);
        match h.admitter.submit(stx, size).await {
            Ok(_) => {}
            Err(r) if r.code == Platform::Replayed.code() => {}
            Err(r) => return Err(Error::Seed(format!("seeding transaction refused: {r}"))),
        }
    }
    let mut executed = h.executed.clone();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    for hash in hashes {
        loop {
            if let Some(found) = h.ledger.transaction(&hash)? {
                if let fapiao_types::Outcome::Failed { code, message, .. } = found.receipt.outcome {
                    return Err(Error::Seed(format!(
                        "seeding transaction failed: {code}: {message}"
                    )));
                }
                break;
            }
            if tokio::time::timeout_at(deadline, executed.changed()).await.is_err() {
                return Err(Error::Seed("seeding transactions not executed within 60 s".into()));
            }
        }
    }
    Ok(())
}

/// Puts the consortium on chain (idempotently: what is already there is not submitted
/// again): every member account, then each story's seed step in order.
///
/// # Errors
/// A refused or failed seeding transaction, or one not executed within a minute.
pub async fn seed_chain(
    h: &NodeHandle,
    planned: &Planned,
    demo_dir: PathBuf,
    stories: &[Box<dyn Story>],
    helper: Option<PathBuf>,
) -> Result<()> {
    // First every add-account transaction, then one submission round and one wait:
    // seeding takes a block or two, not one block per member.
    let chain_id = h.ledger.genesis().chain_id.clone();
    let tip = h.ledger.tip().height;
    let mut pending: Vec<SignedTx> = Vec::new();
    for (_, members) in planned {
        let Some((_, _, admin_key)) = members.first() else { continue };
        for (name, roles, key) in &members[1..] {
            if h.ledger.account(&key.account_id())?.is_none() {
                let tx = Tx {
                    chain_id: chain_id.clone(),
                    sender: admin_key.public_key(),
                    nonce: rand_nonce(),
                    expiry: tip + 100,
                    action: Action::AddAccount(NewAccount {
                        public_key: key.public_key(),
                        name: name.clone(),
                        roles: roles.clone(),
                    }),
                };
                pending.push(admin_key.sign_tx(tx));
            }
        }
    }
    submit_all_and_wait(h, pending).await?;
    let seeding = Seeding { node: h, planned, demo_dir, helper };
    for story in stories {
        story.seed(&seeding).await.map_err(|e| match e {
            Error::Seed(m) => Error::Seed(format!("{} story: {m}", story.name())),
            e => e,
        })?;
    }
    Ok(())
}

/// 32 random bytes (an invoice salt).
pub fn rand_salt() -> [u8; 32] {
    let mut s = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut s);
    s
}

/// A random transaction nonce.
pub fn rand_nonce() -> u64 {
    use rand_core::RngCore;
    rand_core::OsRng.next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Declares(&'static [DemoOrg]);

    impl Story for Declares {
        fn name(&self) -> &'static str {
            "test"
        }
        fn organisations(&self) -> &'static [DemoOrg] {
            self.0
        }
        fn seed<'a>(&'a self, _: &'a Seeding<'a>) -> SeedFuture<'a> {
            Box::pin(async { Ok(()) })
        }
    }

    const TAX_A: &[DemoOrg] = &[DemoOrg {
        id: "tax",
        name: "税务局",
        kind: OrgKind::TaxAuthority,
        tax_id: "",
        members: &[DemoMember::new("Officer A", &[Role::TaxOfficer], Suite::Ed25519)],
    }];
    const TAX_B: &[DemoOrg] = &[
        DemoOrg {
            id: "bank",
            name: "银行",
            kind: OrgKind::Bank,
            tax_id: "",
            members: &[DemoMember::new("Loan officer", &[Role::BankOfficer], Suite::Ed25519)],
        },
        DemoOrg {
            id: "tax",
            name: "税务局",
            kind: OrgKind::TaxAuthority,
            tax_id: "",
            members: &[DemoMember::new("Officer B", &[Role::TaxOfficer], Suite::Sm2)],
        },
    ];
    const TAX_OTHER_NAME: &[DemoOrg] = &[DemoOrg {
        id: "tax",
        name: "另一个税务局",
        kind: OrgKind::TaxAuthority,
        tax_id: "",
        members: &[],
    }];

    #[test]
    fn stories_sharing_an_organisation_join_their_members() {
        let stories: Vec<Box<dyn Story>> =
            vec![Box::new(Declares(TAX_A)), Box::new(Declares(TAX_B))];
        let orgs = consortium(&stories).unwrap();
        assert_eq!(orgs.iter().map(|o| o.id).collect::<Vec<_>>(), ["tax", "bank"]);
        let tax: Vec<&str> = orgs[0].members.iter().map(|m| m.name).collect();
        assert_eq!(tax, ["Officer A", "Officer B"]);
    }

    #[test]
    fn stories_describing_an_organisation_differently_or_a_member_twice_are_refused() {
        let differ: Vec<Box<dyn Story>> =
            vec![Box::new(Declares(TAX_A)), Box::new(Declares(TAX_OTHER_NAME))];
        assert!(matches!(consortium(&differ), Err(Error::Layout(_))));
        let twice: Vec<Box<dyn Story>> = vec![Box::new(Declares(TAX_A)), Box::new(Declares(TAX_A))];
        assert!(matches!(consortium(&twice), Err(Error::Layout(m)) if m.contains("Officer A")));
    }

    #[test]
    fn the_demo_consortium_composes() {
        let orgs = consortium(&crate::stories()).unwrap();
        assert!(orgs.iter().any(|o| o.kind == OrgKind::TaxAuthority));
        for id in crate::network::HOSTS {
            assert!(orgs.iter().any(|o| o.id == *id), "validator host {id} is in the consortium");
        }
    }
}
