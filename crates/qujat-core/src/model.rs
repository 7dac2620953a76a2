//! The records adapters see: what [`crate::Workspace`] returns about
//! dossiers and their documents. The store and the vault that keep them
//! are crate-private, so an adapter can read these but never write a row
//! or a vault object behind the core's back.

pub use crate::store::{Document, DocumentDates, Dossier};
