//! A throwaway PostgreSQL cluster, one per test (or benchmark) process: Debian's `postgresql`
//! package (`scripts/setup.sh --test` installs it), `initdb` into a temporary directory owned by
//! the `postgres` user (PostgreSQL refuses to run as root), `pg_ctl` with its Unix socket in that
//! directory on a free port, and a fresh database per test. A watchdog started with it stops the
//! cluster and deletes the directory once this process has exited, however it exits.
//!
//! Also used by the benchmarks (`examples/support`), which ask for a durable cluster.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Where Debian puts the server programs; `PG_BIN` overrides it.
const DEFAULT_BIN: &str = "/usr/lib/postgresql/15/bin";

pub struct Cluster {
    /// Data directory, socket and log live here.
    pub dir: PathBuf,
    pub port: u16,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static DURABLE: OnceLock<Cluster> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// This process's cluster (started on first use), tuned for tests: no fsync.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| Cluster::start(false))
}

/// This process's cluster with PostgreSQL's durable defaults (fsync on), for benchmarks.
pub fn durable_cluster() -> &'static Cluster {
    DURABLE.get_or_init(|| Cluster::start(true))
}

fn bin(program: &str) -> PathBuf {
    let dir = std::env::var("PG_BIN").unwrap_or_else(|_| DEFAULT_BIN.to_owned());
    let path = Path::new(&dir).join(program);
    assert!(
        path.is_file(),
        "{} is missing: install PostgreSQL (`scripts/setup.sh --test` does: apt-get install \
         postgresql), or set PG_BIN",
        path.display()
    );
    path
}

/// Runs `program` as the `postgres` user when we are root (PostgreSQL refuses root).
fn as_postgres(program: &str) -> Command {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin(program));
        c
    } else {
        Command::new(bin(program))
    }
}

fn run(mut cmd: Command, what: &str) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// Starts a cluster. `durable`: PostgreSQL's defaults (fsync on), for benchmarks; else
    /// fsync and synchronous commit off, which tests do not need.
    pub fn start(durable: bool) -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("tk-pg-")
            .tempdir()
            .unwrap()
            .keep();
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            let mut chown = Command::new("chown");
            chown.args(["postgres:postgres"]).arg(&dir);
            run(chown, "chown postgres");
        }
        let data = dir.join("data");
        let mut initdb = as_postgres("initdb");
        initdb.arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "-N",
        ]);
        run(initdb, "initdb");
        let port = free_port();
        let mut settings = format!(
            "-k {} -p {port} -c listen_addresses='' -c max_connections=300 \
             -c shared_buffers=128MB",
            dir.display()
        );
        if !durable {
            settings.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let mut pg_ctl = as_postgres("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .args(["-w", "-o", &settings, "start"]);
        run(pg_ctl, "pg_ctl start");
        // The watchdog: once this process is gone, stop the cluster and delete it all. Its own
        // session, so a Ctrl-C to the test run does not take it down before it has cleaned up.
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {stop} -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            stop = if unsafe { libc::geteuid() } == 0 {
                format!("runuser -u postgres -- {}", bin("pg_ctl").display())
            } else {
                bin("pg_ctl").display().to_string()
            },
            data = data.display(),
            dir = dir.display(),
        );
        // `setsid --fork`: the command we wait for returns at once, the watchdog lives on.
        Command::new("setsid")
            .args(["--fork", "sh", "-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the cluster's watchdog");
        Cluster { dir, port }
    }

    /// The URL of database `name` in this cluster (over its Unix socket).
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgres://postgres@localhost:{}/{name}?host={}",
            self.port,
            self.dir.display()
        )
    }

    /// Runs one SQL statement on database `db` with psql.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new("psql")
            .arg("-h")
            .arg(&self.dir)
            .args(["-p", &self.port.to_string(), "-U", "postgres", "-d", db])
            .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
            .stdin(Stdio::null())
            .output()
            .expect("psql (postgresql-client)");
        assert!(
            out.status.success(),
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A new, empty database; its URL.
    pub fn new_database(&self) -> String {
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }
}
