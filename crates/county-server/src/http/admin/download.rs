//! A file the dashboard downloads (the annual report, the entries list): written on a blocking
//! thread, never on the async ones, and answered as an attachment with its file name.

use crate::http::error::ApiError;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// The bytes `write` puts into a new buffer, written on a blocking thread.
pub async fn write_off_thread<E, W>(write: W) -> Result<Vec<u8>, ApiError>
where
    E: std::fmt::Display + Send + 'static,
    W: FnOnce(&mut Vec<u8>) -> Result<(), E> + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let mut file = Vec::new();
        write(&mut file).map(|()| file)
    })
    .await
    .map_err(|error| ApiError::internal(&error))?
    .map_err(|error| ApiError::internal(&error))
}

/// `file` as an attachment of `content_type` named `file_name` (ASCII, no quotes).
pub fn attachment(
    content_type: &'static str,
    file_name: &str,
    file: Vec<u8>,
) -> Result<Response, ApiError> {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    let disposition =
        HeaderValue::from_str(&disposition).map_err(|error| ApiError::internal(&error))?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    Ok((headers, file).into_response())
}
