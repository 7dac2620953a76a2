//! BagIt (RFC 8493) tag files: what Qujat writes, and the parsing `verify`
//! needs to read any bag, including one made by another tool.
//!
//! A bag is a folder with `bagit.txt` (version and encoding), `bag-info.txt`
//! (metadata, including `Payload-Oxum`: payload bytes and file count, a quick
//! completeness check), one `manifest-<algorithm>.txt` listing every file
//! under `data/` with its checksum, and optionally `tagmanifest-<algorithm>.txt`
//! doing the same for the tag files. Qujat writes SHA-256 only: RFC 8493
//! requires readers to support it, and portals and lawyers can check it with
//! `sha256sum`. Reading manifests of any algorithm is `verify`'s.

use std::fmt::Write as _;

/// The contents of `bagit.txt`.
pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// `bag-info.txt` from its labels and values, in order. Values are written on
/// one line; line breaks inside a value are folded into spaces.
pub fn bag_info(fields: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (label, value) in fields {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(out, "{label}: {value}");
    }
    out
}

/// A manifest: one `<checksum>  <path>` line per file, in the given order.
pub fn manifest<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (checksum, path) in entries {
        let _ = writeln!(out, "{checksum}  {}", encode_path(path));
    }
    out
}

/// RFC 8493 §2.1.3: CR, LF and `%` in a manifest path are percent-encoded.
fn encode_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

/// Parses `bag-info.txt` or `bagit.txt` into (label, value) pairs; a line
/// starting with white space continues the previous value.
pub fn parse_tags(text: &str) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = tags.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((label, value)) = line.split_once(':') {
            tags.push((label.trim().to_owned(), value.trim().to_owned()));
        }
    }
    tags
}

/// `Payload-Oxum` as (octets, files).
pub fn parse_oxum(value: &str) -> Option<(u64, u64)> {
    let (octets, files) = value.trim().split_once('.')?;
    Some((octets.parse().ok()?, files.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_encode_awkward_names() {
        let text = manifest([("ab", "data/a b.pdf"), ("cd", "data/100%\nx.pdf")]);
        assert_eq!(text, "ab  data/a b.pdf\ncd  data/100%25%0Ax.pdf\n");
    }

    #[test]
    fn tags_fold_continuation_lines_and_oxum_parses() {
        let tags = parse_tags("Payload-Oxum: 10.2\nNote: a\n  b\n");
        assert_eq!(tags[1], ("Note".to_owned(), "a b".to_owned()));
        assert_eq!(parse_oxum(&tags[0].1), Some((10, 2)));
        assert_eq!(parse_oxum("x.2"), None);
    }
}
