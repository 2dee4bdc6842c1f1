//! Server configuration: every option is a flag with an environment variable and a default,
//! so `trygghetskarta-server --help` is the complete reference.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::ratelimit::Limit;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/trygghetskarta.db";

#[derive(Debug, Parser)]
#[command(
    name = "trygghetskarta-server",
    version,
    about = "Trygghetskartan API server: serves the widget and the /api endpoints, stores data in SQLite or PostgreSQL."
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub serve: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct DbArgs {
    /// The database: sqlite://FILE (created in WAL mode if missing; its directory must exist)
    /// or postgres://USER:PASSWORD@HOST:PORT/DATABASE (an existing, empty or Trygghetskartan
    /// database; for more than one server process). Tables are created and migrated at start.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    /// Connections to the database this process keeps at most: PostgreSQL, all of them
    /// (default 16; mind max_connections over all processes); SQLite, the readers beside the
    /// one writer (default 8).
    #[arg(long, env = "DATABASE_POOL_SIZE", global = true,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_pool_size: Option<u32>,
}

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long = "bind", env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Directory with the built widget (Trunk's dist/). Must contain index.html.
    #[arg(long, env = "STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// Street-level raster tiles: an XYZ URL template such as
    /// https://tiles.example.org/{z}/{x}/{y}.png. Browsers fetch tiles only from this server,
    /// which fetches from the template and caches on disk. Unset: the vector basemap alone.
    #[arg(long, env = "TILE_URL")]
    pub tile_url: Option<String>,
    /// Attribution text the tile source requires (shown on the map).
    #[arg(long, env = "TILE_ATTRIBUTION", default_value = "")]
    pub tile_attribution: String,
    /// Where fetched tiles are cached.
    #[arg(long, env = "TILE_CACHE_DIR", default_value = "data/tiles")]
    pub tile_cache_dir: PathBuf,
    /// Highest tile zoom level to serve.
    #[arg(long, env = "TILE_MAX_ZOOM", default_value_t = 19)]
    pub tile_max_zoom: u8,
    /// The public address of the widget, e.g. https://trygghet.arboga.se, for links in calendar
    /// files. Unset: the address the request came to.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,
    /// New pins one client (hashed address) may send per 10 minutes.
    #[arg(long, env = "PINS_PER_10_MIN", default_value_t = 30)]
    pub pins_per_10_min: u32,
    /// "Jag känner likadant" one client may send per 10 minutes.
    #[arg(long, env = "AGREES_PER_10_MIN", default_value_t = 120)]
    pub agrees_per_10_min: u32,
    /// Origins of the kommun's pages that embed the widget, comma-separated, e.g.
    /// https://www.arboga.se,https://arboga.se. Only they get cross-origin API answers (CORS)
    /// and may frame /embed (CSP frame-ancestors). Unset: same-origin only.
    #[arg(long, env = "ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// Residents' comments and place descriptions are deleted this many months after the pin
    /// was made (checked daily); the pin stays as category, time of day and location.
    #[arg(long, env = "RETENTION_MONTHS", default_value_t = crate::retention::DEFAULT_MONTHS,
          value_parser = clap::value_parser!(u32).range(1..=600))]
    pub retention_months: u32,
    /// Reverse proxies in front of this server (the kommun's TLS proxy), comma-separated IPs
    /// and CIDRs, e.g. 127.0.0.1,::1 or 10.0.0.0/8. Only requests from them may say, in
    /// X-Forwarded-For, which client they carry (the right-most address that is not a trusted
    /// proxy) and, in X-Forwarded-Proto, that it came over https. Unset: every client is the
    /// address it connects from.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// Seconds a client may take to send a request's headers (also how long a new connection
    /// may stay silent). Slower clients are disconnected.
    #[arg(long, env = "HEADER_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// Seconds a client may take to send a request's body.
    #[arg(long, env = "BODY_TIMEOUT", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout: u64,
    /// Seconds a kept-alive connection may stay idle between requests. Keep it longer than
    /// the proxy's own upstream keep-alive (nginx: keepalive_timeout in the upstream block).
    #[arg(long, env = "IDLE_TIMEOUT", default_value_t = 75,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub idle_timeout: u64,
    /// Seconds a response may wait for a client that does not read it.
    #[arg(long, env = "SEND_TIMEOUT", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub send_timeout: u64,
    /// Most connections open at once; further ones wait until one closes.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,
    /// Seconds to let requests in flight finish after SIGTERM before closing them.
    #[arg(long, env = "SHUTDOWN_TIMEOUT", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub shutdown_timeout: u64,
    /// SMTP relay for the residents' opt-in e-mail about their pins, e.g.
    /// smtp://relay.arboga.se:25, smtp://user:pass@relay:587?tls=required or smtps://relay.
    /// Needs --public-url (the links in the mail) and --mail-from. Unset: the option is not
    /// offered.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of those mails, e.g. "Trygghetskartan <noreply@arboga.se>".
    #[arg(long, env = "MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Where to serve Prometheus metrics (/metrics), e.g. 127.0.0.1:9464; a separate address
    /// so they are never reachable through the public proxy. Unset: no metrics.
    #[arg(long, env = "METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default when no subcommand is given).
    Serve,
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent copy of the database to FILE, also while the server runs and writes.
    /// Never overwrites an existing file.
    Backup { file: PathBuf },
    /// Compress the built widget's files in DIR (Brotli quality 11 and gzip level 9, as
    /// FILE.br and FILE.gz beside each), so they are served precompressed. `make build` runs it.
    Precompress { dir: PathBuf },
    /// Replace the database with the backup FILE. The server must be stopped; the database it
    /// replaces is kept beside it as NAME.before-restore-TIME. (PostgreSQL: use pg_restore.)
    Restore { file: PathBuf },
    /// Copy an SQLite database into an empty PostgreSQL database: pins, agrees, moderation
    /// history, dialogues, actions, places, accounts, e-mail waiting, export log (not staff
    /// sessions). Stop the server first; the SQLite file is left as it was.
    Migrate {
        /// The SQLite database, e.g. sqlite://data/trygghetskarta.db.
        #[arg(long)]
        from: String,
        /// The PostgreSQL database, which must be empty, e.g. postgres://tk@localhost/tk.
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account. The password is read from standard input (one line).
    Add {
        /// Login name (case-insensitive, unique).
        name: String,
        /// organiser, planner or admin.
        #[arg(long, value_parser = ["organiser", "planner", "admin"])]
        role: String,
    },
    /// List staff accounts.
    List,
    /// Disable an account: it can no longer log in, and its sessions end.
    Disable { name: String },
    /// Enable a disabled account again.
    Enable { name: String },
    /// Set a new password, read from standard input; the account's sessions end.
    Passwd { name: String },
}

/// What the router needs to know at run time.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Where the built widget lives; `None` serves the API only (tests).
    pub static_dir: Option<PathBuf>,
    pub limits: RateLimits,
    /// Raster tile source, when configured.
    pub tiles: Option<TileSource>,
    /// The address residents reach the widget at (for links in calendar files).
    pub public_url: Option<String>,
    /// Host pages that may embed the widget (normalised `scheme://host[:port]`).
    pub allowed_origins: Vec<String>,
    /// Proxies whose forwarded headers are believed.
    pub trusted_proxies: crate::proxy::TrustedProxies,
    /// How long a request body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// Residents may ask for e-mail about their pins through this relay.
    pub mail: Option<crate::mail::MailConfig>,
}

impl AppConfig {
    /// `--public-url` is https: the server is reached over TLS whatever the proxy says.
    pub fn public_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
    }
}

#[derive(Debug, Clone)]
pub struct TileSource {
    /// XYZ template with `{z}`, `{x}`, `{y}`.
    pub url_template: String,
    pub attribution: String,
    pub cache_dir: PathBuf,
    pub max_zoom: u8,
}

/// Per-client request limits (see `ratelimit`). Generous on purpose: many phones share one
/// address behind mobile carriers' NAT.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// New pins.
    pub pins: Limit,
    /// "Jag känner likadant".
    pub agrees: Limit,
    /// Failed staff logins from one client address; beyond it, that address waits.
    pub logins: Limit,
    /// Failed logins for one account from anywhere; beyond it, only browsers the account has
    /// logged in from before may try (see `auth::device_token`).
    pub account_logins: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            pins: Limit::per_minutes(30, 10),
            agrees: Limit::per_minutes(120, 10),
            logins: Limit::per_minutes(10, 10),
            account_logins: Limit::per_minutes(100, 60),
        }
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            static_dir: None,
            limits: RateLimits::default(),
            tiles: None,
            public_url: None,
            allowed_origins: Vec::new(),
            trusted_proxies: crate::proxy::TrustedProxies::default(),
            body_timeout: std::time::Duration::from_secs(30),
            mail: None,
        }
    }
}
