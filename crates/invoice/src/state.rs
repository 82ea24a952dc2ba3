//! The seam to the ledger ([`fapiao_app`]'s state access and context) and typed record
//! helpers over it.

use crate::{Error, Result};
use commonware_codec::{Encode, Read};
use fapiao_types::{decode_exact, StateKey};

pub use fapiao_app::{Ctx, StateAccess};

/// Typed helpers over [`StateAccess`].
pub(crate) trait Records: StateAccess {
    fn get<T: Read<Cfg = ()>>(&self, key: &StateKey) -> Result<Option<T>> {
        match self.read(key).map_err(Error::Fatal)? {
            Some(bytes) => decode_exact::<T>(&bytes, &())
                .map(Some)
                .map_err(|e| Error::Fatal(format!("{key}: {e}"))),
            None => Ok(None),
        }
    }

    fn put<T: Encode>(&mut self, key: &StateKey, value: &T) {
        self.write(key, value.encode().to_vec());
    }
}

impl<S: StateAccess + ?Sized> Records for S {}
