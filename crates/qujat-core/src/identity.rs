//! One identity across documents: the applicant's name looked for in a
//! document's text, whatever script and spelling the document uses.
//!
//! The dossier holds the name in Latin letters as the passport prints it,
//! while an autobiography may be written in Cyrillic and a CV may spell
//! "Nataliya" for the passport's "NATALIIA". Every word is therefore
//! brought to one Latin form (ICAO 9303 transliteration of Russian and
//! Kazakh letters, diacritics and case dropped) and then to a *key* that
//! merges the usual variants (Aleksandr / Alexander, Natalia / Nataliia /
//! Nataliya, Yuri / Iurii): a name is the same name when the keys match.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::mrz::Mrz;

/// The applicant's name, split into surname and given names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    /// The surname's words ("Okafor"; "Garcia Lopez").
    pub surname: Vec<String>,
    /// The given names' words ("Daniel", "Chukwuemeka").
    pub given: Vec<String>,
}

impl PersonName {
    /// The dossier's one name string split into surname and given names.
    ///
    /// The dossier does not say which word is the surname. When a passport
    /// zone was read, its primary identifier says: the dossier words that
    /// match it are the surname. Otherwise the last word is taken as the
    /// surname, as "Daniel Chukwuemeka Okafor" is usually typed; since
    /// presence only asks for the surname and *one* given name in any order,
    /// a name typed surname-first is still found wherever it is complete.
    pub fn from_dossier(name: &str, mrz: Option<&Mrz>) -> PersonName {
        // An initial ("C." in "Daniel C. Okafor") would match any stray
        // letter of a text: only words of two letters or more count.
        let words: Vec<String> = words(name)
            .map(|(_, w)| w.to_owned())
            .filter(|w| w.chars().count() >= 2)
            .collect();
        if let Some(mrz) = mrz.filter(|m| m.valid) {
            let surname_keys: Vec<String> = words_of(&mrz.surname).map(|w| key(&w)).collect();
            let (surname, given): (Vec<String>, Vec<String>) = words
                .iter()
                .cloned()
                .partition(|w| surname_keys.contains(&key(w)));
            if !surname.is_empty() && surname.len() == surname_keys.len() {
                return PersonName { surname, given };
            }
        }
        match words.split_last() {
            Some((last, rest)) => PersonName {
                surname: vec![last.clone()],
                given: rest.to_vec(),
            },
            None => PersonName {
                surname: Vec::new(),
                given: Vec::new(),
            },
        }
    }
}

/// Whether, and how, a name appears in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// The surname and at least one given name appear, in any form.
    Found,
    /// Only part of the name appears: another surname next to the given
    /// name, or the surname with another given name. `found` is the name
    /// the text has there, as written.
    Different {
        /// The words around the part that matched, as written.
        found: String,
    },
    /// No part of the name appears.
    Missing,
}

/// Whether `name` appears in `text`: its surname (every word of it) and at
/// least one of its given names, each in any script or common spelling.
/// A CV signed "Daniel Okafor" carries "Daniel Chukwuemeka Okafor".
pub fn presence(text: &str, name: &PersonName) -> Presence {
    let tokens = tokens(text);
    let keys: Vec<String> = tokens.iter().map(|t| key(t.word)).collect();
    let find = |part: &str| {
        let k = key(part);
        keys.iter().position(|w| *w == k)
    };
    let surname_at: Vec<Option<usize>> = name.surname.iter().map(|p| find(p)).collect();
    let given_at = name.given.iter().find_map(|p| find(p));
    let surname_found = !surname_at.is_empty() && surname_at.iter().all(Option::is_some);
    if surname_found && (given_at.is_some() || name.given.is_empty()) {
        return Presence::Found;
    }
    let anchor = given_at.or_else(|| surname_at.iter().flatten().next().copied());
    match anchor {
        Some(at) => Presence::Different {
            found: name_around(text, &tokens, at),
        },
        None => Presence::Missing,
    }
}

/// Whether the dossier's name is spelled as the passport's zone spells it,
/// `None` when it is, else the zone's spelling ("ERIKSSON ANNA MARIA") to
/// show beside the dossier's.
///
/// Unlike [`presence`], spelling variants count here: the portal compares
/// the application with the passport letter for letter, so "Natalia" in
/// the dossier against "NATALIIA" in the zone is worth a warning. Only
/// what the zone cannot hold is forgiven: case, word order, hyphens and
/// apostrophes (fillers in the zone), and accents, written in the zone
/// either plainly or as ICAO 9303 Part 3 spells them out (Ü as U or UE). A
/// name too long for the zone is cut at its end, so when the name field is
/// full each zone word need only begin a dossier word. A zone that did not
/// verify says nothing.
pub fn mrz_name_differs(mrz: &Mrz, dossier: &str) -> Option<String> {
    if !mrz.valid {
        return None;
    }
    let zone: Vec<String> = words_of(&mrz.surname)
        .chain(words_of(&mrz.given_names))
        .map(|w| w.to_uppercase())
        .collect();
    let spelled = format!("{} {}", mrz.surname, mrz.given_names)
        .trim()
        .to_owned();
    let mut typed: Vec<(String, String)> = words(dossier)
        .map(|(_, w)| (latin(w).to_uppercase(), spelled_out(w).to_uppercase()))
        .collect();
    let name_line = if mrz.format == crate::mrz::MrzFormat::Td1 {
        2
    } else {
        0
    };
    let full = mrz.lines.get(name_line).is_some_and(|l| !l.ends_with('<'));
    let fits = |zone_word: &str, (plain, spelled): &(String, String)| {
        if full {
            plain.starts_with(zone_word) || spelled.starts_with(zone_word)
        } else {
            plain == zone_word || spelled == zone_word
        }
    };
    for word in &zone {
        match typed.iter().position(|t| fits(word, t)) {
            Some(at) => {
                typed.remove(at);
            }
            None => return Some(spelled),
        }
    }
    // Words the dossier has and the zone lacks differ too, unless the
    // zone ran out of room for them.
    if !typed.is_empty() && !full {
        return Some(spelled);
    }
    None
}

/// A Latin word with its accented letters spelled out as ICAO 9303 Part 3
/// allows (Ä as AE, Ö and Ø as OE, Ü as UE, Å as AA, Æ as AE), Cyrillic
/// transliterated.
fn spelled_out(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'æ' => out.push_str("ae"),
            'ö' | 'ø' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'å' => out.push_str("aa"),
            c => out.push_str(&latin(&c.to_string())),
        }
    }
    out
}

/// A word of a text with where it stands.
struct Token<'a> {
    start: usize,
    end: usize,
    word: &'a str,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    words(text)
        .map(|(start, word)| Token {
            start,
            end: start + word.len(),
            word,
        })
        .collect()
}

/// The words of `s` (runs of letters and digits) with their byte offsets.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// The words of an MRZ name field or a dossier name, owned.
fn words_of(s: &str) -> impl Iterator<Item = String> + '_ {
    words(s).map(|(_, w)| w.to_owned())
}

/// The name a text has around its word `at`: that word and the capitalised
/// words next to it on the same line ("Daniel Smith, engineer" gives
/// "Daniel Smith"), at most three either side.
fn name_around(text: &str, tokens: &[Token<'_>], at: usize) -> String {
    let joined = |a: &Token<'_>, b: &Token<'_>| {
        text[a.end..b.start]
            .chars()
            .all(|c| c == ' ' || c == '-' || c == '\u{a0}')
    };
    let capitalised = |t: &Token<'_>| t.word.chars().next().is_some_and(char::is_uppercase);
    let mut first = at;
    while first > 0
        && at - first < 3
        && joined(&tokens[first - 1], &tokens[first])
        && capitalised(&tokens[first - 1])
    {
        first -= 1;
    }
    let mut last = at;
    while last + 1 < tokens.len()
        && last - at < 3
        && joined(&tokens[last], &tokens[last + 1])
        && capitalised(&tokens[last + 1])
    {
        last += 1;
    }
    text[tokens[first].start..tokens[last].end].to_owned()
}

/// `s` in lowercase Latin letters: Cyrillic transliterated as ICAO 9303
/// Part 3 does (Kazakh letters as Kazakhstan's passports write them),
/// diacritics dropped; š, ž, č as sh, zh, ch, as their Cyrillic sources.
pub fn latin(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match cyrillic(c) {
            Some(l) => out.push_str(l),
            None => match c {
                'š' => out.push_str("sh"),
                'ž' => out.push_str("zh"),
                'č' => out.push_str("ch"),
                'ß' => out.push_str("ss"),
                c => out.extend(c.to_string().nfd().filter(|m| !is_combining_mark(*m))),
            },
        }
    }
    out
}

/// ICAO 9303 Part 3, Table "Transliteration of Cyrillic characters", with
/// the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І and the Ukrainian and Belarusian
/// ones a document from the region may hold.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'і' | 'ї' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'є' => "ie",
        'ы' => "y",
        'ь' => "",
        'ю' => "iu",
        'я' => "ia",
        'ә' => "a",
        'ғ' | 'ґ' => "g",
        'қ' => "k",
        'ң' => "n",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' => "h",
        _ => return None,
    })
}

/// The form of a word in which spelling variants of one name coincide.
///
/// On the Latin form: x as ks, q as k (Kazakh Latin), w as v, y and j as i,
/// kh and h alike, ph as f, ck as k, doubled letters once, and a word-
/// initial i before a vowel dropped (Yelena, Jelena, Elena; Iurii, Yuri).
/// Then the vowels after the first letter go: transliterations disagree
/// mostly on vowels (Aleksandr / Alexander, Natalia / Nataliia). Words
/// whose consonants are too few to tell apart ("Anna", "Li") keep their
/// vowels.
pub fn key(word: &str) -> String {
    let mut s = latin(word)
        .replace('x', "ks")
        .replace('q', "k")
        .replace('w', "v")
        .replace(['y', 'j'], "i")
        .replace("kh", "h")
        .replace("ph", "f")
        .replace("ck", "k");
    s.retain(char::is_alphanumeric);
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
    let mut chars: Vec<char> = s.chars().collect();
    chars.dedup();
    if chars.len() > 2 && chars[0] == 'i' && is_vowel(chars[1]) {
        chars.remove(0);
    }
    let skeleton: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| i == 0 || !is_vowel(c))
        .map(|(_, &c)| c)
        .collect();
    if skeleton.chars().count() >= 3 {
        skeleton
    } else {
        chars.into_iter().collect()
    }
}

#[cfg(test)]
mod tests;
