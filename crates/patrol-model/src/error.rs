//! The one error type of this crate.

use crate::validation::ValidationReport;

/// Everything that can go wrong inside the model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The input was understood but breaks one or more rules; every problem is listed.
    #[error("{0}")]
    Invalid(ValidationReport),
    /// A packed track is damaged (wrong version, truncated, or inconsistent).
    #[error("packed track is damaged: {0}")]
    DamagedTrack(&'static str),
}
