//! Starting, stopping and talking to real `fapiao demo` processes.

use serde_json::Value;
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// A running `fapiao demo` process.
pub struct Demo {
    child: Option<Child>,
    pub dir: PathBuf,
    pub url: String,
    pub http: reqwest::blocking::Client,
}

impl Demo {
    /// Starts (or resumes) the demo in `dir` on a free port and waits until seeded.
    pub fn start(dir: &Path) -> Demo {
        Demo::start_with(dir, &[])
    }

    /// [`Demo::start`] with extra environment variables for the demo process.
    pub fn start_with(dir: &Path, env: &[(&str, &str)]) -> Demo {
        let addr_file = dir.join("http.addr");
        let _ = std::fs::remove_file(&addr_file);
        std::fs::create_dir_all(dir).unwrap();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("node.log"))
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_fapiao"))
            .args(["demo", "--data-dir"])
            .arg(dir)
            .args(["--http", "127.0.0.1:0"])
            .env("FAPIAO_LOG", "info,commonware=warn")
            .envs(env.iter().copied())
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("spawn fapiao");
        let mut demo = Demo {
            child: Some(child),
            dir: dir.to_path_buf(),
            url: String::new(),
            http: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(a) = std::fs::read_to_string(&addr_file) {
                if !a.trim().is_empty() {
                    demo.url = format!("http://{}", a.trim());
                    break;
                }
            }
            demo.assert_alive();
            assert!(Instant::now() < deadline, "node did not start; log:\n{}", demo.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        while !dir.join("demo/identities.json").exists() {
            demo.assert_alive();
            assert!(Instant::now() < deadline, "demo not seeded; log:\n{}", demo.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        demo
    }

    fn assert_alive(&mut self) {
        if let Some(c) = self.child.as_mut() {
            if let Ok(Some(status)) = c.try_wait() {
                panic!("fapiao exited with {status}; log:\n{}", self.log());
            }
        }
    }

    /// The node's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("node.log")).unwrap_or_default()
    }

    /// SIGKILL.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        let resp = self.http.get(format!("{}{path}", self.url)).send().unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub fn get_text(&self, path: &str) -> (u16, String, String) {
        let resp = self.http.get(format!("{}{path}", self.url)).send().unwrap();
        let status = resp.status().as_u16();
        let ct = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, ct, resp.text().unwrap())
    }

    pub fn post_bytes(&self, path: &str, body: Vec<u8>) -> (u16, Value, Option<String>) {
        let resp = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/octet-stream")
            .body(body)
            .send()
            .unwrap();
        let status = resp.status().as_u16();
        let retry = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
        let text = resp.text().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)), retry)
    }

    pub fn post_json(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut req = self.http.post(format!("{}{path}", self.url)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub fn height(&self) -> u64 {
        self.get("/v1/status").1["height"].as_u64().unwrap()
    }

    /// Waits until the executed height reaches `h`.
    pub fn wait_height(&self, h: u64, within: Duration) -> u64 {
        let deadline = Instant::now() + within;
        loop {
            let now = self.height();
            if now >= h {
                return now;
            }
            assert!(
                Instant::now() < deadline,
                "height stuck at {now}, wanted {h}; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn identities(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.dir.join("demo/identities.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    pub fn identity(&self, name: &str) -> Value {
        self.identities()
            .into_iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("no identity {name}"))
    }

    pub fn genesis(&self) -> fapiao_types::Genesis {
        fapiao_types::Genesis::from_json(
            &std::fs::read_to_string(self.dir.join("genesis.json")).unwrap(),
        )
        .unwrap()
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.kill();
    }
}
