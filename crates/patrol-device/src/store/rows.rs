//! Turning the stored JSON document of an entry back into an [`Entry`].

use crate::error::DeviceError;
use patrol_model::Entry;

pub(crate) fn entry_from_document(document: &str) -> Result<Entry, DeviceError> {
    serde_json::from_str(document)
        .map_err(|error| DeviceError::Damaged(format!("stored entry does not parse: {error}")))
}

pub(crate) fn document_of(entry: &Entry) -> Result<String, DeviceError> {
    serde_json::to_string(entry)
        .map_err(|error| DeviceError::Damaged(format!("entry does not serialize: {error}")))
}
