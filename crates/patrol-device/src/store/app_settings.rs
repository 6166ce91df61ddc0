//! What the field app keeps between runs in `device_settings`, one key each: half-filled forms
//! (`draft.<form>`), the app's language (`language`), how long the app stays unlocked without
//! a touch (`idle_lock_minutes`), whether plain HTTP off this machine is allowed
//! (`allow_insecure_http`) and the member the CLI records for (`current_member`; the app
//! records for the member unlocked, `crate::session`). The roster is `members.rs`; enrolment
//! keys belong to `sync_state.rs`, text size and contrast to `display_settings.rs`; this module
//! only reads them for [`AppSettings`].

use super::display_settings::DisplaySettings;
use super::sync_state::{POST_NAME_SETTING, SERVER_URL_SETTING};
use super::{DeviceStore, CURRENT_MEMBER_SETTING};
use crate::error::DeviceError;
use crate::sync::transport::ALLOW_INSECURE_HTTP_SETTING;
use patrol_model::validation::check_short_text;
use patrol_model::{DomainCode, EntryId, EntryKind, ValidationReport, MAX_ENTRY_JSON_BYTES};
use serde::Serialize;

/// Settings key prefix of a saved form: `draft.hazard`, `draft.edit.<entry id>`.
pub const DRAFT_SETTING_PREFIX: &str = "draft.";
pub const LANGUAGE_SETTING: &str = "language";
pub const IDLE_LOCK_SETTING: &str = "idle_lock_minutes";
/// The idle times a member can choose, in minutes.
pub const IDLE_LOCK_CHOICES: [u32; 4] = [1, 5, 15, 30];
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 5;
/// Largest draft kept: the size of the largest entry accepted.
pub const MAX_DRAFT_BYTES: usize = MAX_ENTRY_JSON_BYTES;

/// The language the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
    #[serde(rename = "en")]
    English,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::SimplifiedChinese => "zh-CN",
            Language::English => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        [Language::SimplifiedChinese, Language::English]
            .into_iter()
            .find(|language| language.code() == code)
    }
}

/// What the app's settings screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct AppSettings {
    pub device_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_name: Option<String>,
    pub enrolled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_member: Option<String>,
    pub roster: Vec<String>,
    pub language: Language,
    /// Minutes without a touch before the app locks itself (one of [`IDLE_LOCK_CHOICES`]).
    pub idle_lock_minutes: u32,
    /// The member allowed plain `http://` to a county server off this machine.
    pub allow_insecure_http: bool,
    /// The store's key is in a file beside it, not in a platform keystore: Settings warns.
    pub store_key_in_file: bool,
    /// Text size and contrast (`display_settings.rs`).
    pub display: DisplaySettings,
}

impl DeviceStore {
    pub fn app_settings(&self) -> Result<AppSettings, DeviceError> {
        Ok(AppSettings {
            device_id: self.device_id.to_string(),
            server_url: self.setting(SERVER_URL_SETTING)?,
            post_name: self.setting(POST_NAME_SETTING)?,
            enrolled: self.enrolment()?.is_some(),
            current_member: self.setting(CURRENT_MEMBER_SETTING)?,
            roster: self.roster()?,
            language: self.language()?,
            idle_lock_minutes: self.idle_lock_minutes()?,
            allow_insecure_http: self.allow_insecure_http()?,
            store_key_in_file: self.key_storage() == super::at_rest::KeyStorage::LocalFile,
            display: self.display_settings()?,
        })
    }

    /// Minutes without a touch before the app locks itself; 5 until a member picks another.
    pub fn idle_lock_minutes(&self) -> Result<u32, DeviceError> {
        Ok(self
            .setting(IDLE_LOCK_SETTING)?
            .and_then(|text| text.parse().ok())
            .filter(|minutes| IDLE_LOCK_CHOICES.contains(minutes))
            .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES))
    }

    pub fn set_idle_lock_minutes(&mut self, minutes: u32) -> Result<(), DeviceError> {
        if !IDLE_LOCK_CHOICES.contains(&minutes) {
            return Err(DeviceError::invalid_field(
                "minutes",
                format!("自动锁定时间只能选 1、5、15 或 30 分钟，不能是 {minutes}"),
                format!("the idle lock is 1, 5, 15 or 30 minutes, not {minutes}"),
            ));
        }
        self.set_setting(IDLE_LOCK_SETTING, &minutes.to_string())
    }

    /// Whether the token and enrolment codes may go over plain `http://` to a host that is not
    /// this machine (`sync/transport.rs`); off unless the member turned it on.
    pub fn allow_insecure_http(&self) -> Result<bool, DeviceError> {
        Ok(self.setting(ALLOW_INSECURE_HTTP_SETTING)?.as_deref() == Some("1"))
    }

    pub fn set_allow_insecure_http(&mut self, allow: bool) -> Result<(), DeviceError> {
        self.set_setting(ALLOW_INSECURE_HTTP_SETTING, if allow { "1" } else { "0" })
    }

    /// Names the member the CLI records for (the app records for the member unlocked).
    pub fn set_current_member(&mut self, name: &str) -> Result<(), DeviceError> {
        let mut report = ValidationReport::default();
        check_short_text(&mut report, "name", name);
        if !report.is_empty() {
            return Err(DeviceError::Invalid(report));
        }
        self.set_setting(CURRENT_MEMBER_SETTING, name.trim())
    }

    /// The app's language; Simplified Chinese until a member picks another.
    pub fn language(&self) -> Result<Language, DeviceError> {
        Ok(self
            .setting(LANGUAGE_SETTING)?
            .and_then(|code| Language::from_code(&code))
            .unwrap_or_default())
    }

    pub fn set_language(&mut self, code: &str) -> Result<Language, DeviceError> {
        let language = Language::from_code(code.trim()).ok_or_else(|| {
            DeviceError::invalid_field(
                "language",
                format!("不支持的语言“{code}”，可选：zh-CN（简体中文）、en（English）"),
                format!("unsupported language {code:?}: zh-CN or en"),
            )
        })?;
        self.set_setting(LANGUAGE_SETTING, language.code())?;
        Ok(language)
    }

    /// Keeps a half-filled form (the UI's own JSON) so it survives the app closing.
    pub fn save_draft(&mut self, form: &str, json: &str) -> Result<(), DeviceError> {
        let key = draft_key(form)?;
        if json.len() > MAX_DRAFT_BYTES {
            return Err(DeviceError::invalid_field(
                "json",
                format!("草稿太大：{} 字节，最多 {MAX_DRAFT_BYTES} 字节", json.len()),
                format!(
                    "draft too large: {} bytes, at most {MAX_DRAFT_BYTES}",
                    json.len()
                ),
            ));
        }
        if serde_json::from_str::<serde_json::Value>(json).is_err() {
            return Err(DeviceError::invalid_field(
                "json",
                "草稿不是有效的 JSON",
                "the draft is not valid JSON",
            ));
        }
        self.set_setting(&key, json)
    }

    pub fn load_draft(&self, form: &str) -> Result<Option<String>, DeviceError> {
        self.setting(&draft_key(form)?)
    }

    /// Forgets a draft (the form was saved or abandoned); clearing a missing one is no error.
    pub fn clear_draft(&mut self, form: &str) -> Result<(), DeviceError> {
        let key = draft_key(form)?;
        self.connection
            .execute("DELETE FROM device_settings WHERE key = ?1", [key])?;
        Ok(())
    }
}

/// A kind's form (its code: `patrol`, `hazard`, …) or `edit.<entry id>` → its settings key.
fn draft_key(form: &str) -> Result<String, DeviceError> {
    let known = EntryKind::from_code(form).is_some()
        || form
            .strip_prefix("edit.")
            .is_some_and(|id| id.parse::<EntryId>().is_ok());
    if known {
        Ok(format!("{DRAFT_SETTING_PREFIX}{form}"))
    } else {
        Err(DeviceError::invalid_field(
            "form",
            format!(
                "未知的表单“{form}”，应为 {} 或 edit.条目编号",
                EntryKind::choices_zh()
            ),
            format!(
                "unknown form {form:?}: {} or edit.<entry id>",
                EntryKind::choices_en()
            ),
        ))
    }
}
