//! The HTTP client: one function per endpoint. Errors carry the server's JSON error body when
//! there is one, so the widget can show a Swedish message per code and field.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use trygghetskarta_shared::{ApiErrorBody, Dialogue};

use crate::geo::basemap::Basemap;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, DNS, connection refused.
    Network(String),
    /// The server answered with its error body.
    Server {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
    /// The answer could not be read.
    Decode(String),
}

/// Where the API lives: "" for the page's own origin, or `https://host` when embedded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiBase(pub String);

impl ApiBase {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.0.trim_end_matches('/'), path)
    }
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let res = Request::get(url)
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !res.ok() {
        let status = res.status();
        return Err(match res.json::<ApiErrorBody>().await {
            Ok(body) => ApiError::Server {
                status,
                code: body.error.code,
                message: body.error.message,
                field: body.error.field,
            },
            Err(_) => ApiError::Server {
                status,
                code: "http".into(),
                message: res.status_text(),
                field: None,
            },
        });
    }
    res.json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

pub async fn dialogues(base: &ApiBase) -> Result<Vec<Dialogue>, ApiError> {
    get_json(&base.url("/api/dialogues")).await
}

/// The bundled basemap, served with the widget's static files.
pub async fn basemap(asset_base: &ApiBase) -> Result<Basemap, ApiError> {
    let url = asset_base.url("/basemap/arboga.geojson");
    let res = Request::get(&url)
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !res.ok() {
        return Err(ApiError::Server {
            status: res.status(),
            code: "http".into(),
            message: res.status_text(),
            field: None,
        });
    }
    let text = res
        .text()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    Basemap::from_geojson(&text).map_err(|e| ApiError::Decode(e.to_string()))
}
