//! Starting Prism (`@stoplight/prism-cli` 5.14) as a mock server of an
//! OpenAPI document, for the contract tests.
//!
//! A Prism test is marked
//! `#[cfg_attr(not(prism), ignore = "needs Prism: ...")]`: `tests/build.rs`
//! sets `cfg(prism)` when Prism is there, or when `PRISM_CLI` or `CI` is set,
//! so without Prism the test is listed as ignored with its reason, and in CI
//! it runs and fails. [`Prism::start`] panics (so the test fails) when Prism
//! cannot be found or started.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{repo_root, target_dir};

/// How long Prism may take to listen (api_v2010, its largest document, takes
/// a while on a loaded 2-core machine).
pub const STARTUP_LIMIT: Duration = Duration::from_secs(120);

/// The Prism CLI entry point, or where it was looked for.
pub fn cli() -> Result<PathBuf, String> {
    let mut looked = Vec::new();
    if let Some(path) = std::env::var_os("PRISM_CLI") {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        looked.push(format!("PRISM_CLI={} does not exist", path.display()));
    }
    let local = repo_root().join("target/prism/node_modules/@stoplight/prism-cli/dist/index.js");
    if local.is_file() {
        return Ok(local);
    }
    looked.push(format!("{} does not exist", local.display()));
    Err(looked.join(", "))
}

/// A running Prism mock server; killed (and reaped) when dropped, also when
/// the test panics.
pub struct Prism {
    child: Child,
    log: PathBuf,
    base_url: String,
}

impl Prism {
    /// Starts `prism mock <spec>` on a free port of 127.0.0.1 and waits until
    /// it accepts connections. Panics, saying why, when Prism is not found
    /// (the test was asked to run: see the module docs), exits early or does
    /// not listen within [`STARTUP_LIMIT`].
    pub fn start(spec: &Path) -> Prism {
        let cli = cli().unwrap_or_else(|why| {
            panic!(
                "Prism is required here (PRISM_CLI or CI is set, or it was installed when the \
                 tests were built) but not found: {why}; install it with \
                 `npm install --prefix target/prism @stoplight/prism-cli@5.14`"
            )
        });
        let port = free_port();
        let logs = target_dir().join("prism-logs");
        std::fs::create_dir_all(&logs).unwrap();
        let log = logs.join(format!("{port}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let child = Command::new("node")
            .arg(&cli)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start `node {}`: {e}", cli.display()));
        let mut prism = Prism {
            child,
            log,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        loop {
            if let Some(status) = prism.child.try_wait().unwrap() {
                panic!("Prism exited early ({status}):\n{}", prism.log());
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return prism;
            }
            assert!(
                started.elapsed() < STARTUP_LIMIT,
                "Prism did not listen on port {port} within {STARTUP_LIMIT:?}:\n{}",
                prism.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// What Prism printed so far (its request log), for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
