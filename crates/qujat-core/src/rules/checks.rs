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

/// What a passport-style photo must be: its print size (from the official
/// sources), and the digital specification a photo service publishes (pixel
/// size, head height, background). Each check of the photo is a finding
/// that cites `size-basis` (shape) or `basis` (the rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct PhotoSpec {
    /// Width of the print in millimetres (35).
    pub width_mm: u32,
    /// Height of the print in millimetres (45).
    pub height_mm: u32,
    /// Source or unknown id for the print size.
    pub size_basis: String,
    /// How far, in percent, the image's width-to-height ratio may be from
    /// the print's before it is flagged: a hand crop is off by a few pixels.
    pub aspect_tolerance_pct: u32,
    /// The smallest image, in pixels (413 × 531).
    pub min_px: PixelMin,
    /// The share of the image's height the head (chin to crown) fills, in
    /// percent: lowest and highest.
    pub head_height_pct: [u32; 2],
    /// What the background must be.
    pub background: Background,
    /// Source or unknown id for the pixel size, head height and background.
    pub basis: String,
}

/// A smallest size in pixels, width and height as held (a photo is upright).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct PixelMin {
    /// Smallest width.
    pub width: u32,
    /// Smallest height.
    pub height: u32,
}

/// What a photo's background must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Background {
    /// One plain light tone (white or light grey): the edges of the image
    /// uniform and light.
    PlainLight,
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
