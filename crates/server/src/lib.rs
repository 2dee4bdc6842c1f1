//! Trygghetskartan's server: the JSON API under `/api` and the built widget everywhere else.
//!
//! [`app`] builds the whole router from an [`AppState`], so tests drive it without a socket
//! (`app(state).oneshot(request)`) and `main` only adds a listener.

pub mod area;
pub mod auth;
pub mod config;
pub mod dialogue;
pub mod embed;
pub mod encoded;
pub mod error;
pub mod export;
pub mod extract;
pub mod filter;
pub mod followup;
pub mod hotspots;
pub mod mail;
pub mod metres;
pub mod metrics;
pub mod named;
pub mod password;
pub mod pin_index;
pub mod pin_tiles;
pub mod pins;
pub mod places;
pub mod precompress;
pub mod present;
pub mod proxy;
pub mod public_pins;
pub mod ratelimit;
pub mod retention;
pub mod routes;
pub mod security;
pub mod serve;
pub mod stats;
pub mod storage;
pub mod tiles;
pub mod time;

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::AppConfig;
pub use storage::Storage;

/// Shared by every handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Storage,
    pub config: Arc<AppConfig>,
    pub limiter: Arc<ratelimit::RateLimiter>,
    /// HTTP client for the upstream tile source (connection pool shared by all requests).
    pub http: reqwest::Client,
    /// Counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// The public pin list, built once per change.
    pub public_pins: Arc<public_pins::Cache>,
    /// The public pins' tile index and its answers.
    pub pin_tiles: Arc<pin_tiles::Tiles>,
    /// The key that signs known-device cookies (read from the database once).
    device_key: Arc<tokio::sync::OnceCell<[u8; 32]>>,
    /// The key that makes unsubscribe links.
    unsubscribe_key: Arc<tokio::sync::OnceCell<[u8; 32]>>,
}

impl AppState {
    pub fn new(db: Storage, config: AppConfig) -> Self {
        AppState {
            limiter: Arc::new(ratelimit::RateLimiter::for_storage(&db)),
            db,
            config: Arc::new(config),
            http: reqwest::Client::builder()
                .user_agent(tiles::USER_AGENT)
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .expect("a default HTTP client"),
            metrics: Arc::default(),
            public_pins: Arc::default(),
            pin_tiles: Arc::default(),
            device_key: Arc::default(),
            unsubscribe_key: Arc::default(),
        }
    }

    /// The places staff have named, ready for point tests.
    pub async fn named_places(&self) -> Result<Vec<named::Named>, sqlx::Error> {
        Ok(named::prepare(&self.db.named_places().await?))
    }

    /// The unsubscribe-link key, shared by every server process on this database.
    pub async fn unsubscribe_key(&self) -> Result<[u8; 32], sqlx::Error> {
        self.unsubscribe_key
            .get_or_try_init(|| self.db.secret("unsubscribe"))
            .await
            .copied()
    }

    /// What writes the mail about a pin's new state, when mail is configured.
    pub async fn mail_maker(&self) -> Result<Option<storage::MailMaker>, sqlx::Error> {
        if self.config.mail.is_none() {
            return Ok(None);
        }
        let key = self.unsubscribe_key().await?;
        let base = self
            .config
            .public_url
            .clone()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned();
        Ok(Some(Arc::new(move |pin: &storage::PinRow| {
            let link = format!("{base}/?pin={}", pin.id);
            let unsubscribe = format!(
                "{base}/avregistrera/{}/{}",
                pin.id,
                mail::unsubscribe_token(&key, &pin.id)
            );
            mail::compose(pin, &link, &unsubscribe)
        })))
    }

    /// The known-device key, shared by every server process on this database.
    pub async fn device_key(&self) -> Result<[u8; 32], sqlx::Error> {
        self.device_key
            .get_or_try_init(|| self.db.secret("device_cookie"))
            .await
            .copied()
    }
}

/// `bytes` random bytes as hex: delete tokens, session tokens, nonces.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut buf);
    hex::encode(buf)
}

/// Works out who sent each request (behind a trusted proxy: the forwarded client) and whether
/// it came over TLS, for every handler; adds `Strict-Transport-Security` to answers over TLS.
async fn client_layer(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (mut parts, body) = req.into_parts();
    let client = state
        .config
        .trusted_proxies
        .client(extract::peer_ip(&parts), &parts.headers);
    parts.extensions.insert(client);
    parts
        .extensions
        .insert(extract::BodyTimeout(state.config.body_timeout));
    req = axum::extract::Request::from_parts(parts, body);
    let mut res = next.run(req).await;
    if client.https || state.config.public_https() {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

/// The complete application: the API under `/api`, the tile proxy, and (when configured) the
/// built widget, with the headers and layers every response gets.
pub fn app(state: AppState) -> Router {
    let (widget, script_hashes) = match &state.config.static_dir {
        Some(dir) => widget_routes(dir),
        None => (Router::new(), Vec::new()),
    };
    let router = Router::new()
        .nest("/api", routes::api_router().with_state(state.clone()))
        .merge(tiles::router().with_state(state.clone()))
        .merge(routes::unsubscribe::router().with_state(state.clone()))
        .merge(widget);
    with_layers(router, &state, &script_hashes)
}

/// The built widget: the residents' page for every path that is not the API (so client-side
/// routes load the app), `/embed` and `/embed.js` for kommun pages, and the staff bundle at
/// `/personal`. Also the hashes of the pages' inline scripts, for the CSP.
fn widget_routes(dir: &std::path::Path) -> (Router, Vec<String>) {
    let mut script_hashes = Vec::new();
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap_or_default();
    script_hashes.extend(security::inline_script_hashes(&index));
    // Files are served as the .br or .gz `precompress` made beside them when the browser takes
    // one (Brotli 11 is a third smaller than on-the-fly compression).
    let widget = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(dir.join("index.html"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    let mut static_routes = Router::new()
        // The iframe embed: the residents' widget, which reports its height when framed.
        .route_service("/embed", ServeFile::new(dir.join("index.html")));
    if let Some(assets) = embed::assets_from_index(&index) {
        let js = embed::embed_js(&assets);
        static_routes = static_routes.route(
            "/embed.js",
            axum::routing::get(move || {
                let js = js.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                        js,
                    )
                }
            }),
        );
    }
    // The staff view is its own bundle in `personal/` (when built), and never framed.
    let staff_dir = dir.join("personal");
    let staff_index = std::fs::read_to_string(staff_dir.join("index.html")).ok();
    if let Some(html) = &staff_index {
        script_hashes.extend(security::inline_script_hashes(html));
    }
    let csp = security::content_security_policy(&script_hashes, "'none'");
    if staff_index.is_some() {
        static_routes = static_routes.nest_service(
            "/personal",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_SECURITY_POLICY,
                    security::policy_for(HeaderValue::from_str(&csp).expect("a valid header")),
                ))
                .service(
                    ServeDir::new(&staff_dir)
                        .precompressed_br()
                        .precompressed_gzip()
                        .fallback(
                            ServeFile::new(staff_dir.join("index.html"))
                                .precompressed_br()
                                .precompressed_gzip(),
                        ),
                ),
        );
    }
    // The widget's files are small and change with every release; let browsers revalidate
    // (ServeDir answers If-Modified-Since with 304).
    let static_routes =
        static_routes
            .fallback_service(widget)
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ));
    (static_routes, script_hashes)
}

/// Compression, security headers, CORS, who the client is, metrics, error logging, tracing.
fn with_layers(router: Router, state: &AppState, script_hashes: &[String]) -> Router {
    let origins = &state.config.allowed_origins;
    let csp = security::content_security_policy(script_hashes, &security::frame_ancestors(origins));
    let mut router = router
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            security::policy_for(HeaderValue::from_str(&csp).expect("a valid header")),
        ))
        // On every response: no MIME sniffing, and no full URLs (which may carry a pin id) in
        // Referer headers to other sites.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ));
    if let Some(cors) = security::cors(origins) {
        router = router.layer(cors);
    }
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client_layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::layer,
        ))
        .layer(axum::middleware::from_fn(error::log_layer))
        .layer(TraceLayer::new_for_http())
}
