//! Errors of one area: what the user asked of a dossier: programs, dossiers,
//! requirements, stages, the applicant's details and a document's dates.

area_error! {
    /// What went wrong with what the user asked of a dossier. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum DossierError {
        /// No program with this id; `known` lists the valid ones.
        #[error("unknown program \"{id}\"; the programs are: {}", known.join(", "))]
        UnknownProgram {
            /// What was asked for.
            id: String,
            /// The valid ids.
            known: Vec<String>,
        },
        /// A new dossier was asked for on a closed program without the user's
        /// confirmation that they know it is closed.
        #[error("the program \"{id}\" is closed; confirm that you know this to start a dossier on it")]
        ProgramClosed {
            /// The program.
            id: String,
            /// Its last day, if the sources give one.
            #[serde(skip_serializing_if = "Option::is_none")]
            #[ts(optional, type = "string")]
            closes: Option<chrono::NaiveDate>,
        },
        /// No dossier with this id (or the prefix matches none).
        #[error("unknown dossier \"{id}\"; the dossiers are: {}", known.join(", "))]
        UnknownDossier {
            /// What was asked for.
            id: String,
            /// The valid ids.
            known: Vec<String>,
        },
        /// A dossier id prefix matches more than one dossier.
        #[error("\"{id}\" matches several dossiers: {}", matches.join(", "))]
        AmbiguousDossier {
            /// What was asked for.
            id: String,
            /// The dossiers it matches.
            matches: Vec<String>,
        },
        /// No requirement with this id in the dossier's program.
        #[error("unknown requirement \"{id}\"; the requirements are: {}", known.join(", "))]
        UnknownRequirement {
            /// What was asked for.
            id: String,
            /// The valid ids.
            known: Vec<String>,
        },
        /// No stage with this id in the dossier's program.
        #[error("unknown stage \"{id}\"; the stages are: {}", known.join(", "))]
        UnknownStage {
            /// What was asked for.
            id: String,
            /// The valid ids.
            known: Vec<String>,
        },
        /// A file was given for a step, which is confirmed with a date instead.
        #[error("\"{id}\" is a step, confirmed with a date, not a document; the documents are: {}", known.join(", "))]
        NotADocument {
            /// The step's id.
            id: String,
            /// The document requirement ids.
            known: Vec<String>,
        },
        /// A date was given for a document, which is attached instead.
        #[error("\"{id}\" is a document to attach, not a step; the steps are: {}", known.join(", "))]
        NotAStep {
            /// The document's id.
            id: String,
            /// The step requirement ids.
            known: Vec<String>,
        },
        /// The applicant's name is empty.
        #[error("the applicant's name must not be empty")]
        EmptyName,
        /// Not an ISO 3166-1 alpha-2 country code.
        #[error("\"{country}\" is not a country code (ISO 3166-1 alpha-2, e.g. DE, RU, KZ)")]
        UnknownCountry {
            /// What was given.
            country: String,
        },
        /// The date is not a calendar date in YYYY-MM-DD form.
        #[error("\"{value}\" is not a date in the form YYYY-MM-DD")]
        InvalidDate {
            /// What was given.
            value: String,
        },
        /// The date of a completed step lies in the future.
        #[error("{date} is in the future; a step is confirmed on or after the day it was done")]
        FutureDate {
            /// The date given.
            date: String,
        },
        /// Dates were given for a requirement with no file attached.
        #[error("nothing is attached to \"{id}\"; attach the document before entering its dates")]
        NotAttached {
            /// The requirement.
            id: String,
        },
        /// A document's day of issue lies in the future.
        #[error("issued on {date}: that day is in the future")]
        IssuedInFuture {
            /// The date given.
            date: String,
        },
        /// A document expires before it was issued.
        #[error("expires on {expires}, before it was issued on {issued}")]
        DatesOutOfOrder {
            /// Day of issue.
            issued: String,
            /// Day of expiry.
            expires: String,
        },
    }
}

impl DossierError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            DossierError::UnknownProgram { .. }
            | DossierError::ProgramClosed { .. }
            | DossierError::UnknownDossier { .. }
            | DossierError::AmbiguousDossier { .. }
            | DossierError::UnknownRequirement { .. }
            | DossierError::UnknownStage { .. }
            | DossierError::NotADocument { .. }
            | DossierError::NotAStep { .. }
            | DossierError::EmptyName
            | DossierError::UnknownCountry { .. }
            | DossierError::InvalidDate { .. }
            | DossierError::FutureDate { .. }
            | DossierError::NotAttached { .. }
            | DossierError::IssuedInFuture { .. }
            | DossierError::DatesOutOfOrder { .. } => true,
        }
    }
}
