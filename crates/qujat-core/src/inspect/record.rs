//! The inspection record, the verdict on one file, and the parent/child
//! protocol: the child prints exactly one line of JSON,
//! `{"protocol":1,"verdict":"inspected",...}`, and nothing else on stdout.
//!
//! Records are cached in the store by the file's SHA-256 together with
//! [`RECORD_VERSION`]; a record of another version is inspected again, so a
//! better probe in a new release re-judges old files by itself.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kind::FileKind;

/// The version of the line the child prints. Raised when its shape changes
/// incompatibly; a parent and child of different builds then disagree loudly
/// (a garbage verdict) instead of misreading each other.
pub const PROTOCOL_VERSION: u32 = 1;

/// The version of [`Inspection`]: raised whenever the probe learns something
/// new, so cached records of older versions are inspected again.
pub const RECORD_VERSION: u32 = 4;

/// Most text kept in a record. Enough for any CV or letter; a 1,000-page
/// scan's text is not needed whole to find a name or a date.
pub const TEXT_CAP: usize = 256 * 1024;

/// Most dates kept from one document's text.
pub const DATES_CAP: usize = 32;

/// Largest reply the parent reads from a child; more is garbage by definition.
pub const REPLY_CAP: usize = TEXT_CAP * 6 + 64 * 1024;

/// What inspection found in a file that could be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Inspection {
    /// [`RECORD_VERSION`] of the probe that made it.
    pub version: u32,
    /// The real kind, by content.
    pub kind: FileKind,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// SHA-256 of the bytes inspected (lowercase hex). The parent compares it
    /// with the vault key: a mismatch means the vault copy is damaged.
    pub sha256: String,
    /// PDF facts, for PDFs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pdf: Option<PdfFacts>,
    /// Pixel size, for images whose header gives it (HEIC may not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub image: Option<PixelSize>,
    /// Extracted text, at most [`TEXT_CAP`] bytes.
    #[serde(default)]
    pub text: String,
    /// Whether `text` was cut at [`TEXT_CAP`].
    #[serde(default)]
    pub text_truncated: bool,
    /// Words in `text`.
    #[serde(default)]
    pub words: u32,
    /// Calendar dates found in the text, in order, without repeats; offered
    /// to the user as suggestions, never used silently.
    #[serde(default)]
    #[ts(type = "Array<string>")]
    pub dates: Vec<NaiveDate>,
    /// What OCR read, for images and PDFs without a text layer; its text
    /// is also `text` (so the findings over text work over scans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ocr: Option<OcrFacts>,
    /// The machine-readable zone, when a page has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mrz: Option<crate::mrz::Mrz>,
    /// What a photo check needs (the faces, the tone of the edges), for
    /// JPEG and PNG images that decode. Measured for every image, since
    /// one record serves every requirement the file is attached to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub photo: Option<super::photo::PhotoFacts>,
}

/// What a PDF is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PdfFacts {
    /// Pages (0 when the PDF is locked and they cannot be counted).
    pub pages: u32,
    /// Whether the PDF is encrypted at all (portals refuse many of these).
    pub encrypted: bool,
    /// Whether opening it needs a password (nobody can read it without one).
    pub needs_password: bool,
    /// Whether it has a text layer; a plain scan has none.
    pub text_layer: bool,
}

/// An image's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PixelSize {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// What OCR read in a scan: an image, or a PDF without a text layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OcrFacts {
    /// The pages read (or tried), in order.
    pub pages: Vec<OcrPage>,
    /// Pages not read at all: past the page cap or the time budget.
    pub pages_not_read: u32,
    /// The languages of the text read ("en", "ru", "kk"), in order of
    /// first appearance.
    pub languages: Vec<String>,
    /// Why the scan, or part of it, could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<OcrProblem>,
}

/// One page as OCR read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OcrPage {
    /// The page number, from 1.
    pub page: u32,
    /// The text read, upright.
    pub text: String,
    /// Tesseract's mean word confidence, 0–100.
    pub confidence: u8,
    /// Words in `text`.
    pub words: u32,
    /// Calendar dates in `text`.
    #[ts(type = "Array<string>")]
    pub dates: Vec<NaiveDate>,
    /// The languages of `text`.
    pub languages: Vec<String>,
    /// Degrees (clockwise) the page had to be turned to be read.
    pub rotation: u16,
    /// The machine-readable zone's lines as its own pass read them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub zone: Option<String>,
    /// Why this page could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<OcrProblem>,
}

impl OcrPage {
    /// A page that could not be read.
    pub fn unread(page: u32, problem: OcrProblem) -> OcrPage {
        OcrPage {
            page,
            text: String::new(),
            confidence: 0,
            words: 0,
            dates: Vec::new(),
            languages: Vec::new(),
            rotation: 0,
            zone: None,
            problem: Some(problem),
        }
    }
}

/// Why a scan (or one page of it) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum OcrProblem {
    /// The OCR engine or its models are not installed.
    EngineMissing,
    /// No decoder for this image format in this build (HEIC).
    NoDecoder {
        /// The format.
        format: String,
    },
    /// More pixels than the inspector reads: an image bomb, or a scan at an
    /// absurd resolution.
    TooLarge {
        /// Width in pixels.
        #[ts(type = "number")]
        width: u64,
        /// Height in pixels.
        #[ts(type = "number")]
        height: u64,
    },
    /// The page's image is coded in a way Qujat does not decode (fax
    /// coding, JBIG2, JPEG 2000).
    UnsupportedImages {
        /// The PDF filter or colour space.
        filter: String,
    },
    /// The image data is damaged.
    Undecodable,
    /// The page has no image to read.
    NoImage,
    /// Reading took longer than its budget.
    TimedOut {
        /// The budget, in milliseconds.
        #[ts(type = "number")]
        limit_ms: u64,
    },
    /// More pages than Qujat reads in one file.
    TooManyPages {
        /// Pages read.
        read: u32,
        /// Pages in the file.
        total: u32,
    },
}

/// The verdict on one file: inspected, or why not. Every way a child can
/// fail ends up as one of these, never as an error of the whole check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "verdict",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
// A verdict is read and written one document at a time, never held by the
// thousand: boxing the inspection (larger since it carries the MRZ) would
// only add an indirection to every match.
#[allow(clippy::large_enum_variant)]
pub enum Verdict {
    /// Read; here is what it contains.
    Inspected(Inspection),
    /// Not readable as its kind: truncated, damaged, or not what it claims.
    Unreadable {
        /// The kind its first bytes claim.
        kind: FileKind,
        /// A short technical note for support (never a panic message).
        detail: String,
    },
    /// The inspector was still busy when the wall-time limit ran out.
    TimedOut {
        /// The limit, in milliseconds.
        #[ts(type = "number")]
        limit_ms: u64,
    },
    /// The inspector ran out of the memory it was allowed.
    OutOfMemory {
        /// The limit, in MiB.
        #[ts(type = "number")]
        limit_mib: u64,
    },
    /// The inspector died: a signal (Unix) or an unexpected exit status.
    Crashed {
        /// The signal number, where there was one.
        #[serde(default)]
        signal: Option<i32>,
        /// The exit status, where there was one.
        #[serde(default)]
        exit_code: Option<i32>,
    },
    /// The inspector answered something that is not a verdict.
    GarbageOutput {
        /// What was wrong with it.
        detail: String,
    },
    /// The vault's copy no longer has the content recorded at attach time.
    Damaged,
}

impl Verdict {
    /// The verdict's tag, e.g. `inspected`, `timed-out`.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Inspected(_) => "inspected",
            Verdict::Unreadable { .. } => "unreadable",
            Verdict::TimedOut { .. } => "timed-out",
            Verdict::OutOfMemory { .. } => "out-of-memory",
            Verdict::Crashed { .. } => "crashed",
            Verdict::GarbageOutput { .. } => "garbage-output",
            Verdict::Damaged => "damaged",
        }
    }

    /// The record, when the file was read.
    pub fn inspection(&self) -> Option<&Inspection> {
        match self {
            Verdict::Inspected(record) => Some(record),
            _ => None,
        }
    }
}

/// The line the child prints for `verdict` (without the newline).
pub fn reply_line(verdict: &Verdict) -> String {
    let mut value = serde_json::to_value(verdict).unwrap_or_default();
    if let Some(fields) = value.as_object_mut() {
        fields.insert("protocol".into(), PROTOCOL_VERSION.into());
    }
    value.to_string()
}

/// Reads a child's stdout. Only a single line holding a current-protocol
/// `inspected` or `unreadable` verdict is accepted: the other verdicts are
/// the parent's to give, and anything else is [`Verdict::GarbageOutput`].
pub fn parse_reply(stdout: &[u8]) -> Verdict {
    let garbage = |detail: &str| Verdict::GarbageOutput {
        detail: detail.to_owned(),
    };
    if stdout.len() > REPLY_CAP {
        return garbage("reply too long");
    }
    let Ok(text) = std::str::from_utf8(stdout) else {
        return garbage("reply is not UTF-8");
    };
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return garbage("no reply");
    }
    if text.contains('\n') {
        return garbage("more than one line");
    }
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) else {
        return garbage("reply is not JSON");
    };
    let Some(fields) = value.as_object_mut() else {
        return garbage("reply is not a JSON object");
    };
    match fields.remove("protocol").and_then(|p| p.as_u64()) {
        Some(p) if p == u64::from(PROTOCOL_VERSION) => {}
        Some(_) => return garbage("another protocol version"),
        None => return garbage("no protocol version"),
    }
    match serde_json::from_value::<Verdict>(value) {
        Ok(Verdict::Inspected(record)) if record.version != RECORD_VERSION => {
            garbage("another record version")
        }
        Ok(v @ (Verdict::Inspected(_) | Verdict::Unreadable { .. })) => v,
        Ok(_) => garbage("a verdict only the parent may give"),
        Err(_) => garbage("not a verdict"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record() -> Inspection {
        Inspection {
            version: RECORD_VERSION,
            kind: FileKind::Pdf,
            size: 1234,
            sha256: "ab".repeat(32),
            pdf: Some(PdfFacts {
                pages: 3,
                encrypted: false,
                needs_password: false,
                text_layer: true,
            }),
            image: None,
            text: "Ada Lovelace\nmachine learning".into(),
            text_truncated: false,
            words: 4,
            dates: vec![NaiveDate::from_ymd_opt(2025, 3, 14).expect("date")],
            ocr: None,
            mrz: None,
            photo: None,
        }
    }

    #[test]
    fn a_reply_round_trips_through_one_line() {
        let verdict = Verdict::Inspected(record());
        let line = reply_line(&verdict);
        assert!(!line.contains('\n'), "the reply is one line: {line}");
        assert_eq!(parse_reply(format!("{line}\n").as_bytes()), verdict);
    }

    #[test]
    fn the_parent_refuses_verdicts_only_it_may_give() {
        let line = reply_line(&Verdict::TimedOut { limit_ms: 1 });
        assert!(
            matches!(parse_reply(line.as_bytes()), Verdict::GarbageOutput { .. }),
            "a child cannot claim it timed out; only the parent's clock says so"
        );
    }

    #[test]
    fn another_protocol_or_record_version_is_garbage() {
        let line = reply_line(&Verdict::Inspected(record())).replace(
            &format!("\"protocol\":{PROTOCOL_VERSION}"),
            "\"protocol\":99",
        );
        assert!(matches!(
            parse_reply(line.as_bytes()),
            Verdict::GarbageOutput { .. }
        ));
        let mut old = record();
        old.version = RECORD_VERSION + 1;
        assert!(matches!(
            parse_reply(reply_line(&Verdict::Inspected(old)).as_bytes()),
            Verdict::GarbageOutput { .. }
        ));
    }

    #[test]
    fn panic_text_or_two_lines_is_garbage() {
        let line = reply_line(&Verdict::Inspected(record()));
        for bad in [
            "thread 'main' panicked at src/lib.rs:1:1".to_owned(),
            format!("{line}\n{line}\n"),
            format!("noise\n{line}"),
            String::new(),
        ] {
            assert!(
                matches!(parse_reply(bad.as_bytes()), Verdict::GarbageOutput { .. }),
                "{bad:?} must not be taken for a verdict"
            );
        }
    }

    fn any_kind() -> impl Strategy<Value = FileKind> {
        prop_oneof![
            Just(FileKind::Pdf),
            Just(FileKind::Jpeg),
            Just(FileKind::Png),
            Just(FileKind::Heic),
            Just(FileKind::Docx),
            Just(FileKind::Other),
        ]
    }

    proptest! {
        #[test]
        fn any_bytes_parse_to_a_verdict_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let verdict = parse_reply(&bytes);
            let child_verdict = matches!(
                verdict,
                Verdict::Inspected(_) | Verdict::Unreadable { .. } | Verdict::GarbageOutput { .. }
            );
            prop_assert!(child_verdict, "only a child's verdicts or garbage: {:?}", verdict);
        }

        #[test]
        fn arbitrary_text_is_garbage(text in "\\PC{0,200}") {
            prop_assume!(!text.trim_start().starts_with('{'));
            let garbage = matches!(parse_reply(text.as_bytes()), Verdict::GarbageOutput { .. });
            prop_assert!(garbage, "text that is not a JSON object is never a verdict");
        }

        #[test]
        fn records_round_trip(
            kind in any_kind(),
            size in any::<u64>(),
            pages in proptest::option::of(0u32..5000),
            text in "\\PC{0,300}",
            words in any::<u32>(),
            days in proptest::collection::vec(0i32..40_000, 0..5),
        ) {
            let record = Inspection {
                version: RECORD_VERSION,
                kind,
                size,
                sha256: "0".repeat(64),
                pdf: pages.map(|pages| PdfFacts { pages, encrypted: pages % 2 == 0, needs_password: false, text_layer: true }),
                image: Some(PixelSize { width: words % 9000, height: 7 }),
                text,
                text_truncated: words % 2 == 0,
                words,
                dates: days.iter().filter_map(|d| NaiveDate::from_num_days_from_ce_opt(700_000 + d)).collect(),
                ocr: (words % 3 == 0).then(|| OcrFacts {
                    pages: vec![OcrPage::unread(1, OcrProblem::TimedOut { limit_ms: size })],
                    pages_not_read: words % 7,
                    languages: vec!["kk".into()],
                    problem: Some(OcrProblem::TooManyPages { read: 20, total: words }),
                }),
                mrz: None,
                photo: None,
            };
            let verdict = Verdict::Inspected(record);
            prop_assert_eq!(parse_reply(reply_line(&verdict).as_bytes()), verdict);
        }

        #[test]
        fn a_valid_reply_with_a_byte_changed_never_panics(at in any::<usize>(), byte in any::<u8>()) {
            let mut line = reply_line(&Verdict::Inspected(record())).into_bytes();
            let i = at % line.len();
            line[i] = byte;
            let _ = parse_reply(&line);
        }
    }
}
