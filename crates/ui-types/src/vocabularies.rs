//! The closed vocabularies (`domain_code!`) as TypeScript data: for each, a constant listing its
//! codes in display order with `zh` and `en` labels (`as const`), and the union of its codes.

use patrol_model::DomainCode;

/// Collects vocabularies into one TypeScript module.
#[derive(Debug, Default)]
pub struct VocabularyFile {
    text: String,
    names: Vec<&'static str>,
}

impl VocabularyFile {
    /// Adds vocabulary `T`; `extra` gives more columns of a value, e.g. a repair category's unit.
    pub fn add<T: DomainCode>(&mut self, extra: impl Fn(T) -> Vec<(&'static str, &'static str)>) {
        let name = type_name::<T>();
        let constant = constant_name(name);
        let (name_zh, name_en) = T::NAME;
        self.text.push_str(&format!(
            "/** {name_zh} ({name_en}), in display order. */\nexport const {constant} = [\n"
        ));
        for &value in T::ALL {
            let mut columns = vec![
                ("code", value.code()),
                ("zh", value.label_zh()),
                ("en", value.label_en()),
            ];
            columns.extend(extra(value));
            let fields: Vec<String> = columns
                .iter()
                .map(|(key, text)| format!("{key}: {}", quoted(text)))
                .collect();
            self.text
                .push_str(&format!("  {{ {} }},\n", fields.join(", ")));
        }
        self.text.push_str(&format!(
            "] as const;\nexport type {name} = (typeof {constant})[number][\"code\"];\n\n"
        ));
        self.names.push(name);
    }

    /// The TypeScript names of the code unions, as other generated files import them.
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    pub fn render(&self, header: &str) -> String {
        format!("{header}{}", self.text.trim_end()) + "\n"
    }
}

/// `patrol_model::body::hazard::HazardCategory` → `HazardCategory`.
pub fn type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// `HazardCategory` → `HAZARD_CATEGORY`.
fn constant_name(name: &str) -> String {
    let mut constant = String::new();
    for (index, character) in name.chars().enumerate() {
        if character.is_uppercase() && index > 0 {
            constant.push('_');
        }
        constant.push(character.to_ascii_uppercase());
    }
    constant
}

/// A TypeScript string literal (JSON's quoting is valid TypeScript).
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use patrol_model::{RepairCategory, Unit};

    #[test]
    fn lists_codes_in_order_with_both_labels_and_extra_columns() {
        let mut file = VocabularyFile::default();
        file.add::<RepairCategory>(|category| vec![("unit", category.unit().code())]);
        file.add::<Unit>(|_| Vec::new());
        let text = file.render("");
        assert!(text.starts_with("/** 修复类别 (repair category), in display order. */\nexport const REPAIR_CATEGORY = [\n  { code: \"road\", zh: \"水毁道路\", en: \"Flood-damaged road\", unit: \"km\" },\n"));
        assert!(text
            .contains("export type RepairCategory = (typeof REPAIR_CATEGORY)[number][\"code\"];"));
        assert!(text.contains("{ code: \"persons\", zh: \"人\", en: \"people\" },"));
        assert_eq!(file.names(), ["RepairCategory", "Unit"]);
    }
}
