//! The one error type of this crate. Each error can say what happened in Chinese for a member.

use patrol_model::{EntryId, ModelError, ValidationReport};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// The member's input breaks one or more rules; nothing was written.
    #[error("invalid entry:\n{0}")]
    Invalid(ValidationReport),
    #[error("no entry with id {0}")]
    EntryNotFound(EntryId),
    /// The action does not fit the entry's state (editing a deleted entry, ending a patrol that
    /// is not running, ...).
    #[error("{message_en}")]
    NotAllowed {
        message_zh: String,
        message_en: String,
    },
    #[error("photo {path}: {reason_en}")]
    Photo {
        path: PathBuf,
        reason_zh: String,
        reason_en: String,
    },
    #[error("file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("local database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("local database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("stored data is damaged: {0}")]
    Damaged(String),
    /// The store file is there but empty or not a sound store: it is kept as it is for
    /// recovery, and no new store replaces it.
    #[error("the store {path} is damaged ({reason_en}); it was kept for recovery, not replaced")]
    StoreDamaged {
        path: PathBuf,
        reason_zh: String,
        reason_en: String,
    },
    /// The county server could not be reached (no network, server down, link cut).
    #[error("county server {url} unreachable: {reason}")]
    Unreachable {
        url: String,
        reason: String,
        cause: crate::sync::UnreachableCause,
    },
    /// The server refused this device (401 revoked or unknown, 403 not allowed).
    #[error("county server refused: {message}")]
    Refused {
        status: u16,
        message: String,
        message_zh: String,
    },
    /// Plain `http://` to a host that is not this machine, with the "insecure" setting off:
    /// nothing was sent (the token or code would cross the network readable).
    #[error("insecure connection: {url} is plain http:// to {host}, which is not this machine; use https:// or turn on the insecure setting")]
    InsecureTransport { url: String, host: String },
    /// The county revoked this device and ordered its data wiped (the 401 `wipe_ordered`):
    /// the sync carries the order out ([`crate::sync::wipe`]) and answers [`DeviceError::Wiped`].
    #[error("the county revoked this device and ordered its data wiped")]
    WipeOrdered,
    /// This device's store and photos were deleted on the county's order; `unsent` is what it
    /// still held that the county never received (reported to the county).
    #[error("this device's data was wiped on the county's order ({} entries, {} photos unsent)", unsent.unsent_entries, unsent.unsent_photos)]
    Wiped {
        unsent: patrol_model::sync::WipeReport,
    },
    /// The server answered something this device does not understand.
    #[error("county server answered unexpectedly: {0}")]
    Protocol(String),
    /// A wrong PIN for `member`; the failure is counted in the store. After
    /// [`crate::store::members::FREE_PIN_ATTEMPTS`] wrong ones in a row the member waits
    /// `blocked_seconds` before the next try.
    #[error("wrong PIN for {member}")]
    WrongPin {
        member: String,
        attempts_left: u32,
        blocked_seconds: u64,
    },
    /// Too many wrong PINs: `member`'s PIN is not tried for `seconds` more.
    #[error("PIN of {member} blocked for {seconds} s after too many wrong ones")]
    PinBlocked { member: String, seconds: u64 },
    /// A file offered as the basemap (imported by hand, or a download once whole) is not a
    /// whole PMTiles v3 archive: it was not installed, and the map installed before stays.
    #[error("basemap {path}: {reason_en}; the installed map was kept")]
    NotABasemap {
        path: PathBuf,
        reason_zh: String,
        reason_en: String,
    },
    /// No member is unlocked (the phone is locked, or it locked itself after the idle time).
    #[error("the app is locked: no member is unlocked")]
    Locked,
}

impl DeviceError {
    pub fn not_allowed(zh: impl Into<String>, en: impl Into<String>) -> Self {
        DeviceError::NotAllowed {
            message_zh: zh.into(),
            message_en: en.into(),
        }
    }

    /// A message a member can read.
    pub fn message_zh(&self) -> String {
        match self {
            DeviceError::Invalid(report) => report
                .problems
                .iter()
                .map(|problem| format!("{}：{}", problem.field, problem.message_zh))
                .collect::<Vec<_>>()
                .join("\n"),
            DeviceError::EntryNotFound(id) => format!("找不到条目 {id}"),
            DeviceError::NotAllowed { message_zh, .. } => message_zh.clone(),
            DeviceError::Photo {
                path, reason_zh, ..
            } => format!("照片 {}：{reason_zh}", path.display()),
            DeviceError::Io { path, .. } => format!("无法读写文件 {}", path.display()),
            DeviceError::Database(_) | DeviceError::Migration(_) => {
                "本机数据库出错，数据未改动；请重试，仍不行请联系县边防办".to_string()
            }
            DeviceError::Damaged(_) => "本机数据已损坏，请联系县边防办".to_string(),
            DeviceError::StoreDamaged {
                path, reason_zh, ..
            } => format!(
                "本机数据库文件已损坏（{reason_zh}）：{}。该文件已原样保留以便恢复，没有新建或覆盖；请勿删除，并联系县边防办",
                path.display()
            ),
            DeviceError::Unreachable { url, cause, .. } => {
                cause.message_zh(&crate::sync::unreachable::server_address(url))
            }
            DeviceError::Refused { message_zh, .. } => message_zh.clone(),
            DeviceError::WipeOrdered => {
                "本设备已被县边防办停用，并要求清除本机数据".to_string()
            }
            DeviceError::Wiped { unsent } => wiped_message_zh(unsent),
            DeviceError::InsecureTransport { url, host } => format!(
                "不安全的连接：{url} 是明文 http:// 地址，而 {host} 不是本机，本机的令牌和登记码会以明文经过网络，任何人都能截取冒用。什么也没有发送。请改用 https:// 地址；确需在内网用明文，请在设置里打开“允许不安全的 http 连接”（命令行：patrol enroll --allow-insecure-http）"
            ),
            DeviceError::Protocol(_) => {
                "服务器的回应无法识别，记录仍保存在本机；请稍后重试或联系县边防办".to_string()
            }
            DeviceError::WrongPin {
                attempts_left,
                blocked_seconds,
                ..
            } => {
                if *blocked_seconds > 0 {
                    format!("PIN 不对。错误次数太多，请 {blocked_seconds} 秒后再试")
                } else {
                    format!("PIN 不对，还可以再试 {attempts_left} 次")
                }
            }
            DeviceError::PinBlocked { seconds, .. } => {
                format!("PIN 错误次数太多，请 {seconds} 秒后再试")
            }
            DeviceError::Locked => "手机已锁定，请选择使用人并输入 PIN".to_string(),
            DeviceError::NotABasemap {
                path, reason_zh, ..
            } => format!(
                "底图文件 {} 不能用：{reason_zh}。原有底图未改动",
                path.display()
            ),
        }
    }

    /// A short stable code for the UI and scripts: `invalid`, `not_found`, ...
    pub fn kind_code(&self) -> &'static str {
        match self {
            DeviceError::Invalid(_) => "invalid",
            DeviceError::EntryNotFound(_) => "not_found",
            DeviceError::NotAllowed { .. } => "not_allowed",
            DeviceError::Photo { .. } => "photo",
            DeviceError::Io { .. } => "io",
            DeviceError::Database(_) | DeviceError::Migration(_) => "database",
            DeviceError::Damaged(_) | DeviceError::StoreDamaged { .. } => "damaged",
            DeviceError::Unreachable { .. } => "unreachable",
            DeviceError::Refused { .. } | DeviceError::WipeOrdered => "refused",
            DeviceError::Wiped { .. } => "wiped",
            DeviceError::InsecureTransport { .. } => "insecure",
            DeviceError::Protocol(_) => "protocol",
            DeviceError::WrongPin { .. } => "wrong_pin",
            DeviceError::PinBlocked { .. } => "pin_blocked",
            DeviceError::Locked => "locked",
            DeviceError::NotABasemap { .. } => "not_a_basemap",
        }
    }

    /// One problem on one field, as the validation reports them.
    pub fn invalid_field(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        let mut report = ValidationReport::default();
        report.push(field, zh, en);
        DeviceError::Invalid(report)
    }
}

/// What a member reads after the county had this phone wiped.
pub fn wiped_message_zh(unsent: &patrol_model::sync::WipeReport) -> String {
    let lost = if unsent.unsent_entries == 0 && unsent.unsent_photos == 0 {
        "清除前所有记录和照片都已上传".to_string()
    } else {
        format!(
            "清除时尚有 {} 条记录、{} 张照片未上传，这一数目已报给县边防办",
            unsent.unsent_entries, unsent.unsent_photos
        )
    };
    format!("本机数据已按县边防办的要求清除（{lost}）。如需继续使用，请向县边防办申请新的登记码重新登记")
}

impl From<ModelError> for DeviceError {
    fn from(error: ModelError) -> Self {
        match error {
            ModelError::Invalid(report) => DeviceError::Invalid(report),
            ModelError::DamagedTrack(what) => DeviceError::Damaged(what.to_string()),
        }
    }
}
