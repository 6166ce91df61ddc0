//! The error every command returns. It reaches the UI as `{kind, message}`: `kind` a stable
//! code the UI can branch on, `message` Chinese text a member can act on. Details meant for
//! a developer go to the log, not to the member.

use patrol_device::DeviceError;
use serde::ser::{Serialize, SerializeStruct, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Device(DeviceError),
    /// A command panicked while it held the store; the store is refused until a restart.
    #[error("the device store is unavailable after an earlier failure")]
    StoreUnavailable,
}

impl AppError {
    /// A short stable code: the device store's codes (`invalid`, `not_found`, `database`, ...)
    /// or `store_unavailable`.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Device(error) => error.kind_code(),
            AppError::StoreUnavailable => "store_unavailable",
        }
    }

    /// What the member reads.
    pub fn message_zh(&self) -> String {
        match self {
            AppError::Device(error) => error.message_zh(),
            AppError::StoreUnavailable => {
                "本机数据暂时无法读取，请关闭并重新打开巡防日志".to_string()
            }
        }
    }
}

impl From<DeviceError> for AppError {
    fn from(error: DeviceError) -> Self {
        // Every device error passes here once on its way to the UI: the developer's detail
        // (SQLite's message, the file path, every field problem) is logged, the member gets
        // `message_zh`.
        eprintln!("patrol-log: {} error: {error}", error.kind_code());
        AppError::Device(error)
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("AppError", 2)?;
        out.serialize_field("kind", self.kind())?;
        out.serialize_field("message", &self.message_zh())?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reaches_the_ui_as_kind_and_chinese_message() {
        let error = AppError::from(DeviceError::not_allowed(
            "已删除的条目不能修改",
            "a deleted entry cannot be edited",
        ));
        assert_eq!(
            serde_json::to_value(&error).ok(),
            Some(json!({"kind": "not_allowed", "message": "已删除的条目不能修改"}))
        );
    }

    #[test]
    fn a_poisoned_store_has_its_own_kind() {
        let value = serde_json::to_value(AppError::StoreUnavailable).ok();
        assert_eq!(
            value.as_ref().and_then(|v| v["kind"].as_str()),
            Some("store_unavailable")
        );
        assert!(value
            .as_ref()
            .and_then(|v| v["message"].as_str())
            .is_some_and(|m| m.contains("重新打开")));
    }
}
