//! Reading the dashboard's query strings and JSON bodies field by field, so that every bad
//! value is a 400 naming its field (`from` not a date, `kind` unknown, `limit` out of 1–200),
//! an unknown field is refused rather than silently ignored, and an empty value (`post=`) means
//! "no filter", as a form with an empty select sends it.

use crate::http::error::ApiError;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use chrono::NaiveDate;
use patrol_model::validation::check_no_control_chars;
use patrol_model::DomainCode;
use serde_json::{Map, Value};
use std::ops::RangeInclusive;
use std::str::FromStr;

/// A 400 naming `name` when `text` holds a control character (PostgreSQL cannot store NUL,
/// and no form sends the others).
fn refuse_control_chars(name: &str, text: &str) -> Result<(), ApiError> {
    let mut report = patrol_model::ValidationReport::default();
    check_no_control_chars(&mut report, name, text);
    match report.problems.pop() {
        None => Ok(()),
        Some(problem) => Err(ApiError::bad_field(
            name,
            problem.message_en,
            problem.message_zh,
        )),
    }
}

/// The `{id}` of a path (an entry, a post, a device): a path that cannot be read is no such
/// resource, and text that is not `what_en` (a UUID) is a 400 naming `id`.
pub fn path_id<T: FromStr>(
    path: Result<Path<String>, PathRejection>,
    what_en: &str,
    what_zh: &str,
) -> Result<T, ApiError> {
    let Path(text) = path.map_err(|_| ApiError::not_found())?;
    text.parse::<T>().map_err(|_| {
        ApiError::bad_field(
            "id",
            format!("{text:?} is not {what_en} (UUID)"),
            format!("{what_zh}格式不对"),
        )
    })
}

/// A query string's fields, read one by one.
pub struct QueryFields {
    pairs: Vec<(String, String)>,
}

impl QueryFields {
    /// The query's pairs; only the fields in `known` are allowed, each at most once.
    pub fn read(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
        known: &[&str],
    ) -> Result<Self, ApiError> {
        let Query(pairs) = query.map_err(|rejection| {
            ApiError::bad_request(
                format!("the query string cannot be read: {rejection}"),
                "查询参数格式不对",
            )
        })?;
        for (index, (name, value)) in pairs.iter().enumerate() {
            refuse_control_chars(name, value)?;
            if !known.contains(&name.as_str()) {
                return Err(ApiError::bad_field(
                    name,
                    format!("unknown query field; known: {}", known.join(", ")),
                    format!("不认识的查询参数,可用:{}", known.join("、")),
                ));
            }
            if pairs[..index].iter().any(|(earlier, _)| earlier == name) {
                return Err(ApiError::bad_field(
                    name,
                    "given more than once",
                    "查询参数重复",
                ));
            }
        }
        Ok(Self { pairs })
    }

    /// The field's value, `None` when absent or empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.trim().is_empty())
    }

    pub fn parsed<T: FromStr>(
        &self,
        name: &str,
        what_en: &str,
        what_zh: &str,
    ) -> Result<Option<T>, ApiError> {
        self.text(name)
            .map(|text| {
                text.trim().parse::<T>().map_err(|_| {
                    ApiError::bad_field(
                        name,
                        format!("{text:?} is not {what_en}"),
                        format!("“{text}”不是{what_zh}"),
                    )
                })
            })
            .transpose()
    }

    /// A local day, `YYYY-MM-DD`.
    pub fn day(&self, name: &str) -> Result<Option<NaiveDate>, ApiError> {
        self.text(name)
            .map(|text| {
                NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                    ApiError::bad_field(
                        name,
                        format!("{text:?} is not a date YYYY-MM-DD"),
                        format!("“{text}”不是日期(格式 YYYY-MM-DD)"),
                    )
                })
            })
            .transpose()
    }

    /// `from` and `to` local days, inclusive; `to` before `from` is refused.
    pub fn day_range(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
        let (from, to) = (self.day("from")?, self.day("to")?);
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                return Err(ApiError::bad_field(
                    "to",
                    format!("{to} is before from ({from})"),
                    format!("结束日期 {to} 早于开始日期 {from}"),
                ));
            }
        }
        Ok((from, to))
    }

    /// A code of a closed vocabulary (`kind`, `status`).
    pub fn code<T: DomainCode>(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.text(name)
            .map(|text| {
                T::from_code(text.trim()).ok_or_else(|| {
                    ApiError::bad_field(
                        name,
                        format!("{text:?} is not one of {}", T::choices_en()),
                        format!("“{text}”不是可选值之一:{}", T::choices_zh()),
                    )
                })
            })
            .transpose()
    }

    /// One of a few fixed words (`review`, `format`, `variant`).
    pub fn choice<T>(
        &self,
        name: &str,
        choices: &[&str],
        from_code: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, ApiError> {
        self.text(name)
            .map(|text| {
                from_code(text.trim()).ok_or_else(|| {
                    ApiError::bad_field(
                        name,
                        format!("{text:?} is not one of {}", choices.join(", ")),
                        format!("“{text}”不是可选值之一:{}", choices.join("、")),
                    )
                })
            })
            .transpose()
    }

    /// A whole number in `range`.
    pub fn number_in(
        &self,
        name: &str,
        range: RangeInclusive<i64>,
    ) -> Result<Option<i64>, ApiError> {
        let Some(text) = self.text(name) else {
            return Ok(None);
        };
        match text.trim().parse::<i64>() {
            Ok(number) if range.contains(&number) => Ok(Some(number)),
            _ => Err(ApiError::bad_field(
                name,
                format!(
                    "{text:?} is not a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
                format!(
                    "“{text}”应为 {} 到 {} 之间的整数",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }

    /// `true` or `false`.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        Ok(self
            .choice(name, &["true", "false"], |text| match text {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            })?
            .unwrap_or(false))
    }

    /// A required year in `range` (the report's 2000–2100).
    pub fn year(&self, range: RangeInclusive<i32>) -> Result<i32, ApiError> {
        let Some(text) = self.text("year") else {
            return Err(ApiError::bad_field(
                "year",
                "a year is required, e.g. year=2024",
                "缺少年份,例如 year=2024",
            ));
        };
        match text.trim().parse::<i32>() {
            Ok(year) if range.contains(&year) => Ok(year),
            _ => Err(ApiError::bad_field(
                "year",
                format!(
                    "{text:?} is not a year from {} to {}",
                    range.start(),
                    range.end()
                ),
                format!(
                    "“{text}”应为 {} 到 {} 之间的年份",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }
}

/// A JSON object body, read field by field.
pub struct BodyFields {
    fields: Map<String, Value>,
}

impl BodyFields {
    /// A JSON object body whose fields are all in `known`.
    pub fn new(value: Value, known: &[&str]) -> Result<Self, ApiError> {
        let Value::Object(fields) = value else {
            return Err(ApiError::bad_request(
                "the body must be a JSON object",
                "请求内容必须是 JSON 对象",
            ));
        };
        if let Some(unknown) = fields.keys().find(|name| !known.contains(&name.as_str())) {
            return Err(ApiError::bad_field(
                unknown,
                format!("unknown field; known: {}", known.join(", ")),
                format!("不认识的字段,可用:{}", known.join("、")),
            ));
        }
        Ok(Self { fields })
    }

    /// A string field; `None` when absent or null, a 400 when not a string.
    pub fn optional_text(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => {
                refuse_control_chars(name, text)?;
                Ok(Some(text))
            }
            Some(_) => Err(ApiError::bad_field(name, "must be a string", "必须是文字")),
        }
    }

    /// A required array of ids (UUIDs), 1 to `max` of them: a 400 naming the field when it is
    /// missing, not an array, empty or too long, or `field[i]` for an item that is not an id.
    pub fn id_list<T: FromStr>(&self, name: &str, max: usize) -> Result<Vec<T>, ApiError> {
        let Some(Value::Array(items)) = self.fields.get(name) else {
            return Err(ApiError::bad_field(
                name,
                "is required: an array of ids",
                "必须填写:编号列表",
            ));
        };
        if items.is_empty() || items.len() > max {
            return Err(ApiError::bad_field(
                name,
                format!("must hold 1 to {max} ids, not {}", items.len()),
                format!("一次应为 1 到 {max} 条,而不是 {} 条", items.len()),
            ));
        }
        items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                item.as_str()
                    .and_then(|text| text.trim().parse::<T>().ok())
                    .ok_or_else(|| {
                        ApiError::bad_field(
                            &format!("{name}[{index}]"),
                            "is not an id (UUID)",
                            "编号格式不对",
                        )
                    })
            })
            .collect()
    }

    /// A string field that must be there and not blank.
    pub fn required_text(&self, name: &str) -> Result<&str, ApiError> {
        match self.optional_text(name)? {
            Some(text) if !text.trim().is_empty() => Ok(text),
            _ => Err(ApiError::bad_field(name, "is required", "必须填写")),
        }
    }
}
