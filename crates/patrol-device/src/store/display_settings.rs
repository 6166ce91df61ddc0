//! How the app is shown on this phone, for gloves and direct sun: the text size (标准 / 大 / 特大)
//! and high contrast, one key each in `device_settings`. Readable while the app is locked, so
//! the lock screen is shown the same way.

use super::DeviceStore;
use crate::error::DeviceError;
use serde::Serialize;

pub const TEXT_SIZE_SETTING: &str = "text_size";
pub const HIGH_CONTRAST_SETTING: &str = "high_contrast";

/// The text size a member picks; the UI scales the whole screen by [`TextSize::scale`], so
/// targets grow with the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    #[default]
    Standard,
    Large,
    ExtraLarge,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Standard, TextSize::Large, TextSize::ExtraLarge];

    pub fn code(self) -> &'static str {
        match self {
            TextSize::Standard => "standard",
            TextSize::Large => "large",
            TextSize::ExtraLarge => "extra_large",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            TextSize::Standard => "标准",
            TextSize::Large => "大",
            TextSize::ExtraLarge => "特大",
        }
    }

    /// How much larger than standard everything is shown.
    pub fn scale(self) -> f64 {
        match self {
            TextSize::Standard => 1.0,
            TextSize::Large => 1.15,
            TextSize::ExtraLarge => 1.3,
        }
    }

    pub fn from_code(code: &str) -> Option<TextSize> {
        TextSize::ALL.into_iter().find(|size| size.code() == code)
    }
}

/// The display part of the settings.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DisplaySettings {
    pub text_size: TextSize,
    /// How much larger than standard ([`TextSize::scale`]), so the UI holds no copy of it.
    pub text_scale: f64,
    pub high_contrast: bool,
}

impl DeviceStore {
    /// Standard text and normal contrast until a member picks otherwise.
    pub fn display_settings(&self) -> Result<DisplaySettings, DeviceError> {
        let text_size = self
            .setting(TEXT_SIZE_SETTING)?
            .and_then(|code| TextSize::from_code(&code))
            .unwrap_or_default();
        Ok(DisplaySettings {
            text_size,
            text_scale: text_size.scale(),
            high_contrast: self.setting(HIGH_CONTRAST_SETTING)?.as_deref() == Some("1"),
        })
    }

    pub fn set_text_size(&mut self, code: &str) -> Result<TextSize, DeviceError> {
        let size = TextSize::from_code(code.trim()).ok_or_else(|| {
            let choices = TextSize::ALL
                .iter()
                .map(|size| format!("{}（{}）", size.code(), size.label_zh()))
                .collect::<Vec<_>>()
                .join("、");
            DeviceError::invalid_field(
                "text_size",
                format!("没有“{code}”这种字号，可选：{choices}"),
                format!("unknown text size {code:?}: standard, large or extra_large"),
            )
        })?;
        self.set_setting(TEXT_SIZE_SETTING, size.code())?;
        Ok(size)
    }

    pub fn set_high_contrast(&mut self, on: bool) -> Result<(), DeviceError> {
        self.set_setting(HIGH_CONTRAST_SETTING, if on { "1" } else { "0" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_sizes_and_contrast_are_kept_and_an_unknown_size_is_refused() {
        let directory = tempfile::tempdir().unwrap();
        let mut store = DeviceStore::open(directory.path()).unwrap();
        assert_eq!(
            store.display_settings().unwrap(),
            DisplaySettings {
                text_size: TextSize::Standard,
                text_scale: 1.0,
                high_contrast: false
            }
        );
        store.set_text_size("extra_large").unwrap();
        store.set_high_contrast(true).unwrap();
        drop(store);
        let mut store = DeviceStore::open(directory.path()).unwrap();
        let display = store.display_settings().unwrap();
        assert_eq!(display.text_size, TextSize::ExtraLarge);
        assert_eq!(display.text_scale, 1.3);
        assert!(display.high_contrast);

        let error = store.set_text_size("huge").unwrap_err();
        assert!(
            error.message_zh().contains("特大"),
            "{}",
            error.message_zh()
        );
        assert_eq!(
            store.display_settings().unwrap().text_size,
            TextSize::ExtraLarge,
            "nothing changed"
        );
    }
}
