//! Prometheus metrics, served on their own address (`--metrics-bind`) so they are never public.
//!
//! Only counts: requests by route template and status, pins accepted and refused by reason,
//! rate-limit refusals, request durations, open connections, and the database writer's commits.
//! No addresses, ids, names or texts: a route is its template (`/api/pins/{id}/agree`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::ErrorCode;
use crate::storage::{Storage, WriteStats};

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, secs: f64) {
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.counts[i] += 1;
            }
        }
        self.count += 1;
        self.sum += secs;
    }
}

#[derive(Debug, Default)]
struct Route {
    /// (method, status) -> requests
    requests: BTreeMap<(String, u16), u64>,
    durations: Histogram,
}

#[derive(Debug, Default)]
struct Counts {
    /// route template -> its counts
    routes: BTreeMap<String, Route>,
    /// reason -> refused new pins
    pins_refused: BTreeMap<&'static str, u64>,
    /// route -> 429 answers
    rate_limited: BTreeMap<String, u64>,
}

#[derive(Debug, Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
    pins_accepted: AtomicU64,
    pins_retried: AtomicU64,
    /// Open client connections (kept by `serve`).
    pub connections: AtomicI64,
    /// Connections closed because a client was too slow, by what it was slow at.
    pub slow_closed: [AtomicU64; 3],
}

/// What a closed slow connection was doing (index into `Metrics::slow_closed`).
#[derive(Debug, Clone, Copy)]
pub enum Slow {
    Headers = 0,
    Idle = 1,
    Send = 2,
}

impl Metrics {
    pub fn slow(&self, what: Slow) {
        self.slow_closed[what as usize].fetch_add(1, Ordering::Relaxed);
    }

    fn record(
        &self,
        method: &Method,
        route: &str,
        status: StatusCode,
        code: Option<&'static str>,
        secs: f64,
    ) {
        if route == "/api/pins" && method == Method::POST {
            match status {
                StatusCode::CREATED => {
                    self.pins_accepted.fetch_add(1, Ordering::Relaxed);
                }
                StatusCode::OK => {
                    self.pins_retried.fetch_add(1, Ordering::Relaxed);
                }
                _ => {
                    let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
                    *c.pins_refused.entry(code.unwrap_or("other")).or_default() += 1;
                }
            }
        }
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        // Look up before inserting: no allocation per request once a route has been seen.
        if !c.routes.contains_key(route) {
            c.routes.insert(route.to_owned(), Route::default());
        }
        let r = c.routes.get_mut(route).expect("just inserted");
        let key = (method.as_str(), status.as_u16());
        match r
            .requests
            .iter_mut()
            .find(|((m, s), _)| (m.as_str(), *s) == key)
        {
            Some((_, n)) => *n += 1,
            None => {
                r.requests.insert((key.0.to_owned(), key.1), 1);
            }
        }
        r.durations.observe(secs);
        if status == StatusCode::TOO_MANY_REQUESTS {
            *c.rate_limited.entry(route.to_owned()).or_default() += 1;
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self, db: &WriteStats) -> String {
        let c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        let mut family = |name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        family(
            "tk_http_requests_total",
            "counter",
            "Requests by method, route template and status.",
        );
        let mut body = String::new();
        for (route, r) in &c.routes {
            for ((method, status), n) in &r.requests {
                let _ = writeln!(
                    body,
                    "tk_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str(&body);
        let _ = writeln!(
            out,
            "# HELP tk_http_request_duration_seconds Time to the response head, by route template.\n\
             # TYPE tk_http_request_duration_seconds histogram"
        );
        for (route, r) in &c.routes {
            let h = &r.durations;
            let route = escape(route);
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "tk_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "tk_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                 tk_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                 tk_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count, h.sum, h.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP tk_pins_accepted_total New pins stored (201).\n# TYPE tk_pins_accepted_total counter\n\
             tk_pins_accepted_total {}\n\
             # HELP tk_pins_retried_total Repeated pins answered with the stored one (200).\n\
             # TYPE tk_pins_retried_total counter\ntk_pins_retried_total {}\n\
             # HELP tk_pins_refused_total New pins refused, by error code.\n# TYPE tk_pins_refused_total counter",
            self.pins_accepted.load(Ordering::Relaxed),
            self.pins_retried.load(Ordering::Relaxed),
        );
        for (reason, n) in &c.pins_refused {
            let _ = writeln!(out, "tk_pins_refused_total{{reason=\"{reason}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP tk_rate_limited_total Requests refused by a rate limit (429), by route template.\n\
             # TYPE tk_rate_limited_total counter"
        );
        for (route, n) in &c.rate_limited {
            let _ = writeln!(
                out,
                "tk_rate_limited_total{{route=\"{}\"}} {n}",
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP tk_connections_open Client connections open now.\n# TYPE tk_connections_open gauge\n\
             tk_connections_open {}\n\
             # HELP tk_slow_clients_closed_total Connections closed for slowness, by phase.\n\
             # TYPE tk_slow_clients_closed_total counter\n\
             tk_slow_clients_closed_total{{phase=\"headers\"}} {}\n\
             tk_slow_clients_closed_total{{phase=\"idle\"}} {}\n\
             tk_slow_clients_closed_total{{phase=\"send\"}} {}",
            self.connections.load(Ordering::Relaxed),
            self.slow_closed[0].load(Ordering::Relaxed),
            self.slow_closed[1].load(Ordering::Relaxed),
            self.slow_closed[2].load(Ordering::Relaxed),
        );
        let _ = writeln!(
            out,
            "# HELP tk_db_commits_total Write transactions committed (each holds one or more writes).\n\
             # TYPE tk_db_commits_total counter\ntk_db_commits_total {}\n\
             # HELP tk_db_failed_commits_total Write transactions that failed.\n\
             # TYPE tk_db_failed_commits_total counter\ntk_db_failed_commits_total {}\n\
             # HELP tk_db_writes_total Writes run by the writer.\n# TYPE tk_db_writes_total counter\n\
             tk_db_writes_total {}\n\
             # HELP tk_db_commit_seconds_total Time spent in write transactions.\n\
             # TYPE tk_db_commit_seconds_total counter\ntk_db_commit_seconds_total {}",
            db.commits,
            db.failed_commits,
            db.jobs,
            db.commit_micros as f64 / 1e6,
        );
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Counts every request by its route template.
pub async fn layer(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_owned(), |p| p.as_str().to_owned());
    let res = next.run(req).await;
    let code = res.extensions().get::<ErrorCode>().map(|c| c.0);
    metrics.record(
        &method,
        &route,
        res.status(),
        code,
        started.elapsed().as_secs_f64(),
    );
    res
}

/// `GET /metrics` on the metrics address.
pub fn router(metrics: Arc<Metrics>, db: Storage) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let text = metrics.render(&db.write_stats());
            async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    text,
                )
                    .into_response()
            }
        }),
    )
}
