//! Errors of one area: rule packs: the built-in and installed packs, their
//! signatures, and fetching updates.

area_error! {
    /// What went wrong with a rule pack or its update. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum RulesError {
        /// A built-in or installed rule pack is invalid.
        #[error("rule pack {file}: {field}: {problem}")]
        RulePack {
            /// The pack's file name.
            file: String,
            /// The field path.
            field: String,
            /// What is wrong.
            problem: String,
        },
        /// The trusted key for rule packs is not a minisign public key.
        #[error("the trusted rule-pack key is not a minisign public key: {detail}")]
        RulesKeyInvalid {
            /// What is wrong with it.
            detail: String,
        },
        /// A rule pack's signature is missing, malformed or does not match its content.
        #[error("rule pack {file}: the signature does not match; the pack was not used")]
        RulesSignatureInvalid {
            /// The pack file.
            file: String,
        },
        /// A rule pack is signed, but not with the key this Qujat trusts.
        #[error(
            "rule pack {file} is signed with a key this Qujat does not trust; the pack was not used"
        )]
        RulesWrongKey {
            /// The pack file.
            file: String,
        },
        /// The pack offered is older than the one in use; packs never go back.
        #[error(
            "rule pack {id} {offered} is older than {installed}, which is in use; kept {installed}"
        )]
        RulesDowngrade {
            /// The program id.
            id: String,
            /// The version offered.
            offered: String,
            /// The version in use.
            installed: String,
        },
        /// The update server cannot be reached (offline, no such host, refused).
        #[error("cannot reach {url}: {detail}")]
        RulesUpdateOffline {
            /// What was fetched.
            url: String,
            /// The network's explanation.
            detail: String,
        },
        /// The update server did not answer in time.
        #[error("{url} did not answer within {seconds} s")]
        RulesUpdateTimeout {
            /// What was fetched.
            url: String,
            /// The time allowed.
            #[ts(type = "number")]
            seconds: u64,
        },
        /// The update server answered with an HTTP error.
        #[error("{url} answered HTTP {status}")]
        RulesUpdateHttp {
            /// What was fetched.
            url: String,
            /// The HTTP status code.
            status: u16,
        },
        /// The download is larger than any rule pack can be; it was stopped.
        #[error("{url} sent more than {limit} bytes; stopped")]
        RulesUpdateTooLarge {
            /// What was fetched.
            url: String,
            /// The most accepted, in bytes.
            #[ts(type = "number")]
            limit: u64,
        },
        /// The download ended before the size the server announced.
        #[error("{url}: the download ended early")]
        RulesUpdateTruncated {
            /// What was fetched.
            url: String,
        },
        /// The server redirected to another origin (host, port or scheme),
        /// which is never followed.
        #[error("{url}: redirected to {to}, another server; not followed")]
        RulesUpdateRedirect {
            /// What was fetched.
            url: String,
            /// Where the server pointed.
            to: String,
        },
    }
}

impl RulesError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            RulesError::RulePack { .. }
            | RulesError::RulesKeyInvalid { .. }
            | RulesError::RulesSignatureInvalid { .. }
            | RulesError::RulesWrongKey { .. }
            | RulesError::RulesDowngrade { .. }
            | RulesError::RulesUpdateOffline { .. }
            | RulesError::RulesUpdateTimeout { .. }
            | RulesError::RulesUpdateHttp { .. }
            | RulesError::RulesUpdateTooLarge { .. }
            | RulesError::RulesUpdateTruncated { .. }
            | RulesError::RulesUpdateRedirect { .. } => false,
        }
    }
}
