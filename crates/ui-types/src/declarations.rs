//! The shapes the UIs exchange with Rust, as ts-rs declares them, gathered into one module:
//! every type added and every type it names (fields, flattened parts, list items), each declared
//! once, sorted by name. Types another generated module declares are imported from it instead:
//! the vocabularies by name, another declaration file's types by identity (two Rust types of one
//! name, such as the app's and the county's `EntrySummary`, stay two types). Two different
//! types of one name and different declarations in one file are refused.

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use ts_rs::{Config, TypeVisitor, TS};

/// One TypeScript module of ts-rs declarations.
pub struct DeclarationFile {
    config: Config,
    seen: HashSet<TypeId>,
    declarations: BTreeMap<String, String>,
    /// Names declared elsewhere, and the module they come from.
    elsewhere: BTreeMap<String, &'static str>,
    /// Types another declaration file declares, with their name and module.
    elsewhere_types: BTreeMap<TypeId, (String, &'static str)>,
    /// The type each declared name stands for.
    declared: BTreeMap<String, TypeId>,
    imports: BTreeMap<&'static str, BTreeSet<String>>,
}

impl DeclarationFile {
    /// Integers are JavaScript numbers (every count and byte total here fits in 2^53).
    pub fn new() -> Self {
        DeclarationFile {
            config: Config::new().with_large_int("number"),
            seen: HashSet::new(),
            declarations: BTreeMap::new(),
            elsewhere: BTreeMap::new(),
            elsewhere_types: BTreeMap::new(),
            declared: BTreeMap::new(),
            imports: BTreeMap::new(),
        }
    }

    /// `names` are declared in `module` (e.g. `"./vocabularies"`): imported, not declared here.
    pub fn import_from(&mut self, module: &'static str, names: &[&str]) {
        for name in names {
            self.elsewhere.insert(name.to_string(), module);
        }
    }

    /// The types `other` declares are imported from `module` instead of declared here.
    pub fn import_types_from(&mut self, module: &'static str, other: &DeclarationFile) {
        for (name, id) in &other.declared {
            self.elsewhere_types.insert(*id, (name.clone(), module));
        }
    }

    /// Declares `T` and every type it depends on.
    pub fn add<T: TS + 'static + ?Sized>(&mut self) {
        let id = TypeId::of::<T>();
        if !self.seen.insert(id) || T::output_path().is_none() {
            return;
        }
        if let Some((name, module)) = self.elsewhere_types.get(&id) {
            self.imports.entry(module).or_default().insert(name.clone());
            return;
        }
        let name = T::ident(&self.config);
        if let Some(module) = self.elsewhere.get(&name) {
            self.imports.entry(module).or_default().insert(name);
            return;
        }
        let mut declaration = T::docs().unwrap_or_default();
        declaration.push_str("export ");
        declaration.push_str(&T::decl(&self.config));
        self.declared.insert(name.clone(), id);
        if let Some(other) = self.declarations.insert(name.clone(), declaration.clone()) {
            // One declaration from several Rust types (serde_json's value and its parts) is fine.
            assert_eq!(
                other, declaration,
                "two different Rust types are both named {name} in one TypeScript file"
            );
        }
        T::visit_dependencies(&mut Dependencies(self));
    }

    pub fn render(&self, header: &str) -> String {
        let mut text = header.to_string();
        for (module, names) in &self.imports {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            text.push_str(&format!(
                "import type {{ {} }} from \"{module}\";\n",
                names.join(", ")
            ));
        }
        if !self.imports.is_empty() {
            text.push('\n');
        }
        let declarations: Vec<&str> = self.declarations.values().map(String::as_str).collect();
        text.push_str(&declarations.join("\n\n"));
        text.push('\n');
        text
    }
}

impl Default for DeclarationFile {
    fn default() -> Self {
        Self::new()
    }
}

struct Dependencies<'a>(&'a mut DeclarationFile);

impl TypeVisitor for Dependencies<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.0.add::<T>();
    }
}
