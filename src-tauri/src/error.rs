//! The error every command returns. It reaches the UI as `{kind, message[, problems]}`: `kind`
//! a stable code the UI can branch on (`invalid`, `not_found`, `not_allowed`, `unreachable`,
//! `refused`, `protocol`, `database`, `store_unavailable`, ...), `message` Chinese text a member
//! can act on, and for `invalid` only, `problems`: every field problem with its path as
//! `parse_entry_draft` reports it. Details meant for a developer go to the log, not to the member.

use patrol_device::DeviceError;
use patrol_model::ValidationProblem;
use serde::ser::{Serialize, SerializeStruct, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Device(DeviceError),
    /// A command panicked while it held the store; the store is refused until a restart.
    #[error("the device store is unavailable after an earlier failure")]
    StoreUnavailable,
}

/// One field problem as the UI receives it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldProblem {
    /// Dotted path of the field, e.g. `body.partners[1].count`.
    pub field: String,
    /// Chinese.
    pub message: String,
    pub message_en: String,
}

impl From<&ValidationProblem> for FieldProblem {
    fn from(problem: &ValidationProblem) -> Self {
        FieldProblem {
            field: problem.field.clone(),
            message: problem.message_zh.clone(),
            message_en: problem.message_en.clone(),
        }
    }
}

impl AppError {
    /// A short stable code: the device store's codes (`invalid`, `not_found`, `unreachable`,
    /// `refused`, `protocol`, `database`, ...) or `store_unavailable`.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Device(error) => error.kind_code(),
            AppError::StoreUnavailable => "store_unavailable",
        }
    }

    /// What the member reads. For invalid input: the first problem, and how many there are.
    pub fn message_zh(&self) -> String {
        match self {
            AppError::Device(DeviceError::Invalid(report)) => match report.problems.as_slice() {
                [] => "输入有误，请检查后再保存".to_string(),
                [only] => only.message_zh.clone(),
                [first, rest @ ..] => {
                    format!("{}（共 {} 处需要修改）", first.message_zh, rest.len() + 1)
                }
            },
            AppError::Device(error) => error.message_zh(),
            AppError::StoreUnavailable => {
                "本机数据暂时无法读取，请关闭并重新打开巡防日志".to_string()
            }
        }
    }

    /// Every field problem of an `invalid` error; `None` for every other kind.
    pub fn problems(&self) -> Option<Vec<FieldProblem>> {
        match self {
            AppError::Device(DeviceError::Invalid(report)) => {
                Some(report.problems.iter().map(FieldProblem::from).collect())
            }
            _ => None,
        }
    }
}

impl From<DeviceError> for AppError {
    fn from(error: DeviceError) -> Self {
        // Every device error passes here once on its way to the UI: the developer's detail
        // (SQLite's message, the file path, every field problem) is logged, the member gets
        // `message_zh`.
        log::warn!("{} error: {error}", error.kind_code());
        AppError::Device(error)
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let problems = self.problems();
        let mut out =
            serializer.serialize_struct("AppError", if problems.is_some() { 3 } else { 2 })?;
        out.serialize_field("kind", self.kind())?;
        out.serialize_field("message", &self.message_zh())?;
        if let Some(problems) = problems {
            out.serialize_field("problems", &problems)?;
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use patrol_model::{parse_entry_draft, EntryId};
    use serde_json::{json, Value};

    fn to_json(error: AppError) -> Value {
        serde_json::to_value(&error).unwrap()
    }

    #[test]
    fn reaches_the_ui_as_kind_and_chinese_message() {
        let error = AppError::from(DeviceError::not_allowed(
            "已删除的条目不能修改",
            "a deleted entry cannot be edited",
        ));
        assert_eq!(
            to_json(error),
            json!({"kind": "not_allowed", "message": "已删除的条目不能修改"})
        );
    }

    #[test]
    fn invalid_input_lists_every_problem_with_its_field_path() {
        // A real draft with two problems, as the UI could send it.
        let parsed = parse_entry_draft(
            r#"{"kind":"patrol","occurred_at":"2024-03-02T08:10:00+08:00",
                "body":{"members":["李国华"],"partners":[{"unit":"army","count":2},{"unit":"army","count":-1}],
                        "markers":[],"findings":"","surprise":1}}"#,
            None,
        );
        let error = AppError::from(DeviceError::from(parsed.unwrap_err()));
        let value = to_json(error);
        assert_eq!(value["kind"], "invalid");
        let problems = value["problems"].as_array().unwrap();
        let fields: Vec<&str> = problems
            .iter()
            .map(|problem| problem["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&"body.partners[1].count"), "{fields:?}");
        assert!(fields.contains(&"body.surprise"), "{fields:?}");
        for problem in problems {
            assert!(!problem["message"].as_str().unwrap().is_empty());
            assert!(!problem["message_en"].as_str().unwrap().is_empty());
            assert_eq!(problem.as_object().unwrap().len(), 3, "{problem}");
        }
        let message = value["message"].as_str().unwrap();
        assert_eq!(
            message,
            format!(
                "{}（共 {} 处需要修改）",
                problems[0]["message"].as_str().unwrap(),
                problems.len()
            )
        );
    }

    #[test]
    fn a_bad_incident_outreach_or_activity_names_its_field_in_chinese() {
        for (draft, field) in [
            (
                r#"{"kind":"outreach","occurred_at":"2024-03-05T10:00:00+08:00",
                    "body":{"village":"田蓬村","topic":"禁毒","audience":0}}"#,
                "body.audience",
            ),
            (
                r#"{"kind":"incident","occurred_at":"2024-03-05T10:00:00+08:00",
                    "body":{"crime_type":"fraud","persons":1}}"#,
                "body.crime_type",
            ),
            (
                r#"{"kind":"activity","occurred_at":"2024-03-05T10:00:00+08:00",
                    "body":{"activity_type":"drill","attendees":10001}}"#,
                "body.attendees",
            ),
        ] {
            let parsed = parse_entry_draft(draft, None);
            let value = to_json(AppError::from(DeviceError::from(parsed.unwrap_err())));
            assert_eq!(value["kind"], "invalid", "{value}");
            assert_eq!(value["problems"][0]["field"], field, "{value}");
            let message = value["message"].as_str().unwrap();
            assert!(
                message
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "a Chinese message for {field}: {message}"
            );
        }
    }

    #[test]
    fn one_invalid_field_is_the_message_itself() {
        let error = AppError::from(DeviceError::invalid_field(
            "body.description",
            "描述不能为空",
            "description must not be empty",
        ));
        assert_eq!(
            to_json(error),
            json!({"kind": "invalid", "message": "描述不能为空", "problems": [
                {"field": "body.description", "message": "描述不能为空",
                 "message_en": "description must not be empty"}
            ]})
        );
    }

    #[test]
    fn not_found_names_the_entry_and_has_no_problems() {
        let id = EntryId::new_v7();
        let value = to_json(AppError::from(DeviceError::EntryNotFound(id)));
        assert_eq!(value["kind"], "not_found");
        assert!(value["message"].as_str().unwrap().contains(&id.to_string()));
        assert!(value.get("problems").is_none());
    }

    #[test]
    fn sync_failures_keep_their_kinds_and_say_what_to_do() {
        let unreachable = to_json(AppError::from(DeviceError::Unreachable {
            url: "http://10.0.0.5:8080".into(),
            reason: "connection refused".into(),
            cause: patrol_device::sync::UnreachableCause::NothingListening,
        }));
        assert_eq!(unreachable["kind"], "unreachable");
        let message = unreachable["message"].as_str().unwrap();
        assert!(message.contains("保存在本机"), "{message}");
        assert!(
            !message.contains("connection refused"),
            "no developer detail: {message}"
        );

        let refused = to_json(AppError::from(DeviceError::Refused {
            status: 401,
            message: "device revoked".into(),
            message_zh: "本设备已被停用".into(),
        }));
        assert_eq!(
            refused,
            json!({"kind": "refused", "message": "本设备已被停用"})
        );
        let protocol = to_json(AppError::from(DeviceError::Protocol("500".into())));
        assert_eq!(protocol["kind"], "protocol");
        assert!(protocol.get("problems").is_none());
    }

    #[test]
    fn a_poisoned_store_has_its_own_kind() {
        let value = to_json(AppError::StoreUnavailable);
        assert_eq!(value["kind"], "store_unavailable");
        assert!(value["message"]
            .as_str()
            .is_some_and(|m| m.contains("重新打开")));
    }
}
