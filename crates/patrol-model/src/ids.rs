//! Typed identifiers. Entry ids are UUIDv7 made on the device, so they sort by creation time and
//! never collide between devices that have never talked to each other.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered (UUIDv7) id.
            pub fn new_v7() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(text.trim()).map(Self)
            }
        }
    };
}

uuid_id!(
    /// One entry (a patrol, a hazard, a repair, ...), the same id on every device and the server.
    EntryId
);
uuid_id!(
    /// One device (a phone or a post PC) holding a local store.
    DeviceId
);
uuid_id!(
    /// One joint-defence post (联防所).
    PostId
);

/// The SHA-256 of a photo's bytes, lower-case hex: photos are stored and sent by content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct PhotoHash(String);

impl PhotoHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhotoHash {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let lower = text.to_ascii_lowercase();
        if lower.len() == 64 && lower.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(lower))
        } else {
            Err(format!("not a SHA-256 hex digest: {text:?}"))
        }
    }
}

impl From<PhotoHash> for String {
    fn from(hash: PhotoHash) -> Self {
        hash.0
    }
}

impl fmt::Display for PhotoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_are_version_7_and_increase() {
        let first = EntryId::new_v7();
        let second = EntryId::new_v7();
        assert_eq!(first.0.get_version_num(), 7);
        assert!(second > first);
        assert_eq!(first.to_string().parse::<EntryId>().unwrap(), first);
    }

    #[test]
    fn photo_hash_accepts_only_sha256_hex() {
        assert!(PhotoHash::try_from("ab".repeat(32)).is_ok());
        assert!(PhotoHash::try_from("AB".repeat(32)).unwrap().as_str() == "ab".repeat(32));
        assert!(PhotoHash::try_from("zz".repeat(32)).is_err());
        assert!(PhotoHash::try_from("ab".to_string()).is_err());
    }
}
