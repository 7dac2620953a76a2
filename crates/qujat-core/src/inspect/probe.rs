//! What runs **in the inspector child**: everything that parses the
//! document's bytes. Only [`super::child::child_main`] calls [`probe`]; the
//! app and the CLI never do, because PDF parsers panic, abort or run away on
//! malformed input (see the platform notes). PDFs are read in [`super::pdf`].

use std::io::{self, Read};

use sha2::{Digest, Sha256};

use super::dates::find_dates;
use super::ocr::{self, pdf_images::ScanPages, raster, Budget};
use super::pdf::read_pdf;
use super::record::{
    Inspection, OcrFacts, OcrProblem, PixelSize, Verdict, DATES_CAP, RECORD_VERSION, TEXT_CAP,
};
use crate::kind::{self, FileKind};

/// Inspects the bytes of one file, reading scans under the default budget.
pub fn probe(bytes: &[u8]) -> Verdict {
    probe_with(bytes, Budget::default(), &mut |_, _| {})
}

/// Inspects the bytes of one file; scans are read under `budget`, and
/// `progress` hears of each page before it is read (page, pages).
pub fn probe_with(bytes: &[u8], budget: Budget, progress: &mut dyn FnMut(usize, usize)) -> Verdict {
    let kind = kind::detect(&bytes[..bytes.len().min(kind::SNIFF_LEN)]);
    if bytes.is_empty() {
        return unreadable(kind, "the file is empty");
    }
    let mut record = Inspection {
        version: RECORD_VERSION,
        kind,
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
        pdf: None,
        image: None,
        text: String::new(),
        text_truncated: false,
        words: 0,
        dates: Vec::new(),
        ocr: None,
        mrz: None,
        photo: None,
    };
    let outcome = match kind {
        FileKind::Pdf => probe_pdf(bytes, &mut record),
        FileKind::Jpeg | FileKind::Png | FileKind::Heic => probe_image(bytes, kind, &mut record),
        FileKind::Docx => probe_docx(bytes, &mut record),
        FileKind::Other => Ok(()),
    };
    if let Err(detail) = outcome {
        return unreadable(kind, &detail);
    }
    if matches!(kind, FileKind::Jpeg | FileKind::Png) {
        record.photo = super::photo::read_photo(bytes, kind);
    }
    record.ocr = read_scan(bytes, &record, budget, progress);
    if let Some(facts) = record.ocr.clone() {
        take_ocr_text(&mut record, facts);
    }
    record.words = record
        .text
        .split_whitespace()
        .count()
        .try_into()
        .unwrap_or(u32::MAX);
    record.dates = find_dates(&record.text, DATES_CAP);
    Verdict::Inspected(record)
}

/// What OCR reads in the file, if it is a scan: an image, or a PDF
/// without a text layer that opens without a password.
fn read_scan(
    bytes: &[u8],
    record: &Inspection,
    budget: Budget,
    progress: &mut dyn FnMut(usize, usize),
) -> Option<OcrFacts> {
    match record.kind {
        FileKind::Jpeg | FileKind::Png => {
            let decoded = if record.kind == FileKind::Jpeg {
                raster::decode_jpeg(bytes)
            } else {
                raster::decode_png(bytes)
            };
            let mut image = Some(decoded.map_err(ocr::problem_of));
            Some(ocr::read_pages(
                1,
                |_| image.take().unwrap_or(Err(OcrProblem::NoImage)),
                budget,
                progress,
            ))
        }
        // No HEIC decoder is built in (libheif is not a dependency yet):
        // the record says so, and the finding asks for a JPEG or PDF.
        FileKind::Heic => Some(OcrFacts {
            pages: Vec::new(),
            pages_not_read: 1,
            languages: Vec::new(),
            problem: Some(OcrProblem::NoDecoder {
                format: "HEIC".into(),
            }),
        }),
        FileKind::Pdf => {
            let pdf = record.pdf.as_ref()?;
            if pdf.text_layer || pdf.needs_password {
                return None;
            }
            let pages = ScanPages::open(bytes)?;
            Some(ocr::read_pages(
                pages.count(),
                |i| pages.image(i),
                budget,
                progress,
            ))
        }
        FileKind::Docx | FileKind::Other => None,
    }
}

/// OCR text becomes the record's text (pages separated by a blank line),
/// and the first valid machine-readable zone its MRZ.
fn take_ocr_text(record: &mut Inspection, facts: OcrFacts) {
    let mut text = String::new();
    for page in facts.pages.iter().filter(|p| !p.text.is_empty()) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&page.text);
    }
    if text.len() > TEXT_CAP {
        let mut cut = TEXT_CAP;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        record.text_truncated = true;
    }
    if record.text.is_empty() {
        record.text = text;
    }
    // The zone's own pass first: it reads `<` and digits far better.
    // Its names are checked against the words the page prints.
    let zones: Vec<crate::mrz::Mrz> = facts
        .pages
        .iter()
        .flat_map(|p| {
            p.zone
                .iter()
                .chain(std::iter::once(&p.text))
                .filter_map(|t| crate::mrz::read(t))
                .map(|m| m.with_printed_names(&p.text))
        })
        .collect();
    record.mrz = zones.iter().find(|m| m.valid).or(zones.first()).cloned();
}

fn unreadable(kind: FileKind, detail: &str) -> Verdict {
    // Library error texts can be long and quote file content; keep a line.
    let detail: String = detail.chars().take(200).collect();
    Verdict::Unreadable { kind, detail }
}

fn probe_pdf(bytes: &[u8], record: &mut Inspection) -> Result<(), String> {
    let (facts, text) = read_pdf(bytes)?;
    record.pdf = Some(facts);
    record.text = text.text;
    record.text_truncated = text.truncated;
    Ok(())
}

fn probe_image(bytes: &[u8], kind: FileKind, record: &mut Inspection) -> Result<(), String> {
    // A file cut short loses its end marker first; viewers then show a grey
    // half-picture and portals reject it.
    let complete = match kind {
        FileKind::Jpeg => {
            memchr::memmem::rfind(&bytes[bytes.len().saturating_sub(1024)..], b"\xFF\xD9").is_some()
        }
        FileKind::Png => memchr::memmem::rfind(bytes, b"IEND").is_some(),
        _ => true,
    };
    if !complete {
        return Err("the image is cut short".into());
    }
    match imagesize::blob_size(bytes) {
        Ok(size) => {
            record.image = Some(PixelSize {
                width: u32::try_from(size.width).unwrap_or(u32::MAX),
                height: u32::try_from(size.height).unwrap_or(u32::MAX),
            });
            Ok(())
        }
        // imagesize does not know every HEIC layout; a HEIC without a size is fine.
        Err(_) if kind == FileKind::Heic => Ok(()),
        Err(e) => Err(format!("image header unreadable: {e}")),
    }
}

/// A DOCX's text: the XML of `word/document.xml` without its tags, read
/// through the same ZIP reader that verifies packages.
fn probe_docx(bytes: &[u8], record: &mut Inspection) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable DOCX: {e}"))?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|e| format!("not a readable DOCX: {e}"))?;
    let mut xml = Vec::new();
    // A zip bomb stops at eight times the cap: plenty of markup per letter.
    entry
        .take(TEXT_CAP as u64 * 8)
        .read_to_end(&mut xml)
        .map_err(|e| format!("not a readable DOCX: {e}"))?;
    let xml = String::from_utf8_lossy(&xml);
    let mut text = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in xml.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                // Paragraph ends and breaks become line breaks.
                if tag == "/w:p" || tag.starts_with("w:br") || tag.starts_with("w:tab") {
                    text.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => text.push(c),
        }
        if text.len() >= TEXT_CAP {
            record.text_truncated = true;
            break;
        }
    }
    record.text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF with `text` in its text layer, byte offsets computed.
    pub(crate) fn pdf_with_text(text: &str) -> Vec<u8> {
        let content = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_owned(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        ];
        crate::inspect::test_pdf::assemble(&objects)
    }

    #[test]
    fn a_pdf_gives_pages_text_and_dates() {
        let bytes = pdf_with_text("Ada Lovelace, issued 14.03.2025, machine learning");
        let Verdict::Inspected(record) = probe(&bytes) else {
            panic!("a valid PDF is inspected");
        };
        let pdf = record.pdf.expect("PDF facts");
        assert_eq!(pdf.pages, 1);
        assert!(!pdf.encrypted);
        assert!(pdf.text_layer, "the text layer is found: {:?}", record.text);
        assert!(record.text.contains("Lovelace"), "{:?}", record.text);
        assert_eq!(
            record.dates,
            [chrono::NaiveDate::from_ymd_opt(2025, 3, 14).expect("date")]
        );
        assert_eq!(record.sha256, hex::encode(Sha256::digest(&bytes)));
    }

    #[test]
    fn a_truncated_pdf_is_unreadable_as_a_pdf() {
        let bytes = pdf_with_text("hello");
        let verdict = probe(&bytes[..40]);
        assert!(
            matches!(
                verdict,
                Verdict::Unreadable {
                    kind: FileKind::Pdf,
                    ..
                }
            ),
            "{verdict:?}"
        );
    }

    #[test]
    fn an_empty_file_is_unreadable() {
        assert!(matches!(probe(b""), Verdict::Unreadable { .. }));
    }

    #[test]
    fn image_sizes_come_from_the_header_and_cut_images_are_unreadable() {
        // A 1x1 PNG.
        let png: &[u8] = &[
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52,
            0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0A, 0x49,
            0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0D, 0x0A, 0x2D, 0xB4, 0, 0,
            0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ];
        let Verdict::Inspected(record) = probe(png) else {
            panic!("a PNG is inspected");
        };
        assert_eq!(
            record.image,
            Some(PixelSize {
                width: 1,
                height: 1
            })
        );
        assert!(
            matches!(
                probe(&png[..40]),
                Verdict::Unreadable {
                    kind: FileKind::Png,
                    ..
                }
            ),
            "a PNG without its IEND chunk is cut short"
        );
    }
}
