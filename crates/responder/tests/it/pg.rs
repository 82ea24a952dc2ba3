//! A throw-away PostgreSQL cluster, as `bench/compare-postgres.sh` makes one: `initdb`
//! in a temporary directory (as the `postgres` OS user when run as root, since initdb
//! refuses root), started on 127.0.0.1 on a free port, stopped and removed on drop.
//! `None` (and a message saying why) when the PostgreSQL binaries are not installed,
//! unless `FAPIAO_REQUIRE_POSTGRES` is set (as `.ci/run` does): then that fails.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::Command,
};

pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    as_root: bool,
}

fn pg_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| d.join("initdb").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn run(as_root: bool, bin: &Path, prog: &str, args: &[&str]) {
    let exe = bin.join(prog);
    let out = if as_root {
        Command::new("runuser").args(["-u", "postgres", "--"]).arg(&exe).args(args).output()
    } else {
        Command::new(&exe).args(args).output()
    }
    .unwrap_or_else(|e| panic!("{prog}: {e}"));
    assert!(
        out.status.success(),
        "{prog} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    pub fn start() -> Option<Cluster> {
        let Some(bin) = pg_bin() else {
            // CI installs PostgreSQL and sets this: there, a missing server is a failure.
            assert!(
                std::env::var_os("FAPIAO_REQUIRE_POSTGRES").is_none(),
                "FAPIAO_REQUIRE_POSTGRES is set but PostgreSQL is not installed"
            );
            eprintln!(
                "SKIPPED: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); \
                 `apt-get install postgresql` (.ci/run does) to run the PostgreSQL tests"
            );
            return None;
        };
        let as_root = is_root();
        if as_root {
            let has_user =
                Command::new("id").arg("postgres").output().is_ok_and(|o| o.status.success());
            assert!(
                has_user,
                "running as root needs the postgres OS user (the postgresql package makes it)"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("pg");
        let sock = dir.path().join("sock");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&sock).unwrap();
        if as_root {
            for p in [dir.path(), &data, &sock] {
                let ok = Command::new("chown").arg("postgres").arg(p).status().unwrap().success();
                assert!(ok, "chown postgres {}", p.display());
            }
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let data_s = data.to_str().unwrap();
        run(
            as_root,
            &bin,
            "initdb",
            &["-D", data_s, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
        );
        let opts =
            format!("-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off", sock.display());
        let log = dir.path().join("server.log");
        run(
            as_root,
            &bin,
            "pg_ctl",
            &["-D", data_s, "-l", log.to_str().unwrap(), "-w", "-t", "60", "-o", &opts, "start"],
        );
        Some(Cluster { bin, dir, port, as_root })
    }

    pub fn conn(&self) -> String {
        format!("host=127.0.0.1 port={} user=postgres dbname=postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("pg");
        let exe = self.bin.join("pg_ctl");
        let args = ["-D", data.to_str().unwrap_or(""), "-m", "immediate", "-w", "stop"];
        let _ = if self.as_root {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&exe).args(args).output()
        } else {
            Command::new(&exe).args(args).output()
        };
    }
}
