//! `bagit.txt` and the text of the other tag files, in the encoding
//! `bagit.txt` declares.

use encoding_rs::Encoding;

use crate::package::bagit;

/// What `bagit.txt` declares.
pub(super) struct Declaration {
    /// The encoding of every other tag file.
    pub(super) encoding: &'static Encoding,
    /// `bag-info.txt`, or `package-info.txt` for BagIt 0.93–0.95.
    pub(super) info_file: &'static str,
}

/// Why `bagit.txt` cannot be used, for the report's detail.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum BadDeclaration {
    /// Missing, not UTF-8, or starting with a byte-order mark (RFC 8493
    /// §2.1.1 forbids it; bagit-python refuses it).
    Unreadable,
    /// Without `BagIt-Version` or `Tag-File-Character-Encoding`, or with a
    /// version that is not MAJOR.MINOR below 2.
    MissingOrBadTag,
    /// An encoding nobody can decode.
    UnknownEncoding(String),
}

/// Reads `bagit.txt`. It is always UTF-8, whatever it declares for the
/// other tag files.
pub(super) fn declaration(bytes: Option<&[u8]>) -> Result<Declaration, BadDeclaration> {
    let bytes = bytes.ok_or(BadDeclaration::Unreadable)?;
    if bytes.starts_with(b"\xef\xbb\xbf") {
        return Err(BadDeclaration::Unreadable);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| BadDeclaration::Unreadable)?;
    let tags = bagit::parse_tags(text);
    let tag = |label: &str| tags.iter().find(|(l, _)| l == label).map(|(_, v)| v.trim());
    let version = tag("BagIt-Version").ok_or(BadDeclaration::MissingOrBadTag)?;
    let label = tag("Tag-File-Character-Encoding").ok_or(BadDeclaration::MissingOrBadTag)?;
    let (major, minor) = version
        .split_once('.')
        .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)))
        .ok_or(BadDeclaration::MissingOrBadTag)?;
    let info_file = match (major, minor) {
        (0, 93..=95) => "package-info.txt",
        (0, 96..) | (1, _) => "bag-info.txt",
        _ => return Err(BadDeclaration::MissingOrBadTag),
    };
    let encoding = Encoding::for_label(label.as_bytes())
        .ok_or_else(|| BadDeclaration::UnknownEncoding(label.to_owned()))?;
    Ok(Declaration {
        encoding,
        info_file,
    })
}

/// A tag file's text in `encoding`; a byte-order mark decides between the
/// UTF-16 byte orders (and is dropped). `None` when a byte does not decode:
/// guessing would compare the wrong names. WHATWG's ISO-8859-1 is
/// windows-1252, which differs only in the C1 controls no path should hold.
pub(super) fn decode(bytes: Vec<u8>, encoding: &'static Encoding) -> Option<String> {
    if encoding == encoding_rs::UTF_8 {
        // The usual case, without a second copy of a large manifest; the
        // callers drop a leading BOM.
        return String::from_utf8(bytes).ok();
    }
    let (text, _, had_errors) = encoding.decode(&bytes);
    (!had_errors).then(|| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_read_as_bagit_python_reads_them() {
        let ok = declaration(Some(
            b"BagIt-Version: 0.97\nTag-File-Character-Encoding: ISO-8859-1\n",
        ))
        .expect("valid");
        assert_eq!(ok.encoding, encoding_rs::WINDOWS_1252);
        assert_eq!(ok.info_file, "bag-info.txt");
        let old = declaration(Some(
            b"BagIt-Version: 0.95\r\nTag-File-Character-Encoding: UTF-8\r\n",
        ))
        .expect("valid");
        assert_eq!(old.info_file, "package-info.txt");
        for (bytes, why) in [
            (
                &b"BagIt-Version: 1.0\n"[..],
                BadDeclaration::MissingOrBadTag,
            ),
            (
                b"BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n",
                BadDeclaration::MissingOrBadTag,
            ),
            (
                b"\xef\xbb\xbfBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                BadDeclaration::Unreadable,
            ),
            (
                b"BagIt-Version: 1.0\nTag-File-Character-Encoding: klingon\n",
                BadDeclaration::UnknownEncoding("klingon".into()),
            ),
        ] {
            assert_eq!(declaration(Some(bytes)).err(), Some(why));
        }
    }

    #[test]
    fn latin1_and_utf16_with_a_bom_decode() {
        let latin1 = declaration(Some(
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n",
        ))
        .expect("valid");
        assert_eq!(
            decode(b"data/caf\xe9.txt".to_vec(), latin1.encoding).as_deref(),
            Some("data/café.txt")
        );
        let utf16 = declaration(Some(
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n",
        ))
        .expect("valid");
        let mut be = vec![0xfe, 0xff];
        for unit in "data/Әлия.pdf".encode_utf16() {
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(be, utf16.encoding).as_deref(), Some("data/Әлия.pdf"));
        let utf8 = declaration(Some(
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        ))
        .expect("valid");
        assert_eq!(decode(b"data/\xff".to_vec(), utf8.encoding), None);
    }
}
