//! What a file really is, decided by its first bytes, never by its name.
//!
//! Portals reject a JPEG renamed to `.pdf`; so does Qujat, before the portal
//! does. Detection uses the `infer` crate's magic-number tables on the head of
//! the file.

use std::io::Read;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kinds of document file a rule pack can accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum FileKind {
    /// Portable Document Format.
    Pdf,
    /// JPEG image.
    Jpeg,
    /// PNG image.
    Png,
    /// HEIC/HEIF image (what iPhones take by default).
    Heic,
    /// Word document (Office Open XML).
    Docx,
    /// Anything else, including empty files.
    Other,
}

impl FileKind {
    /// Short human label, the same in every language ("PDF", "JPEG", …).
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Jpeg => "JPEG",
            FileKind::Png => "PNG",
            FileKind::Heic => "HEIC",
            FileKind::Docx => "DOCX",
            FileKind::Other => "?",
        }
    }

    /// The usual file extension, used when Qujat names a file it exports.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Heic => "heic",
            FileKind::Docx => "docx",
            FileKind::Other => "bin",
        }
    }
}

/// How many leading bytes are enough to recognise every kind above; DOCX needs
/// the most, since its marker is a file name inside the ZIP's first entries.
pub const SNIFF_LEN: usize = 8192;

/// Detects the kind from the first bytes of a file.
pub fn detect(head: &[u8]) -> FileKind {
    if head.is_empty() {
        return FileKind::Other;
    }
    // PDF readers accept a header anywhere in the first 1024 bytes, and so do
    // portals; `infer` only looks at offset 0.
    let window = &head[..head.len().min(1024)];
    if window.windows(5).any(|w| w == b"%PDF-") {
        return FileKind::Pdf;
    }
    match infer::get(head).map(|t| t.mime_type()) {
        Some("image/jpeg") => FileKind::Jpeg,
        Some("image/png") => FileKind::Png,
        Some("image/heif") | Some("image/heic") => FileKind::Heic,
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document") => {
            FileKind::Docx
        }
        _ => FileKind::Other,
    }
}

/// Reads up to [`SNIFF_LEN`] bytes from `reader` and detects the kind.
pub fn detect_reader(reader: &mut impl Read) -> std::io::Result<FileKind> {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    reader.take(SNIFF_LEN as u64).read_to_end(&mut head)?;
    Ok(detect(&head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_content_not_names() {
        assert_eq!(detect(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), FileKind::Pdf);
        assert_eq!(detect(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), FileKind::Jpeg);
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), FileKind::Png);
        assert_eq!(detect(b"hello, I am a text file"), FileKind::Other);
        assert_eq!(
            detect(b""),
            FileKind::Other,
            "an empty file is not a document"
        );
    }

    #[test]
    fn a_pdf_header_after_junk_still_counts() {
        let mut bytes = vec![b' '; 100];
        bytes.extend_from_slice(b"%PDF-1.4\n");
        assert_eq!(detect(&bytes), FileKind::Pdf);
    }

    #[test]
    fn heic_is_recognised() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(detect(heic), FileKind::Heic);
    }
}
