//! An answer made once and sent many times: its bytes, compressed once as gzip and Brotli, with
//! an `ETag` so a client that has it gets `304`. The public pin list and the pin tiles use it.

use std::io::Write;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::{ApiResult, AppError};

/// Compression levels: gzip 0–9, and Brotli 0–11 or none (then gzip answers a client that
/// accepts both).
#[derive(Clone, Copy, Debug)]
pub struct Levels {
    pub gzip: u32,
    pub brotli: Option<u32>,
}

#[derive(Debug)]
pub struct Encoded {
    etag: HeaderValue,
    content_type: &'static str,
    raw: Bytes,
    gzip: Bytes,
    br: Option<Bytes>,
}

/// The encodings we keep, best first, that the request accepts (`q=0` refuses one).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

impl Encoded {
    /// Compresses `raw` (a blocking step: large bodies belong in `spawn_blocking`). `etag` is
    /// the tag without quotes.
    pub fn new(
        raw: Vec<u8>,
        content_type: &'static str,
        etag: &str,
        levels: Levels,
    ) -> ApiResult<Encoded> {
        let mut gz =
            flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(levels.gzip));
        gz.write_all(&raw).map_err(AppError::internal)?;
        let gzip = gz.finish().map_err(AppError::internal)?;
        let br = match levels.brotli {
            Some(quality) => {
                let mut br = Vec::new();
                {
                    let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, quality, 22);
                    w.write_all(&raw).map_err(AppError::internal)?;
                }
                Some(br.into())
            }
            None => None,
        };
        // Both are kept even when a tiny body comes out a few bytes larger: the compression
        // layer would otherwise compress an uncompressed answer again, on every request.
        Ok(Encoded {
            etag: HeaderValue::from_str(&format!("\"{etag}\"")).map_err(AppError::internal)?,
            content_type,
            gzip: gzip.into(),
            br,
            raw: raw.into(),
        })
    }

    pub fn etag(&self) -> &HeaderValue {
        &self.etag
    }

    /// Bytes as sent to a client that accepts `coding` (`"br"`, `"gzip"`, or anything else for
    /// the uncompressed body).
    pub fn len_as(&self, coding: &str) -> usize {
        match coding {
            "br" => self.br.as_ref().unwrap_or(&self.gzip).len(),
            "gzip" => self.gzip.len(),
            _ => self.raw.len(),
        }
    }

    /// The answer to a request with these headers: `304` if it has this version, else the
    /// body in the best encoding it accepts. `Cache-Control: no-cache`: a cache may keep it, and
    /// asks again (with `If-None-Match`) before using it.
    pub fn respond(&self, req: &HeaderMap) -> Response {
        let common = [
            (header::ETAG, self.etag.clone()),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ];
        let matches = req
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| tag.trim() == self.etag || tag.trim() == "*");
        if matches {
            return (StatusCode::NOT_MODIFIED, common).into_response();
        }
        let (body, coding) = if let Some(br) = self.br.as_ref().filter(|_| accepts(req, "br")) {
            (br.clone(), Some("br"))
        } else if accepts(req, "gzip") {
            (self.gzip.clone(), Some("gzip"))
        } else {
            (self.raw.clone(), None)
        };
        let mut res = (
            common,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(self.content_type),
            )],
            body,
        )
            .into_response();
        if let Some(coding) = coding {
            res.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn accept_encoding_is_read_with_its_refusals() {
        assert!(accepts(&h("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&h("gzip;q=0.8, br;q=1.0"), "gzip"));
        assert!(!accepts(&h("gzip, br;q=0"), "br"));
        assert!(!accepts(&h("identity"), "gzip"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn the_best_accepted_coding_is_sent_and_a_known_version_is_not() {
        let levels = Levels {
            gzip: 9,
            brotli: Some(11),
        };
        let big = Encoded::new(vec![7; 4000], "application/octet-stream", "b", levels).unwrap();
        let res = big.respond(&h("gzip, br"));
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
        assert!(big.len_as("br") < 100);
        let res = big.respond(&h("gzip"));
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        let res = big.respond(&HeaderMap::new());
        assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
        let mut known = h("br");
        known.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", \"b\""),
        );
        assert_eq!(big.respond(&known).status(), StatusCode::NOT_MODIFIED);
    }

    #[test]
    fn without_brotli_a_client_that_accepts_it_gets_gzip() {
        let levels = Levels {
            gzip: 6,
            brotli: None,
        };
        let big = Encoded::new(vec![7; 4000], "application/json", "g", levels).unwrap();
        let res = big.respond(&h("gzip, deflate, br, zstd"));
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(big.len_as("br"), big.len_as("gzip"));
        assert!(big
            .respond(&h("br"))
            .headers()
            .get(header::CONTENT_ENCODING)
            .is_none());
    }
}
