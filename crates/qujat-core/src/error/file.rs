//! Errors of one area: reading the user's files and writing outputs (packages,
//! backups, checklists, fixes) on the machine's disks, and a read or write the
//! user cancelled.

area_error! {
    /// What went wrong with reading the user's files or writing an output.
    /// Serialises as `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum FileError {
        /// The file does not exist.
        #[error("{path}: no such file")]
        FileNotFound {
            /// The path given.
            path: String,
        },
        /// The path is a directory.
        #[error("{path}: a folder, not a file")]
        NotAFile {
            /// The path given.
            path: String,
        },
        /// The path is a named pipe (FIFO); it is never opened.
        #[error("{path}: not a regular file but a named pipe (FIFO)")]
        FileIsPipe {
            /// The path given.
            path: String,
        },
        /// The path is a device or socket; it is never opened.
        #[error("{path}: not a regular file but a device or socket")]
        FileIsDevice {
            /// The path given.
            path: String,
        },
        /// The file or folder cannot be read (permissions, I/O error).
        #[error("{path}: cannot be read: {detail}")]
        Unreadable {
            /// The path.
            path: String,
            /// The operating system's explanation, for the log and for support.
            detail: String,
        },
        /// The disk holding the data folder is full; nothing was changed.
        #[error("{path}: the disk is full; nothing was changed")]
        DiskFull {
            /// Where the write failed.
            path: String,
        },
        /// The data folder cannot be written.
        #[error("{path}: cannot be written: {detail}")]
        Unwritable {
            /// The path.
            path: String,
            /// The operating system's explanation.
            detail: String,
        },
        /// The package's destination exists already; nothing was written.
        #[error("{path} exists already; choose another name or replace it (--force)")]
        DestinationExists {
            /// The destination.
            path: String,
        },
        /// The user cancelled; nothing was left behind.
        #[error("cancelled; nothing was written")]
        Cancelled,
    }
}

impl FileError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            FileError::FileNotFound { .. }
            | FileError::NotAFile { .. }
            | FileError::FileIsPipe { .. }
            | FileError::FileIsDevice { .. }
            | FileError::Unreadable { .. }
            | FileError::DestinationExists { .. }
            | FileError::Cancelled => true,
            FileError::DiskFull { .. } | FileError::Unwritable { .. } => false,
        }
    }
}
