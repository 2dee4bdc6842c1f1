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
    about = "Trygghetskartan API server: serves the widget and the /api endpoints, stores data in SQLite."
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
    /// SQLite database URL. The file is created (WAL mode) if missing; its directory must exist.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default when no subcommand is given).
    Serve,
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
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
#[derive(Debug, Clone, Default)]
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
    /// Staff login attempts.
    pub logins: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            pins: Limit::per_minutes(30, 10),
            agrees: Limit::per_minutes(120, 10),
            logins: Limit::per_minutes(10, 10),
        }
    }
}
