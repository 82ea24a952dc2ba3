//! Governance: changes to the consortium and to chain parameters, proposed by one
//! organisation's admin and enacted once a genesis-set threshold of organisations has
//! approved them.
//!
//! A [`Change`] adds, suspends, reinstates or removes an organisation, adds an admin to
//! one, lists or unlists a full node's key, or schedules a new version of a parameter.
//! Parameters live under `params/<app>/<name>` as a [`ParamSchedule`]: every version
//! with when it takes effect — at a block height (chain mechanics) or on a legal
//! effective date (tax rules). Values are the canonical JSON text of the owning
//! application's typed parameter (its `serde_json::to_string`), checked by that
//! application when proposed and again when enacted.

use crate::{
    codec_util::{bytes_size, read_bounded_str, write_bytes},
    field::Field,
    AccountId, OrgKind, PublicKey,
};
use bytes::BufMut;
use commonware_codec::{Buf, Error as CodecError, Read, Write};
use serde::{Deserialize, Serialize};

/// Longest parameter value (canonical JSON text), in bytes.
pub const MAX_PARAM_VALUE: usize = 16 * 1024;
/// Most versions one parameter keeps (older versions are never dropped: invoices name
/// the version they used).
pub const MAX_PARAM_VERSIONS: usize = 256;
/// Longest parameter id (`<app>/<name>`), in bytes.
pub const MAX_PARAM_ID: usize = 64;
/// Longest proposal note, in bytes.
pub const MAX_NOTE: usize = 512;

/// Whether `id` is a parameter id: `<app>/<name>`, each 1–31 of `[a-z0-9-]`.
pub fn valid_param_id(id: &str) -> bool {
    let seg = |s: &str| {
        !s.is_empty()
            && s.len() < 32
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    id.len() <= MAX_PARAM_ID && id.split_once('/').is_some_and(|(a, n)| seg(a) && seg(n))
}

/// When a parameter version takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effective {
    /// From this block height on (chain mechanics).
    AtHeight(u64),
    /// From this date on, `yyyymmdd` China time (tax rules: the legal effective date).
    OnDate(u32),
}

impl Field for Effective {
    fn write_field(&self, buf: &mut impl BufMut) {
        match self {
            Effective::AtHeight(h) => {
                buf.put_u8(0);
                h.write(buf);
            }
            Effective::OnDate(d) => {
                buf.put_u8(1);
                d.write(buf);
            }
        }
    }
    fn field_size(&self) -> usize {
        match self {
            Effective::AtHeight(_) => 9,
            Effective::OnDate(_) => 5,
        }
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, CodecError> {
        match u8::read_cfg(buf, &())? {
            0 => Ok(Effective::AtHeight(u64::read_cfg(buf, &())?)),
            1 => Ok(Effective::OnDate(u32::read_cfg(buf, &())?)),
            t => Err(CodecError::InvalidEnum(t)),
        }
    }
}

/// A parameter value: the canonical JSON text of the owning application's type, at most
/// [`MAX_PARAM_VALUE`] bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParamValue(pub String);

impl Field for ParamValue {
    fn write_field(&self, buf: &mut impl BufMut) {
        write_bytes(self.0.as_bytes(), buf)
    }
    fn field_size(&self) -> usize {
        bytes_size(self.0.as_bytes())
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, CodecError> {
        read_bounded_str(buf, MAX_PARAM_VALUE).map(ParamValue)
    }
}

canonical_struct! {
    /// One version of a parameter.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ParamVersion {
        /// Version number: 0 for the genesis value, then 1, 2, … in the order enacted.
        pub version: u32,
        /// When it takes effect.
        pub effective: Effective,
        /// The value.
        pub value: ParamValue,
        /// Height at which it was enacted (0 for genesis).
        pub enacted_at: u64,
        /// The proposal that enacted it (0 for genesis).
        pub proposal: u64,
    }
}

canonical_struct! {
    /// Every version of one parameter, in the order enacted (`params/<app>/<name>`).
    #[derive(Clone, Debug, PartialEq, Eq, Default)]
    pub struct ParamSchedule {
        /// The versions; `versions[i].version == i`.
        pub versions: Vec<ParamVersion>,
    }
}

impl ParamSchedule {
    /// The version in force at block `height`: of the versions effective by height, the
    /// one with the latest activation (the latest enacted on a tie).
    pub fn at_height(&self, height: u64) -> Option<&ParamVersion> {
        self.latest(|e| matches!(e, Effective::AtHeight(h) if h <= height))
    }

    /// The version in force on `date` (`yyyymmdd`): of the versions effective by date,
    /// the one with the latest effective date (the latest enacted on a tie).
    pub fn on_date(&self, date: u32) -> Option<&ParamVersion> {
        self.latest(|e| matches!(e, Effective::OnDate(d) if d <= date))
    }

    /// Version `version`.
    pub fn version(&self, version: u32) -> Option<&ParamVersion> {
        self.versions.get(version as usize).filter(|v| v.version == version)
    }

    fn latest(&self, applies: impl Fn(Effective) -> bool) -> Option<&ParamVersion> {
        self.versions
            .iter()
            .filter(|v| applies(v.effective))
            .max_by_key(|v| (v.effective, v.version))
    }
}

canonical_struct! {
    /// An admin key of a new or existing organisation.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct NewAdmin {
        /// The admin's public key.
        pub public_key: PublicKey,
        /// Display name.
        pub name: String,
    }
}

canonical_struct! {
    /// An organisation to create, with its first admins.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct NewOrganisation {
        /// Id, `[a-z0-9-]{1,64}`, unique.
        pub id: String,
        /// Display name.
        pub name: String,
        /// Kind (an enterprise is created by the tax authority, not by governance).
        pub kind: OrgKind,
        /// Its USCC where it has one (an enterprise must); none is the empty text.
        pub tax_id: Option<crate::Uscc> as empty_is_none,
        /// Its admins (at least one), each holding `org.admin`.
        pub admins: Vec<NewAdmin>,
    }
}

string_enum! {
    /// Whether an organisation's accounts may act.
    OrgStatus {
        /// Its accounts act as their roles allow.
        Active = (0, "active"),
        /// Its accounts can send nothing until governance reinstates it.
        Suspended = (1, "suspended"),
        /// Removed for good: its accounts can send nothing; the id is never reused.
        Removed = (2, "removed"),
    }
}

/// One status as people see it: its stable name (`as_str`, what the API's JSON carries)
/// and its [`label_zh`](OrgStatus::label_zh) / [`label_en`](OrgStatus::label_en).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StatusLabel {
    /// The stable name.
    pub name: &'static str,
    /// In Chinese.
    pub zh: &'static str,
    /// In English.
    pub en: &'static str,
}

/// The platform's statuses the pages show, with their labels: the organisations'. Each
/// application labels its own (`fapiao_invoice_types::status_labels`).
pub fn platform_status_labels() -> Vec<StatusLabel> {
    OrgStatus::ALL
        .iter()
        .map(|s| StatusLabel { name: s.as_str(), zh: s.label_zh(), en: s.label_en() })
        .collect()
}

crate::labels!(OrgStatus {
    Active => ("正常", "active"),
    Suspended => ("已暂停", "suspended"),
    Removed => ("已移除", "removed"),
});

/// What a governance proposal changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Adds an organisation with its admins (an enterprise only on a chain whose genesis has no
    /// tax authority: elsewhere the tax authority creates enterprises).
    AddOrganisation(NewOrganisation),
    /// Suspends, reinstates (`active`) or removes an organisation.
    SetOrganisationStatus {
        /// Organisation id.
        org: String,
        /// New status.
        status: OrgStatus,
    },
    /// Adds an admin to an existing organisation.
    AddOrgAdmin {
        /// Organisation id.
        org: String,
        /// The admin.
        admin: NewAdmin,
    },
    /// Schedules a new version of a parameter.
    SetParam {
        /// Parameter id, `<app>/<name>`.
        param: String,
        /// When it takes effect: a height at least the genesis activation delay ahead
        /// (chain mechanics), or a date no earlier than the enacting block's (tax rules).
        effective: Effective,
        /// The new value.
        value: ParamValue,
    },
    /// Lets a full node's key call the node-to-node routes.
    AddFullNode {
        /// Display name.
        name: String,
        /// The organisation running it.
        org: String,
        /// Its Ed25519 node key.
        public_key: [u8; 32],
    },
    /// Withdraws a full node's key.
    RemoveFullNode {
        /// Its Ed25519 node key.
        public_key: [u8; 32],
    },
}

impl Change {
    /// Stable name, for lists and logs.
    pub fn name(&self) -> &'static str {
        match self {
            Change::AddOrganisation(_) => "add_organisation",
            Change::SetOrganisationStatus { .. } => "set_organisation_status",
            Change::AddOrgAdmin { .. } => "add_org_admin",
            Change::SetParam { .. } => "set_param",
            Change::AddFullNode { .. } => "add_full_node",
            Change::RemoveFullNode { .. } => "remove_full_node",
        }
    }
}

impl Field for Change {
    fn write_field(&self, buf: &mut impl BufMut) {
        match self {
            Change::AddOrganisation(o) => {
                buf.put_u8(0);
                o.write_field(buf);
            }
            Change::SetOrganisationStatus { org, status } => {
                buf.put_u8(1);
                org.write_field(buf);
                status.write_field(buf);
            }
            Change::AddOrgAdmin { org, admin } => {
                buf.put_u8(2);
                org.write_field(buf);
                admin.write_field(buf);
            }
            Change::SetParam { param, effective, value } => {
                buf.put_u8(3);
                param.write_field(buf);
                effective.write_field(buf);
                value.write_field(buf);
            }
            Change::AddFullNode { name, org, public_key } => {
                buf.put_u8(4);
                name.write_field(buf);
                org.write_field(buf);
                public_key.write_field(buf);
            }
            Change::RemoveFullNode { public_key } => {
                buf.put_u8(5);
                public_key.write_field(buf);
            }
        }
    }

    fn field_size(&self) -> usize {
        1 + match self {
            Change::AddOrganisation(o) => o.field_size(),
            Change::SetOrganisationStatus { org, status } => org.field_size() + status.field_size(),
            Change::AddOrgAdmin { org, admin } => org.field_size() + admin.field_size(),
            Change::SetParam { param, effective, value } => {
                param.field_size() + effective.field_size() + value.field_size()
            }
            Change::AddFullNode { name, org, public_key } => {
                name.field_size() + org.field_size() + public_key.field_size()
            }
            Change::RemoveFullNode { public_key } => public_key.field_size(),
        }
    }

    fn read_field(buf: &mut impl Buf) -> Result<Self, CodecError> {
        Ok(match u8::read_cfg(buf, &())? {
            0 => Change::AddOrganisation(NewOrganisation::read_field(buf)?),
            1 => Change::SetOrganisationStatus {
                org: String::read_field(buf)?,
                status: OrgStatus::read_field(buf)?,
            },
            2 => Change::AddOrgAdmin {
                org: String::read_field(buf)?,
                admin: NewAdmin::read_field(buf)?,
            },
            3 => Change::SetParam {
                param: String::read_field(buf)?,
                effective: Effective::read_field(buf)?,
                value: ParamValue::read_field(buf)?,
            },
            4 => Change::AddFullNode {
                name: String::read_field(buf)?,
                org: String::read_field(buf)?,
                public_key: <[u8; 32]>::read_field(buf)?,
            },
            5 => Change::RemoveFullNode { public_key: <[u8; 32]>::read_field(buf)? },
            t => return Err(CodecError::InvalidEnum(t)),
        })
    }
}

canonical_struct! {
    /// An organisation admin proposes a change (their organisation's approval counts).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Propose {
        /// The change.
        pub change: Change,
        /// Why (shown with the proposal), at most 512 bytes.
        pub note: String,
    }
}

canonical_struct! {
    /// Names a proposal (approve, withdraw).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct ProposalRef {
        /// Proposal id.
        pub id: u64,
    }
}

string_enum! {
    /// Where a proposal stands.
    ProposalStatus {
        /// Collecting approvals (until it expires).
        Open = (0, "open"),
        /// Approved by the threshold and applied.
        Enacted = (1, "enacted"),
        /// Withdrawn by its proposer's organisation.
        Withdrawn = (2, "withdrawn"),
        /// Not enacted before its expiry height (never stored: derived on read).
        Expired = (3, "expired"),
    }
}

// Not in the pages' status tables: `open` there is an order's.
crate::labels!(ProposalStatus {
    Open => ("待表决", "open for approval"),
    Enacted => ("已生效", "enacted"),
    Withdrawn => ("已撤回", "withdrawn"),
    Expired => ("已过期", "expired"),
});

canonical_struct! {
    /// A governance proposal (`proposal/<id>`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProposalRecord {
        /// Id, allocated in order from 1.
        pub id: u64,
        /// The proposing account.
        pub proposer: AccountId,
        /// Its organisation.
        pub proposer_org: String,
        /// The change.
        pub change: Change,
        /// Why.
        pub note: String,
        /// Height at which it was proposed.
        pub proposed_at: u64,
        /// Last height at which it can be approved.
        pub expires_at: u64,
        /// Organisations that approved it, in order (the proposer's first).
        pub approvals: Vec<String>,
        /// Stored status (`open`, `enacted` or `withdrawn`).
        pub status: ProposalStatus,
        /// Height at which it was enacted or withdrawn (0 while open).
        pub decided_at: u64,
    }
}

impl ProposalRecord {
    /// The status at `height`: an open proposal past its expiry is `expired`.
    pub fn status_at(&self, height: u64) -> ProposalStatus {
        if self.status == ProposalStatus::Open && height > self.expires_at {
            ProposalStatus::Expired
        } else {
            self.status
        }
    }
}

canonical_struct! {
    /// A full node whose key may call the node-to-node routes (`full-node/<hex key>`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FullNodeRecord {
        /// Display name.
        pub name: String,
        /// The organisation running it.
        pub org: String,
        /// Its Ed25519 node key.
        pub public_key: [u8; 32],
        /// Height at which it was listed (0 = genesis).
        pub added_at: u64,
    }
}

canonical_struct! {
    /// The proposal counter (`proposal-seq`): the last id allocated.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
    pub struct ProposalSeq {
        /// Last id allocated (0: none yet).
        pub last: u64,
    }
}

/// Governance settings of the genesis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GovernanceConfig {
    /// Approvals, by distinct organisations, that enact a proposal (1 in a one-validator
    /// demo). At most the number of genesis organisations.
    pub threshold: u32,
    /// A chain-mechanics parameter takes effect at least this many blocks after the
    /// block that enacts it, so every validator knows it before it applies.
    pub activation_delay: u64,
    /// Blocks a proposal stays open for approvals.
    pub proposal_ttl: u64,
}

impl Default for GovernanceConfig {
    fn default() -> Self {
        Self { threshold: 1, activation_delay: 20, proposal_ttl: 100_000 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Encode;

    fn v(version: u32, effective: Effective) -> ParamVersion {
        ParamVersion {
            version,
            effective,
            value: ParamValue(format!("{version}")),
            enacted_at: 0,
            proposal: 0,
        }
    }

    #[test]
    fn the_version_in_force_is_the_latest_effective_one() {
        let s = ParamSchedule {
            versions: vec![
                v(0, Effective::AtHeight(0)),
                v(1, Effective::AtHeight(50)),
                v(2, Effective::AtHeight(30)),
                v(3, Effective::AtHeight(50)),
            ],
        };
        let at = |h| s.at_height(h).map(|v| v.version);
        assert_eq!(at(0), Some(0));
        assert_eq!(at(29), Some(0));
        assert_eq!(at(30), Some(2));
        assert_eq!(at(49), Some(2));
        // Two versions at 50: the later enacted wins.
        assert_eq!(at(50), Some(3));
        assert_eq!(s.on_date(20300101), None, "height versions never answer a date");
        let t = ParamSchedule {
            versions: vec![
                v(0, Effective::OnDate(20160501)),
                v(1, Effective::OnDate(20270101)),
                v(2, Effective::OnDate(20261201)),
            ],
        };
        let on = |d| t.on_date(d).map(|v| v.version);
        assert_eq!(on(20160430), None);
        assert_eq!(on(20261130), Some(0));
        assert_eq!(on(20261201), Some(2));
        assert_eq!(on(20270101), Some(1));
        assert_eq!(t.version(1).map(|v| v.effective), Some(Effective::OnDate(20270101)));
        assert!(t.version(3).is_none());
    }

    #[test]
    fn changes_round_trip() {
        let changes = [
            Change::AddOrganisation(NewOrganisation {
                id: "icbc-sz".into(),
                name: "ICBC Shenzhen".into(),
                kind: OrgKind::Bank,
                tax_id: None,
                admins: vec![NewAdmin {
                    public_key: PublicKey::Ed25519([3; 32]),
                    name: "admin".into(),
                }],
            }),
            Change::SetOrganisationStatus { org: "icbc-sz".into(), status: OrgStatus::Suspended },
            Change::AddOrgAdmin {
                org: "icbc-sz".into(),
                admin: NewAdmin { public_key: PublicKey::Ed25519([4; 32]), name: "b".into() },
            },
            Change::SetParam {
                param: "chain/mechanics".into(),
                effective: Effective::AtHeight(1000),
                value: ParamValue("{}".into()),
            },
            Change::AddFullNode { name: "n".into(), org: "o".into(), public_key: [5; 32] },
            Change::RemoveFullNode { public_key: [5; 32] },
        ];
        for c in changes {
            let p = Propose { change: c, note: "why".into() };
            let bytes = p.encode();
            assert_eq!(crate::decode_exact::<Propose>(&bytes, &()).unwrap(), p);
        }
        assert!(crate::decode_exact::<Propose>(&[9, 0], &()).is_err());
    }

    #[test]
    fn parameter_ids() {
        for ok in ["chain/mechanics", "invoice/tax-rules", "a/b"] {
            assert!(valid_param_id(ok), "{ok}");
        }
        for bad in ["chain", "/x", "x/", "Chain/x", "a/b/c", "a b/c"] {
            assert!(!valid_param_id(bad), "{bad}");
        }
    }
}
