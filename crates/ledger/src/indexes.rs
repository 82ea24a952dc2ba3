//! Typed reads of the invoice application's index tables at the durable tip, kept as
//! `Ledger` methods until the API reads them through the generic seam (ADR 0008 step
//! B.8.5). Each is a call to [`fapiao_invoice::index::read`]; the rows are declared,
//! written and decoded there.

use crate::{ledger::Ledger, store::Store, Error, Result};
use fapiao_invoice::index::{read, Bucket};
use fapiao_types::{AccountId, Hash32, HistoryEvent, InvoiceNumber, Month, Uscc};

fn app(e: fapiao_app::Error) -> Error {
    Error::Application(e.to_string())
}

impl<S: Store> Ledger<S> {
    /// Invoice numbers held by `account` (the derived wallet index), at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn wallet(&self, account: &AccountId, limit: usize) -> Result<Vec<InvoiceNumber>> {
        read::wallet(self, account, limit).map_err(app)
    }

    /// The event history of invoice `number`, oldest first (the derived history index).
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn history(&self, number: &str) -> Result<Vec<HistoryEvent>> {
        read::history(self, number).map_err(app)
    }

    /// Taxpayers that filed their VAT return for `month`, in USCC order.
    ///
    /// # Errors
    /// Storage errors.
    pub fn filings(&self, month: Month) -> Result<Vec<Uscc>> {
        read::filings(self, month).map_err(app)
    }

    /// Invoices `seller` issued, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn issued_by(&self, seller: &str, limit: usize) -> Result<Vec<InvoiceNumber>> {
        read::issued_by(self, seller, limit).map_err(app)
    }

    /// The newest invoices of the chain, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn newest_invoices(&self, limit: usize) -> Result<Vec<InvoiceNumber>> {
        read::newest_invoices(self, limit).map_err(app)
    }

    /// Orders of `merchant` claimed and waiting for it to issue, most recently recorded
    /// first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn orders_waiting(&self, merchant: &str, limit: usize) -> Result<Vec<Hash32>> {
        read::orders_waiting(self, merchant, limit).map_err(app)
    }

    /// Invoices in status `submitted` to `enterprise`, in number order, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn submitted_to(&self, enterprise: &str, limit: usize) -> Result<Vec<InvoiceNumber>> {
        read::submitted_to(self, enterprise, limit).map_err(app)
    }

    /// Invoices `enterprise` reimbursed or booked, most recent first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn booked_by(&self, enterprise: &str, limit: usize) -> Result<Vec<InvoiceNumber>> {
        read::booked_by(self, enterprise, limit).map_err(app)
    }

    /// Red-letter forms pending or awaiting their red invoice on invoices `party` sold or
    /// bought, as (raised at ms, form id), most recently raised first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn open_red_forms(&self, party: &str, limit: usize) -> Result<Vec<(u64, Hash32)>> {
        read::open_red_forms(self, party, limit).map_err(app)
    }

    /// Registered taxpayers (USCCs), in USCC order, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn taxpayers(&self, limit: usize) -> Result<Vec<Uscc>> {
        read::taxpayers(self, limit).map_err(app)
    }

    /// Credit request ids, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn credit_requests(&self, limit: usize) -> Result<Vec<Hash32>> {
        read::credit_requests(self, limit).map_err(app)
    }

    /// Automatic credit adjustment ids, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn credit_adjustments(&self, limit: usize) -> Result<Vec<Hash32>> {
        read::credit_adjustments(self, limit).map_err(app)
    }

    /// Express-edition application ids, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn applications(&self, limit: usize) -> Result<Vec<Hash32>> {
        read::applications(self, limit).map_err(app)
    }

    /// Every invoice of the chain: count and total with tax.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn invoice_totals(&self) -> Result<Bucket> {
        read::invoice_totals(self).map_err(app)
    }

    /// Invoices issued in minute `minute` of block time (minutes since the Unix epoch).
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn minute_totals(&self, minute: u64) -> Result<Bucket> {
        read::minute_totals(self, minute).map_err(app)
    }

    /// Categories by total amount, largest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn top_categories(&self, limit: usize) -> Result<Vec<Bucket>> {
        read::top_categories(self, limit).map_err(app)
    }

    /// Sellers (label: USCC, name: seller name) by total amount, largest first, at most
    /// `limit`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn top_sellers(&self, limit: usize) -> Result<Vec<Bucket>> {
        read::top_sellers(self, limit).map_err(app)
    }
}
