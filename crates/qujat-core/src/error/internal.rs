//! Errors of one area: a broken invariant inside Qujat, such as a worker thread
//! that panicked: the one kind that is neither the user's doing nor the
//! machine's.

area_error! {
    /// What went wrong with Qujat itself: a broken invariant. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum InternalError {
        /// A broken invariant inside Qujat, such as a worker thread that
        /// panicked: not the user's doing and not the machine's. Whatever the
        /// work was writing was left as its transaction or rename left it.
        #[error("internal error: {detail}")]
        Internal {
            /// What broke, in the program's words.
            detail: String,
        },
    }
}

impl InternalError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            InternalError::Internal { .. } => false,
        }
    }
}
