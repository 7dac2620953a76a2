//! What runs **in the inspector child**: everything that parses the
//! document's bytes. Only [`super::child::child_main`] calls [`probe`]; the
//! app and the CLI never do, because PDF parsers panic, abort or run away on
//! malformed input (see the platform notes). PDFs are read in [`super::pdf`].

use std::io::{self, Read};

use sha2::{Digest, Sha256};

use super::dates::find_dates;
use super::pdf::read_pdf;
use super::record::{Inspection, PixelSize, Verdict, DATES_CAP, RECORD_VERSION, TEXT_CAP};
use crate::kind::{self, FileKind};

/// Inspects the bytes of one file.
pub fn probe(bytes: &[u8]) -> Verdict {
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
        mrz: None,
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
    record.words = record
        .text
        .split_whitespace()
        .count()
        .try_into()
        .unwrap_or(u32::MAX);
    record.dates = find_dates(&record.text, DATES_CAP);
    Verdict::Inspected(record)
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
