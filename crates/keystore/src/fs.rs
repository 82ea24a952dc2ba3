//! Durable file writes with mode `0600`.
//!
//! [`write_atomic`] replaces a file: the new content goes to a fresh sibling file
//! created with mode `0600`, is fsynced, renamed over the target, and the
//! directory is fsynced so the rename itself survives a crash. A reader therefore
//! sees the old file or the new one, never a mix.
//!
//! [`write_new`] creates a file that must not exist yet (no overwrite, race-free
//! through `O_EXCL`), fsyncs it and its directory.
//!
//! [`lock`] takes an exclusive advisory lock beside a file (`<file>.lock`): writers
//! of the keystore and the token store hold it while they re-read, change and
//! replace the file, so two processes never overwrite each other's change. The
//! lock is on a sibling because the file itself is replaced by a rename, which a
//! lock on its old inode would not cover.

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
    move |source| Error::Io { path: path.to_path_buf(), source }
}

/// Reads the whole file, refusing more than [`MAX_FILE_BYTES`].
pub(crate) fn read(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = File::open(path).map_err(io_err(path))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io_err(path))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::Malformed { reason: format!("file is over {MAX_FILE_BYTES} bytes") });
    }
    Ok(bytes)
}

/// An exclusive lock on `<file>.lock`, released when dropped (or when the process
/// dies: the kernel drops `flock` locks with the descriptor).
#[derive(Debug)]
pub(crate) struct FileLock {
    file: File,
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Closing the descriptor releases the lock too; unlocking first is only
        // tidier for a process that keeps running.
        let _ = self.file.unlock();
    }
}

/// Blocks until this process holds the exclusive lock of `path` (on the sibling
/// `<path>.lock`, created with mode `0600` if missing and never removed).
///
/// # Errors
/// [`Error::Io`] if the lock file cannot be opened or locked.
pub(crate) fn lock(path: &Path) -> Result<FileLock> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let lock_path = PathBuf::from(name);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&lock_path).map_err(io_err(&lock_path))?;
    file.lock().map_err(io_err(&lock_path))?;
    Ok(FileLock { file })
}

/// Atomically replaces (or creates) `path` with `bytes`, mode `0600`.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_stamped(path, bytes).map(|_| ())
}

/// As [`write_atomic`], returning the [`Stamp`] of the file written, taken
/// before it was renamed into place: if the path still shows this stamp later,
/// it still holds these bytes.
pub(crate) fn write_atomic_stamped(path: &Path, bytes: &[u8]) -> Result<Stamp> {
    let dir = parent_dir(path);
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

    let result = create_exclusive(&tmp).and_then(|file| {
        let stamp = fill(&tmp, file, bytes)?;
        fs::rename(&tmp, path).map_err(io_err(path))?;
        sync_dir(&dir)?;
        Ok(stamp)
    });
    if result.is_err() {
        // Best effort: after a failed rename the temporary file is still there.
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Creates `path`, which must not exist, with `bytes` and mode `0600`.
///
/// Not atomic with respect to content: a crash while writing can leave a short
/// file behind, which readers refuse as malformed. On any other failure the
/// partly written file is removed.
///
/// # Errors
/// [`Error::AlreadyExists`] if anything (even a dangling symlink) is at `path`;
/// [`Error::Io`].
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<Stamp> {
    let file = create_exclusive(path).map_err(|e| match e {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => {
            Error::AlreadyExists { path: path.to_path_buf() }
        }
        other => other,
    })?;
    let result = fill(path, file, bytes).and_then(|stamp| {
        sync_dir(&parent_dir(path))?;
        Ok(stamp)
    });
    if result.is_err() {
        // Only we created this file; do not leave a partial copy behind.
        let _ = fs::remove_file(path);
    }
    result
}

/// What identifies one version of a file cheaply: device, inode (Unix), length
/// and modification time. Every [`write_atomic`] creates a new inode, so a
/// replacement is seen even when length and coarse mtime are unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    dev_ino: (u64, u64),
}

impl Stamp {
    pub(crate) fn of(meta: &fs::Metadata) -> Self {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            dev_ino: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
        }
    }
}

/// The stamp of the file now at `path` (following symlinks), or `None` when
/// there is none.
///
/// # Errors
/// [`Error::Io`] for failures other than "not found".
pub(crate) fn stamp(path: &Path) -> Result<Option<Stamp>> {
    match fs::metadata(path) {
        Ok(meta) => Ok(Some(Stamp::of(&meta))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(path)(e)),
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Opens a new file with `O_EXCL` and mode exactly `0600`.
fn create_exclusive(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(io_err(path))?;
    #[cfg(unix)]
    {
        // `mode` is filtered by the umask; make sure the result is exactly 0600.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600)).map_err(io_err(path))?;
    }
    Ok(file)
}

/// Writes `bytes`, fsyncs, and returns the stamp of the written file.
fn fill(path: &Path, mut file: File, bytes: &[u8]) -> Result<Stamp> {
    file.write_all(bytes).map_err(io_err(path))?;
    file.sync_all().map_err(io_err(path))?;
    file.metadata().map(|m| Stamp::of(&m)).map_err(io_err(path))
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|d| d.sync_all()).map_err(io_err(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
