//! Spreadsheet cells that are safe to open. Member text reaches the county's CSV and XLSX
//! files (exports, the year-end report, the audit log); a spreadsheet program runs a text cell
//! that begins with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`, `+cmd|…`), and a
//! leading tab or carriage return lets one slip past a naive check. Every writer of a
//! spreadsheet cell goes through [`safe_text`] (the OWASP rule: such a cell gets a leading `'`,
//! which the program shows as text). Numbers are written as numbers and never changed: a
//! negative figure stays a number.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a text cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a spreadsheet shows it as text: prefixed with `'` when it begins with one of
/// [`FORMULA_STARTS`], otherwise unchanged.
pub fn safe_text(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A JSON value as one CSV cell: numbers and booleans as written, strings through
/// [`safe_text`], null empty, arrays and objects as their JSON text (which begins with `[` or `{`).
pub fn json_cell(value: Option<&serde_json::Value>) -> Cow<'_, str> {
    use serde_json::Value;
    match value {
        None | Some(Value::Null) => Cow::Borrowed(""),
        Some(Value::String(text)) => safe_text(text),
        Some(Value::Number(number)) => Cow::Owned(number.to_string()),
        Some(Value::Bool(flag)) => Cow::Borrowed(if *flag { "true" } else { "false" }),
        Some(other) => Cow::Owned(safe_text(&other.to_string()).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_that_a_spreadsheet_would_run_gets_a_quote() {
        for text in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-1+2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(safe_text(text), format!("'{text}"));
        }
        assert_eq!(safe_text("铁网被冲毁"), "铁网被冲毁");
        assert_eq!(safe_text(""), "");
        assert_eq!(safe_text("a=b"), "a=b");
    }

    #[test]
    fn numbers_stay_numbers() {
        assert_eq!(json_cell(Some(&json!(-3))), "-3");
        assert_eq!(json_cell(Some(&json!(-0.5))), "-0.5");
        assert_eq!(json_cell(Some(&json!("-3"))), "'-3");
        assert_eq!(json_cell(Some(&json!(true))), "true");
        assert_eq!(json_cell(None), "");
        assert_eq!(
            json_cell(Some(&json!({"description": "=1+1"}))),
            r#"{"description":"=1+1"}"#
        );
    }
}
