//! A PDF's pages, encryption and text layer, read **in the inspector child**
//! (see [`super::probe`]).
//!
//! Two parsers, each for what it does best:
//!
//! * `hayro-syntax` decides whether the file opens and how many pages it
//!   has. Like pdf.js and poppler it repairs what real files get wrong: a
//!   cross-reference table with wrong offsets or none at all is rebuilt by
//!   scanning for `N G obj`, a bad trailer is looked for elsewhere, and pages
//!   are found through a damaged page tree (kids without `/Type`, and when
//!   the tree gives nothing, every page dictionary in the file).
//! * lopdf + pdf-extract give the text layer. lopdf refuses many files the
//!   first one repairs; such a file is still readable, it just has no text
//!   we can extract.
//!
//! The file is called unreadable only when neither parser gets a page out.

use std::io::{self, Write};
use std::panic::AssertUnwindSafe;

use std::collections::HashSet;

use hayro_syntax::object::{Array, Dict, MaybeRef, Name, ObjectIdentifier};
use hayro_syntax::{DecryptionError, LoadPdfError, Pdf};

use super::record::{PdfFacts, TEXT_CAP};

/// A scan with fewer letters or digits than this has no real text layer:
/// scanners and phones often add a stray page number or a few OCR crumbs.
const MIN_TEXT_CHARS: usize = 16;

/// What a PDF's text layer gave.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PdfText {
    /// The text, at most [`TEXT_CAP`] bytes.
    pub text: String,
    /// Whether it was cut at the cap.
    pub truncated: bool,
}

/// Reads a PDF's facts and text, or says why no reader could get pages out.
pub fn read_pdf(bytes: &[u8]) -> Result<(PdfFacts, PdfText), String> {
    let structure = Structure::read(bytes);
    let lopdf = lopdf::Document::load_mem(bytes).ok();
    let encryption = lopdf.as_ref().map_or_else(
        || Encryption::declared_in_tail(bytes),
        Encryption::of_trailer,
    );
    let (pages, encryption) = match structure {
        Structure::Open { pages } => (pages, encryption),
        // Only attachments are encrypted (`/StmF` and `/StrF` are Identity):
        // the pages open without a password, and poppler calls the file not
        // encrypted. hayro-syntax asks for the attachments' password, so it
        // is shown the file with the trailer's `/Encrypt` key renamed.
        Structure::Locked if encryption == Encryption::AttachmentsOnly => {
            match Structure::read(&without_encrypt_key(bytes)) {
                Structure::Open { pages } => (pages, Encryption::None),
                _ => return Ok((PdfFacts::locked(), PdfText::default())),
            }
        }
        Structure::Locked => return Ok((PdfFacts::locked(), PdfText::default())),
        Structure::Unreadable(why) => {
            // hayro-syntax gave up; lopdf may still count pages.
            match lopdf.as_ref().map_or(0, |doc| doc.get_pages().len()) {
                0 => return Err(why),
                pages => (pages, encryption),
            }
        }
    };
    if pages == 0 {
        return Err("the PDF has no pages".into());
    }
    let text = lopdf
        .map(|doc| text_layer(doc, encryption))
        .unwrap_or_default();
    let letters = text
        .text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(MIN_TEXT_CHARS)
        .count();
    let facts = PdfFacts {
        pages: u32::try_from(pages).unwrap_or(u32::MAX),
        encrypted: encryption == Encryption::Content,
        needs_password: false,
        text_layer: letters >= MIN_TEXT_CHARS,
    };
    Ok((facts, text))
}

impl PdfFacts {
    /// A PDF that needs a password: nothing inside can be counted.
    fn locked() -> PdfFacts {
        PdfFacts {
            pages: 0,
            encrypted: true,
            needs_password: true,
            text_layer: false,
        }
    }
}

/// The pages as poppler counts them: every leaf of the page tree, a page
/// listed twice counted twice. hayro-syntax lists each page object once,
/// which is right for showing pages but not for saying how many a reader
/// shows. `None` when the catalog has no page tree to walk; then hayro's
/// own list (which falls back to every page dictionary in the file) counts.
fn page_tree_leaves(pdf: &Pdf) -> Option<usize> {
    let xref = pdf.xref();
    let catalog = xref.get::<Dict<'_>>(xref.root_id())?;
    let root = catalog.get::<Dict<'_>>(b"Pages".as_slice())?;
    // Inner nodes are entered once each, so a tree that loops ends; leaves
    // are counted per listing, bounded by the Kids entries in the file.
    let mut entered: HashSet<ObjectIdentifier> = root.obj_id().into_iter().collect();
    let mut stack = vec![root];
    let mut leaves = 0;
    while let Some(node) = stack.pop() {
        let Some(kids) = node.get::<Array<'_>>(b"Kids".as_slice()) else {
            continue;
        };
        for kid in kids.raw_iter() {
            let (id, kid) = match kid {
                MaybeRef::Ref(r) => {
                    let id = ObjectIdentifier::from(r);
                    (Some(id), xref.get::<Dict<'_>>(id))
                }
                MaybeRef::NotRef(object) => (None, object.into_dict()),
            };
            let Some(kid) = kid else { continue };
            let inner = kid.contains_key(b"Kids".as_slice())
                || kid.get::<Name<'_>>(b"Type".as_slice()).as_deref() == Some(b"Pages".as_slice());
            if !inner {
                leaves += 1;
            } else if id.is_none_or(|id| entered.insert(id)) {
                stack.push(kid);
            }
        }
    }
    Some(leaves)
}

/// What the file's encryption covers, as poppler judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encryption {
    /// No `/Encrypt` dictionary in the trailer (or one that cannot be read).
    None,
    /// Strings and streams are encrypted: "encrypted" for every reader.
    Content,
    /// Only embedded files are (crypt filters Identity for the rest).
    AttachmentsOnly,
}

impl Encryption {
    /// From the document lopdf read: the state of the encryption it undid
    /// while loading (with the empty password), or the trailer's
    /// `/Encrypt` dictionary it left in place.
    fn of_trailer(doc: &lopdf::Document) -> Encryption {
        if let Some(state) = &doc.encryption_state {
            return Encryption::judge(
                state.version(),
                state.default_stream_filter(),
                state.default_string_filter(),
            );
        }
        let Ok(dict) = doc.get_encrypted() else {
            return Encryption::None;
        };
        let name = |key: &[u8]| {
            dict.get(key)
                .and_then(lopdf::Object::as_name)
                .unwrap_or_default()
        };
        let version = dict.get(b"V").and_then(lopdf::Object::as_i64).unwrap_or(0);
        Encryption::judge(version, name(b"StmF"), name(b"StrF"))
    }

    /// Before V 4 everything is encrypted; from V 4 on, `/StmF` and `/StrF`
    /// name the crypt filters for streams and strings, a missing one
    /// meaning Identity.
    fn judge(version: i64, streams: &[u8], strings: &[u8]) -> Encryption {
        let encrypts = |filter: &[u8]| !filter.is_empty() && filter != b"Identity";
        if version < 4 || encrypts(streams) || encrypts(strings) {
            Encryption::Content
        } else {
            Encryption::AttachmentsOnly
        }
    }

    /// When lopdf could not read the file: whether `/Encrypt` appears in
    /// the last 64 KiB, where trailers and cross-reference streams live.
    fn declared_in_tail(bytes: &[u8]) -> Encryption {
        let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
        if memchr::memmem::find(tail, b"/Encrypt").is_some() {
            Encryption::Content
        } else {
            Encryption::None
        }
    }
}

/// What the repairing parser made of the file.
#[derive(Debug, PartialEq, Eq)]
enum Structure {
    /// Opened (with the empty user password if encrypted).
    Open { pages: usize },
    /// Encrypted, and the empty password does not open it.
    Locked,
    /// No page could be got out, and why.
    Unreadable(String),
}

impl Structure {
    fn read(bytes: &[u8]) -> Structure {
        // PdfData wants owned bytes; a copy is cheap next to parsing.
        match Pdf::new(bytes.to_vec()) {
            Ok(pdf) => Structure::Open {
                pages: page_tree_leaves(&pdf)
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| pdf.pages().len()),
            },
            Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected)) => Structure::Locked,
            Err(LoadPdfError::Decryption(e)) => {
                Structure::Unreadable(format!("the PDF's encryption cannot be read: {e:?}"))
            }
            Err(LoadPdfError::Invalid) => {
                Structure::Unreadable("not a readable PDF: no pages found, even by scanning".into())
            }
        }
    }
}

/// The bytes with every `/Encrypt` key renamed to `/Encrypx` (same length,
/// so every offset stays right): for files whose pages are in clear.
fn without_encrypt_key(bytes: &[u8]) -> Vec<u8> {
    const KEY: &[u8] = b"/Encrypt";
    let mut out = bytes.to_vec();
    for at in memchr::memmem::find_iter(bytes, KEY) {
        // `/EncryptMetadata` and other longer names are left alone.
        let next = bytes.get(at + KEY.len()).copied().unwrap_or(b' ');
        if !next.is_ascii_alphanumeric() {
            out[at + KEY.len() - 1] = b'x';
        }
    }
    out
}

/// The text layer, at most [`TEXT_CAP`] bytes: extraction stops as soon as
/// the cap is reached, which also bounds the time spent on huge documents.
///
/// A text layer pdf-extract cannot read counts as none: the pages are there,
/// and that is what decides whether the file is readable. pdf-extract panics
/// on fonts and encodings it does not know (a third of pdf.js's test files);
/// that panic is caught here so it costs the text only, not the verdict.
fn text_layer(mut doc: lopdf::Document, encryption: Encryption) -> PdfText {
    // lopdf undoes encryption with the empty password while loading when it
    // can; what it left encrypted is tried once more, unless only
    // attachments are encrypted and the pages' text is in clear.
    let left_encrypted = doc.is_encrypted() && encryption == Encryption::Content;
    if left_encrypted && doc.decrypt("").is_err() {
        return PdfText::default();
    }
    let mut sink = CappedText::default();
    let extracted = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let writer: &mut dyn Write = &mut sink;
        let mut output = pdf_extract::PlainTextOutput::new(writer);
        pdf_extract::output_doc(&doc, &mut output).is_ok()
    }));
    let text = String::from_utf8_lossy(&sink.bytes).into_owned();
    match extracted {
        Ok(true) => PdfText {
            text,
            truncated: false,
        },
        Ok(false) if sink.full => PdfText {
            text,
            truncated: true,
        },
        _ => PdfText::default(),
    }
}

/// Collects text until [`TEXT_CAP`], then refuses further writes.
#[derive(Default)]
struct CappedText {
    bytes: Vec<u8>,
    full: bool,
}

impl Write for CappedText {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > TEXT_CAP {
            // Whole writes only, so a character is never cut in half.
            self.full = true;
            return Err(io::Error::other("text cap reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! Damaged PDFs are made here from a valid one, each the way real files
    //! break; every one of them opens in poppler and pdf.js.

    use super::*;

    const TEXT: &str = "Ada Lovelace, issued 14.03.2025, machine learning";

    /// A PDF of `pages` pages with [`TEXT`] on each, byte offsets computed.
    /// Objects: 1 catalog, 2 page tree, 3 font, then a page and its content
    /// per page. `page_type` is what page dictionaries say after `/Type`.
    fn valid_pdf(pages: usize, page_type: &str, count: usize) -> Vec<u8> {
        let content = format!("BT /F1 12 Tf 72 720 Td ({TEXT}) Tj ET");
        let kids: Vec<String> = (0..pages).map(|p| format!("{} 0 R", 4 + 2 * p)).collect();
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {count} >>",
                kids.join(" ")
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        ];
        for p in 0..pages {
            objects.push(format!(
                "<< {page_type} /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * p
            ));
            objects.push(format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ));
        }
        crate::inspect::test_pdf::assemble(&objects)
    }

    fn three_pages() -> Vec<u8> {
        valid_pdf(3, "/Type /Page", 3)
    }

    fn position(bytes: &[u8], needle: &[u8]) -> usize {
        memchr::memmem::find(bytes, needle).expect("the generated PDF has it")
    }

    /// Pages and text of a PDF that must be readable.
    fn read_ok(bytes: &[u8], case: &str) -> (PdfFacts, PdfText) {
        read_pdf(bytes).unwrap_or_else(|e| panic!("{case}: must be readable, got {e:?}"))
    }

    #[test]
    fn a_valid_pdf_gives_its_pages_and_text() {
        let (facts, text) = read_ok(&three_pages(), "valid");
        assert_eq!(facts.pages, 3);
        assert!(!facts.encrypted && !facts.needs_password);
        assert!(facts.text_layer, "{text:?}");
        assert!(text.text.contains("Lovelace"), "{text:?}");
    }

    #[test]
    fn wrong_xref_offsets_are_repaired_by_scanning_for_objects() {
        // Every offset 7 bytes off, as after an editor re-saved the file
        // with different line ends.
        let valid = three_pages();
        let xref = position(&valid, b"xref\n");
        let trailer = position(&valid, b"trailer");
        let table = String::from_utf8(valid[xref..trailer].to_vec()).expect("ASCII");
        let shifted: Vec<String> = table
            .lines()
            .map(|line| match line.strip_suffix(" 00000 n ") {
                Some(offset) => {
                    let offset: usize = offset.parse().expect("an offset");
                    format!("{:010} 00000 n ", offset + 7)
                }
                None => line.to_owned(),
            })
            .collect();
        let mut bytes = valid[..xref].to_vec();
        bytes.extend_from_slice((shifted.join("\n") + "\n").as_bytes());
        bytes.extend_from_slice(&valid[trailer..]);
        assert_ne!(bytes, valid);
        assert_eq!(read_ok(&bytes, "shifted offsets").0.pages, 3);
    }

    #[test]
    fn a_missing_xref_table_and_trailer_are_rebuilt() {
        let valid = three_pages();
        let bytes = &valid[..position(&valid, b"xref\n")];
        assert_eq!(read_ok(bytes, "no xref, no trailer").0.pages, 3);
    }

    #[test]
    fn a_bad_startxref_or_a_cut_trailer_is_tolerated() {
        let valid = three_pages();
        let startxref = position(&valid, b"startxref\n") + b"startxref\n".len();
        let mut wrong = valid[..startxref].to_vec();
        wrong.extend_from_slice(b"12\n%%EOF\n");
        assert_eq!(read_ok(&wrong, "startxref into the header").0.pages, 3);

        let cut = &valid[..position(&valid, b"/Root")];
        assert_eq!(read_ok(cut, "trailer cut before /Root").0.pages, 3);

        let mut garbled = valid.clone();
        let trailer = position(&garbled, b"trailer");
        garbled[trailer..trailer + 7].copy_from_slice(b"trai!er");
        assert_eq!(read_ok(&garbled, "misspelt trailer").0.pages, 3);
    }

    #[test]
    fn pages_are_found_through_a_damaged_page_tree() {
        let untyped = valid_pdf(2, "", 2);
        assert_eq!(read_ok(&untyped, "pages without /Type").0.pages, 2);

        // poppler reports the root's /Count as it stands (7 here); the pages
        // a reader can show are the two leaves, and a page limit is about
        // those.
        let wrong_count = valid_pdf(2, "/Type /Page", 7);
        assert_eq!(read_ok(&wrong_count, "/Count 7 for 2 pages").0.pages, 2);

        // A page listed twice is shown twice (poppler counts it twice too),
        // and a loop among the inner nodes ends.
        let mut twice = valid_pdf(2, "/Type /Page", 2);
        let at = position(&twice, b"[4 0 R 6 0 R]");
        twice[at..at + 13].copy_from_slice(b"[4 0 R 4 0 R]");
        assert_eq!(read_ok(&twice, "a page listed twice").0.pages, 2);
        let mut looped = valid_pdf(2, "/Type /Page", 2);
        let at = position(&looped, b"[4 0 R 6 0 R]");
        looped[at..at + 13].copy_from_slice(b"[4 0 R 2 0 R]");
        assert_eq!(read_ok(&looped, "the tree lists itself").0.pages, 1);

        // The catalog names a page tree that is not in the file.
        let mut lost = three_pages();
        let at = position(&lost, b"/Pages 2 0 R");
        lost[at..at + 12].copy_from_slice(b"/Pages 9 0 R");
        assert_eq!(read_ok(&lost, "page tree missing").0.pages, 3);
    }

    #[test]
    fn a_file_with_no_page_anywhere_is_unreadable() {
        let valid = three_pages();
        for (case, bytes) in [
            ("header only", b"%PDF-1.4\n".to_vec()),
            ("cut after the catalog", valid[..70].to_vec()),
            (
                "garbage",
                b"%PDF-1.7\n\x00\x01 this is not a PDF body at all".to_vec(),
            ),
        ] {
            assert!(read_pdf(&bytes).is_err(), "{case} has no page to show");
        }
    }

    /// `qpdf --encrypt USER OWNER 256 [RESTRICTIONS] -- IN OUT`, as the CLI tests do.
    fn encrypted(user: &str, restrictions: &[&str]) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("temporary folder");
        let plain = dir.path().join("plain.pdf");
        let locked = dir.path().join("locked.pdf");
        std::fs::write(&plain, three_pages()).expect("write");
        let status = std::process::Command::new("qpdf")
            .args(["--encrypt", user, "owner-pw", "256"])
            .args(restrictions)
            .arg("--")
            .args([&plain, &locked])
            .status()
            .unwrap_or_else(|e| {
                panic!("qpdf is needed to make an encrypted PDF ({e}): apt-get install qpdf")
            });
        assert!(status.success(), "qpdf --encrypt failed: {status}");
        std::fs::read(locked).expect("read")
    }

    #[test]
    fn restrictions_only_is_encrypted_but_opens_and_a_user_password_locks() {
        let (facts, text) = read_ok(
            &encrypted("", &["--print=none", "--modify=none"]),
            "restricted",
        );
        assert_eq!(facts.pages, 3);
        assert!(facts.encrypted, "usage restrictions are encryption");
        assert!(!facts.needs_password, "it opens without a password");
        assert!(text.text.contains("Lovelace"), "{text:?}");

        let (facts, text) = read_ok(&encrypted("user-pw", &[]), "locked");
        assert_eq!(
            facts,
            PdfFacts {
                pages: 0,
                encrypted: true,
                needs_password: true,
                text_layer: false
            }
        );
        assert_eq!(text, PdfText::default());
    }

    #[test]
    fn encryption_of_attachments_only_is_not_encryption_of_the_pages() {
        assert_eq!(Encryption::judge(2, b"", b""), Encryption::Content);
        assert_eq!(
            Encryption::judge(4, b"StdCF", b"Identity"),
            Encryption::Content
        );
        assert_eq!(
            Encryption::judge(5, b"Identity", b"Identity"),
            Encryption::AttachmentsOnly
        );
        assert_eq!(Encryption::judge(4, b"", b""), Encryption::AttachmentsOnly);

        let bytes = b"<< /Encrypt 9 0 R /EncryptMetadata false >> /Encrypt<<";
        let renamed = without_encrypt_key(bytes);
        assert_eq!(
            renamed,
            b"<< /Encrypx 9 0 R /EncryptMetadata false >> /Encrypx<<".to_vec()
        );
    }
}
