//! Request extractors that turn every rejection into the common JSON error.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// JSON body parsed with field-precise errors: malformed JSON is `400`, a missing, unknown or
/// mistyped field is `422` naming the field, a body over the route's limit is `413`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json"));
        if !is_json {
            return Err(AppError::bad_request(
                None,
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge("The request body is too large.".into())
            } else {
                AppError::bad_request(None, rejection.body_text())
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Parses JSON, mapping serde's errors to the field they are about.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = inner.to_string();
        match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                AppError::bad_request(None, format!("The body is not valid JSON: {message}"))
            }
            _ => {
                // "unknown field `x`" and "missing field `x`" name their field in the message.
                let named = message
                    .split('`')
                    .nth(1)
                    .filter(|_| message.contains("field `"))
                    .map(str::to_owned);
                // serde_path_to_error's path ends at the field, except for a missing field at
                // the top level, where it is ".".
                let field = match (named, path.as_str()) {
                    (Some(name), "." | "") => name,
                    (_, p) => p.to_owned(),
                };
                AppError::validation(&field, message)
            }
        }
    })
}

/// The client's address, for rate limiting only (it is hashed at once and never stored).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddr(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Probe {
        lat: f64,
        name: String,
    }

    fn field_of(json: &str) -> (StatusCode, Option<String>) {
        let err = parse_json::<Probe>(json.as_bytes()).unwrap_err();
        let field = match &err {
            AppError::Validation { field, .. } => Some(field.clone()),
            AppError::BadRequest { field, .. } => field.clone(),
            _ => None,
        };
        (err.status(), field)
    }

    #[test]
    fn json_errors_name_the_field() {
        assert_eq!(field_of("{"), (StatusCode::BAD_REQUEST, None));
        assert_eq!(
            field_of(r#"{"lat": "x", "name": "a"}"#),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("lat".into()))
        );
        assert_eq!(
            field_of(r#"{"lat": 1}"#),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("name".into()))
        );
        assert_eq!(
            field_of(r#"{"lat": 1, "name": "a", "extra": 2}"#),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("extra".into()))
        );
    }
}
