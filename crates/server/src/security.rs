//! Security headers and the cross-origin rules.
//!
//! - `Content-Security-Policy` on every response. Pages (HTML, and any answer without a
//!   content type, such as a 304 that refreshes a cached page's headers) get the page policy:
//!   scripts only from this server, plus the one inline module script Trunk writes into each
//!   HTML page, allowed by its SHA-256 hash (no `unsafe-inline` for scripts); `wasm-unsafe-eval`
//!   lets the page compile its WebAssembly. Styles allow inline `style` attributes (the map
//!   positions its layers with them). `frame-ancestors` lists this site and the configured host
//!   origins, so only the kommun's pages may frame the widget; the staff view may not be framed
//!   at all. Every other answer with a content type (JSON, scripts, wasm, styles, images, SVG
//!   included, exports) gets [`RESOURCE_POLICY`], which lets nothing run or load should it ever
//!   be opened as a document: stricter, and 400 bytes less on each of the first screen's dozen
//!   other requests. (Answers without a body or type, such as 204s and 304s, keep the page's.)
//! - CORS: cross-origin requests are answered only for the configured origins (the kommun's
//!   sites that embed the widget), without credentials, so staff cookies never cross sites.

use axum::http::{HeaderValue, Method};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// `'sha256-…'` sources for every inline `<script>` in an HTML page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        if !tag.contains("src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close + "</script>".len()..];
    }
    hashes
}

/// The policy for our pages. `frame_ancestors` is `'none'` or a list of sources.
pub fn content_security_policy(script_hashes: &[String], frame_ancestors: &str) -> String {
    let mut script_src = vec!["'self'", "'wasm-unsafe-eval'"];
    script_src.extend(script_hashes.iter().map(String::as_str));
    format!(
        "default-src 'self'; script-src {}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {frame_ancestors}",
        script_src.join(" ")
    )
}

/// The policy of every answer that is not a page: nothing may run, load or frame it.
pub const RESOURCE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// A response header maker for `SetResponseHeaderLayer`: `page` (a policy from
/// [`content_security_policy`]) for pages, [`RESOURCE_POLICY`] for everything else.
pub fn policy_for<B>(
    page: HeaderValue,
) -> impl Fn(&axum::http::Response<B>) -> Option<HeaderValue> + Clone {
    move |res| {
        let ct = res.headers().get(axum::http::header::CONTENT_TYPE);
        let is_page = ct.is_none_or(|v| v.as_bytes().starts_with(b"text/html"));
        Some(if is_page {
            page.clone()
        } else {
            HeaderValue::from_static(RESOURCE_POLICY)
        })
    }
}

/// `'self'` and the embedding origins.
pub fn frame_ancestors(origins: &[String]) -> String {
    std::iter::once("'self'")
        .chain(origins.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks an origin as `scheme://host[:port]` (no path); returns it normalised.
pub fn parse_origin(origin: &str) -> Result<String, String> {
    let o = origin.trim().trim_end_matches('/');
    let (scheme, host) = o
        .split_once("://")
        .ok_or_else(|| format!("{origin:?} is not an origin like https://www.arboga.se"))?;
    let ok_scheme = scheme == "https" || scheme == "http";
    let ok_host = !host.is_empty()
        && !host.contains('/')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if ok_scheme && ok_host {
        Ok(format!("{scheme}://{}", host.to_ascii_lowercase()))
    } else {
        Err(format!(
            "{origin:?} is not an origin like https://www.arboga.se (scheme and host only)"
        ))
    }
}

/// Cross-origin access for the configured origins only; `None` when there are none.
pub fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(list))
            .allow_methods([Method::GET, Method::POST, Method::DELETE])
            .allow_headers([
                axum::http::header::CONTENT_TYPE,
                axum::http::header::AUTHORIZATION,
            ])
            .max_age(std::time::Duration::from_secs(3600)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = "<script src=\"/a.js\"></script><script type=\"module\">init();</script>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        // printf 'init();' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hashes[0],
            "'sha256-GEnM5q1nYY/iACnyMTdov+tNp9OFcBnnDgNXUXaVNXc='"
        );
    }

    #[test]
    fn origins_are_checked() {
        assert_eq!(
            parse_origin("https://WWW.Arboga.se/").unwrap(),
            "https://www.arboga.se"
        );
        assert!(parse_origin("http://127.0.0.1:8081").is_ok());
        for bad in [
            "www.arboga.se",
            "https://arboga.se/karta",
            "ftp://x",
            "https://",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
