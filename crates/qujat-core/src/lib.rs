//! Qujat's domain, free of any user interface.
//!
//! Everything a user can do with a dossier lives here, as plain functions over
//! a [`Workspace`] (the local store plus the document vault). The desktop app
//! (`src-tauri/`) and the `qujat` command (`crates/qujat-cli`) are both thin
//! adapters over this crate; neither holds domain logic of its own.
//!
//! * [`rules`]: versioned rule packs (programs, stages, requirements) loaded
//!   from TOML data and validated.
//! * `store` (crate-private): the SQLite file with dossiers, documents and
//!   step confirmations; `vault` (crate-private): document files kept by
//!   their SHA-256, so the user's original can move or vanish without loss.
//!   Adapters reach both only through [`Workspace`], whose records are
//!   named in [`model`].
//! * [`kind`]: what a file really is, from its bytes rather than its name.
//! * [`check`]: the status of every requirement, with typed reasons.
//! * [`inspect`]: each attached file inspected in a child process (kind by
//!   content, pages, encryption, text, pixel size, dates), with limits, and
//!   the verdict cached by its SHA-256; [`findings`] judges the verdicts and
//!   the dates on documents against the pack.
//! * [`checklist_pdf`]: a program's printable checklist as an A4 PDF in
//!   any of the three languages, with no dossier needed.
//! * [`demo`]: the embassy demo, a dossier of a fictional applicant with
//!   generated sample documents, and its reset.
//! * [`i18n`]: languages and the message catalogue shared with the UI.
//! * [`timeline`]: the dated events of a case, checked against the pack's
//!   order, with their history.
//! * [`deadlines`]: days counted from those events in the program's time
//!   zone; [`ics`] exports them as an iCalendar file.
//! * [`reminders`]: which deadline reminders are due as notifications, and
//!   which were already shown.
//! * [`package`]: a stage's submission package (a BagIt bag as a ZIP or a
//!   folder, with a cover sheet) and the verification of any package.
//! * [`backup`]: one dossier with its files as one passphrase-encrypted
//!   file, and its import, which treats the file as hostile.
//! * [`keys`]: encryption at rest: the data key in the OS keychain (or
//!   wrapped under a passphrase), vault objects as age streams, sealed
//!   store fields, and the migration of data written before.
//! * [`rules::installed`]: signed rule-pack updates, checked again on every
//!   load (the network side is the `qujat-update` crate).
//!
//! Architecture invariant: this crate depends on neither Tauri nor clap.
#![deny(missing_docs)]

pub mod apostille;
pub mod backup;
pub mod catalog;
pub mod check;
pub mod checklist_pdf;
pub mod countries;
pub mod data_folder;
pub mod deadlines;
pub mod demo;
mod durable;
pub mod error;
pub mod findings;
pub mod i18n;
pub mod ics;
pub mod identity;
pub mod inspect;
pub mod keys;
pub mod kind;
pub mod language;
pub mod model;
pub mod mrz;
pub mod next_step;
pub mod package;
mod pdf;
pub(crate) mod pending;
pub mod profile;
mod regular_file;
pub mod reminders;
pub mod report;
pub mod rules;
pub(crate) mod store;
pub mod strength;
pub mod text;
pub mod timeline;
pub(crate) mod vault;
mod workspace;

pub use workspace::{parse_date, APP_IDENTIFIER, DATA_DIR_ENV};

pub use catalog::Catalog;
pub use error::{
    BackupError, DossierError, Error, FileError, InspectError, InternalError, KeyError,
    PackageError, Result, RulesError, StoreError, TimelineError, VaultError,
};
pub use workspace::{
    DatesView, FixOutcome, FixProposal, FixRunner, FixSource, InspectProgress, InspectSummary,
    JobWorkspace, OpenOptions, PagesRead, Preference, Preferences, ReadingView, Secret, Theme,
    Workspace,
};
