//! Settlement (结报): an insurer hands the bureau what it collected, net of the refunds it
//! paid, in batches; the bureau confirms receipt. Every collection and every refund is
//! settled once, and a batch's totals reconcile to the fen.

use crate::certificate::collection;
use crate::state::Records;
use crate::{Code, Ctx, Error, Result, StateAccess};
use fapiao_certificate_types::{
    CertificateKey, SettlementRecord, SettlementRef, SettlementStatus, SubmitSettlement,
    MAX_SETTLEMENT_ITEMS,
};
use fapiao_types::{hex32, Hash32, StateKey, TxOutput};
use fapiao_values::ChinaDate;
use std::collections::BTreeSet;

fn distinct(items: &[Hash32], field: &str) -> Result<()> {
    let mut seen = BTreeSet::new();
    for (i, id) in items.iter().enumerate() {
        if !seen.insert(id) {
            return Err(Error::reject(
                Code::DuplicateItem,
                format!("{field}[{i}]"),
                format!("{} is listed twice", hex32(id)),
            ));
        }
    }
    Ok(())
}

pub(crate) fn submit(
    state: &mut (impl StateAccess + ?Sized),
    s: &SubmitSettlement,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    if (s.collections.is_empty() && s.refunds.is_empty())
        || s.collections.len() > MAX_SETTLEMENT_ITEMS
        || s.refunds.len() > MAX_SETTLEMENT_ITEMS
    {
        return Err(Error::reject(
            Code::EmptySettlement,
            "collections",
            "a batch lists 1–1000 collections or refunds",
        ));
    }
    distinct(&s.collections, "collections")?;
    distinct(&s.refunds, "refunds")?;
    let id = ctx.tx_hash;
    let mine = |insurer: &str, field: String| {
        if insurer == ctx.org.id {
            Ok(())
        } else {
            Err(Error::reject(Code::NotCollectingInsurer, field, format!("collected by {insurer}")))
        }
    };
    let mut collected: i64 = 0;
    for (i, cid) in s.collections.iter().enumerate() {
        let field = format!("collections[{i}]");
        let mut record = collection(state, cid).map_err(|e| at(e, &field))?;
        mine(&record.insurer, field.clone())?;
        if let Some(other) = record.settlement {
            return Err(Error::reject(
                Code::AlreadySettled,
                field,
                format!("settled in batch {}", hex32(&other)),
            ));
        }
        collected += record.collection.total;
        record.settlement = Some(id);
        state.put(StateKey::from(CertificateKey::Collection(*cid)), &record);
    }
    let mut refunded: i64 = 0;
    for (i, cid) in s.refunds.iter().enumerate() {
        let field = format!("refunds[{i}]");
        let mut record = collection(state, cid).map_err(|e| at(e, &field))?;
        mine(&record.insurer, field.clone())?;
        let Some(refund) = record.refund.as_mut() else {
            return Err(Error::reject(Code::NoRefund, field, "no refund is recorded"));
        };
        if let Some(other) = refund.settlement {
            return Err(Error::reject(
                Code::AlreadySettled,
                field,
                format!("refund settled in batch {}", hex32(&other)),
            ));
        }
        refunded += refund.amount;
        refund.settlement = Some(id);
        state.put(StateKey::from(CertificateKey::Collection(*cid)), &record);
    }
    for (field, got, want) in [
        ("collected", s.collected, collected),
        ("refunded", s.refunded, refunded),
        ("net", s.net, collected - refunded),
    ] {
        if got != want {
            return Err(Error::reject(
                Code::SettlementMismatch,
                field,
                format!("{got} fen, the listed items give {want} fen"),
            ));
        }
    }
    state.put(
        StateKey::from(CertificateKey::Settlement(id)),
        &SettlementRecord {
            insurer: ctx.org.id.clone(),
            submitted_by: ctx.sender,
            submitted_on: ChinaDate::from_unix_ms(ctx.time_ms),
            collections: s.collections.clone(),
            refunds: s.refunds.clone(),
            collected,
            refunded,
            net: collected - refunded,
            status: SettlementStatus::Submitted,
            confirmed_by: None,
            confirmed_on: None,
        },
    );
    Ok(TxOutput::Record(id))
}

/// A refusal about a listed item names the item's position.
fn at(e: Error, field: &str) -> Error {
    match e {
        Error::Rejected { code, message, .. } => {
            Error::Rejected { code, field: field.to_string(), message }
        }
        other => other,
    }
}

pub(crate) fn confirm(
    state: &mut (impl StateAccess + ?Sized),
    r: &SettlementRef,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let key = StateKey::from(CertificateKey::Settlement(r.settlement));
    let mut record = state.get::<SettlementRecord>(&key)?.ok_or_else(|| {
        Error::reject(
            Code::UnknownSettlement,
            "settlement",
            format!("no settlement {}", hex32(&r.settlement)),
        )
    })?;
    if record.status == SettlementStatus::Confirmed {
        return Err(Error::reject(Code::AlreadyConfirmed, "settlement", "already confirmed"));
    }
    record.status = SettlementStatus::Confirmed;
    record.confirmed_by = Some(ctx.sender);
    record.confirmed_on = Some(ChinaDate::from_unix_ms(ctx.time_ms));
    state.put(&key, &record);
    Ok(TxOutput::None)
}
