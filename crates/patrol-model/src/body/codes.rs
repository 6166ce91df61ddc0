//! Closed vocabularies (categories, severities, partner units) as enums with a stable wire code,
//! a Chinese and an English label. They are the one source of the UIs' code lists and labels
//! (`ui/src/generated/vocabularies.ts`, rendered by `crates/ui-types`).

/// A closed vocabulary with a wire code and a label for members in each language.
pub trait DomainCode: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// What this vocabulary is called, for error messages: ("类别", "category").
    const NAME: (&'static str, &'static str);
    fn code(self) -> &'static str;
    fn label_zh(self) -> &'static str;
    fn label_en(self) -> &'static str;

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.code() == code)
    }

    /// "road(道路)、landslide(塌方)…" for error messages.
    fn choices_zh() -> String {
        Self::ALL
            .iter()
            .map(|value| format!("{}({})", value.code(), value.label_zh()))
            .collect::<Vec<_>>()
            .join("、")
    }

    fn choices_en() -> String {
        Self::ALL
            .iter()
            .map(|value| value.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Declares a closed vocabulary:
/// `domain_code! { Name ("类别", "category") { Variant = "code" "标签" "Label", ... } }`.
/// With the `ts` feature it derives `ts_rs::TS` as the union of its codes.
macro_rules! domain_code {
    ($(#[$doc:meta])* $name:ident ($zh:literal, $en:literal) { $($variant:ident = $code:literal $label:literal $label_en:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name { $(#[cfg_attr(feature = "ts", ts(rename = $code))] $variant),+ }

        impl $crate::body::codes::DomainCode for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const NAME: (&'static str, &'static str) = ($zh, $en);
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            fn label_en(self) -> &'static str {
                match self { $($name::$variant => $label_en),+ }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::body::codes::DomainCode::code(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <String as serde::Deserialize>::deserialize(deserializer)?;
                <$name as $crate::body::codes::DomainCode>::from_code(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "unknown {} {:?}, expected one of {}",
                        $en,
                        code,
                        <$name as $crate::body::codes::DomainCode>::choices_en()
                    ))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::body::codes::DomainCode::code(*self))
            }
        }
    };
}

pub(crate) use domain_code;
