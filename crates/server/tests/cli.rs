//! The real binary: start-up failures are one clear line and a non-zero exit, never a panic;
//! `user add` stores an argon2id hash.

use crate::common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_trygghetskarta-server");

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("BIND_ADDR")
        .env_remove("STATIC_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn assert_clean_failure(out: &Output, expect: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail: {stderr}");
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("error: "), "one error line: {stderr}");
    assert!(last.contains(expect), "{expect:?} in {stderr}");
}

fn dist_in(dir: &std::path::Path) -> String {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    dist.display().to_string()
}

#[test]
fn a_missing_database_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dist_in(dir.path());
    let url = format!("sqlite://{}/no/such/dir/x.db", dir.path().display());
    let out = run(
        &[
            "--database-url",
            &url,
            "--static-dir",
            &dist,
            "--bind",
            "127.0.0.1:0",
        ],
        "",
    );
    assert_clean_failure(&out, "does not exist");
}

#[test]
fn a_missing_widget_build_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::db_url(dir.path(), "x.db");
    let missing = dir.path().join("dist-missing").display().to_string();
    let out = run(
        &[
            "--database-url",
            &url,
            "--static-dir",
            &missing,
            "--bind",
            "127.0.0.1:0",
        ],
        "",
    );
    assert_clean_failure(&out, "widget build is missing");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let dist = dist_in(dir.path());
    let url = common::db_url(dir.path(), "x.db");
    let out = run(
        &[
            "--database-url",
            &url,
            "--static-dir",
            &dist,
            "--bind",
            &addr,
        ],
        "",
    );
    assert_clean_failure(&out, "cannot listen on");
}

#[test]
fn help_lists_every_option_with_its_environment_variable() {
    let out = run(&["--help"], "");
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--bind",
        "BIND_ADDR",
        "--database-url",
        "DATABASE_URL",
        "--static-dir",
        "STATIC_DIR",
        "127.0.0.1:8080",
        "user",
    ] {
        assert!(
            help.contains(needle),
            "{needle} missing from --help:\n{help}"
        );
    }
}

#[test]
fn user_add_stores_an_argon2id_hash_and_refuses_duplicates_and_short_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::db_url(dir.path(), "users.db");

    let out = run(
        &[
            "--database-url",
            &url,
            "user",
            "add",
            "anna",
            "--role",
            "planner",
        ],
        "a long enough secret\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let rt = tokio::runtime::Runtime::new().unwrap();
    let (hash, role) = rt.block_on(async {
        let storage = trygghetskarta_server::Storage::open(&url).await.unwrap();
        storage.user_credentials("ANNA").await.unwrap().unwrap()
    });
    assert_eq!(role, "planner");
    assert!(hash.starts_with("$argon2id$"));
    assert!(!hash.contains("a long enough secret"));
    assert!(trygghetskarta_server::password::verify(
        "a long enough secret",
        &hash
    ));

    let again = run(
        &[
            "--database-url",
            &url,
            "user",
            "add",
            "Anna",
            "--role",
            "admin",
        ],
        "another long secret\n",
    );
    assert_clean_failure(&again, "already exists");

    let short = run(
        &[
            "--database-url",
            &url,
            "user",
            "add",
            "bo",
            "--role",
            "organiser",
        ],
        "short\n",
    );
    assert_clean_failure(&short, "at least 10 characters");

    let bad_role = run(
        &[
            "--database-url",
            &url,
            "user",
            "add",
            "bo",
            "--role",
            "root",
        ],
        "long enough secret\n",
    );
    assert!(!bad_role.status.success());
}

#[test]
fn user_list_disable_enable_and_passwd() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::db_url(dir.path(), "users.db");
    let db = ["--database-url", url.as_str()];
    let ok = |out: Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(run(
        &[&db[..], &["user", "add", "cecilia", "--role", "organiser"]].concat(),
        "first secret pw\n",
    ));
    let list = ok(run(&[&db[..], &["user", "list"]].concat(), ""));
    assert!(
        list.contains("cecilia") && list.contains("organiser") && list.contains("active"),
        "{list}"
    );

    ok(run(
        &[&db[..], &["user", "disable", "cecilia"]].concat(),
        "",
    ));
    let list = ok(run(&[&db[..], &["user", "list"]].concat(), ""));
    assert!(list.contains("disabled"), "{list}");
    ok(run(&[&db[..], &["user", "enable", "cecilia"]].concat(), ""));

    ok(run(
        &[&db[..], &["user", "passwd", "cecilia"]].concat(),
        "second secret pw\n",
    ));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (hash, _) = rt.block_on(async {
        let storage = trygghetskarta_server::Storage::open(&url).await.unwrap();
        storage.user_credentials("cecilia").await.unwrap().unwrap()
    });
    assert!(trygghetskarta_server::password::verify(
        "second secret pw",
        &hash
    ));
    assert!(!trygghetskarta_server::password::verify(
        "first secret pw",
        &hash
    ));

    let missing = run(&[&db[..], &["user", "disable", "nobody"]].concat(), "");
    assert_clean_failure(&missing, "no user named");
}
