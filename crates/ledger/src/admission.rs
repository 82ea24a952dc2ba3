//! Admission: what a node checks before a transaction may enter its mempool or a
//! block it votes for.
//!
//! Stateless checks (encoding, size, chain id, signature) are the ones a validator
//! re-checks in every proposed block, with the sender's account (known and unrevoked in
//! the state the block commits to, at its `state_height`); state checks (expiry window,
//! known unrevoked account, role, replay) are checked against the executed tip at
//! admission, and again, authoritatively, at execution.

use crate::{error::Rejection, store::Store, Ledger};
use commonware_codec::EncodeSize;
use fapiao_app::Platform;
use fapiao_crypto::BatchVerifier;
use fapiao_types::{SignedTx, StateKey, TxLimits};
use std::num::NonZeroUsize;

/// Decodes a signed transaction from request bytes, within the genesis size limit, with
/// the action decoders of every registered application.
///
/// # Errors
/// `too_large` or `malformed`.
pub fn decode_tx(bytes: &[u8], max_tx_bytes: usize) -> Result<SignedTx, Rejection> {
    if bytes.len() > max_tx_bytes {
        return Err(Rejection::new(
            Platform::TooLarge,
            Some("tx"),
            format!("{} bytes is over the limit of {max_tx_bytes}", bytes.len()),
        ));
    }
    SignedTx::decode_limited(bytes, &TxLimits { max_tx_bytes, actions: crate::apps::codecs() })
        .map_err(|e| Rejection::new(Platform::Malformed, Some("tx"), e.to_string()))
}

/// Verifies the signatures of `txs` in batches; `true` where valid.
pub fn verify_signatures(txs: &[&SignedTx]) -> Vec<bool> {
    let mut ok = vec![true; txs.len()];
    if txs.is_empty() {
        return ok;
    }
    let mut batch = BatchVerifier::with_capacity(txs.len());
    for stx in txs {
        batch.add_signed_tx(stx);
    }
    let threads =
        NonZeroUsize::new(if txs.len() >= 128 { 2 } else { 1 }).unwrap_or(NonZeroUsize::MIN);
    if let Err(bad) = batch.verify_parallel(threads) {
        for i in bad {
            if let Some(slot) = ok.get_mut(i) {
                *slot = false;
            }
        }
    }
    ok
}

impl<S: Store> Ledger<S> {
    /// The checks that need no state: chain id (the signature is checked in batches by
    /// [`verify_signatures`]).
    ///
    /// # Errors
    /// `wrong_chain`.
    pub fn check_stateless(&self, stx: &SignedTx) -> Result<(), Rejection> {
        if stx.tx.chain_id != self.genesis().chain_id {
            return Err(Rejection::new(
                Platform::WrongChain,
                Some("chain_id"),
                format!(
                    "transaction is for chain {:?}, this is {:?}",
                    stx.tx.chain_id,
                    self.genesis().chain_id
                ),
            ));
        }
        Ok(())
    }

    /// The checks against the executed state: expiry window, replay, sender account,
    /// revocation and role.
    ///
    /// # Errors
    /// `expired`, `expiry_too_far`, `replayed`, `unknown_account`, `revoked_account`,
    /// `missing_role`; storage failures are reported as a rejection with code `internal`.
    pub fn check_against_state(&self, stx: &SignedTx) -> Result<(), Rejection> {
        let tip = self.tip().height;
        let tx = &stx.tx;
        // The transaction can be included at tip + 1 at the earliest.
        if tx.expiry <= tip {
            return Err(Rejection::new(
                Platform::Expired,
                Some("expiry"),
                format!("expiry {} is not after the current height {tip}", tx.expiry),
            ));
        }
        let internal = |e: crate::Error| Rejection::new(Platform::Internal, None, e.to_string());
        let window = self.mechanics_at_tip().map_err(internal)?.expiry_window;
        if tx.expiry > tip.saturating_add(window) {
            return Err(Rejection::new(
                Platform::ExpiryTooFar,
                Some("expiry"),
                format!("expiry {} is more than {window} blocks after height {tip}", tx.expiry),
            ));
        }
        if self.replayed(&stx.hash(), tx.expiry).map_err(internal)? {
            return Err(Rejection::new(
                Platform::Replayed,
                Some("tx"),
                "this transaction hash was already used",
            ));
        }
        let id = tx.sender_account();
        let account = self.account(&id).map_err(internal)?;
        let account = crate::membership::check_sender(&id, account, tx)?;
        if account.org.is_empty() {
            return Ok(()); // an applicant's fresh key (express edition): no organisation yet
        }
        let org = self.get::<fapiao_types::OrgRecord>(&StateKey::Org(account.org.clone()));
        match org.map_err(internal)? {
            Some(org) => crate::membership::check_org(&org),
            None => Err(Rejection::new(
                Platform::Internal,
                None,
                "the sender's organisation is missing",
            )),
        }
    }

    /// Full admission of a batch: the cheap checks first — chain id, expiry window,
    /// replay, sender account, revocation and role — and only for the transactions that
    /// pass them the signature check (batched), so a flood of transactions from unknown
    /// senders, expired or replayed ones costs no signature verification.
    pub fn admit(&self, txs: &[SignedTx]) -> Vec<Result<(), Rejection>> {
        let mut verdicts: Vec<Result<(), Rejection>> = txs
            .iter()
            .map(|stx| {
                self.check_stateless(stx)?;
                self.check_against_state(stx)
            })
            .collect();
        let pending: Vec<usize> = (0..txs.len()).filter(|&i| verdicts[i].is_ok()).collect();
        let refs: Vec<&SignedTx> = pending.iter().map(|&i| &txs[i]).collect();
        for (i, ok) in pending.into_iter().zip(verify_signatures(&refs)) {
            if !ok {
                verdicts[i] = Err(Rejection::new(
                    Platform::BadSignature,
                    Some("signature"),
                    "the signature does not verify for the sender's key",
                ));
            }
        }
        verdicts
    }

    /// Whether a proposed block's transactions pass the checks a validator applies before
    /// voting (see [`Ledger::block_txs_refusal`]).
    pub fn check_block_txs(&self, block: &fapiao_types::Block) -> bool {
        self.check_block_txs_except(block, |_| false)
    }

    /// [`Ledger::check_block_txs`], skipping the signature check of transactions for
    /// which `verified` is true — those this node already admitted with this very
    /// signature (its pool holds them), so the work is not done twice.
    pub fn check_block_txs_except(
        &self,
        block: &fapiao_types::Block,
        verified: impl Fn(&SignedTx) -> bool,
    ) -> bool {
        match self.block_txs_refusal(block, verified) {
            Ok(()) => true,
            Err(r) => {
                tracing::warn!(
                    height = block.header.height,
                    code = r.code,
                    reason = %r.message,
                    "ledger.check_block_txs: refused"
                );
                false
            }
        }
    }

    /// Why a proposed block's transactions are refused, if they are: count, encoded size
    /// (the genesis `max_tx_bytes`), chain id, a hash twice, a sender unknown or revoked
    /// in the state at the block's `state_height` (which must be executed), signatures.
    ///
    /// Every check is a function of the block and the state it commits to, so every
    /// validator gives the same answer, and none can pass later: a refusal is final.
    ///
    /// # Errors
    /// The first refusal found; `internal` when the state cannot be read (or
    /// `state_height` is not executed here).
    pub fn block_txs_refusal(
        &self,
        block: &fapiao_types::Block,
        verified: impl Fn(&SignedTx) -> bool,
    ) -> Result<(), Rejection> {
        let state_height = block.header.state_height;
        let internal = |e: crate::Error| Rejection::new(Platform::Internal, None, e.to_string());
        let max_txs = self.block_tx_cap(state_height, block.header.height).map_err(internal)?;
        if block.txs.len() > max_txs {
            return Err(Rejection::new(
                Platform::TooLarge,
                Some("txs"),
                format!("{} transactions, at most {max_txs}", block.txs.len()),
            ));
        }
        let max_tx_bytes = self.genesis().consensus.max_tx_bytes as usize;
        let mut orgs: std::collections::BTreeMap<String, bool> = Default::default();
        let mut seen = std::collections::BTreeSet::new();
        for stx in &block.txs {
            let size = stx.encode_size();
            if size > max_tx_bytes {
                return Err(Rejection::new(
                    Platform::TooLarge,
                    Some("tx"),
                    format!("{size} bytes is over the limit of {max_tx_bytes}"),
                ));
            }
            self.check_stateless(stx)?;
            if !seen.insert(stx.hash()) {
                return Err(Rejection::new(Platform::Replayed, Some("tx"), "a hash twice"));
            }
            let id = stx.tx.sender_account();
            let account =
                self.account_at(state_height, &id).map_err(internal)?.ok_or_else(|| {
                    Rejection::new(
                        Platform::Internal,
                        None,
                        format!("height {state_height} not executed"),
                    )
                })?;
            match account {
                // Express edition: an applicant's fresh key sends its application.
                None if crate::membership::may_send_without_account(&stx.tx.action) => {}
                None => {
                    return Err(Rejection::new(
                        Platform::UnknownAccount,
                        Some("sender"),
                        format!("account {id} is unknown at height {state_height}"),
                    ))
                }
                Some(a) if a.revoked_at.is_some() => {
                    return Err(Rejection::new(
                        Platform::RevokedAccount,
                        Some("sender"),
                        format!("account {id} is revoked at height {state_height}"),
                    ))
                }
                Some(a) => {
                    let active = match orgs.get(&a.org) {
                        Some(active) => *active,
                        None => {
                            let key = StateKey::Org(a.org.clone());
                            let org = self
                                .record_at::<fapiao_types::OrgRecord>(state_height, &key)
                                .map_err(internal)?
                                .flatten();
                            let active =
                                org.is_some_and(|o| crate::membership::check_org(&o).is_ok());
                            orgs.insert(a.org.clone(), active);
                            active
                        }
                    };
                    if !active {
                        return Err(Rejection::new(
                            Platform::OrgInactive,
                            Some("sender"),
                            format!("{id}'s organisation is inactive at height {state_height}"),
                        ));
                    }
                }
            }
        }
        let refs: Vec<&SignedTx> = block.txs.iter().filter(|stx| !verified(stx)).collect();
        if verify_signatures(&refs).into_iter().all(|ok| ok) {
            Ok(())
        } else {
            Err(Rejection::new(Platform::BadSignature, Some("signature"), "a signature fails"))
        }
    }

    /// The most transactions block `height` may carry when its `state_height` is
    /// `state_height`: the governed `chain/mechanics` cap, within the genesis decoding
    /// cap.
    ///
    /// # Errors
    /// Storage errors; `state_height` not executed here.
    pub fn block_tx_cap(&self, state_height: u64, height: u64) -> crate::Result<usize> {
        let cap = self.block_limits().max_txs;
        match self.mechanics_at(state_height, height)? {
            Some(m) => Ok(cap.min(m.max_block_txs as usize)),
            None => Err(crate::Error::Store(format!("height {state_height} is not executed"))),
        }
    }
}
