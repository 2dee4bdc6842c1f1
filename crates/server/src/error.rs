//! The one error type of the API. Every variant has its HTTP status and a stable code, and turns
//! into `{"error": {"code", "message", "field"?}}`. Internal errors are logged, never shown.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use trygghetskarta_shared::{ApiErrorBody, ApiErrorDetail};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed (bad JSON, bad query string).
    #[error("{message}")]
    BadRequest {
        message: String,
        field: Option<String>,
    },
    /// The request is well-formed but a field's value is not acceptable. `code` is
    /// `validation` or something more specific the widget translates (`outside_area`).
    #[error("{message}")]
    Validation {
        code: &'static str,
        message: String,
        field: String,
    },
    #[error("authentication required")]
    Unauthorized,
    /// Wrong user name or password, or a disabled account: one answer for all.
    #[error("login failed")]
    LoginFailed,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The request body did not arrive in time.
    #[error("request timeout")]
    RequestTimeout,
    /// An upstream service (the tile source) failed.
    #[error("upstream failed")]
    Upstream,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// Something failed on our side. The cause is kept, logged once (with its chain of sources)
    /// by [`log_layer`], and never shown: the client sees a generic text.
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::invalid("validation", field, message)
    }

    pub fn invalid(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            code,
            message: message.into(),
            field: field.to_owned(),
        }
    }

    pub fn bad_request(field: Option<&str>, message: impl Into<String>) -> Self {
        AppError::BadRequest {
            message: message.into(),
            field: field.map(str::to_owned),
        }
    }

    pub fn internal(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AppError::Internal(err.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized | AppError::LoginFailed => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Upstream => StatusCode::BAD_GATEWAY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { .. } => "bad_request",
            AppError::Validation { code, .. } => code,
            AppError::Unauthorized => "unauthorized",
            AppError::LoginFailed => "login_failed",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::RequestTimeout => "request_timeout",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::Upstream => "upstream",
            AppError::Internal(_) => "internal",
        }
    }

    fn detail(&self) -> ApiErrorDetail {
        let (message, field) = match self {
            AppError::BadRequest { message, field } => (message.clone(), field.clone()),
            AppError::Validation { message, field, .. } => (message.clone(), Some(field.clone())),
            AppError::Unauthorized => ("Log in first.".to_owned(), None),
            AppError::LoginFailed => ("Wrong user name or password.".to_owned(), None),
            AppError::Upstream => ("The map tile source did not answer.".to_owned(), None),
            AppError::RequestTimeout => {
                ("The request body did not arrive in time.".to_owned(), None)
            }
            AppError::NotFound => ("The requested resource does not exist.".to_owned(), None),
            AppError::TooManyRequests { retry_after_secs } => (
                format!("Too many requests. Try again in {retry_after_secs} seconds."),
                None,
            ),
            AppError::Forbidden(m) | AppError::Conflict(m) | AppError::PayloadTooLarge(m) => {
                (m.clone(), None)
            }
            AppError::Internal(_) => (
                "Something went wrong on the server. Please try again later.".to_owned(),
                None,
            ),
        };
        ApiErrorDetail {
            code: self.code().to_owned(),
            message,
            field,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::internal(err)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let cause = match &self {
            AppError::Internal(source) => Some(InternalCause(chain(source.as_ref()))),
            _ => None,
        };
        let body = ApiErrorBody {
            error: self.detail(),
        };
        let mut res = (self.status(), Json(body)).into_response();
        // For the metrics layer: why a request was refused, without its details.
        res.extensions_mut().insert(ErrorCode(self.code()));
        if let Some(cause) = cause {
            res.extensions_mut().insert(cause);
        }
        if let AppError::TooManyRequests { retry_after_secs } = self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        res
    }
}

/// An error and its sources, `outer: inner: innermost`.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut next = err.source();
    while let Some(e) = next {
        text.push_str(": ");
        text.push_str(&e.to_string());
        next = e.source();
    }
    text
}

/// Why a request failed on our side, kept in the response's extensions for [`log_layer`].
#[derive(Debug, Clone)]
pub struct InternalCause(pub String);

/// Logs every internal error once, with the route it happened on (and never in the answer).
pub async fn log_layer(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let method = req.method().clone();
    let res = next.run(req).await;
    if let Some(InternalCause(cause)) = res.extensions().get::<InternalCause>() {
        tracing::error!(%method, route = route.as_deref().unwrap_or("other"), error = %cause, "internal error");
    }
    res
}

/// The `code` of an error response, kept in the response's extensions for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode(pub &'static str);

/// Result type of handlers.
pub type ApiResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let detail = AppError::internal("disk I/O error at /secret/path").detail();
        assert_eq!(detail.code, "internal");
        assert!(!detail.message.contains("secret"));
    }

    #[test]
    fn internal_errors_keep_their_source_for_the_log() {
        let io = std::io::Error::other("disk full");
        let err = AppError::internal(sqlx::Error::Io(io));
        let res = err.into_response();
        let cause = res.extensions().get::<InternalCause>().unwrap();
        assert!(cause.0.contains("disk full"), "{}", cause.0);
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn validation_errors_name_their_field() {
        let err = AppError::validation("lat", "outside the kommun");
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.detail().field.as_deref(), Some("lat"));
    }

    #[test]
    fn rate_limits_say_when_to_come_back() {
        let res = AppError::TooManyRequests {
            retry_after_secs: 42,
        }
        .into_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers()[header::RETRY_AFTER], "42");
    }
}
