//! The one error type of the API. Every variant has its HTTP status and a stable code, and turns
//! into `{"error": {"code", "message", "field"?}}`. Internal errors are logged, never shown.

use axum::http::StatusCode;
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
    /// The request is well-formed but a field's value is not acceptable.
    #[error("{message}")]
    Validation { message: String, field: String },
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Something failed on our side. The message is logged, the client sees a generic text.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            message: message.into(),
            field: field.to_owned(),
        }
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        AppError::Internal(err.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { .. } => "bad_request",
            AppError::Validation { .. } => "validation",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::Internal(_) => "internal",
        }
    }

    fn detail(&self) -> ApiErrorDetail {
        let (message, field) = match self {
            AppError::BadRequest { message, field } => (message.clone(), field.clone()),
            AppError::Validation { message, field } => (message.clone(), Some(field.clone())),
            AppError::NotFound => ("The requested resource does not exist.".to_owned(), None),
            AppError::Conflict(m) | AppError::PayloadTooLarge(m) => (m.clone(), None),
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
        if let AppError::Internal(msg) = &self {
            tracing::error!(error = %msg, "internal error");
        }
        let body = ApiErrorBody {
            error: self.detail(),
        };
        (self.status(), Json(body)).into_response()
    }
}

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
    fn validation_errors_name_their_field() {
        let err = AppError::validation("lat", "outside the kommun");
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.detail().field.as_deref(), Some("lat"));
    }
}
