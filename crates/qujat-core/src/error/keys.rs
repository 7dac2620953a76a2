//! Errors of one area: the data key and unlocking the data folder: passphrases,
//! the system keychain, `key.json`.

area_error! {
    /// What went wrong with the data key or unlocking. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum KeyError {
        /// An empty passphrase was given.
        #[error("the passphrase must not be empty")]
        PassphraseEmpty,
        /// A new passphrase is too easy to guess (see [`crate::strength`]).
        #[error("this passphrase is too easy to guess ({reason:?}); use a few random words")]
        PassphraseWeak {
            /// What makes it easy to guess.
            reason: crate::strength::WeakReason,
        },
        /// The data is protected by a passphrase and none was given.
        #[error("this data folder is locked with a passphrase; enter it (or set QUJAT_PASSPHRASE)")]
        PassphraseRequired,
        /// The passphrase does not unlock the data key.
        #[error("this passphrase does not unlock the data folder")]
        WrongPassphrase,
        /// The operating system's keychain cannot be reached.
        #[error("the system keychain cannot be reached ({detail}); on a computer without one, set a passphrase instead (QUJAT_PASSPHRASE)")]
        KeychainUnavailable {
            /// The keychain's explanation (never a secret).
            detail: String,
        },
        /// The data key is gone (its keychain entry or `key.json`), so the
        /// encrypted data cannot be read.
        #[error("the key that encrypts this data folder is missing ({detail}); the data cannot be read without it: restore a backup")]
        DataKeyMissing {
            /// What is missing.
            detail: String,
        },
        /// `key.json` cannot be read as a key record.
        #[error("{path} is not a valid key record: {detail}")]
        KeyRecordInvalid {
            /// The record's path.
            path: String,
            /// What is wrong.
            detail: String,
        },
    }
}

impl KeyError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            KeyError::PassphraseEmpty
            | KeyError::PassphraseWeak { .. }
            | KeyError::PassphraseRequired
            | KeyError::WrongPassphrase => true,
            KeyError::KeychainUnavailable { .. }
            | KeyError::DataKeyMissing { .. }
            | KeyError::KeyRecordInvalid { .. } => false,
        }
    }
}
