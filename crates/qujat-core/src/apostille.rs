//! Whether a document's text shows an apostille.
//!
//! The Hague Convention of 5 October 1961 (Article 4 and its Annex) fixes
//! the certificate's heading: every apostille, in whatever language it is
//! filled in, carries "Apostille (Convention de La Haye du 5 octobre
//! 1961)" in French. That heading is a fact of the Convention, not a rule
//! of Kazakhstan's, so it lives here rather than in a rule pack; the packs
//! say which documents need one (`legalization`).
//!
//! Not seeing it proves nothing: the apostille may be a separate sheet, or
//! a stamp the text layer or OCR missed. So what this says is information.

use crate::identity::latin;

/// Whether `text` holds the apostille's heading: the word "Apostille" and
/// the Convention's French name or date. Matched on letters and digits
/// only, case and accents ignored, because OCR splits the stamp's lines
/// and spaces unpredictably ("Convention de La / Haye du 5 octobre 1961").
pub fn seen(text: &str) -> bool {
    let mut folded = latin(text);
    folded.retain(char::is_alphanumeric);
    folded.contains("apostille")
        && (folded.contains("conventiondelahaye") || folded.contains("5octobre1961"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conventions_heading_is_seen_however_ocr_splits_it() {
        assert!(seen(
            "APOSTILLE\n(Convention de La Haye du 5 octobre 1961)\n1. Country: Nigeria"
        ));
        assert!(seen("Apostille (Convention de La\nHaye du 5 octobre 1961)"));
        assert!(seen(
            "APOSTILLE   (Convention de la Haye du 5  Octobre 1961)"
        ));
        // A Kazakh apostille: the heading stays French, the rest is not.
        assert!(seen(
            "АПОСТИЛЬ\nApostille (Convention de La Haye du 5 octobre 1961)\n1. Мемлекет: Қазақстан Республикасы"
        ));
    }

    #[test]
    fn a_word_apostille_alone_is_not_the_certificate() {
        assert!(!seen("The diploma needs an apostille before submission."));
        assert!(!seen(
            "Certificate of no criminal record, issued 5 October 2024"
        ));
        assert!(!seen(""));
    }
}
