//! [`ApiJson`], the JSON body extractor of every JSON route: its rejections are our
//! `ApiError` (a body that is not JSON 415, too large 413, unreadable or not valid JSON 400,
//! the wrong fields or types 422). Decompression and size limits happen before it, in the
//! edge's layers ([`super::edge`]); answers are `axum::Json`, compressed by the edge.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

/// A request body read as JSON into `T`.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        refuse_other_content_types(request.headers())?;
        let bytes =
            Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(
                        "the body is larger than allowed here, once decompressed",
                    ),
                    _ => ApiError::bad_request(
                        format!("could not read the request body: {}", rejection.body_text()),
                        "请求内容读取失败(可能是压缩格式与声明不符,或传输中断)",
                    ),
                })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A body declared as something other than JSON is a 415; no `Content-Type` is taken as JSON.
fn refuse_other_content_types(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(content_type) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let is_json = content_type
        .to_str()
        .ok()
        .and_then(|text| text.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if is_json {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body must be application/json",
            "请求内容必须是 JSON",
        ))
    }
}

/// Parses JSON: a syntax error is a 400, a wrong shape or type a 422 naming the field
/// (`records[3].seq`) in its message and its `problems`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|error| {
        let field = error.path().to_string();
        body_error(error.into_inner(), field)
    })?;
    reader
        .end()
        .map_err(|error| body_error(error, String::new()))?;
    Ok(value)
}

fn body_error(error: serde_json::Error, field: String) -> ApiError {
    use serde_json::error::Category;
    if error.classify() != Category::Data {
        return ApiError::bad_request(
            format!("the body is not valid JSON: {error}"),
            "请求内容不是有效的 JSON",
        );
    }
    let mut api = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
        format!("the JSON does not have the expected fields and types: {field}: {error}"),
        format!("请求内容的字段或类型不对:{field}"),
    );
    api.problems.push(patrol_model::ValidationProblem {
        field,
        message_zh: "字段或类型不对".to_string(),
        message_en: error.to_string(),
    });
    api
}
