//! The machine-readable zone of travel documents (ICAO 9303): passports
//! (TD3), ID cards (TD1, TD2) and visas (MRV-A, MRV-B).
//!
//! The OCR side of the inspector calls [`read`] over the text it read, and
//! keeps what it returns in the inspection record. OCR confuses letters and
//! digits that look alike (O/0, I/1, B/8, S/5, Z/2) and reads the filler
//! `<` as K; each zone position is either numeric, alphabetic or both
//! (ICAO 9303 Part 3), so the first two are corrected by where they stand,
//! and where a position may hold either, the check digits decide: the read
//! with the fewest changes that makes every check digit pass is taken, and
//! only when it is the only one.

mod check_digit;
mod layout;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use check_digit::{compute as check_digit, verifies as check_digit_verifies};
use layout::{Class, Spec};

/// Which ICAO 9303 layout a zone has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum MrzFormat {
    /// Passport: two lines of 44.
    Td3,
    /// ID card: three lines of 30.
    Td1,
    /// ID card: two lines of 36.
    Td2,
    /// Visa: two lines of 44.
    MrvA,
    /// Visa: two lines of 36.
    MrvB,
}

/// A machine-readable zone as read, with its check digits verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Mrz {
    /// The layout.
    pub format: MrzFormat,
    /// Whether every check digit (and the composite, where there is one)
    /// verified. A zone is only offered to the user when it did.
    pub valid: bool,
    /// The raw lines, after the by-position corrections.
    pub lines: Vec<String>,
    /// "P", "I", "V", … as printed (fillers removed).
    pub document_type: String,
    /// ICAO code of the issuing state or organisation.
    pub issuing_state: String,
    /// Primary identifier, fillers turned to spaces.
    pub surname: String,
    /// Secondary identifier, fillers turned to spaces.
    pub given_names: String,
    /// Document number, fillers removed.
    pub document_number: String,
    /// ICAO code of the nationality.
    pub nationality: String,
    /// Date of birth; the century is chosen so that it lies in the past.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub birth_date: Option<NaiveDate>,
    /// "M", "F" or "X" (unspecified).
    pub sex: String,
    /// Date of expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub expiry_date: Option<NaiveDate>,
}

impl Mrz {
    /// The names with OCR's misreadings of the fillers between them undone
    /// where the page's printed text (the visual zone: "Given names: ANNA
    /// MARIA") explains them. OCR reads the zone's `<` as K, E, X or C often
    /// enough ("ANNAKMARIAK") that a name compared letter by letter would
    /// differ for nothing; names carry no check digit, so only words the
    /// page prints are trusted, and a name the page does not explain is
    /// left as read.
    pub fn with_printed_names(mut self, printed: &str) -> Mrz {
        let words: Vec<String> = printed
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 2)
            .map(str::to_uppercase)
            .collect();
        self.surname = explained(&self.surname, &words).unwrap_or(self.surname);
        self.given_names = explained(&self.given_names, &words).unwrap_or(self.given_names);
        self
    }

    /// The given names without the "words" that fillers misread as K, E,
    /// X or C leave after them ("ANNA MARIA K K KE"): from the first such
    /// word on, when all the rest are such words. Only for a name line OCR
    /// misread (a clean one may hold a name like "EK").
    fn without_filler_words(mut self) -> Mrz {
        let mut words: Vec<&str> = self.given_names.split(' ').collect();
        let filler = |w: &&str| w.bytes().all(|b| matches!(b, b'K' | b'E' | b'X' | b'C'));
        if let Some(at) = (1..words.len()).find(|&i| words[i..].iter().all(filler)) {
            words.truncate(at);
            self.given_names = words.join(" ");
        }
        self
    }
}

/// `read` (a name as the zone gave it, words separated by spaces) as words
/// the page prints, with the filler's misreadings between and after them
/// dropped, or `None` when the printed words do not account for it all.
fn explained(read: &str, printed: &[String]) -> Option<String> {
    let letters: Vec<char> = read.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out: Vec<String> = Vec::new();
    let mut at = 0;
    while at < letters.len() {
        let longest = printed
            .iter()
            .filter(|w| {
                let w: Vec<char> = w.chars().collect();
                letters[at..].starts_with(&w)
            })
            .max_by_key(|w| w.chars().count());
        match longest {
            Some(word) => {
                at += word.chars().count();
                out.push(word.clone());
            }
            // Only the filler's usual misreadings may stand between words.
            None if matches!(letters[at], 'K' | 'E' | 'X' | 'C') && !out.is_empty() => at += 1,
            None => return None,
        }
    }
    let joined = out.join(" ");
    (!out.is_empty() && joined != read).then_some(joined)
}

/// Finds and parses a machine-readable zone in OCR text, with today's date
/// choosing the centuries. `None` when no zone-shaped lines are there; a
/// zone whose check digits fail comes back with `valid: false`.
pub fn read(text: &str) -> Option<Mrz> {
    read_on(text, chrono::Local::now().date_naive())
}

/// [`read`] as seen on `today` (which decides the centuries of two-digit
/// years), for tests and for callers that already know the day.
pub fn read_on(text: &str, today: NaiveDate) -> Option<Mrz> {
    let lines: Vec<Vec<u8>> = text.lines().filter_map(zone_line).collect();
    let mut first_invalid = None;
    for start in 0..lines.len() {
        for spec in layout::SPECS {
            let Some(window) = lines.get(start..start + spec.lines) else {
                continue;
            };
            let Some(zone) = fit(spec, window) else {
                continue;
            };
            // A name line of the wrong length was misread: its fillers
            // may have become letters.
            let misread = window[spec.name.0].len() != spec.width;
            let tidy = |mrz: Mrz| {
                if misread {
                    mrz.without_filler_words()
                } else {
                    mrz
                }
            };
            if zone.iter().any(|l| l.len() != spec.width) {
                if let Some(mrz) = undouble(spec, zone, today) {
                    return Some(tidy(mrz));
                }
                continue;
            }
            let mrz = tidy(parse(spec, zone, today));
            if mrz.valid {
                return Some(mrz);
            }
            first_invalid.get_or_insert(mrz);
        }
    }
    first_invalid
}

/// A text line as zone characters, or `None` when it cannot be one: OCR
/// puts spaces between characters and renders the filler as « or similar;
/// anything else outside `A–Z 0–9 <` means ordinary text.
fn zone_line(line: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(48);
    for c in line.chars() {
        match c {
            c if c.is_whitespace() => {}
            '<' | '«' | '‹' | '＜' | '〈' => out.push(b'<'),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_uppercase() as u8),
            _ => return None,
        }
    }
    // The shortest zone line is TD1's 30; OCR may drop a filler or two,
    // and reads a long run of fillers in a name line as more, or fewer,
    // characters than there are.
    (27..=52).contains(&out.len()).then_some(out)
}

/// `window` as the lines of a `spec` zone, or `None` when they do not have
/// its shape. Only the name line may be off by a few characters: it ends
/// in fillers, which OCR drops or doubles (the data lines end in check
/// digits, so their length is never guessed).
fn fit(spec: &Spec, window: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let mut zone = Vec::with_capacity(window.len());
    for (i, line) in window.iter().enumerate() {
        let mut line = line.clone();
        if i == spec.name.0 && line.len() != spec.width {
            // OCR may drop most of a long run of fillers; the names carry
            // no check digit, so the line only has to hold the names.
            if line.len() < spec.width / 2 {
                return None;
            }
            // The fillers' usual misreadings, K, E, X and C, at the end.
            while line.len() > spec.width
                && matches!(line.last(), Some(b'<' | b'K' | b'E' | b'X' | b'C'))
            {
                line.pop();
            }
            line.resize(spec.width, b'<');
        }
        if line.len() != spec.width && line.len() != spec.width + 1 {
            return None;
        }
        zone.push(line);
    }
    // A data line one character too long: OCR doubled a character. Which
    // one is found by the check digits in `undouble`, never guessed here.
    if zone.iter().any(|l| l.len() != spec.width) {
        return Some(zone);
    }
    if !spec.accepts(&zone) {
        return None;
    }
    Some(zone)
}

/// A zone whose data line has one character too many, with the one whose
/// removal makes every check digit pass removed: `None` unless exactly one
/// removal does (the check digits decide, so nothing is guessed).
fn undouble(spec: &Spec, zone: Vec<Vec<u8>>, today: NaiveDate) -> Option<Mrz> {
    let long = zone.iter().position(|l| l.len() == spec.width + 1)?;
    if zone.iter().filter(|l| l.len() != spec.width).count() != 1 {
        return None;
    }
    let classes = spec.classes();
    let mut readings = Vec::new();
    for cut in 0..zone[long].len() {
        // Removing either of two equal neighbours gives the same line.
        if cut > 0 && zone[long][cut] == zone[long][cut - 1] {
            continue;
        }
        let mut candidate = zone.clone();
        candidate[long].remove(cut);
        if !spec.accepts(&candidate) {
            continue;
        }
        // Only the by-position corrections: with the search over ambiguous
        // characters as well, many removals could be made to verify.
        let candidate = corrected(spec, &classes, candidate);
        if spec.verifies(&candidate) {
            readings.push(fields(spec, candidate, true, today));
        }
    }
    match readings.len() {
        1 => readings.pop(),
        _ => None,
    }
}

/// The by-position corrections, the search over ambiguous positions, and
/// the fields.
fn parse(spec: &Spec, zone: Vec<Vec<u8>>, today: NaiveDate) -> Mrz {
    let classes = spec.classes();
    let mut zone = corrected(spec, &classes, zone);
    let valid = match settle(spec, &classes, &zone) {
        Some(settled) => {
            zone = settled;
            true
        }
        None => false,
    };
    fields(spec, zone, valid, today)
}

/// The by-position corrections alone.
fn corrected(spec: &Spec, classes: &[Vec<Class>], mut zone: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    for (l, line) in zone.iter_mut().enumerate() {
        for (p, c) in line.iter_mut().enumerate() {
            *c = correct(classes[l][p], *c);
        }
    }
    for (l, start, end) in spec.filler_tails() {
        fix_filler_tail(&mut zone[l][start..end]);
    }
    zone
}

/// A character corrected for the kind of position it stands in.
fn correct(class: Class, c: u8) -> u8 {
    match class {
        Class::Digit | Class::Check => match c {
            b'O' | b'Q' | b'D' | b'U' => b'0',
            b'I' | b'L' | b'T' => b'1',
            b'Z' => b'2',
            b'S' => b'5',
            b'G' => b'6',
            b'B' => b'8',
            // A check digit over a field of fillers may be a filler.
            b'K' if class == Class::Check => b'<',
            c => c,
        },
        Class::Alpha => match c {
            b'0' => b'O',
            b'1' => b'I',
            b'2' => b'Z',
            b'5' => b'S',
            b'6' => b'G',
            b'8' => b'B',
            c => c,
        },
        Class::Sex => match c {
            b'K' => b'<',
            b'H' | b'N' => b'M',
            c => c,
        },
        Class::AlphaNum => c,
    }
}

/// The other reading of a character in a position that may hold letters
/// and digits.
fn alternative(c: u8) -> Option<u8> {
    Some(match c {
        b'0' => b'O',
        b'O' => b'0',
        b'1' => b'I',
        b'I' => b'1',
        b'8' => b'B',
        b'B' => b'8',
        b'5' => b'S',
        b'S' => b'5',
        b'2' => b'Z',
        b'Z' => b'2',
        b'K' => b'<',
        _ => return None,
    })
}

/// Fillers misread as K at the end of a field: the run of `<` and `K` that
/// ends the field is fillers from its first `<` on ("ANNA<MARIA<K<KK"),
/// while K's before that first `<` end a name ("JACK<<<").
fn fix_filler_tail(field: &mut [u8]) {
    let tail = field
        .iter()
        .rev()
        .take_while(|&&c| c == b'<' || c == b'K')
        .count();
    let start = field.len() - tail;
    if let Some(first) = field[start..].iter().position(|&c| c == b'<') {
        for c in &mut field[start + first..] {
            *c = b'<';
        }
    }
}

/// The zone with every check digit passing, changing as few ambiguous
/// characters as possible (up to two), or `None` when no such reading
/// exists or two differ equally little: a guess is worse than no read.
fn settle(spec: &Spec, classes: &[Vec<Class>], zone: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if spec.verifies(zone) {
        return Some(zone.to_vec());
    }
    let ambiguous: Vec<(usize, usize, u8)> = zone
        .iter()
        .enumerate()
        .flat_map(|(l, line)| {
            line.iter()
                .enumerate()
                .filter(move |&(p, _)| classes[l][p] == Class::AlphaNum)
                .filter_map(move |(p, &c)| alternative(c).map(|a| (l, p, a)))
        })
        .collect();
    let mut found = Vec::new();
    for &(l, p, a) in &ambiguous {
        let mut z = zone.to_vec();
        z[l][p] = a;
        if spec.verifies(&z) {
            found.push(z);
        }
    }
    if found.is_empty() {
        for (i, &(l1, p1, a1)) in ambiguous.iter().enumerate() {
            for &(l2, p2, a2) in &ambiguous[i + 1..] {
                let mut z = zone.to_vec();
                z[l1][p1] = a1;
                z[l2][p2] = a2;
                if spec.verifies(&z) {
                    found.push(z);
                }
            }
        }
    }
    match found.len() {
        1 => found.pop(),
        _ => None,
    }
}

fn fields(spec: &Spec, zone: Vec<Vec<u8>>, valid: bool, today: NaiveDate) -> Mrz {
    let text = |(l, start, len): (usize, usize, usize)| -> String {
        String::from_utf8_lossy(&zone[l][start..start + len]).into_owned()
    };
    let trimmed = |s: String| s.trim_matches('<').to_owned();
    let (name_line, name_start) = spec.name;
    let name = text((name_line, name_start, spec.width - name_start));
    let (surname, given) = name.split_once("<<").unwrap_or((name.as_str(), ""));
    let words = |s: &str| {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let sex = match text(spec.sex).as_str() {
        "M" => "M".to_owned(),
        "F" => "F".to_owned(),
        _ => "X".to_owned(),
    };
    let birth = text(spec.birth);
    let expiry = text(spec.expiry);
    Mrz {
        format: spec.format,
        valid,
        document_type: trimmed(text(spec.doc_type)),
        issuing_state: trimmed(text(spec.state)),
        surname: words(surname),
        given_names: words(given),
        document_number: spec.document_number(&zone),
        nationality: trimmed(text(spec.nationality)),
        birth_date: yymmdd(&birth).and_then(|(y, m, d)| birth_day(y, m, d, today)),
        sex,
        expiry_date: yymmdd(&expiry).and_then(|(y, m, d)| expiry_day(y, m, d, today)),
        lines: zone
            .into_iter()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect(),
    }
}

fn yymmdd(s: &str) -> Option<(i32, u32, u32)> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((
        s[0..2].parse().ok()?,
        s[2..4].parse().ok()?,
        s[4..6].parse().ok()?,
    ))
}

/// A birthday lies in the past: this century unless that is after today.
fn birth_day(yy: i32, m: u32, d: u32, today: NaiveDate) -> Option<NaiveDate> {
    let century = today.year() / 100 * 100;
    NaiveDate::from_ymd_opt(century + yy, m, d)
        .filter(|&date| date <= today)
        .or_else(|| NaiveDate::from_ymd_opt(century - 100 + yy, m, d))
}

/// An expiry lies within fifty years either side of today (no travel
/// document is valid for longer).
fn expiry_day(yy: i32, m: u32, d: u32, today: NaiveDate) -> Option<NaiveDate> {
    let century = today.year() / 100 * 100;
    [century - 100, century, century + 100]
        .into_iter()
        .filter_map(|c| NaiveDate::from_ymd_opt(c + yy, m, d))
        .find(|date| (date.year() - today.year()).abs() <= 50)
}

#[cfg(test)]
mod tests;
