//! What a requirement asks of a file's content, checked against its
//! inspection: page and pixel limits, keywords, length, the applicant's name.
//! Each limit cites a source or an unknown like any rule; the two plain
//! switches (`name-must-appear`, `allow-shared-file`) are Qujat's own hints
//! and policy, not law, so they cite nothing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Most pages a PDF may have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct PageLimit {
    /// The most pages.
    pub pages: u32,
    /// Source or unknown id.
    pub basis: String,
}

/// Smallest legible image, in pixels, whichever way round it is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct MinImageSize {
    /// Smallest width (of the longer side when compared).
    pub width: u32,
    /// Smallest height (of the shorter side when compared).
    pub height: u32,
    /// Source or unknown id.
    pub basis: String,
}

/// Words of which the text should mention at least one (a CV naming the
/// program's specialty). Matched case-insensitively as substrings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Keywords {
    /// Any of these, in any of the languages a document may be written in.
    pub any: Vec<String>,
    /// Source or unknown id.
    pub basis: String,
}

/// How long a text should be, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct TextLength {
    /// Fewest words.
    #[serde(default)]
    pub min_words: u32,
    /// Most words, if there is a most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_words: Option<u32>,
    /// Source or unknown id.
    pub basis: String,
}
