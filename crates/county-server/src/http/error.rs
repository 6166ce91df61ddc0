//! The one error type of every handler, and its one JSON answer (`ApiErrorBody`).

use crate::attempts::AttemptRefused;
use crate::error::{EnrolError, LoginError, StorageError, SyncError};
use crate::photos::{PhotoError, Refusal};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use patrol_model::sync::ApiErrorBody;
use patrol_model::ValidationProblem;

/// An answer other than success: a status, a stable code and messages in English and Chinese.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub message_zh: String,
    pub problems: Vec<ValidationProblem>,
    /// A number header to send along: `Upload-Offset` (photo uploads), `Retry-After`
    /// (too many attempts, busy).
    pub number_header: Option<(&'static str, u64)>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            message_zh: message_zh.into(),
            problems: Vec::new(),
            number_header: None,
        }
    }

    pub fn bad_request(message: impl Into<String>, message_zh: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message, message_zh)
    }

    pub fn unauthorized(message: impl Into<String>, message_zh: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            message,
            message_zh,
        )
    }

    /// A 400 naming the query or body field that is wrong (also listed in `problems`).
    pub fn bad_field(
        field: &str,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        let (message, message_zh) = (message.into(), message_zh.into());
        let mut error = Self::bad_request(
            format!("{field}: {message}"),
            format!("{field}:{message_zh}"),
        );
        error.problems.push(ValidationProblem {
            field: field.to_string(),
            message_zh,
            message_en: message,
        });
        error
    }

    /// A 400 listing every problem of a checked input.
    pub fn invalid(report: patrol_model::ValidationReport) -> Self {
        let fields: Vec<&str> = report
            .problems
            .iter()
            .map(|problem| problem.field.as_str())
            .collect();
        let mut error = Self::bad_request(
            format!("invalid fields: {}", fields.join(", ")),
            format!("以下字段有误:{}", fields.join("、")),
        );
        error.problems = report.problems;
        error
    }

    pub fn forbidden(message: impl Into<String>, message_zh: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message, message_zh)
    }

    pub fn conflict(message: impl Into<String>, message_zh: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message, message_zh)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such resource",
            "请求的地址不存在",
        )
    }

    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            message,
            "数据太大,请分批上传",
        )
    }

    /// Something broke inside: logged in full, answered without details.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(%error, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; it has been logged",
            "服务器内部错误,请稍后重试",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            error: self.code.to_string(),
            message: self.message,
            message_zh: self.message_zh,
            problems: self.problems,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some((name, number)) = self.number_header {
            response
                .headers_mut()
                .insert(name, HeaderValue::from(number));
        }
        response
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        ApiError::internal(&error)
    }
}

impl From<AttemptRefused> for ApiError {
    fn from(refusal: AttemptRefused) -> Self {
        let (mut error, seconds) = match refusal {
            AttemptRefused::TooManyFailures { retry_after } => {
                let seconds = retry_after.as_secs_f64().ceil().max(1.0) as u64;
                (
                    ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "too_many_attempts",
                        format!("too many failed attempts; try again in {seconds} s"),
                        format!("失败次数过多,请在 {seconds} 秒后再试"),
                    ),
                    seconds,
                )
            }
            AttemptRefused::Busy => (
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "too many logins are being checked; try again in a moment",
                    "服务器正忙,请稍后再试",
                ),
                2,
            ),
        };
        error.number_header = Some(("retry-after", seconds));
        error
    }
}

impl From<LoginError> for ApiError {
    fn from(error: LoginError) -> Self {
        match error {
            LoginError::Busy => AttemptRefused::Busy.into(),
            LoginError::Storage(error) => error.into(),
        }
    }
}

impl From<SyncError> for ApiError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::EntryOfAnotherPost(entry) => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("entry {entry} belongs to another post; nothing was stored"),
                "该条目属于其他联防所,本次同步未保存任何内容",
            ),
            SyncError::BadRequest(message) => ApiError::bad_request(message, "同步请求格式不对"),
            SyncError::Storage(error) => error.into(),
        }
    }
}

impl From<EnrolError> for ApiError {
    fn from(error: EnrolError) -> Self {
        match error {
            EnrolError::CodeInvalid => ApiError::new(
                StatusCode::FORBIDDEN,
                "enrolment_code_invalid",
                "the enrolment code is unknown, already used or expired",
                "登记码无效、已使用或已过期,请向县边防办重新申请",
            ),
            EnrolError::DeviceAlreadyEnrolled(device) => ApiError::new(
                StatusCode::CONFLICT,
                "device_already_enrolled",
                format!("device {device} is already enrolled"),
                "本设备已经登记过",
            ),
            EnrolError::DeviceOfAnotherPost(device) => ApiError::new(
                StatusCode::CONFLICT,
                "device_of_another_post",
                format!("device {device} belongs to another post: enrol it again with a code of that post"),
                "本设备原属其他联防所,请用原联防所的登记码重新登记",
            ),
            EnrolError::DeviceToBeWiped(device) => ApiError::new(
                StatusCode::CONFLICT,
                "device_to_be_wiped",
                format!("device {device} was ordered to wipe its data: sync it once (it wipes itself), then enrol it anew"),
                "县边防办已要求清除本设备的数据:请先同步一次(本机数据将被清除),再重新登记",
            ),
            EnrolError::Storage(error) => error.into(),
        }
    }
}

impl From<PhotoError> for ApiError {
    fn from(error: PhotoError) -> Self {
        match error {
            PhotoError::WrongOffset { server_offset } => {
                let mut api = ApiError::new(
                    StatusCode::CONFLICT,
                    "wrong_offset",
                    format!("the server has {server_offset} bytes of this photo; send from there"),
                    "上传位置不对,请从服务器已有的位置继续",
                );
                api.number_header = Some(("upload-offset", server_offset));
                api
            }
            PhotoError::Busy { server_offset } => {
                let mut api = ApiError::new(
                    StatusCode::CONFLICT,
                    "upload_busy",
                    "an earlier PATCH of this upload is still arriving; ask again with HEAD",
                    "上一次上传尚未结束,请稍后继续",
                );
                api.number_header = Some(("upload-offset", server_offset));
                api
            }
            PhotoError::ChunkChecksum => ApiError::bad_field(
                "Chunk-Sha256",
                "the chunk's SHA-256 does not match; nothing of it was kept",
                "分块校验失败,请重传该分块",
            ),
            PhotoError::BadHeader { header, reason } => {
                ApiError::bad_field(header, reason, "上传参数不对")
            }
            PhotoError::TooLarge(limit) => {
                ApiError::too_large(format!("this photo file may have at most {limit} bytes"))
            }
            PhotoError::ChunkTooLarge(limit) => ApiError::too_large(format!(
                "a chunk may have at most {limit} bytes; nothing of it was kept"
            )),
            PhotoError::Cut { kept_through } => ApiError::bad_request(
                format!("the chunk ended early; the server keeps the first {kept_through} bytes"),
                "分块未传完,已收到的部分已保存",
            ),
            PhotoError::Refused(refusal) => refused_photo(refusal),
            PhotoError::Io(error) => ApiError::internal(&error),
            PhotoError::Storage(error) => error.into(),
        }
    }
}

/// A 422 naming why a whole variant was refused.
fn refused_photo(refusal: Refusal) -> ApiError {
    let (code, message, message_zh) = match refusal {
        Refusal::NameMismatch => (
            "photo_checksum",
            "the original's SHA-256 differs from its name".to_string(),
            "照片校验失败(与编号不符)",
        ),
        Refusal::DeclaredMismatch => (
            "photo_checksum",
            "the thumbnail's SHA-256 differs from its Upload-Sha256".to_string(),
            "缩略图校验失败(与声明的 SHA-256 不符)",
        ),
        Refusal::NotAnImage(reason) => (
            "photo_not_an_image",
            format!("the file does not decode as an image: {reason}"),
            "文件不是可以打开的照片",
        ),
        Refusal::ThumbnailTooLarge { width, height } => (
            "thumbnail_too_large",
            format!("the thumbnail is {width}×{height} px, more than 320 px on its long edge"),
            "缩略图太大(长边最多 320 像素)",
        ),
    };
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        code,
        format!("{message}; nothing was kept, the upload starts over"),
        format!("{message_zh},需要重新上传"),
    )
}
