//! A PDF saved without its encryption, in the child. lopdf decrypts every
//! string and stream with the key the password opens (RC4, AES-128 and
//! AES-256 handlers) and the file is written again with the same objects:
//! the same pages and content, nothing rendered or re-encoded. A PDF with
//! usage restrictions only opens with the empty user password, so it needs
//! none from the user.
//!
//! A digital signature covers the encrypted bytes, so it cannot survive
//! decryption in any tool; its dictionary and appearance stay in the file.

use lopdf::Document;

use super::combine::save;
use super::{FixFacts, FixProblem, FixResult, Made};
use crate::kind::{self, FileKind};

/// The PDF in `bytes` without encryption, opened with `password` if it
/// needs one.
pub fn unlock(bytes: &[u8], password: Option<&str>) -> FixResult {
    if kind::detect(&bytes[..bytes.len().min(kind::SNIFF_LEN)]) != FileKind::Pdf {
        return Err(FixProblem::InputUnsupported {
            input: 1,
            kind: kind::detect(&bytes[..bytes.len().min(kind::SNIFF_LEN)]),
        });
    }
    let loaded = std::panic::catch_unwind(|| match password {
        // lopdf tries the empty password first, then this one.
        Some(password) => {
            Document::load_mem_with_options(bytes, lopdf::LoadOptions::with_password(password))
        }
        None => Document::load_mem(bytes),
    });
    let mut doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(lopdf::Error::InvalidPassword)) => return Err(FixProblem::WrongPassword),
        Ok(Err(_)) | Err(_) => return Err(FixProblem::InputUnreadable { input: 1 }),
    };
    if doc.is_encrypted() {
        // Still encrypted after loading: the empty password did not open it.
        return Err(if password.is_some() {
            FixProblem::WrongPassword
        } else {
            FixProblem::NeedsPassword
        });
    }
    if !doc.was_encrypted() {
        return Err(FixProblem::NotEncrypted);
    }
    let pages = u32::try_from(doc.get_pages().len()).unwrap_or(u32::MAX);
    // The file identifier was part of the key; a new file may keep it.
    let bytes = save(&mut doc)?;
    Ok(Made {
        facts: FixFacts {
            kind: FileKind::Pdf,
            size: bytes.len() as u64,
            pages,
            dpi: None,
        },
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_that_is_not_encrypted_has_nothing_to_unlock() {
        let plain = crate::inspect::test_pdf::text_pdf("Unlocked already");
        assert_eq!(unlock(&plain, None), Err(FixProblem::NotEncrypted));
        assert_eq!(
            unlock(b"\xff\xd8\xff not a pdf", None),
            Err(FixProblem::InputUnsupported {
                input: 1,
                kind: FileKind::Jpeg
            })
        );
    }
}
