//! The machine-readable zone of travel documents (ICAO 9303): passports
//! (TD3), ID cards (TD1, TD2) and visas (MRV-A, MRV-B).
//!
//! INTERFACE ONLY (the parser lands in the next commit): the OCR side of the
//! inspector calls [`read`] over the text it read, and keeps what it returns
//! in the inspection record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which ICAO 9303 layout a zone has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum MrzFormat {
    /// Passport: two lines of 44.
    Td3,
    /// ID card: three lines of 30.
    Td1,
    /// ID card: two lines of 36.
    Td2,
    /// Visa: two lines of 44.
    MrvA,
    /// Visa: two lines of 36.
    MrvB,
}

/// A machine-readable zone as read, with its check digits verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Mrz {
    /// The layout.
    pub format: MrzFormat,
    /// Whether every check digit (and the composite, where there is one)
    /// verified. A zone is only offered to the user when it did.
    pub valid: bool,
    /// The raw lines, after the by-position corrections.
    pub lines: Vec<String>,
    /// "P", "I", "V", … as printed (fillers removed).
    pub document_type: String,
    /// ICAO code of the issuing state or organisation.
    pub issuing_state: String,
    /// Primary identifier, fillers turned to spaces.
    pub surname: String,
    /// Secondary identifier, fillers turned to spaces.
    pub given_names: String,
    /// Document number, fillers removed.
    pub document_number: String,
    /// ICAO code of the nationality.
    pub nationality: String,
    /// Date of birth; the century is chosen so that it lies in the past.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub birth_date: Option<NaiveDate>,
    /// "M", "F" or "X" (unspecified).
    pub sex: String,
    /// Date of expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub expiry_date: Option<NaiveDate>,
}

/// Finds and parses a machine-readable zone in OCR text. `None` when no
/// zone-shaped lines are there.
pub fn read(_text: &str) -> Option<Mrz> {
    None
}
