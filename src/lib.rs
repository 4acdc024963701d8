//! tieaudit: audit a LinkedIn network from its data export.
//!
//! The interface is small: [`audit::run`] audits one export under an
//! [`audit::Config`] (a [`policy::Policy`] among its settings) and writes
//! the outputs; [`sample`] makes synthetic exports with known latent
//! relationships; every failure is an [`Error`].
//!
//! The pipeline behind it, one module per stage: `ingest` (zip or folder
//! to typed rows and per-file accounting) -> `evidence` (join every file
//! onto each connection) -> `judge` (score and decide, pure functions) ->
//! `output` and `report` (one writer per format). Those modules are public
//! only for the binary, the tests, the fuzz targets and the benchmarks:
//! hidden from the docs, with no promise of stability.
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "report")]
pub mod audit;
pub mod error;
pub mod policy;
pub mod sample;

#[cfg(feature = "report")]
pub(crate) mod aggregate;
#[cfg(feature = "report")]
#[doc(hidden)]
pub mod batch;
#[doc(hidden)]
pub mod calibrate;
#[doc(hidden)]
pub mod dates;
#[doc(hidden)]
pub mod decisions;
#[doc(hidden)]
pub mod evidence;
#[cfg(feature = "report")]
#[doc(hidden)]
pub mod evolve;
#[cfg(feature = "report")]
#[doc(hidden)]
pub mod history;
#[doc(hidden)]
pub mod identity;
#[doc(hidden)]
pub mod ingest;
#[doc(hidden)]
pub mod judge;
#[doc(hidden)]
pub mod keep;
#[doc(hidden)]
pub mod labels;
#[doc(hidden)]
pub mod notes;
#[doc(hidden)]
pub mod output;
#[cfg(feature = "report")]
#[doc(hidden)]
pub mod report;
#[cfg(feature = "report")]
#[doc(hidden)]
pub mod review;
#[doc(hidden)]
pub mod text;

pub use error::{Error, Result};
