//! What a bag's manifests and `fetch.txt` promise, read as RFC 8493 says
//! and as bagit-python reads them, with the hostile cases bounded.
//!
//! Every (path, algorithm) is kept once: a manifest that repeats one line a
//! million times costs one entry and one warning, not a million hashers.
//! Distinct entries are capped at [`MAX_ENTRIES`], so memory follows the
//! cap, not the (decompressed) size of a manifest.

use std::collections::BTreeMap;

use super::{Findings, VerifyProblem, VerifyWarning};
use crate::package::names::{is_safe_relative_path, nfc};

/// The most distinct (path, algorithm) entries read from all manifests
/// together: far above any dossier (and most archival bags), far below what
/// would strain memory (each costs about 200 bytes).
pub(super) const MAX_ENTRIES: usize = 200_000;

/// The checksum algorithms a bag may use (RFC 8493 §2.4: the names of
/// bagit-python's `hashlib` ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Algorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    /// From the name in `manifest-<name>.txt`.
    pub(super) fn from_name(name: &str) -> Option<Algorithm> {
        Some(match name {
            "md5" => Algorithm::Md5,
            "sha1" => Algorithm::Sha1,
            "sha224" => Algorithm::Sha224,
            "sha256" => Algorithm::Sha256,
            "sha384" => Algorithm::Sha384,
            "sha512" => Algorithm::Sha512,
            _ => return None,
        })
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "md5",
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha224 => "sha224",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha384 => "sha384",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Hex digits of a checksum.
    fn hex_len(self) -> usize {
        match self {
            Algorithm::Md5 => 32,
            Algorithm::Sha1 => 40,
            Algorithm::Sha224 => 56,
            Algorithm::Sha256 => 64,
            Algorithm::Sha384 => 96,
            Algorithm::Sha512 => 128,
        }
    }

    /// MD5 and SHA-1 still catch accidents (a truncated copy, a flipped
    /// bit), but collisions can be made on purpose: they prove nothing
    /// against someone who wants to swap a file.
    pub(super) fn is_weak(self) -> bool {
        matches!(self, Algorithm::Md5 | Algorithm::Sha1)
    }
}

/// A file's expected checksums, at most one per algorithm.
pub(super) type Sums = Vec<(Algorithm, String)>;

/// Everything the manifests list, by NFC path.
#[derive(Default)]
pub(super) struct Listed {
    pub(super) payload: BTreeMap<String, Sums>,
    pub(super) tags: BTreeMap<String, Sums>,
    /// The algorithms of the payload manifests read.
    pub(super) payload_algorithms: Vec<Algorithm>,
    entries: usize,
    capped: bool,
}

impl Listed {
    /// Adds the manifest `file` (already decoded) with `algorithm`; `tag`
    /// for a tag manifest.
    pub(super) fn add_manifest(
        &mut self,
        file: &str,
        algorithm: Algorithm,
        tag: bool,
        text: &str,
        found: &mut Findings,
    ) {
        if !tag && !self.payload_algorithms.contains(&algorithm) {
            self.payload_algorithms.push(algorithm);
        }
        for (n, line) in text.trim_start_matches('\u{feff}').split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            // Blank lines, and comments as bagit-python allows them (a
            // checksum never starts with `#`).
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |found: &mut Findings| {
                found.problem(VerifyProblem::BadManifestLine {
                    file: file.to_owned(),
                    line: u32::try_from(n + 1).unwrap_or(u32::MAX),
                })
            };
            let Some((checksum, path)) = split_line(line, algorithm) else {
                bad(found);
                continue;
            };
            let Some(path) = manifest_path(path) else {
                found.problem(VerifyProblem::UnsafePath {
                    path: path.to_owned(),
                });
                continue;
            };
            if path.starts_with("data/") == tag {
                // A payload manifest must list only payload files, a tag
                // manifest only tag files (RFC 8493 §2.1.3, §2.2.1).
                found.problem(VerifyProblem::WrongManifest {
                    file: file.to_owned(),
                    path,
                });
                continue;
            }
            let map = if tag {
                &mut self.tags
            } else {
                &mut self.payload
            };
            let is_new_path = !map.contains_key(&path);
            if is_new_path || !map[&path].iter().any(|(a, _)| *a == algorithm) {
                if self.entries >= MAX_ENTRIES {
                    if !self.capped {
                        self.capped = true;
                        found.problem(VerifyProblem::TooManyEntries {
                            limit: MAX_ENTRIES as u32,
                        });
                    }
                    return;
                }
                self.entries += 1;
                map.entry(path)
                    .or_default()
                    .push((algorithm, checksum.to_ascii_lowercase()));
                continue;
            }
            let same = map[&path]
                .iter()
                .any(|(a, c)| *a == algorithm && c.eq_ignore_ascii_case(checksum));
            if same {
                found.warning(VerifyWarning::ListedTwice {
                    file: file.to_owned(),
                    path,
                });
            } else {
                found.problem(VerifyProblem::ConflictingChecksums {
                    file: file.to_owned(),
                    path,
                });
            }
        }
    }

    /// Whether every payload manifest lists `path`.
    pub(super) fn in_every_payload_manifest(&self, path: &str) -> bool {
        self.payload.get(path).is_some_and(|sums| {
            self.payload_algorithms
                .iter()
                .all(|a| sums.iter().any(|(b, _)| a == b))
        })
    }
}

/// `<checksum> <path>`: the checksum, hex of the algorithm's length, then
/// one or more spaces or tabs, then the path (which may hold spaces). A line
/// that starts or ends with white space, or whose separator is anything else
/// (a no-break space, nothing), is not a manifest line.
fn split_line(line: &str, algorithm: Algorithm) -> Option<(&str, &str)> {
    let (checksum, rest) = line.split_once([' ', '\t'])?;
    let path = rest.trim_start_matches([' ', '\t']);
    let well_formed = checksum.len() == algorithm.hex_len()
        && checksum.bytes().all(|b| b.is_ascii_hexdigit())
        && !path.is_empty()
        && !path.ends_with([' ', '\t']);
    // sha256sum's binary-mode marker, as some tools write it.
    well_formed.then(|| (checksum, path.strip_prefix('*').unwrap_or(path)))
}

/// A path as a manifest or `fetch.txt` writes it, made the bag-relative NFC
/// path it names: `%0A`, `%0D` and `%25` decoded (RFC 8493 §2.1.3), `./`
/// and empty segments dropped as `os.path.normpath` does. `None` when it is
/// absolute or climbs out of the bag.
pub(super) fn manifest_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw);
    if decoded.starts_with('/') {
        return None;
    }
    let joined = decoded
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/");
    let path = nfc(&joined);
    is_safe_relative_path(&path).then_some(path)
}

/// Decodes only what RFC 8493 encodes; any other `%` sequence is literal.
fn percent_decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 1..at + 3).map(str::to_ascii_uppercase);
        match code.as_deref() {
            Some("0A") => out.push('\n'),
            Some("0D") => out.push('\r'),
            Some("25") => out.push('%'),
            _ => {
                out.push('%');
                rest = &rest[at + 1..];
                continue;
            }
        }
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

/// The payload paths `fetch.txt` says are to be fetched (`URL LENGTH PATH`
/// lines); unsafe or malformed lines are problems.
pub(super) fn fetch_list(text: &str, found: &mut Findings) -> Vec<String> {
    let mut paths = Vec::new();
    for (n, line) in text.trim_start_matches('\u{feff}').split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, [' ', '\t']);
        let (url, length, path) = (parts.next(), parts.next(), parts.next());
        let url_ok = url.is_some_and(|u| {
            u.split_once("://")
                .is_some_and(|(scheme, rest)| !scheme.is_empty() && !rest.is_empty())
        });
        let length_ok = length.is_some_and(|l| l == "-" || l.parse::<u64>().is_ok());
        match path.map(|p| p.trim_start_matches([' ', '\t'])) {
            Some(raw) if url_ok && length_ok && !raw.is_empty() => match manifest_path(raw) {
                Some(path) if path.starts_with("data/") => {
                    if paths.len() < MAX_ENTRIES {
                        paths.push(path);
                    }
                }
                _ => found.problem(VerifyProblem::UnsafePath {
                    path: raw.to_owned(),
                }),
            },
            _ => found.problem(VerifyProblem::BadFetchLine {
                line: u32::try_from(n + 1).unwrap_or(u32::MAX),
            }),
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0123456789abcdef0123456789abcdef";
    const B: &str = "fedcba9876543210fedcba9876543210";

    fn read(text: &str) -> (Listed, Findings) {
        let mut listed = Listed::default();
        let mut found = Findings::default();
        listed.add_manifest("manifest-md5.txt", Algorithm::Md5, false, text, &mut found);
        (listed, found)
    }

    #[test]
    fn dot_slash_percent_encoding_stars_and_crlf_are_read() {
        let text =
            format!("{A}  ./data/a.txt\r\n{B} *data/100%25%0Ax\n\n# comment\n{A}\tdata//b%41");
        let (listed, found) = read(&text);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        let paths: Vec<&String> = listed.payload.keys().collect();
        assert_eq!(paths, ["data/100%\nx", "data/a.txt", "data/b%41"]);
    }

    #[test]
    fn what_qujat_writes_reads_back() {
        let text = crate::package::bagit::manifest([(A, "data/a b.pdf"), (B, "data/100%\nx.pdf")]);
        let (listed, found) = read(&text);
        assert!(found.problems.is_empty());
        let paths: Vec<&String> = listed.payload.keys().collect();
        assert_eq!(paths, ["data/100%\nx.pdf", "data/a b.pdf"]);
    }

    #[test]
    fn bad_whitespace_and_short_checksums_are_bad_lines() {
        for line in [
            format!(" {A}  data/a"),
            format!("{A}\u{a0}data/a"),
            format!("{A}  data/a "),
            A.to_owned(),
            "abc  data/a".to_owned(),
        ] {
            let (listed, found) = read(&line);
            assert!(listed.payload.is_empty(), "{line:?}");
            assert!(
                matches!(
                    found.problems[..],
                    [VerifyProblem::BadManifestLine { line: 1, .. }]
                ),
                "{line:?}: {:?}",
                found.problems
            );
        }
    }

    #[test]
    fn outside_paths_are_unsafe() {
        for path in ["/etc/passwd", "data/../../x", "../x", "C:/x", "data\\x"] {
            let (listed, found) = read(&format!("{A}  {path}"));
            assert!(listed.payload.is_empty());
            assert!(
                matches!(found.problems[..], [VerifyProblem::UnsafePath { .. }]),
                "{path}"
            );
        }
    }

    #[test]
    fn a_repeated_line_is_one_entry_and_a_conflict_is_a_problem() {
        let text = format!("{A}  data/a\n").repeat(10_000);
        let (listed, found) = read(&text);
        assert_eq!(listed.payload["data/a"].len(), 1);
        assert!(found.problems.is_empty());
        assert!(!found.warnings.is_empty());
        let (_, found) = read(&format!("{A}  data/a\n{B}  data/a\n"));
        assert!(matches!(
            found.problems[..],
            [VerifyProblem::ConflictingChecksums { .. }]
        ));
    }

    #[test]
    fn entries_are_capped() {
        let text: String = (0..MAX_ENTRIES + 10)
            .map(|i| format!("{A}  data/{i}\n"))
            .collect();
        let (listed, found) = read(&text);
        assert_eq!(listed.payload.len(), MAX_ENTRIES);
        assert!(matches!(
            found.problems[..],
            [VerifyProblem::TooManyEntries { .. }]
        ));
    }

    #[test]
    fn fetch_lines_name_payload_paths() {
        let mut found = Findings::default();
        let paths = fetch_list(
            "https://example.org/a 10 data/a b.txt\nhttp://x/y - data/c\nnonsense\nhttps://x/z 1 ../evil\n",
            &mut found,
        );
        assert_eq!(paths, ["data/a b.txt", "data/c"]);
        assert!(matches!(
            found.problems[..],
            [
                VerifyProblem::BadFetchLine { line: 3 },
                VerifyProblem::UnsafePath { .. }
            ]
        ));
    }
}
