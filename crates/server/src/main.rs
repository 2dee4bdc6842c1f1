//! `trygghetskarta-server`: command line, start-up checks and the listener. Everything else is in
//! the library so tests use exactly the same router.

use std::io::BufRead;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use trygghetskarta_server::config::{
    Cli, Command, DbArgs, RateLimits, ServeArgs, TileSource, UserCommand,
};
use trygghetskarta_server::proxy::TrustedProxies;
use trygghetskarta_server::ratelimit::Limit;
use trygghetskarta_server::storage::{self, NewUser, ServerLock};
use trygghetskarta_server::{
    app, auth, mail, metrics, password, retention, security, serve, time, AppConfig, AppState,
    Storage,
};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        None | Some(Command::Serve) => serve(&cli.db, cli.serve).await,
        Some(Command::Migrate { from, to }) => migrate(&from, &to).await,
        Some(Command::User(UserCommand::Add { name, role })) => {
            user_add(&cli.db.database_url, &name, &role).await
        }
        Some(Command::User(command)) => user_admin(&cli.db.database_url, command).await,
        Some(Command::Backup { file }) => {
            let pins = storage::backup(&cli.db.database_url, &file).await?;
            println!(
                "backup written to {} ({pins} pins; integrity_check ok)",
                file.display()
            );
            Ok(())
        }
        Some(Command::Restore { file }) => restore(&cli.db.database_url, &file).await,
        Some(Command::Precompress { dir }) => {
            let done =
                tokio::task::spawn_blocking(move || trygghetskarta_server::precompress::dir(&dir))
                    .await
                    .map_err(|e| e.to_string())??;
            println!(
                "compressed {} files: {} bytes → {} (br) / {} (gzip)",
                done.files, done.bytes, done.br, done.gzip
            );
            Ok(())
        }
    }
}

/// Restores a backup; refused while a server runs on the database.
async fn restore(database_url: &str, file: &std::path::Path) -> Result<(), String> {
    let _lock = ServerLock::acquire(database_url)
        .map_err(|e| format!("{e}; restore only while the server is stopped"))?;
    let kept = storage::restore(database_url, file, time::now_unix()).await?;
    // Open it once, as the server would: runs migrations a newer version needs.
    let db = Storage::open(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let pins = db.count_pins().await.map_err(|e| e.to_string())?;
    db.close().await;
    match kept {
        Some(old) => println!(
            "restored {} ({pins} pins); the database it replaced is kept as {}",
            file.display(),
            old.display()
        ),
        None => println!("restored {} ({pins} pins)", file.display()),
    }
    Ok(())
}

/// Copies an SQLite database into an empty PostgreSQL one (the SQLite server must be stopped).
async fn migrate(from: &str, to: &str) -> Result<(), String> {
    if storage::is_postgres(from) || !storage::is_postgres(to) {
        return Err(
            "migrate copies SQLite into PostgreSQL: --from sqlite://FILE --to postgres://…".into(),
        );
    }
    let _lock = ServerLock::acquire(from)
        .map_err(|e| format!("{e}; migrate only while the server is stopped"))?;
    let source = Storage::open(from).await.map_err(|e| e.to_string())?;
    let target = Storage::open(to).await.map_err(|e| e.to_string())?;
    let copied = storage::migrate(&source, &target).await;
    source.close().await;
    target.close().await;
    let copied = copied?;
    for (table, rows) in &copied.tables {
        println!("{table:<18} {rows:>9} rows");
    }
    println!("copied into PostgreSQL; start the server with DATABASE_URL set to it");
    Ok(())
}

async fn serve(db_args: &DbArgs, args: ServeArgs) -> Result<(), String> {
    let database_url = db_args.database_url.as_str();
    let limits = serve_limits(&args);
    let index = args.static_dir.join("index.html");
    if !index.is_file() {
        return Err(format!(
            "the widget build is missing: {} not found (build it with `make build`, or set --static-dir)",
            index.display()
        ));
    }
    let tiles = match args.tile_url {
        Some(url) => {
            if !(url.contains("{z}") && url.contains("{x}") && url.contains("{y}")) {
                return Err(format!(
                    "--tile-url must contain {{z}}, {{x}} and {{y}}: {url:?}"
                ));
            }
            std::fs::create_dir_all(&args.tile_cache_dir).map_err(|e| {
                format!(
                    "cannot create the tile cache {}: {e}",
                    args.tile_cache_dir.display()
                )
            })?;
            Some(TileSource {
                url_template: url,
                attribution: args.tile_attribution,
                cache_dir: args.tile_cache_dir,
                max_zoom: args.tile_max_zoom,
            })
        }
        None => None,
    };
    let allowed_origins = args
        .allowed_origins
        .iter()
        .filter(|o| !o.trim().is_empty())
        .map(|o| security::parse_origin(o).map_err(|e| format!("--allowed-origins: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let trusted_proxies = TrustedProxies::parse(&args.trusted_proxies)
        .map_err(|e| format!("--trusted-proxies: {e}"))?;
    let mail = match (&args.smtp_url, &args.mail_from) {
        (None, None) => None,
        (Some(url), Some(from)) => {
            if args.public_url.is_none() {
                return Err(
                    "--smtp-url needs --public-url: the mails link to the widget".to_owned(),
                );
            }
            Some(mail::MailConfig::new(url, from)?)
        }
        (Some(_), None) => return Err("--smtp-url needs --mail-from".to_owned()),
        (None, Some(_)) => return Err("--mail-from needs --smtp-url".to_owned()),
    };
    let lock = ServerLock::acquire(database_url)?;
    let db = Storage::open_with(database_url, db_args.database_pool_size)
        .await
        .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let metrics_listener = match args.metrics_bind {
        Some(at) => Some(
            tokio::net::TcpListener::bind(at)
                .await
                .map_err(|e| format!("cannot listen on {at} (--metrics-bind): {e}"))?,
        ),
        None => None,
    };
    let state = AppState::new(
        db.clone(),
        AppConfig {
            static_dir: Some(args.static_dir),
            tiles,
            public_url: args.public_url,
            allowed_origins,
            limits: RateLimits {
                pins: Limit::per_minutes(args.pins_per_10_min, 10),
                agrees: Limit::per_minutes(args.agrees_per_10_min, 10),
                ..RateLimits::default()
            },
            trusted_proxies,
            body_timeout: Duration::from_secs(args.body_timeout),
            mail: mail.clone(),
        },
    );
    if let Some(config) = mail {
        mail::spawn_mailer(db.clone(), config);
    }
    retention::spawn_daily(db.clone(), args.retention_months);
    // Forget expired staff sessions every hour.
    let purge_db = db.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            let now = time::now_unix();
            if let Err(e) = purge_db
                .purge_sessions(now - auth::IDLE_SECS, now - auth::ABSOLUTE_SECS)
                .await
            {
                tracing::warn!(error = %e, "session purge failed");
            }
        }
    });
    if let Some(listener) = metrics_listener {
        let router = metrics::router(state.metrics.clone(), db.clone());
        let at = listener.local_addr().map_err(|e| e.to_string())?;
        tracing::info!(%at, "metrics at http://{at}/metrics");
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::warn!(error = %e, "metrics listener failed");
            }
        });
    }
    println!("Trygghetskartan is running at http://{addr}/  (Ctrl+C stops it)");
    let metrics = state.metrics.clone();
    serve::serve(listener, app(state), limits, metrics, shutdown_signal()).await;
    tracing::info!("stopped accepting; writing what is queued and checkpointing the database");
    db.close().await;
    drop(lock);
    println!("Trygghetskartan stopped");
    Ok(())
}

/// The connection limits from the flags, capped by the open-files limit.
fn serve_limits(args: &ServeArgs) -> serve::Limits {
    let files = serve::raise_open_files_limit();
    // Each connection is one file; keep room for the database, tiles and logs.
    let room = usize::try_from(files.saturating_sub(64))
        .unwrap_or(usize::MAX)
        .max(16);
    let wanted = args.max_connections as usize;
    if wanted > room {
        tracing::warn!(
            max_connections = wanted,
            open_files_limit = files,
            "--max-connections lowered to {room}: raise the open-files limit (LimitNOFILE) for more"
        );
    }
    serve::Limits {
        header_timeout: Duration::from_secs(args.header_timeout),
        idle_timeout: Duration::from_secs(args.idle_timeout),
        send_timeout: Duration::from_secs(args.send_timeout),
        max_connections: wanted.min(room),
        shutdown_timeout: Duration::from_secs(args.shutdown_timeout),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Reads a password (one line) from standard input and hashes it.
fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let pw = line.trim_end_matches(['\r', '\n']);
    if pw.chars().count() < password::MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password (read from standard input) must have at least {} characters",
            password::MIN_PASSWORD_CHARS
        ));
    }
    password::hash(pw).map_err(|e| format!("cannot hash the password: {e}"))
}

async fn user_admin(database_url: &str, command: UserCommand) -> Result<(), String> {
    let db = Storage::open(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let missing = |name: &str| format!("no user named {name:?}");
    match command {
        UserCommand::List => {
            let users = db.list_users().await.map_err(|e| e.to_string())?;
            println!("{:<24} {:<10} {:<9} created", "name", "role", "status");
            for u in users {
                let status = if u.disabled { "disabled" } else { "active" };
                println!(
                    "{:<24} {:<10} {:<9} {}",
                    u.username, u.role, status, u.created_at
                );
            }
        }
        UserCommand::Disable { name } => {
            if !db
                .set_user_disabled(&name, true)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err(missing(&name));
            }
            println!("disabled {name:?}; its sessions have ended");
        }
        UserCommand::Enable { name } => {
            if !db
                .set_user_disabled(&name, false)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err(missing(&name));
            }
            println!("enabled {name:?}");
        }
        UserCommand::Passwd { name } => {
            let hash = read_password()?;
            if !db
                .set_password(&name, &hash)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err(missing(&name));
            }
            println!("new password set for {name:?}; its sessions have ended");
        }
        UserCommand::Add { .. } => unreachable!("handled by user_add"),
    }
    db.close().await;
    Ok(())
}

async fn user_add(database_url: &str, name: &str, role: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 || name.chars().any(char::is_whitespace) {
        return Err("the user name must be 1-64 characters without spaces".into());
    }
    let hash = read_password()?;
    let db = Storage::open(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let created_at = time::now_rfc3339_utc();
    db.create_user(&NewUser {
        username: name,
        password_hash: &hash,
        role,
        created_at: &created_at,
    })
    .await
    .map_err(|e| e.to_string())?;
    db.close().await;
    println!("created {role} account {name:?}");
    Ok(())
}
