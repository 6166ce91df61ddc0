//! Reads the fields of one JSON object one by one, recording a problem for each field that is
//! missing or of the wrong type instead of stopping at the first, and refusing unknown fields
//! (a typo such as `catgory` must not silently drop the member's data).

use crate::body::codes::DomainCode;
use crate::ids::EntryId;
use crate::validation::ValidationReport;
use serde_json::{Map, Value};

pub struct FieldReader<'r> {
    object: Map<String, Value>,
    prefix: String,
    report: &'r mut ValidationReport,
}

impl<'r> FieldReader<'r> {
    /// `None` (and a problem) when `value` is not a JSON object.
    pub fn new(value: Value, prefix: &str, report: &'r mut ValidationReport) -> Option<Self> {
        match value {
            Value::Object(object) => Some(Self {
                object,
                prefix: prefix.to_string(),
                report,
            }),
            _ => {
                let field = if prefix.is_empty() {
                    "(整体)"
                } else {
                    prefix
                };
                report.push(field, "应为 JSON 对象 {…}", "must be a JSON object");
                None
            }
        }
    }

    pub fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.prefix)
        }
    }

    pub fn report(&mut self) -> &mut ValidationReport {
        self.report
    }

    /// Takes a field out; `null` counts as absent.
    fn take(&mut self, name: &str) -> Option<Value> {
        match self.object.remove(name) {
            None | Some(Value::Null) => None,
            Some(value) => Some(value),
        }
    }

    fn missing(&mut self, name: &str) {
        let field = self.path(name);
        self.report.push(field, "必须填写", "is required");
    }

    fn wrong_type(&mut self, name: &str, zh: &str, en: &str) {
        let field = self.path(name);
        self.report.push(field, zh, en);
    }

    /// Whether the field is there and not `null`.
    pub fn is_present(&self, name: &str) -> bool {
        self.object.get(name).is_some_and(|value| !value.is_null())
    }

    pub fn optional_text(&mut self, name: &str) -> Option<String> {
        match self.take(name)? {
            Value::String(text) => Some(text),
            _ => {
                self.wrong_type(name, "应为文字", "must be a string");
                None
            }
        }
    }

    pub fn required_text(&mut self, name: &str) -> Option<String> {
        if !self.is_present(name) {
            self.missing(name);
            return None;
        }
        self.optional_text(name)
    }

    pub fn text_list(&mut self, name: &str) -> Vec<String> {
        match self.take(name) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut texts = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    match item {
                        Value::String(text) => texts.push(text),
                        Value::Number(number) => texts.push(number.to_string()),
                        _ => {
                            let field = format!("{}[{index}]", self.path(name));
                            self.report.push(field, "应为文字", "must be a string");
                        }
                    }
                }
                texts
            }
            Some(_) => {
                self.wrong_type(name, "应为文字列表 […]", "must be a list of strings");
                Vec::new()
            }
        }
    }

    pub fn optional_number(&mut self, name: &str) -> Option<f64> {
        match self.take(name)? {
            Value::Number(number) => number.as_f64(),
            Value::String(text) if text.trim().parse::<f64>().is_ok() => text.trim().parse().ok(),
            _ => {
                self.wrong_type(name, "应为数字", "must be a number");
                None
            }
        }
    }

    pub fn required_number(&mut self, name: &str) -> Option<f64> {
        if !self.is_present(name) {
            self.missing(name);
            return None;
        }
        self.optional_number(name)
    }

    /// A required head-count or other whole number from `min` to `max`.
    pub fn required_whole_number(&mut self, name: &str, min: u32, max: u32) -> Option<u32> {
        let number = self.required_number(name)?;
        if number.fract() != 0.0 || number < f64::from(min) || number > f64::from(max) {
            let field = self.path(name);
            self.report.push(
                field,
                format!("应为 {min} 到 {max} 的整数"),
                format!("must be a whole number from {min} to {max}"),
            );
            return None;
        }
        Some(number as u32)
    }

    pub fn optional_bool(&mut self, name: &str) -> Option<bool> {
        match self.take(name)? {
            Value::Bool(flag) => Some(flag),
            _ => {
                self.wrong_type(name, "应为 true 或 false", "must be true or false");
                None
            }
        }
    }

    pub fn optional_code<C: DomainCode>(&mut self, name: &str) -> Option<C> {
        let code = self.optional_text(name)?;
        match C::from_code(code.trim()) {
            Some(value) => Some(value),
            None => {
                let field = self.path(name);
                self.report.push(
                    field,
                    format!("未知的{}“{}”,可选:{}", C::NAME.0, code, C::choices_zh()),
                    format!(
                        "unknown {} {:?}, expected one of {}",
                        C::NAME.1,
                        code,
                        C::choices_en()
                    ),
                );
                None
            }
        }
    }

    pub fn required_code<C: DomainCode>(&mut self, name: &str) -> Option<C> {
        if !self.is_present(name) {
            self.missing(name);
            return None;
        }
        self.optional_code(name)
    }

    pub fn optional_entry_id(&mut self, name: &str) -> Option<EntryId> {
        let text = self.optional_text(name)?;
        match text.parse::<EntryId>() {
            Ok(id) => Some(id),
            Err(_) => {
                self.wrong_type(
                    name,
                    "应为条目编号(形如 0190f2c4-…的 UUID)",
                    "must be an entry id (a UUID)",
                );
                None
            }
        }
    }

    /// A list of objects, each returned with its own path for a nested reader.
    pub fn object_list(&mut self, name: &str) -> Vec<(String, Value)> {
        match self.take(name) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let base = self.path(name);
                items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| (format!("{base}[{index}]"), item))
                    .collect()
            }
            Some(_) => {
                self.wrong_type(name, "应为列表 […]", "must be a list");
                Vec::new()
            }
        }
    }

    /// Takes a raw field for a caller that parses it itself.
    pub fn raw(&mut self, name: &str) -> Option<Value> {
        self.take(name)
    }

    /// Drops fields the caller tolerates but does not read (values the store derives).
    pub fn ignore(&mut self, names: &[&str]) {
        for name in names {
            self.object.remove(*name);
        }
    }

    /// Records a problem for every field nobody read, and hands the report back.
    pub fn finish(self) -> &'r mut ValidationReport {
        let mut unknown: Vec<String> = self.object.keys().cloned().collect();
        unknown.sort();
        for name in unknown {
            let field = if self.prefix.is_empty() {
                name.clone()
            } else {
                format!("{}.{name}", self.prefix)
            };
            self.report
                .push(field, "未知字段(是否拼写有误?)", "unknown field (a typo?)");
        }
        self.report
    }
}
