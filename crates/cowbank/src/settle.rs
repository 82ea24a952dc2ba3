//! Settlement of one sale, exactly in fen: a pure function of the price, the costs, the
//! purchase cost and the contract's terms.
//!
//! * net = price − the collective's costs − the purchase cost (when the contract returns
//!   capital).
//! * A positive net is split by the contract's shares: the collective's share is
//!   `⌊net × bp / 10000⌋` and the household gets the rest, so the odd fen goes to the
//!   household. Losses the household carries from earlier sales under the contract are
//!   then taken from its share (never more than the share).
//! * A loss pays the household nothing. Under [`LossRule::CarryForward`] the household's
//!   part of it, `⌊loss × (10000 − bp) / 10000⌋` (rounded in its favour), is carried to
//!   its next positive share; under [`LossRule::CollectiveBears`] the collective bears it.
//! * The collective keeps the price less the payment; of that, the capital returns to
//!   the fund that bought the animal, after the costs are recovered.
//!
//! With no contract the owner settles alone: the collective keeps everything from its
//! own animal (share 10000), a household everything but the collective's costs (0).

use fapiao_cowbank_types::{ContractRecord, LossRule, Settlement, Slug};
use fapiao_types::Hash32;

/// A sale's result: the settlement and the household's carried loss after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    /// The settlement.
    pub settlement: Settlement,
    /// The contract's carried loss after the sale (0 without a contract).
    pub carried_loss: i64,
}

/// What a sale is settled under.
#[derive(Clone, Copy, Debug)]
pub enum Under<'a> {
    /// The animal's contract, by id.
    Contract(Hash32, &'a ContractRecord),
    /// No contract: the owner (`None`: the collective) settles alone.
    Owner(Option<&'a Slug>),
}

/// Settles a sale at `price` of an animal that cost the collective `costs` and was
/// bought for `purchase_price`. All inputs are fen within DECIMAL(18,2) and not
/// negative.
///
/// # Errors
/// `None` when a result would leave DECIMAL(18,2) (a loss larger than the range).
pub fn settle(price: i64, costs: i64, purchase_price: i64, under: Under<'_>) -> Option<Settled> {
    let (household, contract, bp, capital_return, loss_rule, carried) = match under {
        Under::Contract(id, c) => (
            Some(c.household.clone()),
            Some(id),
            c.terms.collective_share_bp,
            c.terms.capital_return,
            c.terms.loss_rule,
            c.carried_loss,
        ),
        Under::Owner(None) => (None, None, 10_000, false, LossRule::CollectiveBears, 0),
        Under::Owner(Some(h)) => (Some(h.clone()), None, 0, false, LossRule::CollectiveBears, 0),
    };
    let (p, c, b) = (i128::from(price), i128::from(costs), i128::from(u16::min(bp, 10_000)));
    let capital = if capital_return { i128::from(purchase_price) } else { 0 };
    let net = p - c - capital;
    let (mut cs, mut hs, mut recovered, mut lost) = (0, 0, 0, 0);
    let mut carried = i128::from(carried);
    if net >= 0 {
        cs = net * b / 10_000;
        hs = net - cs;
        recovered = carried.min(hs);
        carried -= recovered;
    } else if loss_rule == LossRule::CarryForward {
        lost = (-net) * (10_000 - b) / 10_000;
        carried += lost;
    }
    let payment = hs - recovered;
    let income = p - payment;
    let capital_returned = capital.min((p - c).max(0));
    let fen = |v: i128| i64::try_from(v).ok().filter(|v| fapiao_values::Fen::new(*v).is_ok());
    Some(Settled {
        settlement: Settlement {
            household,
            contract,
            collective_share_bp: u16::try_from(b).ok()?,
            price,
            costs,
            capital: fen(capital)?,
            net: fen(net)?,
            collective_share: fen(cs)?,
            household_share: fen(hs)?,
            loss_recovered: fen(recovered)?,
            loss_carried: fen(lost)?,
            household_payment: fen(payment)?,
            collective_income: fen(income)?,
            capital_returned: fen(capital_returned)?,
        },
        carried_loss: fen(carried)?,
    })
}
