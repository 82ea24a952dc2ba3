//! Durable, atomic replacement of the keystore file.
//!
//! The new content goes to a fresh sibling file created with mode `0600`, is
//! fsynced, renamed over the target, and the directory is fsynced so the rename
//! itself survives a crash. A reader therefore sees the old file or the new one,
//! never a mix.

use crate::{Error, Result};
use rand_core::{OsRng, RngCore};
use std::{
    ffi::OsString,
    fs::{self, File, OpenOptions},
    io::Write,
    path::{Path, PathBuf},
};

/// Upper bound on a keystore file read by [`read`]: far above any real keystore.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads the whole file, refusing more than [`MAX_FILE_BYTES`].
pub(crate) fn read(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = File::open(path).map_err(io_err(path))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err(path))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::Malformed {
            reason: format!("file is over {MAX_FILE_BYTES} bytes"),
        });
    }
    Ok(bytes)
}

/// Atomically replaces (or creates) `path` with `bytes`, mode `0600`.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(name) = path.file_name() else {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"),
        });
    };
    let mut tmp_name = OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{:016x}", OsRng.next_u64()));
    let tmp = dir.join(tmp_name);

    let result = write_new(&tmp, bytes)
        .and_then(|()| fs::rename(&tmp, path).map_err(io_err(path)))
        .and_then(|()| sync_dir(&dir));
    if result.is_err() {
        // Best effort: after a failed rename the temporary file is still there.
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn write_new(tmp: &Path, bytes: &[u8]) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(tmp).map_err(io_err(tmp))?;
    #[cfg(unix)]
    {
        // `mode` is filtered by the umask; make sure the result is exactly 0600.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(io_err(tmp))?;
    }
    file.write_all(bytes).map_err(io_err(tmp))?;
    file.sync_all().map_err(io_err(tmp))
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_err(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
