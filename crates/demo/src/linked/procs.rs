//! The cross-chain demo's child processes (`fapiao node`, `fapiao relayer`): each started
//! with `--parent` (so it stops by itself when the demo is gone, even after a `kill -9`),
//! its output appended to a log file, and all of them killed when the demo stops.

use crate::{Error, Result};
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

/// One running child: what it is, the process, its log.
struct Running {
    what: String,
    child: Child,
    log: PathBuf,
}

/// The demo's children, killed on drop.
#[derive(Default)]
pub struct Children {
    running: Vec<Running>,
}

impl Children {
    /// Starts `exe SUBCOMMAND --config CONFIG --parent <this pid>` with its output
    /// appended to `log`.
    ///
    /// # Errors
    /// [`Error::Io`] when the log cannot be opened or the process not started.
    pub fn spawn(&mut self, exe: &Path, subcommand: &str, config: &Path, log: &Path) -> Result<()> {
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| Error::io(log, e))?;
        let err = out.try_clone().map_err(|e| Error::io(log, e))?;
        let child = Command::new(exe)
            .arg(subcommand)
            .arg("--config")
            .arg(config)
            .arg("--parent")
            .arg(std::process::id().to_string())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| Error::io(exe, e))?;
        tracing::info!(what = subcommand, config = %config.display(), pid = child.id(), log = %log.display(), "linked.child_started");
        self.running.push(Running {
            what: format!("{subcommand} {}", config.display()),
            child,
            log: log.to_path_buf(),
        });
        Ok(())
    }

    /// Returns (with an error naming it and its log) once any child has exited; never
    /// otherwise.
    pub async fn exited(&mut self) -> Error {
        loop {
            for r in &mut self.running {
                if let Ok(Some(status)) = r.child.try_wait() {
                    return Error::Seed(format!(
                        "{} exited ({status}); see {}",
                        r.what,
                        r.log.display()
                    ));
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Kills every child and waits for it.
    pub fn stop(&mut self) {
        for mut r in self.running.drain(..) {
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        self.stop();
    }
}
