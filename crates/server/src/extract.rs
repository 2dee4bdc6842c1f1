//! Request extractors that turn every rejection into the common JSON error.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::proxy::Client;

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
        // The whole body must arrive within the body timeout (set per request by the app's
        // client layer), so a client dripping bytes cannot hold a request open.
        let deadline = req
            .extensions()
            .get::<BodyTimeout>()
            .map_or(DEFAULT_BODY_TIMEOUT, |t| t.0);
        let read = tokio::time::timeout(deadline, Bytes::from_request(req, state))
            .await
            .map_err(|_| AppError::RequestTimeout)?;
        let bytes = read.map_err(|rejection| {
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

/// The `{id}` of a route (a pin, a dialogue) as a canonical UUID string; anything that is not a
/// UUID is the JSON 404, like an id that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path(id) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        parse_id(&id)
    }
}

/// A UUID in any accepted spelling, as the canonical string the database keys on.
pub fn parse_id(id: &str) -> Result<PathId, AppError> {
    id.parse::<uuid::Uuid>()
        .map(|u| PathId(u.to_string()))
        .map_err(|_| AppError::NotFound)
}

/// A copy of the request's method, URI and headers, for handlers that also read the body.
pub struct RequestParts(pub Parts);

impl<S: Send + Sync> FromRequestParts<S> for RequestParts {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut req = axum::http::Request::new(());
        *req.method_mut() = parts.method.clone();
        *req.uri_mut() = parts.uri.clone();
        *req.headers_mut() = parts.headers.clone();
        Ok(RequestParts(req.into_parts().0))
    }
}

/// How long a request body may take, put into the request by the app's client layer.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The address the request's connection came from.
pub fn peer_ip(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// Who sent the request: the client behind a trusted proxy, else the connection's peer (see
/// [`crate::proxy`]).
impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Client>()
            .copied()
            .unwrap_or_else(|| Client {
                ip: peer_ip(parts),
                https: false,
            }))
    }
}

/// The client's address, for rate limiting only (it is hashed at once and never stored).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let client = Client::from_request_parts(parts, state).await?;
        Ok(ClientAddr(client.ip))
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
