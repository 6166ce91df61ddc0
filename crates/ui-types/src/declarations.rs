//! The shapes the UIs exchange with Rust, as ts-rs declares them, gathered into one module:
//! every type added and every type it names (fields, flattened parts, list items), each declared
//! once, sorted by name. Types another generated module declares (the vocabularies) are
//! imported from it instead.

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
            imports: BTreeMap::new(),
        }
    }

    /// `names` are declared in `module` (e.g. `"./vocabularies"`): imported, not declared here.
    pub fn import_from(&mut self, module: &'static str, names: &[&str]) {
        for name in names {
            self.elsewhere.insert(name.to_string(), module);
        }
    }

    /// Declares `T` and every type it depends on.
    pub fn add<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) || T::output_path().is_none() {
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
        self.declarations.insert(name, declaration);
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
