//! Errors of one area: the local SQLite store.

area_error! {
    /// What went wrong with the local store. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum StoreError {
        /// The local store cannot be opened or is damaged.
        #[error("the local store failed: {detail}")]
        Store {
            /// SQLite's explanation.
            detail: String,
        },
        /// The store was written by a newer Qujat.
        #[error("the local store is from a newer Qujat (schema {found}, this one knows {known}); update Qujat")]
        StoreTooNew {
            /// Schema version found on disk.
            #[ts(type = "number")]
            found: i64,
            /// Newest schema this build knows.
            #[ts(type = "number")]
            known: i64,
        },
    }
}

impl StoreError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            StoreError::Store { .. } | StoreError::StoreTooNew { .. } => false,
        }
    }
}
