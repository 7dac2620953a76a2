//! The language a document is written in, for the packs' translation rules.
//!
//! whatlang identifies the language of each block of text. It has no
//! model for Kazakh, whose Cyrillic text it reports as Russian (or another
//! Cyrillic language); Kazakh is told by its own letters (Ә Ғ Қ Ң Ө Ұ Ү Һ),
//! which Russian never uses and Kazakh text uses in nearly every sentence.
//! A document may be bilingual (a police certificate in the local language
//! and English): every language holding a fair share of its text counts.

use isolang::Language;

/// The smallest share of a document's letters a language must hold to
/// count as one the document is written in.
const MIN_SHARE: f64 = 0.2;

/// Letters shorter than this are too short to identify reliably.
const MIN_BLOCK_LETTERS: usize = 40;

/// The languages `text` is written in, as ISO 639-1 codes (639-3 where a
/// language has no two-letter code), the one holding most text first.
/// Empty when the text is too short or too unusual to tell.
pub fn languages(text: &str) -> Vec<String> {
    let mut shares: Vec<(String, usize)> = Vec::new();
    let mut total = 0usize;
    for block in blocks(text) {
        let letters = block.chars().filter(|c| c.is_alphabetic()).count();
        let Some(code) = block_language(&block) else {
            continue;
        };
        total += letters;
        match shares.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += letters,
            None => shares.push((code, letters)),
        }
    }
    shares.sort_by_key(|&(_, letters)| std::cmp::Reverse(letters));
    shares
        .into_iter()
        .filter(|&(_, n)| total > 0 && n as f64 / total as f64 >= MIN_SHARE)
        .map(|(code, _)| code)
        .collect()
}

/// Whether `code` is a language [`languages`] can report, as rule packs
/// name it (ISO 639-1, lowercase).
pub fn is_detectable(code: &str) -> bool {
    code == "kk"
        || Language::from_639_1(code).is_some_and(|l| {
            whatlang::Lang::all()
                .iter()
                .any(|w| Language::from_639_3(w.code()) == Some(l))
        })
}

/// The text in blocks of at least [`MIN_BLOCK_LETTERS`] letters: runs of
/// lines, cut at blank lines, so the two halves of a bilingual page are
/// told apart.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
    for line in text.lines() {
        if line.trim().is_empty() && letters(&current) >= MIN_BLOCK_LETTERS {
            out.push(std::mem::take(&mut current));
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    if letters(&current) >= MIN_BLOCK_LETTERS {
        out.push(current);
    } else if let Some(last) = out.last_mut() {
        last.push_str(&current);
    }
    out
}

/// The language of one block, if whatlang is sure of it.
fn block_language(block: &str) -> Option<String> {
    let info = whatlang::detect(block)?;
    if info.script() == whatlang::Script::Cyrillic && is_kazakh(block) {
        return Some("kk".to_owned());
    }
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    Some(
        Language::from_639_3(code)
            .and_then(|l| l.to_639_1())
            .unwrap_or(code)
            .to_owned(),
    )
}

/// Whether Cyrillic text is Kazakh: at least one letter in a hundred is
/// one only Kazakh has (і is left out: Ukrainian and Belarusian have it).
fn is_kazakh(text: &str) -> bool {
    let cyrillic = text
        .chars()
        .filter(|c| matches!(c, 'А'..='я' | 'Ё' | 'ё') || is_kazakh_letter(*c))
        .count();
    let kazakh = text.chars().filter(|c| is_kazakh_letter(*c)).count();
    cyrillic > 0 && kazakh * 100 >= cyrillic
}

fn is_kazakh_letter(c: char) -> bool {
    matches!(
        c,
        'Ә' | 'ә'
            | 'Ғ'
            | 'ғ'
            | 'Қ'
            | 'қ'
            | 'Ң'
            | 'ң'
            | 'Ө'
            | 'ө'
            | 'Ұ'
            | 'ұ'
            | 'Ү'
            | 'ү'
            | 'Һ'
            | 'һ'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RU: &str = "Настоящая справка выдана в том, что гражданин не имеет судимости \
        и не находится в розыске на территории Республики Казахстан.";
    const KK: &str = "Бұл анықтама азаматтың сотталмағанын және Қазақстан Республикасының \
        аумағында іздеуде жүрмегенін растау үшін берілді.";
    const EN: &str = "This is to certify that the person named below has no criminal \
        record in the national police database as of the date of issue.";
    const DE: &str = "Hiermit wird bescheinigt, dass die unten genannte Person im \
        Bundeszentralregister keine Eintragungen hat und nicht vorbestraft ist.";

    #[test]
    fn russian_kazakh_and_other_languages_are_told_apart() {
        assert_eq!(languages(RU), ["ru"]);
        assert_eq!(languages(KK), ["kk"]);
        assert_eq!(languages(EN), ["en"]);
        assert_eq!(languages(DE), ["de"]);
    }

    #[test]
    fn both_halves_of_a_bilingual_certificate_count() {
        let text = format!("{DE}\n\n{EN}\n{EN}");
        assert_eq!(languages(&text), ["en", "de"]);
    }

    #[test]
    fn too_little_text_tells_nothing() {
        assert!(languages("Ada Lovelace").is_empty());
        assert!(languages("").is_empty());
        assert!(languages("12.03.2024 № 55/1").is_empty());
    }

    #[test]
    fn packs_may_name_the_languages_detection_knows() {
        for code in ["kk", "ru", "en", "de", "uz"] {
            assert!(is_detectable(code), "{code}");
        }
        for code in ["xx", "KK", "rus", ""] {
            assert!(!is_detectable(code), "{code}");
        }
    }
}
