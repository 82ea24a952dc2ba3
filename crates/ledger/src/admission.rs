//! Admission: what a node checks before a transaction may enter its mempool or a
//! block it votes for.
//!
//! Stateless checks (encoding, size, chain id, signature) are the ones a validator
//! re-checks in every proposed block; state checks (expiry window, known unrevoked
//! account, role, replay) are checked against the executed tip at admission, and
//! again, authoritatively, at execution.

use crate::{
    error::{codes, Rejection},
    store::Store,
    Ledger,
};
use fapiao_crypto::BatchVerifier;
use fapiao_types::{SignedTx, StateKey, TxLimits};
use std::num::NonZeroUsize;

/// Decodes a signed transaction from request bytes, within the genesis size limit.
///
/// # Errors
/// `too_large` or `malformed`.
pub fn decode_tx(bytes: &[u8], max_tx_bytes: usize) -> Result<SignedTx, Rejection> {
    if bytes.len() > max_tx_bytes {
        return Err(Rejection::new(
            codes::TOO_LARGE,
            Some("tx"),
            format!("{} bytes is over the limit of {max_tx_bytes}", bytes.len()),
        ));
    }
    SignedTx::decode_limited(bytes, &TxLimits { max_tx_bytes })
        .map_err(|e| Rejection::new(codes::MALFORMED, Some("tx"), e.to_string()))
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
                codes::WRONG_CHAIN,
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
                codes::EXPIRED,
                Some("expiry"),
                format!("expiry {} is not after the current height {tip}", tx.expiry),
            ));
        }
        let window = self.genesis().consensus.expiry_window;
        if tx.expiry > tip.saturating_add(window) {
            return Err(Rejection::new(
                codes::EXPIRY_TOO_FAR,
                Some("expiry"),
                format!("expiry {} is more than {window} blocks after height {tip}", tx.expiry),
            ));
        }
        let internal = |e: crate::Error| Rejection::new("internal", None, e.to_string());
        if self.get_raw(&StateKey::Tx(stx.hash())).map_err(internal)?.is_some() {
            return Err(Rejection::new(
                codes::REPLAYED,
                Some("tx"),
                "this transaction hash was already used",
            ));
        }
        let id = tx.sender_account();
        let account = self.account(&id).map_err(internal)?;
        crate::membership::check_sender(&id, account, tx)?;
        Ok(())
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
                    codes::BAD_SIGNATURE,
                    Some("signature"),
                    "the signature does not verify for the sender's key",
                ));
            }
        }
        verdicts
    }

    /// Whether a proposed block's transactions pass the stateless checks a validator
    /// applies before voting: count, chain id, signatures, no hash twice.
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
        if block.txs.len() > self.block_limits().max_txs {
            return false;
        }
        let mut seen = std::collections::BTreeSet::new();
        for stx in &block.txs {
            if self.check_stateless(stx).is_err() || !seen.insert(stx.hash()) {
                return false;
            }
        }
        let refs: Vec<&SignedTx> = block.txs.iter().filter(|stx| !verified(stx)).collect();
        verify_signatures(&refs).into_iter().all(|ok| ok)
    }
}
