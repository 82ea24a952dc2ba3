//! The light client on an in-memory state: a source chain of four validators whose
//! headers and finality certificates are built here from the documented encodings
//! (docs/formats.md §5 and `fapiao_verify::certificate`), every refusal with its own
//! code, the window's race and trim rules, and proofs against a kept header.

mod refusals;
mod window;

use commonware_codec::Encode;
use ed25519_consensus::SigningKey;
use fapiao_app::Ctx;
pub(crate) use fapiao_crosschain::testing::Mem;
use fapiao_crosschain::{
    testing::{certificate, param},
    RegisteredChain, RegisteredChains, WindowPolicy,
};
use fapiao_crosschain_types::{chain_key, Blob, CrosschainAction, RelayHeader};
use fapiao_types::{
    sha256, AccountId, AccountRecord, Hash32, Header, OrgKind, OrgRecord, OrgStatus, PublicKey,
    HEADER_VERSION,
};

pub(crate) const SOURCE: &str = "fapiao-tax";

/// A source chain: its validators' keys and its genesis hash.
pub(crate) struct Source {
    pub chain_id: String,
    pub keys: Vec<SigningKey>,
    pub genesis: Hash32,
}

impl Source {
    pub(crate) fn new(chain_id: &str, n: usize, seed: u8) -> Source {
        let keys = (0..n)
            .map(|i| SigningKey::from([seed.wrapping_add(i as u8).wrapping_mul(7) | 1; 32]))
            .collect();
        Source { chain_id: chain_id.into(), keys, genesis: sha256(chain_id.as_bytes()) }
    }

    pub(crate) fn registration(&self) -> RegisteredChain {
        RegisteredChain {
            chain_id: self.chain_id.clone(),
            genesis_hash: hex::encode(self.genesis),
            validators: self
                .keys
                .iter()
                .map(|k| hex::encode(k.verification_key().to_bytes()))
                .collect(),
        }
    }

    /// The header at `height` on the straight chain `parent` names (`root` as its state
    /// root).
    pub(crate) fn header(&self, height: u64, parent: Hash32, root: Hash32) -> Header {
        Header {
            version: HEADER_VERSION,
            chain_id: chain_key(&self.chain_id),
            height,
            parent,
            time_ms: 1_796_184_000_000 + height * 500,
            proposer: 0,
            tx_root: sha256(b""),
            tx_count: 0,
            state_height: height - 1,
            state_root: root,
        }
    }

    /// Headers 1..=n, each the child of the one before.
    pub(crate) fn chain(&self, n: u64) -> Vec<Header> {
        let mut out: Vec<Header> = Vec::new();
        for h in 1..=n {
            let parent = out.last().map_or(self.genesis, Header::digest);
            out.push(self.header(h, parent, [h as u8; 32]));
        }
        out
    }

    /// The finality blob of `header` signed by the validators at `signers` (positions in
    /// ascending key order, as the certificate's bitmap counts them).
    pub(crate) fn certify(&self, header: &Header, signers: &[usize]) -> Vec<u8> {
        certificate(&self.keys, header, signers)
    }

    /// Signed by everyone.
    pub(crate) fn certify_all(&self, header: &Header) -> Vec<u8> {
        self.certify(header, &(0..self.keys.len()).collect::<Vec<_>>())
    }
}

pub(crate) fn relay_of(chain: &str, header: &Header, blob: Vec<u8>) -> CrosschainAction {
    CrosschainAction::RelayHeader(RelayHeader {
        chain: chain.into(),
        header: Blob(header.encode().to_vec()),
        certificate: Blob(blob),
    })
}

/// The destination chain: a state with `sources` registered and a window of `window`.
pub(crate) struct Dest {
    pub state: Mem,
    pub height: u64,
    account: AccountRecord,
    org: OrgRecord,
}

impl Dest {
    pub(crate) fn new(sources: &[&Source], window: u32) -> Dest {
        let mut state = Mem::default();
        let chains =
            RegisteredChains { chains: sources.iter().map(|s| s.registration()).collect() };
        param(&mut state, "crosschain/chains", &chains);
        param(&mut state, "crosschain/window", &WindowPolicy { headers: window });
        Dest {
            state,
            height: 10,
            account: AccountRecord {
                public_key: PublicKey::Ed25519([9; 32]),
                org: "bank".into(),
                name: "relayer".into(),
                roles: vec![],
                added_at: 0,
                revoked_at: None,
            },
            org: OrgRecord {
                id: "bank".into(),
                name: "bank".into(),
                kind: OrgKind::Bank,
                tax_id: None,
                status: OrgStatus::Active,
            },
        }
    }

    /// Applies `action` as the ledger would (writes kept only on success): `Ok` or the
    /// refusal's code.
    pub(crate) fn send(&mut self, action: &CrosschainAction) -> Result<(), &'static str> {
        self.height += 1;
        let ctx = Ctx {
            height: self.height,
            time_ms: 1_796_184_000_000,
            tx_hash: [self.height as u8; 32],
            sender: AccountId([9; 32]),
            account: &self.account,
            org: &self.org,
            chain_id: "fapiao-test",
            secret: None,
        };
        let mut scratch = self.state.clone();
        match fapiao_crosschain::apply(&mut scratch, action, &ctx) {
            Ok(_) => {
                self.state = scratch;
                Ok(())
            }
            Err(fapiao_app::Error::Rejected { code, .. }) => Err(code),
            Err(e) => panic!("fatal: {e}"),
        }
    }

    pub(crate) fn heights(&self, chain: &str) -> Vec<u64> {
        fapiao_crosschain::window(&self.state, chain)
            .unwrap()
            .entries
            .iter()
            .map(|e| e.height)
            .collect()
    }
}
