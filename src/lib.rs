//! tieaudit: audit a LinkedIn network from its data export.
//!
//! The pipeline, one module per stage:
//! [`ingest`] (zip or folder to typed rows and per-file accounting) ->
//! [`evidence`] (join every file onto each connection) -> [`judge`] (score
//! and decide, pure functions) -> [`output`] (one writer per format).
//! [`sample`] makes synthetic exports with known latent relationships.
#![deny(unsafe_code)]

#[cfg(feature = "report")]
pub mod aggregate;
#[cfg(feature = "report")]
pub mod audit;
#[cfg(feature = "report")]
pub mod batch;
pub mod calibrate;
pub mod dates;
pub mod decisions;
pub mod error;
pub mod evidence;
#[cfg(feature = "report")]
pub mod evolve;
#[cfg(feature = "report")]
pub mod history;
pub mod identity;
pub mod ingest;
pub mod judge;
pub mod keep;
pub mod notes;
pub mod output;
pub mod policy;
#[cfg(feature = "report")]
pub mod report;
#[cfg(feature = "report")]
pub mod review;
pub mod sample;
pub mod text;

pub use error::{Error, Result};
