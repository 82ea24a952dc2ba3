//! Passphrase key derivation (Argon2id).

use crate::{Error, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

/// Argon2id cost parameters, stored in the keystore file.
///
/// A file is only opened with parameters inside `[MIN, MAX]` per field, so that
/// a hostile file cannot make [`crate::Keystore::open`] allocate without bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes over memory.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// The OWASP-recommended Argon2id setting: 19 MiB, 2 passes, 1 lane.
    pub const RECOMMENDED: KdfParams = KdfParams { m_cost_kib: 19 * 1024, t_cost: 2, p_cost: 1 };

    /// The least [`crate::Keystore::open`] accepts: at least 19 MiB of memory and 2
    /// passes — the OWASP Password Storage Cheat Sheet's minimum for Argon2id
    /// (RFC 9106 §4 recommends more: 2 GiB, or 64 MiB with 3 passes when memory
    /// is constrained). Parameters are compared one by one, so OWASP's
    /// memory-for-passes trade-offs (46 MiB with 1 pass) are refused too.
    pub const FLOOR: KdfParams = KdfParams { m_cost_kib: 19 * 1024, t_cost: 2, p_cost: 1 };

    /// The cheapest setting Argon2 allows (8 KiB, 1 pass). **For tests only**: it
    /// gives a keystore almost no protection against passphrase guessing.
    pub const INSECURE_FAST: KdfParams = KdfParams { m_cost_kib: 8, t_cost: 1, p_cost: 1 };

    /// Largest accepted memory cost: 1 GiB.
    pub const MAX_M_COST_KIB: u32 = 1024 * 1024;
    /// Largest accepted pass count.
    pub const MAX_T_COST: u32 = 64;
    /// Largest accepted lane count.
    pub const MAX_P_COST: u32 = 16;

    /// Checks the bounds above and Argon2's own (`m_cost_kib >= 8 * p_cost`).
    ///
    /// # Errors
    /// [`Error::InvalidKdfParams`] naming the broken bound.
    pub fn validate(&self) -> Result<()> {
        self.argon2_params().map(|_| ())
    }

    fn argon2_params(&self) -> Result<Params> {
        let invalid = |reason: String| Err(Error::InvalidKdfParams { reason });
        if self.m_cost_kib > Self::MAX_M_COST_KIB {
            return invalid(format!("m_cost_kib {} > {}", self.m_cost_kib, Self::MAX_M_COST_KIB));
        }
        if self.t_cost > Self::MAX_T_COST {
            return invalid(format!("t_cost {} > {}", self.t_cost, Self::MAX_T_COST));
        }
        if self.p_cost > Self::MAX_P_COST {
            return invalid(format!("p_cost {} > {}", self.p_cost, Self::MAX_P_COST));
        }
        Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(32))
            .map_err(|e| Error::InvalidKdfParams { reason: e.to_string() })
    }

    /// Checks that these parameters are at or above `floor` (memory and passes;
    /// lanes only split the memory, so they have no floor).
    ///
    /// # Errors
    /// [`Error::WeakKdf`] naming the parameter below the floor.
    pub fn check_floor(&self, floor: &KdfParams) -> Result<()> {
        if self.m_cost_kib < floor.m_cost_kib {
            return Err(Error::WeakKdf {
                reason: format!("m_cost_kib {} < {}", self.m_cost_kib, floor.m_cost_kib),
            });
        }
        if self.t_cost < floor.t_cost {
            return Err(Error::WeakKdf {
                reason: format!("t_cost {} < {}", self.t_cost, floor.t_cost),
            });
        }
        Ok(())
    }

    /// Derives the 32-byte file key from `passphrase` and `salt`.
    pub(crate) fn derive(&self, passphrase: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, self.argon2_params()?);
        let mut key = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase, salt, key.as_mut())
            .map_err(|e| Error::InvalidKdfParams { reason: e.to_string() })?;
        Ok(key)
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::RECOMMENDED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_enforced() {
        KdfParams::RECOMMENDED.validate().unwrap();
        KdfParams::INSECURE_FAST.validate().unwrap();
        let too_much =
            KdfParams { m_cost_kib: KdfParams::MAX_M_COST_KIB + 1, ..KdfParams::RECOMMENDED };
        let no_pass = KdfParams { t_cost: 0, ..KdfParams::RECOMMENDED };
        let many_lanes = KdfParams { p_cost: 17, m_cost_kib: 1024, t_cost: 1 };
        let thin = KdfParams { m_cost_kib: 8, t_cost: 1, p_cost: 2 };
        for bad in [too_much, no_pass, many_lanes, thin] {
            assert!(matches!(bad.validate(), Err(Error::InvalidKdfParams { .. })), "{bad:?}");
        }
    }

    #[test]
    fn floor_is_the_recommended_setting_and_refuses_less() {
        KdfParams::RECOMMENDED.check_floor(&KdfParams::FLOOR).unwrap();
        KdfParams { m_cost_kib: 64 * 1024, t_cost: 3, p_cost: 4 }
            .check_floor(&KdfParams::FLOOR)
            .unwrap();
        for weak in [
            KdfParams::INSECURE_FAST,
            KdfParams { m_cost_kib: 19 * 1024 - 1, ..KdfParams::RECOMMENDED },
            KdfParams { t_cost: 1, m_cost_kib: 46 * 1024, p_cost: 1 },
        ] {
            assert!(
                matches!(weak.check_floor(&KdfParams::FLOOR), Err(Error::WeakKdf { .. })),
                "{weak:?}"
            );
        }
    }

    #[test]
    fn derivation_depends_on_passphrase_salt_and_params() {
        let p = KdfParams::INSECURE_FAST;
        let k = p.derive(b"pass", &[1; 16]).unwrap();
        assert_eq!(*k, *p.derive(b"pass", &[1; 16]).unwrap());
        assert_ne!(*k, *p.derive(b"pasS", &[1; 16]).unwrap());
        assert_ne!(*k, *p.derive(b"pass", &[2; 16]).unwrap());
        let p2 = KdfParams { t_cost: 2, ..p };
        assert_ne!(*k, *p2.derive(b"pass", &[1; 16]).unwrap());
    }
}
