//! `/api/export/pins.{geojson,csv,xlsx}`: the pins for the lägesbild, with the staff filters.
//!
//! GeoJSON and CSV stream: rows are read from the database as the download proceeds, in
//! chunks, so memory does not grow with the number of pins. XLSX is streamed into an anonymous
//! temporary file as the rows come (`export::workbook`), then sent. Every export is logged
//! (who, when, filters, rows, whether it finished).

use std::io::{Seek, SeekFrom};

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::{Stream, StreamExt};

use crate::auth::Staff;
use crate::error::{ApiResult, AppError};
use crate::export::{self, csv, geojson, xlsx, ExportPin};
use crate::filter;
use crate::hotspots::{self, Params};
use crate::present;
use crate::routes::staff::PIN_READERS;
use crate::storage::{PinRow, Storage};
use crate::time::{local_date, now_unix};
use crate::AppState;

/// Rows read ahead of the writer.
const READ_AHEAD: usize = 1024;
/// Bytes collected before a chunk is sent.
const CHUNK_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    Csv,
    Xlsx,
}

impl Format {
    fn from_file(file: &str) -> Option<Format> {
        match file {
            "pins.geojson" => Some(Format::GeoJson),
            "pins.csv" => Some(Format::Csv),
            "pins.xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::GeoJson => geojson::CONTENT_TYPE,
            Format::Csv => csv::CONTENT_TYPE,
            Format::Xlsx => xlsx::CONTENT_TYPE,
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/export/actions.{ext}", get(export_actions))
        .route("/export/stats.xlsx", get(export_stats))
        .route("/export/{file}", get(export))
        .layer(super::no_store())
}

async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    staff.require(PIN_READERS)?;
    let format = Format::from_file(&file).ok_or(AppError::NotFound)?;
    let (filter, _) = filter::parse(query.as_deref(), &[], &state.named_places().await?)?;
    let now = now_unix();
    let log = state
        .db
        .start_export(
            &staff.username,
            format.code(),
            query.as_deref().unwrap_or(""),
            now,
        )
        .await?;
    let rows = state.db.stream_pins(filter, READ_AHEAD);
    let body = match format {
        Format::GeoJson | Format::Csv => text_body(format, rows, state.db.clone(), log),
        Format::Xlsx => xlsx_body(rows, state.db.clone(), log).await?,
    };
    let name = export::filename(&local_date(now).unwrap_or_default(), format.code());
    Ok(download(format.content_type(), &name, body))
}

/// Closes the export's log entry: done with `n` rows, or failed (and the error passed on).
async fn finished(db: &Storage, log: i64, n: u64, built: ApiResult<Vec<u8>>) -> ApiResult<Vec<u8>> {
    match built {
        Ok(body) => {
            db.finish_export(log, n, true).await?;
            Ok(body)
        }
        Err(e) => {
            if let Err(log_error) = db.finish_export(log, 0, false).await {
                tracing::warn!(error = %log_error, "export log update failed");
            }
            Err(e)
        }
    }
}

/// A file to download under `name`.
fn download(content_type: &str, name: &str, body: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// The handlingsplan: every action with all its pins (`actions.geojson`, `.csv`, `.xlsx`).
async fn export_actions(
    State(state): State<AppState>,
    staff: Staff,
    Path(ext): Path<String>,
) -> ApiResult<Response> {
    staff.require(PIN_READERS)?;
    let format = Format::from_file(&format!("pins.{ext}")).ok_or(AppError::NotFound)?;
    let now = now_unix();
    let named = state.named_places().await?;
    let actions = state
        .db
        .actions()
        .await?
        .into_iter()
        .map(|a| present::action(a, false, &named))
        .collect::<ApiResult<Vec<_>>>()?;
    let log = state
        .db
        .start_export(
            &staff.username,
            &format!("actions.{}", format.code()),
            "",
            now,
        )
        .await?;
    let n = actions.len() as u64;
    // Formatting (and for XLSX, deflating) is CPU work: off the request workers.
    let built = tokio::task::spawn_blocking(move || match format {
        Format::GeoJson => Ok(export::actions::geojson(&actions)),
        Format::Csv => Ok(export::actions::csv(&actions).into_bytes()),
        Format::Xlsx => export::actions::xlsx(&actions).map_err(AppError::internal),
    })
    .await
    .map_err(AppError::internal)
    .and_then(|r| r);
    let body = finished(&state.db, log, n, built).await?;
    let name = format!(
        "trygghetskartan-atgarder-{}.{}",
        local_date(now).unwrap_or_default(),
        format.code()
    );
    Ok(download(format.content_type(), &name, body))
}

/// The lägesbild's aggregates of the selection as a workbook (a sheet per table).
async fn export_stats(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    staff.require(crate::routes::staff::HOTSPOT_READERS)?;
    let stats = crate::routes::lagesbild::stats_for_query(&state, query.as_deref()).await?;
    let now = now_unix();
    let log = state
        .db
        .start_export(
            &staff.username,
            "stats.xlsx",
            query.as_deref().unwrap_or(""),
            now,
        )
        .await?;
    let total = u64::from(stats.total);
    let built = tokio::task::spawn_blocking(move || export::stats::workbook(&stats))
        .await
        .map_err(AppError::internal)
        .and_then(|r| r.map_err(AppError::internal));
    let body = finished(&state.db, log, total, built).await?;
    let name = format!(
        "trygghetskartan-lagesbild-{}.xlsx",
        local_date(now).unwrap_or_default()
    );
    Ok(download(xlsx::CONTENT_TYPE, &name, body))
}

/// GeoJSON or CSV, written chunk by chunk as rows arrive.
fn text_body(
    format: Format,
    rows: impl Stream<Item = Result<PinRow, sqlx::Error>> + Send + 'static,
    db: Storage,
    log: i64,
) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::spawn(async move {
        let mut rows = std::pin::pin!(rows);
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK_BYTES * 2);
        let mut line = String::new();
        match format {
            Format::GeoJson => buf.extend_from_slice(geojson::header().as_bytes()),
            _ => buf.extend_from_slice(csv::header().as_bytes()),
        }
        let mut n: u64 = 0;
        let mut completed = true;
        while let Some(row) = rows.next().await {
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!(error = %e, "export: reading pins failed");
                    let _ = tx.send(Err(std::io::Error::other("database error"))).await;
                    completed = false;
                    break;
                }
            };
            let pin = ExportPin::from_row(row);
            match format {
                Format::GeoJson => {
                    if n > 0 {
                        buf.extend_from_slice(geojson::SEPARATOR.as_bytes());
                    }
                    geojson::feature(&pin, &mut buf);
                }
                _ => {
                    line.clear();
                    csv::row(&pin, &mut line);
                    buf.extend_from_slice(line.as_bytes());
                }
            }
            n += 1;
            if buf.len() >= CHUNK_BYTES {
                let chunk = std::mem::replace(&mut buf, Vec::with_capacity(CHUNK_BYTES * 2));
                if tx.send(Ok(chunk)).await.is_err() {
                    completed = false; // the client went away
                    break;
                }
            }
        }
        if completed {
            if format == Format::GeoJson {
                buf.extend_from_slice(geojson::footer().as_bytes());
            }
            completed = tx.send(Ok(buf)).await.is_ok();
        }
        if let Err(e) = db.finish_export(log, n, completed).await {
            tracing::warn!(error = %e, "export log update failed");
        }
    });
    Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
}

/// A pins workbook that could not be built: too many pins is the planner's to fix (a narrower
/// filter, or CSV), anything else ours.
fn xlsx_error(e: xlsx::XlsxExportError) -> AppError {
    match e {
        xlsx::XlsxExportError::TooManyRows(most) => AppError::Validation {
            code: "too_many_rows",
            message: format!(
                "The selection has more than {most} pins, the most an Excel sheet holds: \
                 narrow the filter, or export CSV or GeoJSON, which have no limit."
            ),
            field: "format".into(),
        },
        other => AppError::internal(other),
    }
}

/// The workbook, built in a blocking thread into an anonymous temporary file.
async fn xlsx_body(
    rows: impl Stream<Item = Result<PinRow, sqlx::Error>> + Send + 'static,
    db: Storage,
    log: i64,
) -> ApiResult<Body> {
    let handle = tokio::runtime::Handle::current();
    let built = tokio::task::spawn_blocking(move || {
        let mut rows = std::pin::pin!(rows);
        let iter = std::iter::from_fn(|| {
            handle
                .block_on(rows.next())
                .map(|r| r.map(ExportPin::from_row).map_err(|e| e.to_string()))
        });
        let file = tempfile::tempfile().map_err(AppError::internal)?;
        let (n, out) = xlsx::write(
            iter,
            |points| hotspots::find(points, Params::default()),
            std::io::BufWriter::with_capacity(1 << 16, file),
        )
        .map_err(xlsx_error)?;
        let mut file = out
            .into_inner()
            .map_err(|e| AppError::internal(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(AppError::internal)?;
        Ok::<_, AppError>((file, n))
    })
    .await
    .map_err(AppError::internal)?;
    let (file, n) = match built {
        Ok(done) => done,
        Err(e) => {
            let _ = db.finish_export(log, 0, false).await;
            return Err(e);
        }
    };
    db.finish_export(log, n, true).await?;
    let file = tokio::fs::File::from_std(file);
    Ok(Body::from_stream(tokio_util::io::ReaderStream::new(file)))
}
