//! Errors of one area: reading a backup file: its encryption, its archive and
//! the records it holds.

area_error! {
    /// What went wrong with reading a backup. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum BackupError {
        /// The file is not a Qujat backup (or not an encrypted one).
        #[error("{path} is not a Qujat backup: {detail}")]
        NotABackup {
            /// The path given.
            path: String,
            /// What was found instead.
            detail: String,
        },
        /// The passphrase does not open the backup.
        #[error("the passphrase does not open this backup")]
        BackupWrongPassphrase,
        /// The backup was changed after it was written (a failed authentication or hash).
        #[error("the backup was changed or damaged after it was written: {detail}")]
        BackupTampered {
            /// What did not match.
            detail: String,
        },
        /// The backup ends early (an interrupted copy or download).
        #[error("the backup is cut short (an interrupted copy?)")]
        BackupTruncated,
        /// The backup was written by a newer Qujat.
        #[error(
            "the backup is from a newer Qujat (format {found}, this one reads {known}); update Qujat"
        )]
        BackupTooNew {
            /// The backup's format version.
            #[ts(type = "number")]
            found: u32,
            /// The newest format this build reads.
            #[ts(type = "number")]
            known: u32,
        },
        /// An entry's path climbs out of the archive (`..`).
        #[error("the backup holds an entry that climbs out of its folder: {path}")]
        BackupUnsafePath {
            /// The entry's path.
            path: String,
        },
        /// An entry's path is absolute.
        #[error("the backup holds an entry with an absolute path: {path}")]
        BackupAbsolutePath {
            /// The entry's path.
            path: String,
        },
        /// An entry is a link, folder or device instead of a file.
        #[error("the backup holds a link or special entry instead of a file: {path}")]
        BackupLink {
            /// The entry's path.
            path: String,
        },
        /// The same entry appears twice.
        #[error("the backup holds {path} twice")]
        BackupDuplicateEntry {
            /// The entry's path.
            path: String,
        },
        /// An entry the backup's manifest does not declare.
        #[error("the backup holds {path}, which its manifest does not list")]
        BackupUndeclaredEntry {
            /// The entry's path.
            path: String,
        },
        /// A file the manifest lists is not in the backup.
        #[error("the backup lacks {path}, which its manifest lists")]
        BackupMissingEntry {
            /// The entry's path.
            path: String,
        },
        /// An entry, or the whole backup, expands past the limit (a decompression bomb?).
        #[error("{path} expands past {limit} bytes; refused")]
        BackupTooLarge {
            /// The entry's path, or `(backup)` for the total.
            path: String,
            /// The limit in bytes.
            #[ts(type = "number")]
            limit: u64,
        },
        /// A GNU long-name or PAX header entry, which Qujat never writes; refused unread.
        #[error(
            "the backup holds an extended tar header ({path}, {size} bytes) that Qujat never writes"
        )]
        BackupExtendedHeader {
            /// The header entry's own short name.
            path: String,
            /// The size it declares.
            #[ts(type = "number")]
            size: u64,
        },
        /// The backup's dossier id is not one Qujat makes.
        #[error("the backup's dossier id {id} is not one Qujat makes")]
        BackupBadDossierId {
            /// The id, cut and escaped.
            id: String,
        },
        /// Two rows of the backup have the same key (a requirement, step, event).
        #[error("the backup lists {id} twice")]
        BackupDuplicateRecord {
            /// The repeated key.
            id: String,
        },
        /// A requirement or step the backup's program does not have.
        #[error("the backup refers to {id}, which the {program} program does not have")]
        BackupUnknownRequirement {
            /// The requirement or step id.
            id: String,
            /// The program.
            program: String,
        },
        /// An event of a kind the backup's program does not have.
        #[error("the backup holds an event of kind {kind}, which the {program} program does not have")]
        BackupUnknownEvent {
            /// The event kind.
            kind: String,
            /// The program.
            program: String,
        },
        /// A date in the backup lies in the future.
        #[error("the backup holds a date in the future ({date})")]
        BackupFutureDate {
            /// The date.
            date: String,
        },
    }
}

impl BackupError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            BackupError::NotABackup { .. }
            | BackupError::BackupWrongPassphrase
            | BackupError::BackupTampered { .. }
            | BackupError::BackupTruncated
            | BackupError::BackupTooNew { .. }
            | BackupError::BackupUnsafePath { .. }
            | BackupError::BackupAbsolutePath { .. }
            | BackupError::BackupLink { .. }
            | BackupError::BackupDuplicateEntry { .. }
            | BackupError::BackupUndeclaredEntry { .. }
            | BackupError::BackupMissingEntry { .. }
            | BackupError::BackupTooLarge { .. }
            | BackupError::BackupExtendedHeader { .. }
            | BackupError::BackupBadDossierId { .. }
            | BackupError::BackupDuplicateRecord { .. }
            | BackupError::BackupUnknownRequirement { .. }
            | BackupError::BackupUnknownEvent { .. }
            | BackupError::BackupFutureDate { .. } => true,
        }
    }
}
