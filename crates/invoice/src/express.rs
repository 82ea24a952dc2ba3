//! The express edition (极速版): registration, invoicing rights, issuing and reimbursing,
//! all online. A merchant applies with a fresh key of its own (no account yet); the tax
//! authority reviews the application; approval registers the taxpayer and its issuer.
//!
//! **Who signs an application.** The applicant's own fresh key: the ledger admits an
//! `ApplyForRegistration` from a key with no account (and only that action), and the
//! application creates for it an organisation `express-<first 8 bytes of the
//! application id, hex>` (kind `enterprise`, no `tax_id` yet) and an account in it with
//! no role. So the application is the applicant's own signed statement, the key that
//! signed it is the key that will issue, and until approval the account can do nothing
//! (every action needs a role or a relation it does not have) — it cannot read any
//! taxpayer's records either, as its organisation claims no taxpayer id. One key applies
//! once: to apply again (after a rejection), use a new key.
//!
//! Application machine ((status, command) → result):
//!
//! | status    | approve (tax officer)                                   | reject (tax officer) |
//! |-----------|---------------------------------------------------------|----------------------|
//! | pending   | → approved: taxpayer registered, rights and credit set  | → rejected (reason)  |
//! | approved  | already_decided                                         | already_decided      |
//! | rejected  | already_decided                                         | already_decided      |
//!
//! Approval refuses a USCC registered meanwhile (`invoice.taxpayer_exists`) and a revoked
//! applicant account (`revoked_account`). A USCC with a pending application cannot be
//! applied for again (`invoice.application_pending`); one that is registered, not at all
//! (`invoice.taxpayer_exists`).

use crate::Code;
use crate::{
    rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_app::Platform;
use fapiao_invoice_types::{
    ApplicationRecord, ApplicationStatus, ApplyForRegistration, CreditRecord, InvoiceKey,
    RegisterTaxpayer, ReviewApplication, TaxpayerRecord,
};
use fapiao_types::{AccountRecord, OrgKind, OrgRecord, OrgStatus, Role, StateKey};

/// Longest contact text, in bytes.
const MAX_CONTACT: usize = 256;

/// The organisation id an application creates: `express-` and 16 hex digits of its id.
pub fn applicant_org(id: &[u8; 32]) -> String {
    let hex: String = id.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("express-{hex}")
}

fn hex_id(id: &[u8; 32]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn apply(
    state: &mut (impl StateAccess + ?Sized),
    c: &ApplyForRegistration,
    ctx: &Ctx<'_>,
) -> Result<fapiao_types::TxOutput> {
    if !ctx.org.id.is_empty() {
        return Err(Error::reject(
            Code::NotANewKey,
            "sender",
            "an application is signed by a new key of the applicant's, with no account",
        ));
    }
    taxpayer::check_name(&c.name, "name")?;
    rules::check_region(state, ctx.time_ms, &c.region, "region")?;
    if c.contact.trim().is_empty() || c.contact.len() > MAX_CONTACT {
        return Err(Error::reject(Code::InvalidContact, "contact", "1-256 bytes, not blank"));
    }
    if !(0..=rules::MAX_FEN).contains(&c.requested_ceiling) {
        return Err(Error::reject(
            Code::InvalidAmount,
            "requested_ceiling",
            "between 0.00 and 9999999999999999.99",
        ));
    }
    if state.get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(c.uscc)))?.is_some() {
        return Err(Error::reject(
            Code::TaxpayerExists,
            "uscc",
            format!("{} is already registered", c.uscc),
        ));
    }
    let by_uscc = StateKey::from(InvoiceKey::ApplicationByUscc(c.uscc));
    if let Some(open) = state.get::<[u8; 32]>(&by_uscc)? {
        let pending = state
            .get::<ApplicationRecord>(&StateKey::from(InvoiceKey::Application(open)))?
            .is_some_and(|a| a.status == ApplicationStatus::Pending);
        if pending {
            return Err(Error::reject(
                Code::ApplicationPending,
                "uscc",
                format!("application {} for {} awaits review", hex_id(&open), c.uscc),
            ));
        }
    }
    let id = ctx.tx_hash;
    let org = applicant_org(&id);
    let name = c.name.trim().to_string();
    state.put(
        StateKey::Org(org.clone()),
        &OrgRecord {
            id: org.clone(),
            name: name.clone(),
            kind: OrgKind::Enterprise,
            tax_id: None,
            // A placeholder until the tax authority decides: enterprises are created
            // by its approval (ADR 0006), and nothing may act for this one before.
            status: OrgStatus::Suspended,
        },
    );
    state.put(
        StateKey::Account(ctx.sender),
        &AccountRecord {
            public_key: ctx.account.public_key,
            org: org.clone(),
            name: name.clone(),
            roles: Vec::new(),
            added_at: ctx.height,
            revoked_at: None,
        },
    );
    state.put(
        StateKey::from(InvoiceKey::Application(id)),
        &ApplicationRecord {
            uscc: c.uscc,
            name,
            region: c.region,
            seller_type: c.seller_type,
            contact: c.contact.clone(),
            requested_ceiling: c.requested_ceiling,
            applicant: ctx.sender,
            org,
            status: ApplicationStatus::Pending,
            applied_at_ms: ctx.time_ms,
            decided_by: None,
            granted_ceiling: 0,
            reason: String::new(),
        },
    );
    state.put(&by_uscc, &id);
    Ok(fapiao_types::TxOutput::Application(id))
}

pub(crate) fn review(
    state: &mut (impl StateAccess + ?Sized),
    c: &ReviewApplication,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let key = StateKey::from(InvoiceKey::Application(c.application));
    let mut a = state.get::<ApplicationRecord>(&key)?.ok_or_else(|| {
        Error::reject(Code::UnknownApplication, "application", "no such application")
    })?;
    if a.status != ApplicationStatus::Pending {
        return Err(Error::reject(
            Code::AlreadyDecided,
            "application",
            format!("the application is {}", a.status),
        ));
    }
    if c.reason.len() > 512 {
        return Err(Error::reject(Code::InvalidReason, "reason", "at most 512 bytes"));
    }
    a.decided_by = Some(ctx.sender);
    a.reason = c.reason.clone();
    if !c.approve {
        if c.reason.trim().is_empty() {
            return Err(Error::reject(Code::InvalidReason, "reason", "a rejection says why"));
        }
        a.status = ApplicationStatus::Rejected;
        state.put(&key, &a);
        if let Some(mut org) = state.get::<OrgRecord>(&StateKey::Org(a.org.clone()))? {
            org.status = OrgStatus::Removed;
            state.put(StateKey::Org(a.org.clone()), &org);
        }
        return Ok(());
    }
    if !(0..=rules::MAX_FEN).contains(&c.monthly_ceiling) {
        return Err(Error::reject(
            Code::InvalidAmount,
            "monthly_ceiling",
            "between 0.00 and 9999999999999999.99",
        ));
    }
    let mut account = state
        .get::<AccountRecord>(&StateKey::Account(a.applicant))?
        .ok_or_else(|| Error::Fatal(format!("application without its account {}", a.applicant)))?;
    if account.revoked_at.is_some() {
        return Err(Error::reject(
            Platform::RevokedAccount,
            "application",
            "the applicant's account was revoked",
        ));
    }
    let mut org = state
        .get::<OrgRecord>(&StateKey::Org(a.org.clone()))?
        .ok_or_else(|| Error::Fatal(format!("application without its organisation {}", a.org)))?;
    // The organisation becomes the taxpayer's, the account its admin, issuer and finance
    // office; then the registration itself checks the USCC is still free.
    org.tax_id = Some(a.uscc);
    org.status = OrgStatus::Active;
    state.put(StateKey::Org(a.org.clone()), &org);
    account.roles = vec![Role::OrgAdmin, Role::MerchantIssuer, Role::EnterpriseFinance];
    state.put(StateKey::Account(a.applicant), &account);
    taxpayer::register(
        state,
        &RegisterTaxpayer {
            uscc: a.uscc,
            name: a.name.clone(),
            region: a.region,
            seller_type: a.seller_type,
            issuers: vec![a.applicant],
        },
        ctx,
    )?;
    state.put(
        StateKey::from(InvoiceKey::Credit(a.uscc)),
        &CreditRecord {
            monthly_ceiling: c.monthly_ceiling,
            month: rules::month_of(ctx.time_ms),
            used: 0,
            extra: 0,
        },
    );
    a.status = ApplicationStatus::Approved;
    a.granted_ceiling = c.monthly_ceiling;
    state.put(&key, &a);
    Ok(())
}
