//! Errors of one area: the vault: the copies of attached documents Qujat keeps,
//! their size limits and their preview.

area_error! {
    /// What went wrong with the vault's copies of attached documents. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum VaultError {
        /// The file is larger than its requirement accepts.
        #[error("{path}: {size} bytes is over the {limit}-byte limit for this requirement")]
        FileTooLarge {
            /// The path given.
            path: String,
            /// The file's size in bytes.
            #[ts(type = "number")]
            size: u64,
            /// The limit in bytes.
            #[ts(type = "number")]
            limit: u64,
        },
        /// A vault file no longer has the content recorded when it was attached.
        #[error("Qujat's copy of the file for {requirement} is damaged or gone ({path}); attach the document again")]
        VaultDamaged {
            /// The requirement the file was attached to.
            requirement: String,
            /// The vault file.
            path: String,
        },
        /// The app cannot show this kind of file (only PDF, JPEG and PNG).
        #[error("the preview shows PDF, JPEG and PNG files; \"{name}\" ({kind}) is none of them")]
        PreviewUnavailable {
            /// The file's original name.
            name: String,
            /// Its kind as detected from the content.
            kind: String,
        },
        /// The file is so large that it cannot be a document for any portal
        /// (see [`crate::vault::HARD_CAP`]); files over the requirement's own
        /// limit are kept, with a finding and "Make it smaller".
        #[error("{path}: {size} bytes is more than any portal takes ({cap} bytes)")]
        FileBeyondHardCap {
            /// The path given.
            path: String,
            /// The file's size in bytes.
            #[ts(type = "number")]
            size: u64,
            /// The cap in bytes.
            #[ts(type = "number")]
            cap: u64,
        },
    }
}

impl VaultError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            VaultError::FileTooLarge { .. }
            | VaultError::PreviewUnavailable { .. }
            | VaultError::FileBeyondHardCap { .. } => true,
            VaultError::VaultDamaged { .. } => false,
        }
    }
}
