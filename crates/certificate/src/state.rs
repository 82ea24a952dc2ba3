//! Typed record helpers over the seam's [`StateAccess`].

use crate::{Error, Result, StateAccess};
use commonware_codec::{Encode, Read};
use fapiao_types::{decode_exact, StateKey};

/// Typed reads and writes of records.
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
