//! The cow bank's governed policy (`params/cowbank/policy`): the default split offered
//! to new contracts and the largest share the collective may take, the longest contract.

use fapiao_app::{Param, Timing};
use serde::{Deserialize, Serialize};

/// The cow bank's policy *(chain mechanics: takes effect at an activation height)*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CowbankPolicy {
    /// The collective's share offered by default, basis points (the article's 30 %).
    pub default_collective_share_bp: u16,
    /// The largest collective share a contract may state, basis points.
    pub max_collective_share_bp: u16,
    /// The longest contract, in years.
    pub max_contract_years: u16,
}

impl Default for CowbankPolicy {
    fn default() -> Self {
        CowbankPolicy {
            default_collective_share_bp: 3000,
            max_collective_share_bp: 5000,
            max_contract_years: 10,
        }
    }
}

impl Param for CowbankPolicy {
    const ID: &'static str = "cowbank/policy";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "The cow bank's default split of a sale's net profit (the \
        collective's share, basis points), the largest collective share a contract may state, \
        and the longest contract in years";

    fn check(&self) -> core::result::Result<(), String> {
        if self.max_collective_share_bp > 10_000 {
            return Err("max_collective_share_bp must be at most 10000".into());
        }
        if self.default_collective_share_bp > self.max_collective_share_bp {
            return Err("default_collective_share_bp must be at most the maximum".into());
        }
        if !(1..=50).contains(&self.max_contract_years) {
            return Err("max_contract_years must be between 1 and 50".into());
        }
        Ok(())
    }
}
