//! Payment orders and self-service claiming (交易即开票).
//!
//! A merchant keeps a product catalogue (`catalogue/<uscc>/<sku>`: name, tax
//! classification code, rate), lists the payment platforms it accepts orders from
//! (`accepted-platforms/<uscc>`) and may delegate automatic issuing to a platform
//! organisation (`auto-issue/<uscc>`, revocable; a separate switch). A payment
//! platform (`platform.payments`) the merchant accepts, or an authorised issuer of the
//! merchant, records a payment order (`order/<id>`, id = the recording transaction's hash): items as the consumer
//! paid them, tax included, resolved against the catalogue, and the SHA-256 of a
//! one-time claim code the recorder generated at random. A consumer claims with the
//! code and a buyer title; the holder is always the claimant.
//!
//! The order machine:
//!
//! | status   | claim, right code     | claim, wrong code  | issue for order          |
//! |----------|-----------------------|--------------------|--------------------------|
//! | open     | → invoiced / claimed¹ | wrong_claim_code   | order_not_claimed        |
//! | claimed  | order_already_claimed | wrong_claim_code   | → invoiced               |
//! | invoiced | order_already_claimed | wrong_claim_code   | order_already_invoiced   |
//!
//! ¹ invoiced at once under automatic issuing, else claimed (waiting for the merchant).
//!
//! The code is checked before the status, so a caller without the code learns nothing
//! about the order's state. One order yields at most one blue invoice.
//!
//! **Automatic issuing** happens in the claiming transaction when the merchant's
//! delegation is enabled and the order was recorded by an active account that is either
//! a member of the delegated platform organisation or an authorised issuer of the
//! merchant. Orders recorded by anyone else (another payment platform) wait for the
//! merchant: a platform the merchant did not delegate cannot spend its credit. The
//! invoice's `issuer` is the order's recorder (the account that signed the order under
//! the delegation), its channel digit is [`CHANNEL_SELF_SERVICE`]; credit is reserved
//! as for any issuance, and a claim whose automatic issuance is refused (over credit,
//! seller frozen, …) is refused as a whole, so the consumer may claim again later.

use crate::Code;
use crate::{
    issue::{self, Issuance, CHANNEL_SELF_SERVICE},
    rules::{self, MAX_FEN},
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_app::Platform;
use fapiao_invoice_rules as r;
use fapiao_invoice_types::{
    AcceptedPlatformsRecord, AutoIssueRecord, Buyer, CatalogueItem, ClaimOrder, InvoiceKey,
    IssueForOrder, LineInput, OrderItem, OrderRecord, OrderStatus, RecordOrder,
    SetAcceptedPlatforms, SetAutoIssue, SetCatalogueItem, TaxpayerRecord, MAX_ACCEPTED_PLATFORMS,
};
use fapiao_types::{
    hex32, sha256, valid_org_id, valid_sku, AccountRecord, Hash32, InvoiceKind, InvoiceNumber,
    OrgKind, OrgRecord, Role, StateKey, Uscc,
};

/// Most items on one order.
pub const MAX_ORDER_ITEMS: usize = 200;
/// Longest claim code, in bytes.
pub const MAX_CLAIM_CODE: usize = 128;

/// The bureau's type code of an invoice issued from an order.
fn type_code(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Special => "81",
        InvoiceKind::Ordinary => "82",
    }
}

/// Re-targets a refusal about the issuance's `lines[i].…` at the order's
/// `items[i].…` (an item's `amount` is the line's `gross`).
fn at_items(e: Error) -> Error {
    match e {
        Error::Rejected { code, field, message } if field.starts_with("lines") => {
            let field = format!("items{}", &field["lines".len()..]);
            let field = match field.strip_suffix(".gross") {
                Some(head) => format!("{head}.amount"),
                None => field,
            };
            Error::Rejected { code, field, message }
        }
        other => other,
    }
}

fn check_catalogue_entry(
    state: &(impl StateAccess + ?Sized),
    name: &str,
    tax_code: &str,
    code: r::RateCode,
    t: &TaxpayerRecord,
    ctx: &Ctx<'_>,
) -> Result<()> {
    r::lines::check_line_name(name).map_err(|e| Error::from(e.at("name")))?;
    r::lines::check_tax_code(tax_code).map_err(|e| Error::from(e.at("tax_code")))?;
    let date = rules::china_date(ctx.time_ms).yyyymmdd();
    crate::params::on_date(state, date)?
        .rates
        .rate_allowed(code, t.seller_type, date)
        .map(|_| ())
        .map_err(|e| Error::from(e.at("rate")))
}

/// `SetCatalogueItem`: an authorised issuer of the merchant sets one catalogue entry.
pub(crate) fn set_catalogue_item(
    state: &mut (impl StateAccess + ?Sized),
    c: &SetCatalogueItem,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let t = taxpayer::load(state, &c.uscc, "uscc")?;
    taxpayer::require_issuer(&t, ctx)?;
    if !valid_sku(&c.sku) {
        return Err(Error::reject(Code::InvalidSku, "sku", "1-64 of [A-Za-z0-9._-]"));
    }
    check_catalogue_entry(state, &c.name, &c.tax_code, c.rate, &t, ctx)?;
    state.put(
        StateKey::from(InvoiceKey::CatalogueItem(c.uscc, c.sku.clone())),
        &CatalogueItem {
            name: c.name.clone(),
            tax_code: c.tax_code.clone(),
            rate: c.rate,
            updated_at: ctx.height,
        },
    );
    Ok(())
}

/// `SetAutoIssue`: an authorised issuer of the merchant turns the delegation on or off.
pub(crate) fn set_auto_issue(
    state: &mut (impl StateAccess + ?Sized),
    c: &SetAutoIssue,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let t = taxpayer::load(state, &c.uscc, "uscc")?;
    taxpayer::require_issuer(&t, ctx)?;
    let key = StateKey::from(InvoiceKey::AutoIssue(c.uscc));
    let previous = state.get::<AutoIssueRecord>(&key)?;
    let platform_org = if c.platform_org.is_empty() && !c.enabled {
        // Turning off without naming the platform keeps the last one for the record.
        previous.map(|p| p.platform_org).unwrap_or_default()
    } else {
        let unknown =
            || Error::reject(Platform::UnknownOrg, "platform_org", "no such organisation");
        if !valid_org_id(&c.platform_org) {
            return Err(unknown());
        }
        let org =
            state.get::<OrgRecord>(&StateKey::Org(c.platform_org.clone()))?.ok_or_else(unknown)?;
        if !matches!(org.kind, OrgKind::Platform | OrgKind::PaymentPlatform) {
            return Err(Error::reject(
                Code::NotAPlatform,
                "platform_org",
                format!("{} is a {}, not a platform", org.id, org.kind),
            ));
        }
        org.id
    };
    state
        .put(&key, &AutoIssueRecord { platform_org, enabled: c.enabled, since_height: ctx.height });
    Ok(())
}

/// `SetAcceptedPlatforms`: an authorised issuer of the merchant replaces the list of
/// payment platforms it accepts orders from.
pub(crate) fn set_accepted_platforms(
    state: &mut (impl StateAccess + ?Sized),
    c: &SetAcceptedPlatforms,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let t = taxpayer::load(state, &c.uscc, "uscc")?;
    taxpayer::require_issuer(&t, ctx)?;
    if c.platforms.len() > MAX_ACCEPTED_PLATFORMS {
        return Err(Error::reject(
            Code::TooManyPlatforms,
            "platforms",
            format!("at most {MAX_ACCEPTED_PLATFORMS} platforms"),
        ));
    }
    for (i, id) in c.platforms.iter().enumerate() {
        let field = format!("platforms[{i}]");
        let unknown = || Error::reject(Platform::UnknownOrg, field.clone(), "no such organisation");
        if !valid_org_id(id) {
            return Err(unknown());
        }
        let org = state.get::<OrgRecord>(&StateKey::Org(id.clone()))?.ok_or_else(unknown)?;
        if !matches!(org.kind, OrgKind::Platform | OrgKind::PaymentPlatform) {
            return Err(Error::reject(
                Code::NotAPlatform,
                field,
                format!("{} is a {}, not a platform", org.id, org.kind),
            ));
        }
        if c.platforms[..i].contains(id) {
            return Err(Error::reject(
                Code::DuplicatePlatform,
                field,
                format!("{id} is listed twice"),
            ));
        }
    }
    state.put(
        StateKey::from(InvoiceKey::AcceptedPlatforms(c.uscc)),
        &AcceptedPlatformsRecord { platforms: c.platforms.clone(), since_height: ctx.height },
    );
    Ok(())
}

/// Whether the merchant `uscc` accepts orders recorded by platform organisation `org`.
fn accepts_platform(state: &(impl StateAccess + ?Sized), uscc: &Uscc, org: &str) -> Result<bool> {
    Ok(state
        .get::<AcceptedPlatformsRecord>(&StateKey::from(InvoiceKey::AcceptedPlatforms(*uscc)))?
        .is_some_and(|a| a.platforms.iter().any(|p| p == org)))
}

/// Fills an item's empty name, tax code and rate from the catalogue.
fn resolve_item(
    state: &(impl StateAccess + ?Sized),
    merchant: &Uscc,
    i: usize,
    item: &OrderItem,
) -> Result<OrderItem> {
    if !item.sku.is_empty() && !valid_sku(&item.sku) {
        return Err(Error::reject(
            Code::InvalidSku,
            format!("items[{i}].sku"),
            "1-64 of [A-Za-z0-9._-]",
        ));
    }
    if item.amount <= 0 || item.amount > MAX_FEN {
        return Err(Error::reject(
            Code::InvalidAmount,
            format!("items[{i}].amount"),
            "an item's amount must be positive (tax included, as paid)",
        ));
    }
    let mut out = item.clone();
    if item.name.is_empty() || item.tax_code.is_empty() || item.rate.is_none() {
        let entry = if item.sku.is_empty() {
            None
        } else {
            state.get::<CatalogueItem>(&StateKey::from(InvoiceKey::CatalogueItem(
                *merchant,
                item.sku.clone(),
            )))?
        };
        let entry = entry.ok_or_else(|| {
            Error::reject(
                Code::UnknownSku,
                format!("items[{i}].sku"),
                format!(
                    "the item gives no complete name, tax code and rate and the merchant's \
                     catalogue has no SKU {:?}",
                    item.sku
                ),
            )
        })?;
        if out.name.is_empty() {
            out.name = entry.name;
        }
        if out.tax_code.is_empty() {
            out.tax_code = entry.tax_code;
        }
        if out.rate.is_none() {
            out.rate = Some(entry.rate);
        }
    }
    Ok(out)
}

/// An order's items (resolved against the catalogue) as tax-inclusive invoice lines.
///
/// # Errors
/// `bad_rate` on `lines[i].rate` for an item still without a rate.
fn lines_of(items: &[OrderItem]) -> Result<Vec<LineInput>> {
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let rate = it.rate.ok_or_else(|| {
                Error::from(fapiao_invoice_rules::ValueError::BadRate {
                    field: format!("lines[{i}].rate"),
                    reason: "empty",
                })
            })?;
            Ok(LineInput {
                name: it.name.clone(),
                tax_code: it.tax_code.clone(),
                spec: String::new(),
                unit: String::new(),
                quantity: None,
                unit_price: None,
                amount: None,
                gross: Some(it.amount),
                rate,
                tax: None,
            })
        })
        .collect()
}

/// Whether the sender holds `role` (defence in depth: the ledger checks
/// [`fapiao_types::Action::required_role`] first).
fn has_role(ctx: &Ctx<'_>, role: Role) -> bool {
    ctx.account.revoked_at.is_none() && ctx.account.has_role(role)
}

/// `RecordOrder`: returns the order id (the transaction hash).
pub(crate) fn record(
    state: &mut (impl StateAccess + ?Sized),
    c: &RecordOrder,
    ctx: &Ctx<'_>,
) -> Result<Hash32> {
    let t = issue::active_seller(state, &c.merchant, "merchant")?;
    let platform = has_role(ctx, Role::PlatformPayments)
        && matches!(ctx.org.kind, OrgKind::Platform | OrgKind::PaymentPlatform);
    let merchant = has_role(ctx, Role::MerchantIssuer) && t.issuers.contains(&ctx.sender);
    if !(platform || merchant) {
        return Err(Error::reject(
            Platform::MissingRole,
            "sender",
            format!(
                "recording an order for {} needs platform.payments or an authorised issuer \
                 of the merchant",
                t.uscc
            ),
        ));
    }
    if !merchant && !accepts_platform(state, &t.uscc, &ctx.org.id)? {
        return Err(Error::reject(
            Code::PlatformNotAccepted,
            "sender",
            format!("merchant {} does not accept orders from platform {}", t.uscc, ctx.org.id),
        ));
    }
    if c.amount <= 0 || c.amount > MAX_FEN {
        return Err(Error::reject(Code::InvalidAmount, "amount", "must be positive"));
    }
    if c.items.is_empty() || c.items.len() > MAX_ORDER_ITEMS {
        return Err(Error::reject(
            Code::InvalidItems,
            "items",
            format!("an order has 1-{MAX_ORDER_ITEMS} items"),
        ));
    }
    let items = c
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| resolve_item(state, &t.uscc, i, it))
        .collect::<Result<Vec<_>>>()?;
    let sum = rules::sum(items.iter().map(|it| it.amount), "items")?;
    if sum != c.amount {
        return Err(Error::reject(
            Code::OrderTotalMismatch,
            "items",
            format!(
                "the items sum to {}, the order says {}",
                rules::yuan(sum),
                rules::yuan(c.amount)
            ),
        ));
    }
    // The invoice these items would make must pass every rule now (name, tax code,
    // rate allowed for this seller, arithmetic), not only when it is claimed.
    issue::compute(
        state,
        &lines_of(&items).map_err(at_items)?,
        InvoiceKind::Ordinary,
        None,
        &t,
        ctx.time_ms,
    )
    .map_err(at_items)?;
    let key = StateKey::from(InvoiceKey::Order(ctx.tx_hash));
    if state.get::<OrderRecord>(&key)?.is_some() {
        return Err(Error::Fatal(format!("{key} exists: transaction hash reused")));
    }
    state.put(
        &key,
        &OrderRecord {
            merchant: t.uscc,
            amount: c.amount,
            items,
            claim_code_hash: c.claim_code_hash,
            recorded_by: ctx.sender,
            recorded_at: ctx.height,
            status: OrderStatus::Open,
            claimant: None,
            claimed_at: 0,
            kind: InvoiceKind::Ordinary,
            buyer: None,
            invoice: None,
        },
    );
    Ok(ctx.tx_hash)
}

fn load_order(state: &(impl StateAccess + ?Sized), id: &Hash32) -> Result<OrderRecord> {
    state.get::<OrderRecord>(&StateKey::from(InvoiceKey::Order(*id)))?.ok_or_else(|| {
        Error::reject(Code::UnknownOrder, "order_id", format!("no order {}", hex32(id)))
    })
}

/// Whether the merchant's delegation covers issuing this order automatically now: the
/// delegation is enabled, and the recorder is an active account of the delegated
/// platform or an authorised issuer of the merchant.
fn auto_issue_applies(
    state: &(impl StateAccess + ?Sized),
    order: &OrderRecord,
    t: &TaxpayerRecord,
) -> Result<bool> {
    let Some(d) = state.get::<AutoIssueRecord>(&StateKey::from(InvoiceKey::AutoIssue(t.uscc)))?
    else {
        return Ok(false);
    };
    if !d.enabled {
        return Ok(false);
    }
    let Some(recorder) = state.get::<AccountRecord>(&StateKey::Account(order.recorded_by))? else {
        return Ok(false);
    };
    if recorder.revoked_at.is_some() {
        return Ok(false);
    }
    Ok(recorder.org == d.platform_org || t.issuers.contains(&order.recorded_by))
}

fn issue_order(
    state: &mut (impl StateAccess + ?Sized),
    id: &Hash32,
    order: &mut OrderRecord,
    t: &TaxpayerRecord,
    issuer: fapiao_types::AccountId,
    salt: Hash32,
    ctx: &Ctx<'_>,
) -> Result<InvoiceNumber> {
    let buyer = order
        .buyer
        .clone()
        .ok_or_else(|| Error::Fatal(format!("order {} has no buyer", hex32(id))))?;
    let lines = lines_of(&order.items)?;
    let number = issue::issue_as(
        state,
        &Issuance {
            seller: t,
            kind: order.kind,
            type_code: type_code(order.kind),
            buyer: &buyer,
            lines: &lines,
            remarks: "",
            salt,
            issuer,
            channel: CHANNEL_SELF_SERVICE,
            industry: None,
        },
        ctx,
    )
    .map_err(at_items)?;
    order.status = OrderStatus::Invoiced;
    order.invoice = Some(number);
    state.put(StateKey::from(InvoiceKey::Order(*id)), order);
    Ok(number)
}

/// `ClaimOrder`: returns the invoice number when it is issued at once, `None` when the
/// claim waits for the merchant.
pub(crate) fn claim(
    state: &mut (impl StateAccess + ?Sized),
    c: &ClaimOrder,
    ctx: &Ctx<'_>,
) -> Result<Option<InvoiceNumber>> {
    if !has_role(ctx, Role::Consumer) {
        return Err(Error::reject(
            Platform::MissingRole,
            "sender",
            "claiming an order needs consumer",
        ));
    }
    let mut order = load_order(state, &c.order_id)?;
    if c.claim_code.is_empty()
        || c.claim_code.len() > MAX_CLAIM_CODE
        || sha256(c.claim_code.as_bytes()) != order.claim_code_hash
    {
        return Err(Error::reject(
            Code::WrongClaimCode,
            "claim_code",
            "the claim code does not match the order",
        ));
    }
    if order.status != OrderStatus::Open {
        return Err(Error::reject(
            Code::OrderAlreadyClaimed,
            "order_id",
            "the order was already claimed; it yields one invoice",
        ));
    }
    let t = taxpayer::load(state, &order.merchant, "order_id")?;
    let buyer = Buyer { holder: Some(ctx.sender), ..c.buyer.clone() };
    // The buyer title and kind must make a valid invoice of these items now, so that a
    // waiting claim cannot be one the merchant is unable to issue.
    issue::check_buyer(state, &buyer, c.kind)?;
    issue::check_parties_differ(&buyer, &t.uscc)?;
    issue::compute(
        state,
        &lines_of(&order.items).map_err(at_items)?,
        c.kind,
        buyer.tax_id.as_ref(),
        &t,
        ctx.time_ms,
    )
    .map_err(at_items)?;
    order.claimant = Some(ctx.sender);
    order.claimed_at = ctx.height;
    order.kind = c.kind;
    order.buyer = Some(buyer);
    if auto_issue_applies(state, &order, &t)? {
        let t = issue::active_seller(state, &order.merchant, "order_id")?;
        let issuer = order.recorded_by;
        return issue_order(state, &c.order_id, &mut order, &t, issuer, c.salt, ctx).map(Some);
    }
    order.status = OrderStatus::Claimed;
    state.put(StateKey::from(InvoiceKey::Order(c.order_id)), &order);
    Ok(None)
}

/// `IssueForOrder`: an authorised issuer of the merchant issues a claimed order;
/// returns the number.
pub(crate) fn issue_for_order(
    state: &mut (impl StateAccess + ?Sized),
    c: &IssueForOrder,
    ctx: &Ctx<'_>,
) -> Result<InvoiceNumber> {
    let mut order = load_order(state, &c.order_id)?;
    let t = taxpayer::load(state, &order.merchant, "order_id")?;
    taxpayer::require_issuer(&t, ctx)?;
    match order.status {
        OrderStatus::Claimed => {}
        OrderStatus::Open => {
            return Err(Error::reject(
                Code::OrderNotClaimed,
                "order_id",
                "no consumer has claimed the order yet",
            ))
        }
        OrderStatus::Invoiced => {
            return Err(Error::reject(
                Code::OrderAlreadyInvoiced,
                "order_id",
                match order.invoice {
                    Some(n) => format!("the order's invoice {n} is issued"),
                    None => "the order's invoice is issued".to_string(),
                },
            ))
        }
    }
    let t = issue::active_seller(state, &order.merchant, "order_id")?;
    issue_order(state, &c.order_id, &mut order, &t, ctx.sender, c.salt, ctx)
}
