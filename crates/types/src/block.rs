//! Block headers and blocks.
//!
//! The digest consensus certifies is SHA-256 of the **header only**; the header
//! carries the Merkle root of the block's transaction hashes. Because execution
//! follows finalization, a header commits to the state of an earlier block:
//! `state_height`/`state_root` name the latest finalized block its proposer had
//! executed (never lower than the parent's claim).

use crate::{
    codec_util::read32, hash::sha256, merkle::merkle_root, ActionCodecs, Hash32, SignedTx,
};
use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{Encode, EncodeSize, Error as CodecError, FixedSize, Read, Write};

/// Version byte of the header layout described in `docs/formats.md`.
pub const HEADER_VERSION: u8 = 1;

/// A block header. Fixed size: 1 + 32 + 8 + 32 + 8 + 4 + 32 + 4 + 8 + 32 = 161 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Layout version ([`HEADER_VERSION`]).
    pub version: u8,
    /// SHA-256 of the chain id text.
    pub chain_id: Hash32,
    /// Height; the genesis block is 0.
    pub height: u64,
    /// Digest of the parent header (zeros for genesis).
    pub parent: Hash32,
    /// Proposer's clock in milliseconds since the Unix epoch (monotonic along the chain).
    pub time_ms: u64,
    /// Index of the proposer in the genesis validator list.
    pub proposer: u32,
    /// Merkle root of the transaction hashes.
    pub tx_root: Hash32,
    /// Number of transactions.
    pub tx_count: u32,
    /// Height of the latest executed block whose state this header commits to.
    pub state_height: u64,
    /// State root after executing block `state_height`.
    pub state_root: Hash32,
}

impl Header {
    /// The block digest: SHA-256 of this header's canonical encoding.
    pub fn digest(&self) -> Hash32 {
        sha256(&self.encode())
    }
}

impl Write for Header {
    fn write(&self, buf: &mut impl BufMut) {
        buf.put_u8(self.version);
        buf.put_slice(&self.chain_id);
        self.height.write(buf);
        buf.put_slice(&self.parent);
        self.time_ms.write(buf);
        self.proposer.write(buf);
        buf.put_slice(&self.tx_root);
        self.tx_count.write(buf);
        self.state_height.write(buf);
        buf.put_slice(&self.state_root);
    }
}

impl FixedSize for Header {
    const SIZE: usize = 161;
}

impl Read for Header {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        let version = u8::read_cfg(buf, &())?;
        if version != HEADER_VERSION {
            return Err(CodecError::Invalid("Header", "unknown version"));
        }
        Ok(Header {
            version,
            chain_id: read32(buf)?,
            height: u64::read_cfg(buf, &())?,
            parent: read32(buf)?,
            time_ms: u64::read_cfg(buf, &())?,
            proposer: u32::read_cfg(buf, &())?,
            tx_root: read32(buf)?,
            tx_count: u32::read_cfg(buf, &())?,
            state_height: u64::read_cfg(buf, &())?,
            state_root: read32(buf)?,
        })
    }
}

/// Decoding limits of a block.
#[derive(Clone, Copy, Debug)]
pub struct BlockLimits {
    /// Most transactions in one block.
    pub max_txs: usize,
    /// The decoders of the applications' actions (a block carrying a tag no registered
    /// application owns is undecodable).
    pub actions: ActionCodecs,
}

/// A block: its header and its transactions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The header (what consensus certifies).
    pub header: Header,
    /// The transactions, in execution order.
    pub txs: Vec<SignedTx>,
}

impl Block {
    /// The block after `parent` carrying `txs`: same chain, next height, linked by the
    /// parent's digest, with the transactions' Merkle root and count, proposed by
    /// `proposer` at `time_ms`, committing to the state root `state_root` at
    /// `state_height`.
    pub fn child(
        parent: &Header,
        time_ms: u64,
        proposer: u32,
        (state_height, state_root): (u64, Hash32),
        txs: Vec<SignedTx>,
    ) -> Block {
        let hashes: Vec<Hash32> = txs.iter().map(SignedTx::hash).collect();
        Block {
            header: Header {
                version: HEADER_VERSION,
                chain_id: parent.chain_id,
                height: parent.height + 1,
                parent: parent.digest(),
                time_ms,
                proposer,
                tx_root: merkle_root(&hashes),
                tx_count: u32::try_from(txs.len()).unwrap_or(u32::MAX),
                state_height,
                state_root,
            },
            txs,
        }
    }

    /// Hashes of the transactions, in order.
    pub fn tx_hashes(&self) -> Vec<Hash32> {
        self.txs.iter().map(SignedTx::hash).collect()
    }

    /// Whether `header.tx_root` and `header.tx_count` match the transactions.
    pub fn tx_root_matches(&self) -> bool {
        self.header.tx_count as usize == self.txs.len()
            && self.header.tx_root == merkle_root(&self.tx_hashes())
    }

    /// The block digest (of the header).
    pub fn digest(&self) -> Hash32 {
        self.header.digest()
    }
}

impl Write for Block {
    fn write(&self, buf: &mut impl BufMut) {
        self.header.write(buf);
        self.txs.write(buf);
    }
}

impl EncodeSize for Block {
    fn encode_size(&self) -> usize {
        Header::SIZE + self.txs.encode_size()
    }
}

impl Read for Block {
    type Cfg = BlockLimits;
    fn read_cfg(buf: &mut impl Buf, cfg: &BlockLimits) -> Result<Self, CodecError> {
        let header = Header::read_cfg(buf, &())?;
        let txs = Vec::<SignedTx>::read_cfg(buf, &((0..=cfg.max_txs).into(), cfg.actions))?;
        Ok(Block { header, txs })
    }
}
