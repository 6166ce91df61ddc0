//! Reading the JSON a member passes with `--json FILE` or `--json -` (standard input), and the
//! ids and codes given on the command line.

use patrol_device::DeviceError;
use patrol_model::{DomainCode, EntryId, MAX_ENTRY_JSON_BYTES};
use std::io::Read;
use std::path::Path;

/// The text of `--json`: a file, or standard input for `-`. Reads at most one byte past the
/// limit, so an endless stream is refused rather than read.
pub fn read_json_text(source: &str) -> Result<String, DeviceError> {
    let limit = MAX_ENTRY_JSON_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let read = if source == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(Path::new(source))
            .and_then(|file| file.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|error| {
        DeviceError::invalid_field(
            "--json",
            format!("无法读取 {source}:{error}"),
            format!("cannot read {source}: {error}"),
        )
    })?;
    if bytes.len() > MAX_ENTRY_JSON_BYTES {
        return Err(DeviceError::invalid_field(
            "(整体)",
            format!("内容太大,最多 {MAX_ENTRY_JSON_BYTES} 字节"),
            format!("input too large, at most {MAX_ENTRY_JSON_BYTES} bytes"),
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        DeviceError::invalid_field("(整体)", "不是 UTF-8 文字", "input is not UTF-8 text")
    })
}

pub fn parse_entry_id(text: &str, field: &str) -> Result<EntryId, DeviceError> {
    text.parse().map_err(|_| {
        DeviceError::invalid_field(
            field,
            format!("“{text}”不是条目编号(UUID)"),
            format!("{text:?} is not an entry id (a UUID)"),
        )
    })
}

/// A code of a closed vocabulary given on the command line (`--kind hazard`).
pub fn parse_code<C: DomainCode>(text: &str, field: &str) -> Result<C, DeviceError> {
    C::from_code(text.trim()).ok_or_else(|| {
        DeviceError::invalid_field(
            field,
            format!("未知的{}“{text}”,可选:{}", C::NAME.0, C::choices_zh()),
            format!(
                "unknown {} {text:?}, expected one of {}",
                C::NAME.1,
                C::choices_en()
            ),
        )
    })
}
