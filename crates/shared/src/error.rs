//! The one error shape every API failure uses:
//! `{"error": {"code": "...", "message": "...", "field": "..."}}`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    /// Stable, machine-readable code such as `not_found` or `validation`.
    pub code: String,
    /// Human-readable explanation (English; the widget shows its own Swedish text per code/field).
    pub message: String,
    /// The request field the error is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
