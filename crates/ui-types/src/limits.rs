//! The numeric limits the forms check before asking the store (head-counts, lengths, distances),
//! as TypeScript constants rendered from the Rust constants that the store checks with.

use std::fmt::Display;

/// Collects limits into one TypeScript module.
#[derive(Debug, Default)]
pub struct LimitFile {
    text: String,
}

impl LimitFile {
    /// Adds `export const NAME = value;` with `doc` and the Rust constant it comes from.
    pub fn add(&mut self, name: &str, from: &str, value: impl Display, doc: &str) {
        self.text.push_str(&format!(
            "/** {doc} ({from}) */\nexport const {name} = {value};\n"
        ));
    }

    pub fn render(&self, header: &str) -> String {
        format!("{header}{}", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_each_limit_with_its_origin() {
        let mut file = LimitFile::default();
        file.add(
            "MAX_PARTNER_COUNT",
            "patrol_model::MAX_PARTNER_COUNT",
            10_000,
            "Largest head-count of one partner unit",
        );
        assert_eq!(
            file.render("// h\n"),
            "// h\n/** Largest head-count of one partner unit (patrol_model::MAX_PARTNER_COUNT) */\nexport const MAX_PARTNER_COUNT = 10000;\n"
        );
    }
}
