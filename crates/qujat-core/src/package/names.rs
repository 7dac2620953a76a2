//! File and folder names that every system can store and every reader can read.
//!
//! A package is made on one system and opened on another: a name that Linux
//! stores happily (`CON.pdf`, `notes.`, `a:b`) cannot be extracted on Windows,
//! and the same Cyrillic name typed on macOS (decomposed, NFD) and on Windows
//! (composed, NFC) is two different byte strings unless it is normalised. So
//! every name Qujat writes goes through [`safe_name`]: NFC, no characters
//! Windows forbids, no reserved device names, no trailing dots or spaces, no
//! leading dot (hidden files), and a length that leaves room for the folder
//! it is extracted into. Letters of any script are kept as they are: a Kazakh
//! name stays readable instead of being transliterated or percent-encoded.

use unicode_normalization::UnicodeNormalization;

/// The longest name Qujat writes, in bytes of UTF-8. Windows allows 255
/// UTF-16 units per name but 260 characters for a whole path in many tools,
/// and a package is usually extracted a few folders deep.
pub const MAX_NAME_BYTES: usize = 100;

/// Device names Windows reserves in every folder, with or without extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The text in Unicode normalisation form C (composed), as Windows and Linux
/// store names and as BagIt manifests should list them.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// A safe, readable file name made of `stem` and `extension` (without its
/// dot; may be empty), at most `max_bytes` long, keeping the extension when it
/// has to shorten the stem.
pub fn safe_name(stem: &str, extension: &str, max_bytes: usize) -> String {
    let extension: String = clean(extension)
        .chars()
        .filter(|c| *c != '.' && *c != ' ')
        .collect();
    let suffix = if extension.is_empty() {
        String::new()
    } else {
        format!(".{extension}")
    };
    let mut stem = clean(stem);
    if stem.is_empty() {
        stem = "file".to_owned();
    }
    // The stem's first part (before any dot) is what Windows compares with its
    // device names: `con.tar.gz` is as reserved as `CON`.
    let device = stem.split('.').next().unwrap_or("").trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(device)) {
        stem = format!("{device}_{}", &stem[device.len()..]);
    }
    let budget = max_bytes.saturating_sub(suffix.len()).max(1);
    let stem = trim_end_unsafe(truncate(&stem, budget));
    let stem = if stem.is_empty() { "file" } else { stem };
    format!("{stem}{suffix}")
}

/// NFC; forbidden and control characters replaced; runs of white space made
/// one space; leading dots and spaces and trailing dots and spaces removed.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_was_space = false;
    for c in text.nfc() {
        let c = if c.is_control()
            || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
        {
            '_'
        } else {
            c
        };
        if c.is_whitespace() {
            if !last_was_space {
                out.push(' ');
            }
            last_was_space = true;
        } else {
            out.push(c);
            last_was_space = false;
        }
    }
    let trimmed = out.trim_start_matches(['.', ' ']);
    trim_end_unsafe(trimmed).to_owned()
}

/// Windows silently drops trailing dots and spaces, so `a.` and `a` collide.
fn trim_end_unsafe(text: &str) -> &str {
    text.trim_end_matches(['.', ' '])
}

/// The longest prefix of `text` of at most `max_bytes`, cut at a character
/// boundary (never in the middle of a Cyrillic letter's two bytes).
fn truncate(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether `path` (with `/` separators, as inside a ZIP or a manifest) stays
/// inside the folder it is relative to: not absolute, no drive letter, no
/// `..` or empty components, no backslashes or NUL. A package is treated as
/// hostile input; anything else is refused, never opened.
pub fn is_safe_relative_path(path: &str) -> bool {
    if path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path.starts_with('~')
    {
        return false;
    }
    let bytes = path.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' {
        return false;
    }
    path.split('/')
        .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_and_russian_letters_stay_readable_and_composed() {
        // "Ә" written as A-with-combining-mark would not match the composed
        // form another system writes; NFC makes them one name.
        let decomposed = "A\u{0306}лия Ғабитқызы";
        let name = safe_name(decomposed, "pdf", MAX_NAME_BYTES);
        assert_eq!(
            name,
            nfc("A\u{0306}лия Ғабитқызы.pdf"),
            "letters are kept, only normalised"
        );
        assert!(
            name.contains('\u{0102}'),
            "A + breve composes to one letter"
        );
        assert_eq!(
            safe_name("Әлия Ғабитқызы", "pdf", MAX_NAME_BYTES),
            "Әлия Ғабитқызы.pdf"
        );
        assert_eq!(
            safe_name("Паспорт  копия", "jpg", MAX_NAME_BYTES),
            "Паспорт копия.jpg",
            "runs of spaces collapse to one"
        );
    }

    #[test]
    fn names_windows_cannot_store_are_made_storable() {
        assert_eq!(safe_name("CON", "pdf", 100), "CON_.pdf");
        assert_eq!(
            safe_name("lpt9.backup", "pdf", 100),
            "lpt9_.backup.pdf",
            "a device name is reserved whatever follows the dot"
        );
        assert_eq!(
            safe_name("CONSENT", "pdf", 100),
            "CONSENT.pdf",
            "only whole device names"
        );
        assert_eq!(safe_name("report. . ", "pdf", 100), "report.pdf");
        assert_eq!(
            safe_name("a:b<c>d|e?f*g\"h", "pdf", 100),
            "a_b_c_d_e_f_g_h.pdf"
        );
        assert_eq!(safe_name("../../etc/passwd", "", 100), "_.._etc_passwd");
        assert_eq!(
            safe_name(".DS_Store", "", 100),
            "DS_Store",
            "no hidden files"
        );
        assert_eq!(safe_name("tab\there", "pdf", 100), "tab_here.pdf");
        assert_eq!(safe_name("...", "pdf", 100), "file.pdf");
        assert_eq!(safe_name("", "", 100), "file");
    }

    #[test]
    fn long_names_are_cut_at_a_letter_boundary_and_keep_their_extension() {
        let long = "Қазақстан Республикасының ".repeat(20);
        let name = safe_name(&long, "pdf", MAX_NAME_BYTES);
        assert!(name.len() <= MAX_NAME_BYTES, "{} bytes", name.len());
        assert!(name.ends_with(".pdf"), "the extension survives: {name}");
        assert!(
            !name.contains(" .pdf"),
            "no space left before the dot: {name}"
        );
    }

    #[test]
    fn unsafe_paths_in_a_package_are_recognised() {
        for bad in [
            "../x",
            "data/../../x",
            "/etc/passwd",
            "C:/x",
            "data\\x",
            "data//x",
            "~/x",
            "",
            "./data/x",
        ] {
            assert!(!is_safe_relative_path(bad), "{bad:?} must be refused");
        }
        for good in ["data/01-cv.pdf", "bag/data/Әлия.pdf", "bagit.txt"] {
            assert!(is_safe_relative_path(good), "{good:?} is fine");
        }
    }
}
