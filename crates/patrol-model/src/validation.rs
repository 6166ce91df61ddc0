//! Problems found in a member's input: each names its field and says what is wrong, in
//! Simplified Chinese for the member and in English for logs and the county's API.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One thing wrong with one field, e.g. `body.quantity`: "数量必须大于 0".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ValidationProblem {
    /// Dotted path of the field, e.g. `body.partners[1].count`.
    pub field: String,
    pub message_zh: String,
    pub message_en: String,
}

/// Every problem found in one input, never just the first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationReport {
    pub problems: Vec<ValidationProblem>,
}

impl ValidationReport {
    pub fn push(&mut self, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) {
        self.problems.push(ValidationProblem {
            field: field.into(),
            message_zh: zh.into(),
            message_en: en.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether some problem names exactly this field.
    pub fn mentions(&self, field: &str) -> bool {
        self.problems.iter().any(|problem| problem.field == field)
    }

    /// `Ok(value)` when nothing was found, else every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, crate::ModelError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(crate::ModelError::Invalid(self))
        }
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "{}: {} ({})",
                problem.field, problem.message_zh, problem.message_en
            )?;
        }
        Ok(())
    }
}

/// Longest free text (findings, descriptions), in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest short text (a member's name, a marker number, a village), in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 40;
/// Most items in one list (members, markers, partners, photos).
pub const MAX_LIST_ITEMS: usize = 100;

/// Whether `c` is a control character no text may hold: NUL and the other C0 controls, except
/// tab, line feed and carriage return. (PostgreSQL cannot store NUL at all; the others are
/// invisible and only ever come from a broken or hostile sender.)
pub fn is_forbidden_control(c: char) -> bool {
    c.is_ascii_control() && c != '\t' && c != '\n' && c != '\r' && c != '\u{7f}'
}

/// Refuses a text holding a control character ([`is_forbidden_control`]), naming the first.
pub fn check_no_control_chars(report: &mut ValidationReport, field: &str, text: &str) {
    if let Some((index, c)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| is_forbidden_control(*c))
    {
        let code = format!("U+{:04X}", u32::from(c));
        report.push(
            field,
            format!(
                "含有不可见的控制字符(第 {} 个字符,{code}),请删除后再保存",
                index + 1
            ),
            format!(
                "contains a control character ({code} at character {}): only tab, line feed and carriage return are allowed",
                index + 1
            ),
        );
    }
}

/// Checks a free text: its length, and no control characters.
pub fn check_text(report: &mut ValidationReport, field: &str, text: &str, max_chars: usize) {
    check_no_control_chars(report, field, text);
    let count = text.chars().count();
    if count > max_chars {
        report.push(
            field,
            format!("文字太长:{count} 字,最多 {max_chars} 字"),
            format!("text too long: {count} characters, at most {max_chars}"),
        );
    }
}

/// Checks a short, required text such as a name: not blank, not too long, no control characters.
pub fn check_short_text(report: &mut ValidationReport, field: &str, text: &str) {
    if text.trim().is_empty() {
        report.push(field, "不能为空", "must not be empty");
    } else {
        check_text(report, field, text, MAX_SHORT_TEXT_CHARS);
    }
}

/// Checks a list's length.
pub fn check_list_len(report: &mut ValidationReport, field: &str, len: usize) {
    if len > MAX_LIST_ITEMS {
        report.push(
            field,
            format!("条目太多:{len} 项,最多 {MAX_LIST_ITEMS} 项"),
            format!("too many items: {len}, at most {MAX_LIST_ITEMS}"),
        );
    }
}
