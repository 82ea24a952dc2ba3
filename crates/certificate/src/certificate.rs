//! Exchanging a collection for a numbered certificate (换开完税证明), and refunds after a
//! theft, scrapping or loss, which the certificate then shows.
//!
//! | collection | exchange (owner)            | refund (collecting insurer)           |
//! |------------|-----------------------------|---------------------------------------|
//! | collected  | → certificate `yyyy‖serial` | → refund recorded                     |
//! | exchanged  | `already_exchanged`         | → refund recorded, certificate refunded |
//! | refunded   | → certificate (refunded)    | `already_refunded`                    |

use crate::collect::{annual, schedule_for};
use crate::compute;
use crate::state::Records;
use crate::{Code, Ctx, Error, Result, StateAccess};
use fapiao_certificate_types::{
    plate_tag, CertificateKey, CertificatePublic, CertificateStatus, CollectionRecord,
    CollectionRef, RecordRefund, Refund,
};
use fapiao_types::{Hash32, StateKey, TxOutput};
use fapiao_values::ChinaDate;

/// The owner as a certificate shows them: the name's first character, a `*` for each
/// other, and the masked ID (`李* 440305********1234`).
pub fn owner_masked(name: &str, id_masked: &str) -> String {
    let mut chars = name.trim().chars();
    let first: String = chars.next().into_iter().collect();
    let stars = "*".repeat(chars.count());
    format!("{first}{stars} {id_masked}")
}

pub(crate) fn collection(
    state: &(impl StateAccess + ?Sized),
    id: &Hash32,
) -> Result<CollectionRecord> {
    state.get::<CollectionRecord>(&StateKey::from(CertificateKey::Collection(*id)))?.ok_or_else(
        || {
            Error::reject(
                Code::UnknownCollection,
                "collection",
                format!("no collection {}", fapiao_types::hex32(id)),
            )
        },
    )
}

pub(crate) fn exchange(
    state: &mut (impl StateAccess + ?Sized),
    c: &CollectionRef,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let mut record = collection(state, &c.collection)?;
    if record.collection.owner != ctx.sender {
        return Err(Error::reject(
            Code::NotOwner,
            "sender",
            "only the owner's wallet account exchanges its collection",
        ));
    }
    if let Some(n) = record.certificate {
        return Err(Error::reject(
            Code::AlreadyExchanged,
            "collection",
            format!(
                "already exchanged for certificate {}",
                fapiao_certificate_types::certificate_number_text(n)
            ),
        ));
    }
    let today = ChinaDate::from_unix_ms(ctx.time_ms);
    let year = u16::try_from(today.year()).unwrap_or(u16::MAX);
    let serial_key = StateKey::from(CertificateKey::Serial(year));
    let serial = state.get::<u64>(&serial_key)?.unwrap_or(0) + 1;
    if serial >= 100_000_000 {
        return Err(Error::Fatal(format!("certificate serials of {year} are exhausted")));
    }
    let number = u64::from(year) * 100_000_000 + serial;
    state.put(&serial_key, &serial);
    let c_in = &record.collection;
    let refunded = record.refund.as_ref().map_or(0, |r| r.amount);
    state.put(
        StateKey::from(CertificateKey::Certificate(number)),
        &CertificatePublic {
            number,
            plate_tag: plate_tag(number, &c_in.plate),
            tax_year: c_in.tax_year,
            owner_masked: owner_masked(&c_in.owner_name, &c_in.owner_id_masked),
            class: c_in.class,
            total: c_in.total,
            relief: c_in.relief,
            insurer: record.insurer.clone(),
            status: if refunded > 0 {
                CertificateStatus::Refunded
            } else {
                CertificateStatus::Valid
            },
            refunded,
            issued_on: today,
            collection: c.collection,
        },
    );
    record.certificate = Some(number);
    state.put(StateKey::from(CertificateKey::Collection(c.collection)), &record);
    Ok(TxOutput::Serial(number))
}

pub(crate) fn refund(
    state: &mut (impl StateAccess + ?Sized),
    r: &RecordRefund,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let mut record = collection(state, &r.collection)?;
    if record.insurer != ctx.org.id {
        return Err(Error::reject(
            Code::NotCollectingInsurer,
            "collection",
            format!("collected by {}", record.insurer),
        ));
    }
    if record.refund.is_some() {
        return Err(Error::reject(Code::AlreadyRefunded, "collection", "a refund is recorded"));
    }
    let c = &record.collection;
    let today = ChinaDate::from_unix_ms(ctx.time_ms);
    let d = r.event_date;
    if d.year() != u32::from(c.tax_year) || d < record.collected_on || d < c.acquired || d > today {
        return Err(Error::reject(
            Code::BadEventDate,
            "event_date",
            format!(
                "{d} must be in {}, on or after the collection ({}) and acquisition ({}), and not after today",
                c.tax_year, record.collected_on, c.acquired
            ),
        ));
    }
    let year_tax = c.lines.last().map_or(0, |l| l.tax);
    if year_tax == 0 {
        return Err(Error::reject(
            Code::NothingToRefund,
            "collection",
            "no tax was collected for the year",
        ));
    }
    let schedule = schedule_for(state, c.tax_year, c.acquired)?;
    let (months, amount) =
        compute::refund(annual(&schedule, c)?, d.month().month_of_year(), year_tax);
    if r.months != months {
        return Err(Error::reject(
            Code::RefundMismatch,
            "months",
            format!("{} months, from the event's month to December is {months}", r.months),
        ));
    }
    if r.amount != amount {
        return Err(Error::reject(
            Code::RefundMismatch,
            "amount",
            format!("{} fen, the schedule gives {amount} fen", r.amount),
        ));
    }
    record.refund = Some(Refund {
        event: r.event,
        event_date: d,
        months,
        amount,
        recorded_on: today,
        settlement: None,
    });
    if let Some(number) = record.certificate {
        let key = StateKey::from(CertificateKey::Certificate(number));
        if let Some(mut public) = state.get::<CertificatePublic>(&key)? {
            public.status = CertificateStatus::Refunded;
            public.refunded = amount;
            state.put(&key, &public);
        }
    }
    state.put(StateKey::from(CertificateKey::Collection(r.collection)), &record);
    Ok(TxOutput::None)
}
