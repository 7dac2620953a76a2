//! Errors of one area: packing a stage for submission and verifying a package.

area_error! {
    /// What went wrong with packing or verifying a package. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum PackageError {
        /// A stage cannot be packed while requirements are missing or have problems.
        #[error("stage {stage} is not ready to submit: {}; finish these or pack with --allow-incomplete", blockers.join(", "))]
        StageIncomplete {
            /// The stage.
            stage: String,
            /// The blocking requirement ids, in checklist order.
            blockers: Vec<String>,
        },
        /// The path is neither a ZIP file nor a folder holding a BagIt bag.
        #[error("{path} is not a package: {detail}")]
        NotAPackage {
            /// The path given.
            path: String,
            /// What was found instead.
            detail: String,
        },
        /// The folder given is the `data` folder inside a bag: the package is
        /// the folder above it.
        #[error("{path} is the data folder of a package; choose the folder above it")]
        PackageDataFolder {
            /// The path given.
            path: String,
        },
    }
}

impl PackageError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            PackageError::StageIncomplete { .. }
            | PackageError::NotAPackage { .. }
            | PackageError::PackageDataFolder { .. } => true,
        }
    }
}
