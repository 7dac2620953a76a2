//! Qujat's domain, free of any user interface.
//!
//! Everything a user can do with a dossier lives here, as plain functions over
//! a [`Workspace`] (the local store plus the document vault). The desktop app
//! (`src-tauri/`) and the `qujat` command (`crates/qujat-cli`) are both thin
//! adapters over this crate; neither holds domain logic of its own.
//!
//! * [`rules`]: versioned rule packs (programs, stages, requirements) loaded
//!   from TOML data and validated.
//! * [`store`]: the SQLite file with dossiers, documents and step confirmations.
//! * [`vault`]: document files kept by their SHA-256, so the user's original
//!   can move or vanish without loss.
//! * [`kind`]: what a file really is, from its bytes rather than its name.
//! * [`check`]: the status of every requirement, with typed reasons.
//! * [`i18n`]: languages and the message catalogue shared with the UI.
//! * [`timeline`]: the dated events of a case, checked against the pack's
//!   order, with their history.
//! * [`deadlines`]: days counted from those events in the program's time
//!   zone; [`ics`] exports them as an iCalendar file.
//! * [`package`]: a stage's submission package (a BagIt bag as a ZIP or a
//!   folder, with a cover sheet) and the verification of any package.
//!
//! Architecture invariant: this crate depends on neither Tauri nor clap.
#![deny(missing_docs)]

pub mod check;
pub mod deadlines;
pub mod error;
pub mod i18n;
pub mod ics;
pub mod kind;
pub mod package;
pub mod report;
pub mod rules;
pub mod store;
pub mod timeline;
pub mod vault;
mod workspace;

pub use workspace::{parse_date, APP_IDENTIFIER, DATA_DIR_ENV};

pub use error::{Error, Result};
pub use workspace::Workspace;
