//! The deployment recipe in `deploy/` is what the tools themselves accept: systemd checks the
//! units, nginx and Caddy parse their site files, and every setting in the environment file is
//! a real option of the server. (e2e/tests/proxy.test.mjs runs the nginx site for real.)

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_trygghetskarta-server");

fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .join(file)
}

fn read(file: &str) -> String {
    std::fs::read_to_string(deploy(file)).unwrap()
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn systemd_accepts_the_units_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "trygghetskartan.service",
        "trygghetskartan-backup.service",
        "trygghetskartan-backup.timer",
    ];
    for name in names {
        // The binary is installed to /opt in production; here it is the one just built.
        let unit = read(name).replace("/opt/trygghetskartan/bin/trygghetskarta-server", BIN);
        std::fs::write(dir.path().join(name), unit).unwrap();
    }
    let (ok, out) = run(Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(names.iter().map(|n| dir.path().join(n))));
    assert!(
        ok && out.trim().is_empty(),
        "systemd-analyze verify:\n{out}"
    );
    let unit = read("trygghetskartan.service");
    for must in [
        "User=trygghetskartan",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/trygghetskartan",
        "Restart=on-failure",
        "KillSignal=SIGTERM",
    ] {
        assert!(unit.lines().any(|l| l == must), "{must} missing");
    }
}

#[test]
fn every_setting_in_the_environment_file_is_an_option_of_the_server() {
    let (_, help) = run(Command::new(BIN).arg("--help"));
    let env = read("trygghetskartan.env");
    let keys: Vec<&str> = env
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains('='))
        .map(|l| l.split('=').next().unwrap())
        .collect();
    assert!(keys.contains(&"TRUSTED_PROXIES") && keys.contains(&"DATABASE_URL"));
    for key in keys {
        if key == "RUST_LOG" {
            continue; // the log filter, read by tracing
        }
        assert!(
            help.contains(&format!("[env: {key}=")),
            "{key} is not an option:\n{help}"
        );
    }
}

#[test]
fn nginx_accepts_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    // A throwaway certificate where the site expects Let's Encrypt's.
    let (ok, out) = run(Command::new("openssl").args([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-keyout",
        &format!("{d}/key.pem"),
        "-out",
        &format!("{d}/cert.pem"),
    ]));
    assert!(ok, "{out}");
    let site = read("nginx/trygghetskartan.conf")
        .replace(
            "/etc/letsencrypt/live/trygghetskartan.arboga.se/fullchain.pem",
            &format!("{d}/cert.pem"),
        )
        .replace(
            "/etc/letsencrypt/live/trygghetskartan.arboga.se/privkey.pem",
            &format!("{d}/key.pem"),
        );
    std::fs::write(dir.path().join("site.conf"), site).unwrap();
    std::fs::write(
        dir.path().join("nginx.conf"),
        format!(
            "pid {d}/nginx.pid; error_log {d}/error.log;\nevents {{}}\n\
             http {{ access_log off; client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;\n\
             include {d}/site.conf; }}\n"
        ),
    )
    .unwrap();
    let (ok, out) = run(Command::new("nginx")
        .args(["-t", "-p"])
        .arg(dir.path())
        .arg("-c")
        .arg(dir.path().join("nginx.conf")));
    assert!(ok && out.contains("syntax is ok"), "nginx -t:\n{out}");
}

#[test]
fn caddy_accepts_the_site() {
    let (ok, out) = run(Command::new("caddy")
        .args(["adapt", "--adapter", "caddyfile", "--config"])
        .arg(deploy("caddy/Caddyfile")));
    assert!(ok, "caddy adapt:\n{out}");
    let json: serde_json::Value = serde_json::from_str(
        out.lines()
            .find(|l| l.trim_start().starts_with('{'))
            .expect("the adapted JSON"),
    )
    .unwrap();
    let text = json.to_string();
    assert!(text.contains("trygghetskartan.arboga.se") && text.contains("127.0.0.1:8080"));
}
