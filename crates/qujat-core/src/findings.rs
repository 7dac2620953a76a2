//! Findings: what inspection, the dates on a document and its content say
//! about an attached file, each with a severity, a message and a fix hint.
//!
//! [`document_findings`] is pure: it reads a cached [`Verdict`], the dates
//! the user entered and the days the procedure will reach (see
//! [`Moments`]), so a report stays cheap. Blockers make a requirement's
//! status `problem`; warnings and information never do.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::deadlines::add_offset;
use crate::i18n::{message, Lang, Text};
use crate::identity::{presence, PersonName, Presence};
use crate::inspect::Verdict;
use crate::kind::FileKind;
use crate::profile::{legalization_for, Legalization};
use crate::rules::{DeadlineKind, Moment, Requirement, Rule, RulePack, TreatyData};
use crate::store::DocumentDates;
use crate::timeline::Event;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Severity {
    /// A portal or an officer would reject the document: fix it first.
    Blocker,
    /// Probably worth fixing; the document may still be accepted.
    Warning,
    /// Good to know; nothing to fix.
    Info,
}

/// One finding: its severity and what was found. Serialises as
/// `{ "severity": "blocker", "code": "too-old", ...fields }`; the message
/// is `finding.<code>` and the fix hint `hint.<code>` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Finding {
    /// How much it matters (follows from what was found).
    pub severity: Severity,
    /// What was found.
    #[serde(flatten)]
    pub found: Found,
}

/// What was found about one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum Found {
    /// Not readable as the kind it claims: damaged or cut short.
    Unreadable {
        /// The kind it claims.
        kind: FileKind,
    },
    /// Reading it took longer than the limit: unusually built or a trap.
    InspectionTimedOut {
        /// The limit in seconds.
        #[ts(type = "number")]
        seconds: u64,
    },
    /// Reading it needed more memory than the limit: a trap or damage.
    InspectionOutOfMemory {
        /// The limit in MiB.
        #[ts(type = "number")]
        limit_mib: u64,
    },
    /// The reader died on it (crash or nonsense output).
    InspectorCrashed,
    /// Qujat's copy no longer has the content it had when attached.
    VaultDamaged,
    /// The file is larger than the requirement accepts: kept, so it can be
    /// made smaller ("Make it smaller").
    OverSizeLimit {
        /// Its size in bytes.
        #[ts(type = "number")]
        size: u64,
        /// The requirement's limit in bytes.
        #[ts(type = "number")]
        max_size: u64,
    },
    /// The PDF needs a password to open.
    PasswordProtected,
    /// The PDF is encrypted (with usage restrictions only).
    Encrypted,
    /// More pages than allowed.
    TooManyPages {
        /// Pages.
        pages: u32,
        /// The most allowed.
        limit: u32,
    },
    /// Too few pixels to be legible.
    ImageTooSmall {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Smallest width.
        min_width: u32,
        /// Smallest height.
        min_height: u32,
    },
    /// The photo is not the print's shape (35 × 45).
    PhotoShape {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// The print's width in millimetres.
        width_mm: u32,
        /// The print's height in millimetres.
        height_mm: u32,
        /// The pack's source for the print size.
        basis: String,
    },
    /// The photo has fewer pixels than its digital specification.
    PhotoTooFewPixels {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Smallest width.
        min_width: u32,
        /// Smallest height.
        min_height: u32,
        /// The pack's source.
        basis: String,
    },
    /// The photo's background, where it shows at the edges, is not plain
    /// and light.
    PhotoBackground {
        /// Whether it is too dark (otherwise: not plain).
        dark: bool,
        /// The pack's source.
        basis: String,
    },
    /// No face was found in the photo.
    PhotoNoFace {
        /// The pack's source.
        basis: String,
    },
    /// More than one face was found in the photo.
    PhotoManyFaces {
        /// Faces found.
        faces: u32,
        /// The pack's source.
        basis: String,
    },
    /// The head fills too little or too much of the photo's height.
    PhotoHeadSize {
        /// About how much it fills, in percent.
        percent: u32,
        /// The least asked for.
        min: u32,
        /// The most asked for.
        max: u32,
        /// The pack's source.
        basis: String,
    },
    /// A scan without a text layer (and no text OCR could read).
    NoTextLayer,
    /// A scan's image has more pixels than Qujat reads (an image bomb, or
    /// an absurd resolution).
    ScanTooLarge {
        /// Width.
        #[ts(type = "number")]
        width: u64,
        /// Height.
        #[ts(type = "number")]
        height: u64,
    },
    /// A scan's images are coded in a way Qujat cannot decode (fax coding,
    /// JBIG2, JPEG 2000, HEIC).
    ScanImagesUnsupported {
        /// The coding.
        coding: String,
    },
    /// Pages of a scan could not be read: damaged image data, reading took
    /// too long, or no OCR engine.
    ScanNotRead {
        /// Pages not read.
        pages: u32,
    },
    /// Only the first pages of a long scan were read.
    ScanPartlyRead {
        /// Pages read.
        read: u32,
        /// Pages in the file.
        total: u32,
    },
    /// OCR found no text in the scan.
    ScanWithoutText,
    /// Not inspected yet.
    NotInspected,
    /// Expired before today.
    Expired {
        /// Last day of validity.
        #[ts(type = "string")]
        expires_on: NaiveDate,
    },
    /// Issued longer ago than the pack allows.
    TooOld {
        /// Day of issue.
        #[ts(type = "string")]
        issued_on: NaiveDate,
        /// Its age on the day it counts.
        #[ts(type = "number")]
        age_days: i64,
        /// The most allowed.
        limit_days: u32,
    },
    /// Expires before the validity the pack asks for is reached.
    ValidityTooShort {
        /// Last day of validity.
        #[ts(type = "string")]
        expires_on: NaiveDate,
        /// The day it must be valid until.
        #[ts(type = "string")]
        needed_until: NaiveDate,
        /// The days of validity asked for.
        days: u32,
    },
    /// The day of issue is needed to check the document's age.
    IssueDateNeeded {
        /// Dates found in its text, to pick from.
        #[ts(type = "Array<string>")]
        suggestions: Vec<NaiveDate>,
    },
    /// The expiry day is needed to check the document's validity.
    ExpiryDateNeeded {
        /// Dates found in its text, to pick from.
        #[ts(type = "Array<string>")]
        suggestions: Vec<NaiveDate>,
    },
    /// None of the program's keywords appear in the text.
    KeywordsMissing {
        /// The keywords.
        keywords: Vec<String>,
    },
    /// Shorter than asked for.
    TooFewWords {
        /// Words found.
        words: u32,
        /// The fewest asked for.
        min: u32,
    },
    /// Longer than asked for.
    TooManyWords {
        /// Words found.
        words: u32,
        /// The most asked for.
        max: u32,
    },
    /// The applicant's name does not appear in the text.
    NameNotFound {
        /// The name looked for.
        name: String,
    },
    /// Issued in a party to the apostille convention: it needs an apostille.
    ApostilleNeeded {
        /// The issuing country (ISO 3166-1 alpha-2).
        country: String,
        /// The treaty's id in the treaty data.
        treaty: String,
        /// The treaty's name.
        treaty_name: Text,
    },
    /// Issued in a party to a convention that exempts it: nothing needed.
    NoLegalizationNeeded {
        /// The issuing country.
        country: String,
        /// The treaty's id.
        treaty: String,
        /// The treaty's name.
        treaty_name: Text,
    },
    /// Issued in a country party to neither: a consular legalization.
    LegalizationNeeded {
        /// The issuing country.
        country: String,
    },
    /// What the pack notes for citizens of the applicant's country (a
    /// consulate that issues no exit consent).
    CitizenshipNote {
        /// The citizenship (ISO 3166-1 alpha-2).
        country: String,
        /// The note.
        note: Text,
    },
    /// The sources do not settle the country's membership of a treaty that
    /// decides it.
    LegalizationUnsettled {
        /// The issuing country.
        country: String,
        /// The treaty's id.
        treaty: String,
        /// The treaty's name.
        treaty_name: Text,
        /// What the sources say.
        note: Text,
    },
    /// The file's name says one kind (`.pdf`) but its content is another
    /// (a JPEG) that the requirement accepts; packages name it by content.
    DisguisedKind {
        /// What the content really is.
        kind: FileKind,
        /// The extension of the name it was attached under, without the dot.
        named: String,
        /// The extension packages give it.
        extension: String,
    },
    /// The file's name says one kind but its content is another that the
    /// requirement does not accept.
    DisguisedKindRefused {
        /// What the content really is.
        kind: FileKind,
        /// The extension of the name it was attached under, without the dot.
        named: String,
    },
    /// Written in a language the pack does not accept without a translation.
    NeedsTranslation {
        /// The language it is written in (ISO 639-1).
        language: String,
        /// The languages a translation may be into (ISO 639-1).
        into: Vec<String>,
    },
    /// As [`Found::NeedsTranslation`], where a notary must certify the
    /// translation.
    NeedsNotarizedTranslation {
        /// The language it is written in (ISO 639-1).
        language: String,
        /// The languages a translation may be into (ISO 639-1).
        into: Vec<String>,
    },
    /// The apostille's fixed heading is in the text (the pack asks for an
    /// apostille or legalization).
    ApostilleSeen,
    /// The pack asks for an apostille or legalization and its heading is
    /// not in the text: it may be a separate sheet, or not needed.
    ApostilleNotSeen,
    /// The dossier's name is not spelled as the passport's machine-readable
    /// zone spells it.
    MrzNameDiffers {
        /// The name in the dossier.
        dossier: String,
        /// The name in the zone: surname, then given names.
        mrz: String,
        /// The zone's name as a form takes it (given names first, each
        /// word capitalised), offered to replace the dossier's.
        suggestion: String,
    },
    /// The expiry date entered for the document is not the one its
    /// machine-readable zone states (check digits valid): one of the two
    /// was mistyped, and the zone is what a border officer's reader sees.
    ExpiryDiffersFromMrz {
        /// The date entered.
        #[ts(type = "string")]
        entered: NaiveDate,
        /// The date in the zone.
        #[ts(type = "string")]
        mrz: NaiveDate,
    },
    /// Only part of the applicant's name appears: another surname beside
    /// the given name, or another given name beside the surname.
    NameDiffers {
        /// The name looked for.
        name: String,
        /// The name the text has, as written.
        found: String,
    },
}

impl Found {
    /// How much it matters.
    pub fn severity(&self) -> Severity {
        use Found::*;
        match self {
            Unreadable { .. }
            | InspectionTimedOut { .. }
            | InspectionOutOfMemory { .. }
            | InspectorCrashed
            | VaultDamaged
            | OverSizeLimit { .. }
            | PasswordProtected
            | DisguisedKindRefused { .. }
            | TooManyPages { .. }
            | Expired { .. }
            | TooOld { .. }
            | ValidityTooShort { .. } => Severity::Blocker,
            Encrypted
            | ImageTooSmall { .. }
            // The photo is measured, not seen: a detector's box and an
            // edge's tone can be wrong, so none of this blocks.
            | PhotoShape { .. }
            | PhotoTooFewPixels { .. }
            | PhotoBackground { .. }
            | PhotoNoFace { .. }
            | PhotoManyFaces { .. }
            | PhotoHeadSize { .. }
            | KeywordsMissing { .. }
            | TooFewWords { .. }
            | TooManyWords { .. }
            | NameNotFound { .. }
            | IssueDateNeeded { .. }
            | ExpiryDateNeeded { .. }
            | NameDiffers { .. }
            | MrzNameDiffers { .. }
            | ExpiryDiffersFromMrz { .. }
            | NeedsTranslation { .. }
            | NeedsNotarizedTranslation { .. }
            | ScanTooLarge { .. }
            | ScanImagesUnsupported { .. }
            | ScanWithoutText => Severity::Warning,
            // What the profile says about legalization is advice for the
            // paper original: nothing in the scan can confirm an apostille.
            LegalizationUnsettled { .. } | CitizenshipNote { .. } => Severity::Warning,
            NoTextLayer
            | NotInspected
            | DisguisedKind { .. }
            | ApostilleSeen
            | ApostilleNotSeen
            | ScanNotRead { .. }
            | ScanPartlyRead { .. }
            | ApostilleNeeded { .. }
            | NoLegalizationNeeded { .. }
            | LegalizationNeeded { .. } => Severity::Info,
        }
    }

    /// Whether it comes from the applicant's profile rather than from a
    /// file: advice that holds before anything is attached, and what the
    /// printed checklist says for the person.
    pub fn is_profile_advice(&self) -> bool {
        matches!(
            self,
            Found::ApostilleNeeded { .. }
                | Found::NoLegalizationNeeded { .. }
                | Found::LegalizationNeeded { .. }
                | Found::LegalizationUnsettled { .. }
                | Found::CitizenshipNote { .. }
        )
    }

    /// Whether it asks for a date a validity rule needs: until the date is
    /// known the requirement is "needs a date", not ready.
    pub fn needs_date(&self) -> bool {
        matches!(
            self,
            Found::IssueDateNeeded { .. } | Found::ExpiryDateNeeded { .. }
        )
    }
}

impl From<Found> for Finding {
    fn from(found: Found) -> Finding {
        Finding {
            severity: found.severity(),
            found,
        }
    }
}

impl Finding {
    /// See [`Found::is_profile_advice`].
    pub fn is_profile_advice(&self) -> bool {
        self.found.is_profile_advice()
    }

    /// The finding's code, e.g. `too-old`: the suffix of its message keys.
    pub fn code(&self) -> String {
        serde_json::to_value(&self.found)
            .ok()
            .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
            .unwrap_or_default()
    }

    /// What was found, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.localized("finding", lang)
    }

    /// How to fix it, in `lang`.
    pub fn hint(&self, lang: Lang) -> String {
        self.localized("hint", lang)
    }

    fn localized(&self, prefix: &str, lang: Lang) -> String {
        let value = serde_json::to_value(&self.found).unwrap_or_default();
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(fields) = value.as_object() {
            for (name, v) in fields {
                let text = match v {
                    serde_json::Value::String(s) if name == "country" => {
                        crate::countries::country_name(s, lang)
                    }
                    serde_json::Value::Object(_) => serde_json::from_value::<Text>(v.clone())
                        .map(|t| t.get(lang).to_owned())
                        .unwrap_or_default(),
                    serde_json::Value::String(code) if name == "language" => {
                        language_name(code, lang)
                    }
                    serde_json::Value::Array(codes) if name == "into" => {
                        let names: Vec<String> = codes
                            .iter()
                            .filter_map(|c| c.as_str())
                            .map(|c| language_name(c, lang))
                            .collect();
                        or_list(&names, lang)
                    }
                    serde_json::Value::String(s) if name == "kind" => {
                        serde_json::from_value::<FileKind>(v.clone())
                            .map(|k| k.label().to_owned())
                            .unwrap_or_else(|_| s.clone())
                    }
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(n) if name == "size" || name == "maxSize" => {
                        crate::i18n::format_size_in(n.as_u64().unwrap_or(0), lang)
                    }
                    serde_json::Value::Array(items) if items.is_empty() => "—".to_owned(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.to_string(),
                };
                params.push((name.as_str(), text));
            }
        }
        message(lang, &format!("{prefix}.{}", self.code()), &params)
    }
}

/// A language's name in `lang`: the catalogue's for Qujat's own three
/// languages; for the others the English name in English and the
/// language's own name ("Deutsch") in Russian and Kazakh, which have no
/// table of every language's name here (the UI names them through the
/// system's locale data); else the code.
fn language_name(code: &str, lang: Lang) -> String {
    if Lang::from_code(code).is_some() {
        return message(lang, &format!("checklist.language.{code}"), &[]);
    }
    let Some(language) =
        isolang::Language::from_639_1(code).or_else(|| isolang::Language::from_639_3(code))
    else {
        return code.to_owned();
    };
    match (lang, whatlang::Lang::from_code(language.to_639_3())) {
        (Lang::Ru | Lang::Kk, Some(own)) => own.name().to_owned(),
        _ => language.to_name().to_owned(),
    }
}

/// "a, b or c" in `lang`.
fn or_list(items: &[String], lang: Lang) -> String {
    match items {
        [] => "—".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!(
            "{} {} {last}",
            init.join(", "),
            message(lang, "checklist.or", &[])
        ),
    }
}

/// The days the procedure will reach, for validity rules: when the
/// application is (or at the earliest can be) submitted, when the decision
/// is expected, and the last day to enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moments {
    /// The day of the check.
    pub today: NaiveDate,
    /// The application's day: recorded, or today if not submitted yet.
    pub application: NaiveDate,
    /// The expected decision: the pack's `due` deadline counted from the
    /// application day.
    pub decision: NaiveDate,
    /// The latest day of entry: the pack's `last-day` deadline counted from
    /// the decision (or its recorded event).
    pub entry: NaiveDate,
}

impl Moments {
    /// The moments of a dossier with `events`, seen on `today`. The packs'
    /// deadlines say how long a review takes and how long an approval
    /// lasts; code never names an event.
    pub fn of(pack: &RulePack, events: &[Event], today: NaiveDate) -> Moments {
        let recorded = |kind: &str| events.iter().find(|e| e.kind == kind).map(|e| e.date);
        let due = pack.deadlines.iter().find(|d| d.kind == DeadlineKind::Due);
        let application = due.and_then(|d| recorded(&d.from)).unwrap_or(today);
        let decision = due
            .and_then(|d| add_offset(application, d.offset))
            .unwrap_or(application)
            .max(today);
        let last_day = pack
            .deadlines
            .iter()
            .find(|d| d.kind == DeadlineKind::LastDay);
        let entry = last_day
            .and_then(|d| add_offset(recorded(&d.from).unwrap_or(decision), d.offset))
            .unwrap_or(decision);
        Moments {
            today,
            application,
            decision,
            entry,
        }
    }
}

/// What the applicant's profile says about a document issued in
/// `country`, for a requirement whose rules ask for an apostille or a
/// legalization; nothing for other requirements or a Kazakh document.
pub fn legalization_findings(
    r: &Requirement,
    country: &str,
    treaties: &TreatyData,
) -> Vec<Finding> {
    if !r
        .rules
        .iter()
        .any(|rule| matches!(rule, Rule::Legalization { .. }))
    {
        return Vec::new();
    }
    let name = |id: &str| {
        treaties
            .treaty(id)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let country = country.to_owned();
    let found = match legalization_for(&country, treaties) {
        Legalization::Domestic => return Vec::new(),
        Legalization::NotNeeded { treaty } => Found::NoLegalizationNeeded {
            country,
            treaty_name: name(&treaty),
            treaty,
        },
        Legalization::Apostille { treaty } => Found::ApostilleNeeded {
            country,
            treaty_name: name(&treaty),
            treaty,
        },
        Legalization::Consular => Found::LegalizationNeeded { country },
        Legalization::Unsettled { treaty } => {
            let note = treaties
                .treaty(&treaty)
                .and_then(|t| t.unsettled.iter().find(|u| u.country == country))
                .map(|u| u.note.clone())
                .unwrap_or_default();
            Found::LegalizationUnsettled {
                country,
                treaty_name: name(&treaty),
                treaty,
                note,
            }
        }
    };
    vec![found.into()]
}

/// The notes of `r` about the citizenships in `countries`, one per
/// citizenship the pack names.
pub fn citizenship_notes(r: &Requirement, countries: &[String]) -> Vec<Finding> {
    let mut found = Vec::new();
    for rule in &r.rules {
        if let Rule::Note {
            text, citizenship, ..
        } = rule
        {
            for country in countries.iter().filter(|c| citizenship.contains(c)) {
                found.push(
                    Found::CitizenshipNote {
                        country: country.clone(),
                        note: text.clone(),
                    }
                    .into(),
                );
            }
        }
    }
    found
}

/// What a document needs for its findings.
#[derive(Debug, Clone, Copy)]
pub struct DocumentFacts<'a> {
    /// The cached verdict on its content, if inspected.
    pub verdict: Option<&'a Verdict>,
    /// The dates the user entered for it.
    pub dates: DocumentDates,
    /// The days the procedure will reach.
    pub moments: &'a Moments,
    /// The applicant's name, as in the dossier.
    pub applicant_name: &'a str,
}

/// The findings on the document attached to `r`, blockers first.
pub fn document_findings(r: &Requirement, facts: &DocumentFacts<'_>) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut suggestions = Vec::new();
    match facts.verdict {
        None => found.push(Found::NotInspected),
        Some(Verdict::Damaged) => return vec![Found::VaultDamaged.into()],
        Some(Verdict::Unreadable { kind, .. }) => found.push(Found::Unreadable { kind: *kind }),
        Some(Verdict::TimedOut { limit_ms }) => found.push(Found::InspectionTimedOut {
            seconds: limit_ms.div_ceil(1000),
        }),
        Some(Verdict::OutOfMemory { limit_mib }) => found.push(Found::InspectionOutOfMemory {
            limit_mib: *limit_mib,
        }),
        Some(Verdict::Crashed { .. } | Verdict::GarbageOutput { .. }) => {
            found.push(Found::InspectorCrashed)
        }
        Some(Verdict::Inspected(record)) => {
            suggestions.clone_from(&record.dates);
            content_findings(r, record, facts.applicant_name, &mut found);
            if let (Some(mrz), Some(entered)) = (mrz_expiry(record), facts.dates.expires_on) {
                if mrz != entered {
                    found.push(Found::ExpiryDiffersFromMrz { entered, mrz });
                }
            }
        }
    }
    date_findings(r, facts, suggestions, &mut found);
    let mut findings: Vec<Finding> = found.into_iter().map(Finding::from).collect();
    findings.sort_by_key(|f| f.severity);
    findings
}

/// The expiry date a document's machine-readable zone states, when every
/// check digit verified: only then is it offered to the user or compared
/// with what they typed (a misread zone must never override them).
pub fn mrz_expiry(record: &crate::inspect::Inspection) -> Option<NaiveDate> {
    record
        .mrz
        .as_ref()
        .filter(|mrz| mrz.valid)
        .and_then(|mrz| mrz.expiry_date)
}

/// What the name of a file attached as `original_name` says that its
/// content (`kind`) contradicts: a JPEG renamed to `.pdf` is still a JPEG,
/// and a portal that looks at the bytes will see one. Nothing when the name
/// has no extension Qujat knows, or when the content is unrecognised (the
/// wrong-kind reason says that).
pub fn name_finding(original_name: &str, kind: FileKind, accepted: bool) -> Option<Found> {
    let named = std::path::Path::new(original_name)
        .extension()?
        .to_str()?
        .to_lowercase();
    let said = match named.as_str() {
        "pdf" => FileKind::Pdf,
        "jpg" | "jpeg" | "jfif" => FileKind::Jpeg,
        "png" => FileKind::Png,
        "heic" | "heif" => FileKind::Heic,
        "docx" => FileKind::Docx,
        _ => return None,
    };
    if said == kind || kind == FileKind::Other {
        return None;
    }
    Some(if accepted {
        Found::DisguisedKind {
            kind,
            named,
            extension: kind.extension().to_owned(),
        }
    } else {
        Found::DisguisedKindRefused { kind, named }
    })
}

/// The lowest mean luminance of the edges that counts as a light
/// background: white and light grey photograph at 200 or more, a
/// light-blue or cream wall at 170 to 200, a shadowed or coloured one lower.
const LIGHT_BACKGROUND: u8 = 170;

/// The largest standard deviation of luminance within an edge strip that
/// counts as plain: sensor noise and a soft shadow stay under it, a room,
/// a patterned wall, hair or a shoulder at the edge do not.
const PLAIN_BACKGROUND: u8 = 18;

/// Percentage points of leeway on the head's share: the head is estimated
/// from the face's box ([`crate::inspect::photo::HEAD_PER_FACE`]), which
/// moves by a few per cent with hair, scale and pose.
const HEAD_LEEWAY: u32 = 5;

/// The checks of a passport-style photo against what the pack asks.
fn photo_findings(
    spec: &crate::rules::PhotoSpec,
    photo: &crate::inspect::photo::PhotoFacts,
    found: &mut Vec<Found>,
) {
    let (width, height) = (photo.width, photo.height);
    // Shape: w/h against mm_w/mm_h, compared as w·mm_h against h·mm_w.
    let actual = u64::from(width) * u64::from(spec.height_mm);
    let wanted = u64::from(height) * u64::from(spec.width_mm);
    if actual.abs_diff(wanted) * 100 > wanted * u64::from(spec.aspect_tolerance_pct) {
        found.push(Found::PhotoShape {
            width,
            height,
            width_mm: spec.width_mm,
            height_mm: spec.height_mm,
            basis: spec.size_basis.clone(),
        });
    }
    if width < spec.min_px.width || height < spec.min_px.height {
        found.push(Found::PhotoTooFewPixels {
            width,
            height,
            min_width: spec.min_px.width,
            min_height: spec.min_px.height,
            basis: spec.basis.clone(),
        });
    }
    match spec.background {
        crate::rules::Background::PlainLight => {
            let dark = photo.border.mean < LIGHT_BACKGROUND;
            if dark || photo.border.spread > PLAIN_BACKGROUND {
                found.push(Found::PhotoBackground {
                    dark,
                    basis: spec.basis.clone(),
                });
            }
        }
    }
    match photo.faces.as_slice() {
        [] => found.push(Found::PhotoNoFace {
            basis: spec.basis.clone(),
        }),
        [face] => {
            let percent = face.head_percent(height);
            let [min, max] = spec.head_height_pct;
            if percent + HEAD_LEEWAY < min || percent > max + HEAD_LEEWAY {
                found.push(Found::PhotoHeadSize {
                    percent,
                    min,
                    max,
                    basis: spec.basis.clone(),
                });
            }
        }
        faces => found.push(Found::PhotoManyFaces {
            faces: faces.len() as u32,
            basis: spec.basis.clone(),
        }),
    }
}

fn content_findings(
    r: &Requirement,
    record: &crate::inspect::Inspection,
    applicant_name: &str,
    found: &mut Vec<Found>,
) {
    if let Some(pdf) = record.pdf {
        if pdf.needs_password {
            // Nothing else can be read from a locked file.
            found.push(Found::PasswordProtected);
            return;
        }
        if pdf.encrypted {
            found.push(Found::Encrypted);
        }
        if let Some(limit) = &r.max_pages {
            if pdf.pages > limit.pages {
                found.push(Found::TooManyPages {
                    pages: pdf.pages,
                    limit: limit.pages,
                });
            }
        }
        let ocr_text = record
            .ocr
            .as_ref()
            .is_some_and(|o| o.pages.iter().any(|p| p.words > 0));
        if !pdf.text_layer && !ocr_text {
            found.push(Found::NoTextLayer);
        }
    }
    // A portrait is not a document to read: what OCR made of it says
    // nothing about the photo (the photo checks below judge it).
    if let (Some(ocr), None) = (&record.ocr, &r.photo) {
        scan_findings(ocr, found);
    }
    if let (Some(image), Some(min)) = (record.image, &r.min_image_px) {
        // Whichever way round the photo was taken: compare long side with
        // long side and short with short.
        let (long, short) = (image.width.max(image.height), image.width.min(image.height));
        let (min_long, min_short) = (min.width.max(min.height), min.width.min(min.height));
        if long < min_long || short < min_short {
            found.push(Found::ImageTooSmall {
                width: image.width,
                height: image.height,
                min_width: min.width,
                min_height: min.height,
            });
        }
    }
    if let (Some(spec), Some(photo)) = (&r.photo, &record.photo) {
        photo_findings(spec, photo, found);
        // The photo's own pixel minimum is the stricter one: said once.
        if found
            .iter()
            .any(|f| matches!(f, Found::PhotoTooFewPixels { .. }))
        {
            found.retain(|f| !matches!(f, Found::ImageTooSmall { .. }));
        }
    }
    if let Some(mrz) = &record.mrz {
        if let Some(spelled) = crate::identity::mrz_name_differs(mrz, applicant_name) {
            found.push(Found::MrzNameDiffers {
                dossier: applicant_name.to_owned(),
                mrz: spelled,
                suggestion: crate::identity::passport_spelling(mrz),
            });
        }
    }
    let has_text = record.text.chars().any(char::is_alphanumeric);
    if !has_text {
        // A scan says nothing about its words; the hints need text.
        return;
    }
    let text = record.text.to_lowercase();
    if let Some(keywords) = &r.keywords {
        let mentioned = keywords
            .any
            .iter()
            .any(|k| contains_word(&text, &k.to_lowercase()));
        if !mentioned {
            found.push(Found::KeywordsMissing {
                keywords: keywords.any.clone(),
            });
        }
    }
    if let Some(length) = &r.text_length {
        if record.words < length.min_words && !record.text_truncated {
            found.push(Found::TooFewWords {
                words: record.words,
                min: length.min_words,
            });
        }
        if let Some(max) = length.max_words.filter(|max| record.words > *max) {
            found.push(Found::TooManyWords {
                words: record.words,
                max,
            });
        }
    }
    language_findings(r, &record.text, found);
    if r.rules
        .iter()
        .any(|rule| matches!(rule, Rule::Legalization { .. }))
    {
        // Information either way: the apostille may be a separate sheet.
        found.push(if crate::apostille::seen(&record.text) {
            Found::ApostilleSeen
        } else {
            Found::ApostilleNotSeen
        });
    }
    if r.name_must_appear {
        // The zone, where this document has one, says which words of the
        // dossier's name are the surname.
        let person = PersonName::from_dossier(applicant_name, record.mrz.as_ref());
        match presence(&record.text, &person) {
            Presence::Found => {}
            Presence::Different { found: written } => found.push(Found::NameDiffers {
                name: applicant_name.to_owned(),
                found: written,
            }),
            Presence::Missing => found.push(Found::NameNotFound {
                name: applicant_name.to_owned(),
            }),
        }
    }
}

/// A document written in none of the languages a translation rule of the
/// pack accepts needs that translation. Said only when the language is
/// clear: a short or unusual text says nothing, rather than warn wrongly.
fn language_findings(r: &Requirement, text: &str, found: &mut Vec<Found>) {
    let mut written_in: Option<Vec<String>> = None;
    for rule in &r.rules {
        let Rule::Translation {
            into, notarized, ..
        } = rule
        else {
            continue;
        };
        let languages = written_in.get_or_insert_with(|| crate::language::languages(text));
        let Some(main) = languages.first() else {
            return;
        };
        if languages.iter().any(|l| into.contains(l)) {
            continue;
        }
        let (language, into) = (main.clone(), into.clone());
        found.push(if *notarized {
            Found::NeedsNotarizedTranslation { language, into }
        } else {
            Found::NeedsTranslation { language, into }
        });
    }
}

/// What reading a scan left unread, each cause said once.
fn scan_findings(ocr: &crate::inspect::OcrFacts, found: &mut Vec<Found>) {
    use crate::inspect::OcrProblem as P;
    let problems = ocr
        .pages
        .iter()
        .filter_map(|p| p.problem.as_ref())
        .chain(ocr.problem.as_ref());
    let mut not_read = 0u32;
    let mut too_large = None;
    let mut unsupported = None;
    for problem in problems {
        match problem {
            P::TooLarge { width, height } => too_large = Some((*width, *height)),
            P::UnsupportedImages { filter } => unsupported = Some(filter.clone()),
            P::NoDecoder { format } => unsupported = Some(format.clone()),
            P::TooManyPages { read, total } => found.push(Found::ScanPartlyRead {
                read: *read,
                total: *total,
            }),
            P::Undecodable | P::TimedOut { .. } | P::EngineMissing | P::NoImage => not_read += 1,
        }
    }
    if let Some((width, height)) = too_large {
        found.push(Found::ScanTooLarge { width, height });
    }
    if let Some(coding) = unsupported {
        found.push(Found::ScanImagesUnsupported { coding });
    }
    // Pages past the budget count too, unless the page cap said it.
    let beyond = if ocr
        .problem
        .as_ref()
        .is_some_and(|p| matches!(p, P::TooManyPages { .. }))
    {
        0
    } else {
        ocr.pages_not_read
    };
    if not_read + beyond > 0 && too_large.is_none() {
        found.push(Found::ScanNotRead {
            pages: not_read.max(1) + beyond,
        });
    }
    let read: Vec<_> = ocr.pages.iter().filter(|p| p.problem.is_none()).collect();
    // Fewer than five words, or words read at under 40% confidence: what
    // Tesseract makes of a blank page, noise, or a photo of a document
    // taken from too far away.
    if !read.is_empty() && read.iter().all(|p| p.words < 5 || p.confidence < 40) {
        found.push(Found::ScanWithoutText);
    }
}

/// Whether `needle` appears in `text` ("AI" in "AI engineer", not in
/// "said"). Both are lowercase. Short needles must stand as whole words;
/// longer ones may touch letters, because extracted text often runs lines
/// together ("CVMachine learning") and a long word rarely hides in another.
fn contains_word(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    if needle.chars().count() >= 5 {
        return text.contains(needle);
    }
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(needle).any(|(at, _)| {
        !is_word(text[..at].chars().next_back())
            && !is_word(text[at + needle.len()..].chars().next())
    })
}

fn date_findings(
    r: &Requirement,
    facts: &DocumentFacts<'_>,
    suggestions: Vec<NaiveDate>,
    found: &mut Vec<Found>,
) {
    let m = facts.moments;
    let day_of = |moment: Moment| match moment {
        Moment::Application => m.application,
        Moment::Entry => m.entry,
    };
    let mut expired = false;
    if let Some(expires_on) = facts.dates.expires_on {
        if expires_on < m.today {
            found.push(Found::Expired { expires_on });
            expired = true;
        }
    }
    let mut asked_issue = false;
    let mut asked_expiry = false;
    for rule in &r.rules {
        match *rule {
            Rule::MaxAge { days, at, .. } => match facts.dates.issued_on {
                Some(issued_on) => {
                    let age_days = (day_of(at) - issued_on).num_days();
                    if age_days > i64::from(days) {
                        found.push(Found::TooOld {
                            issued_on,
                            age_days,
                            limit_days: days,
                        });
                    }
                }
                None if !asked_issue => {
                    asked_issue = true;
                    found.push(Found::IssueDateNeeded {
                        suggestions: suggestions.clone(),
                    });
                }
                None => {}
            },
            Rule::MinRemainingValidity { days, from, .. } => match facts.dates.expires_on {
                Some(expires_on) if !expired => {
                    // Valid through the decision (for the application
                    // moment) or the entry, plus the days asked for.
                    let from_day = match from {
                        Moment::Application => m.decision,
                        Moment::Entry => m.entry,
                    };
                    let needed_until = from_day + chrono::Days::new(u64::from(days));
                    if expires_on < needed_until {
                        found.push(Found::ValidityTooShort {
                            expires_on,
                            needed_until,
                            days,
                        });
                    }
                }
                Some(_) => {}
                None if !asked_expiry => {
                    asked_expiry = true;
                    found.push(Found::ExpiryDateNeeded {
                        suggestions: suggestions.clone(),
                    });
                }
                None => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
