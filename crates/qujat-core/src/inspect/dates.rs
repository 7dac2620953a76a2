//! Calendar dates written in a document's text: "14.03.2025", "2025-03-14",
//! "14/03/2025", "14 March 2025", "March 14, 2025", "14 марта 2025 г.",
//! "2025 жылғы 14 наурыз". Modest on purpose: these are only offered to the
//! user as suggestions for the issue and expiry dates, never used silently,
//! so a missed date costs a keystroke and a wrong one costs nothing.

use chrono::NaiveDate;

/// Month names and the prefixes that identify them, lowercase. Russian and
/// Kazakh inflect month names ("марта", "наурызда"), so a word counts when it
/// starts with one of these stems.
const MONTHS: [(u32, &[&str]); 12] = [
    (1, &["january", "jan", "январ", "янв", "қаңтар"]),
    (2, &["february", "feb", "феврал", "фев", "ақпан"]),
    (3, &["march", "mar", "март", "наурыз"]),
    (4, &["april", "apr", "апрел", "апр", "сәуір"]),
    (5, &["may", "мая", "май", "мамыр"]),
    (6, &["june", "jun", "июн", "маусым"]),
    (7, &["july", "jul", "июл", "шілде"]),
    (8, &["august", "aug", "август", "авг", "тамыз"]),
    (
        9,
        &["september", "sept", "sep", "сентябр", "сен", "қыркүйек"],
    ),
    (10, &["october", "oct", "октябр", "окт", "қазан"]),
    (11, &["november", "nov", "ноябр", "ноя", "қараша"]),
    (12, &["december", "dec", "декабр", "дек", "желтоқсан"]),
];

/// Years a document date can plausibly have; outside them a number pattern
/// is a reference number, not a date.
const YEARS: std::ops::RangeInclusive<i32> = 1950..=2100;

/// The dates found in `text`, in order of first appearance, without
/// repeats, at most `cap`.
pub fn find_dates(text: &str, cap: usize) -> Vec<NaiveDate> {
    let tokens = tokenize(text);
    let mut found: Vec<NaiveDate> = Vec::new();
    let push = |d: NaiveDate, found: &mut Vec<NaiveDate>| {
        if YEARS.contains(&chrono::Datelike::year(&d)) && !found.contains(&d) {
            found.push(d);
        }
    };
    let mut i = 0;
    while i < tokens.len() && found.len() < cap {
        let t = &tokens[i];
        if let Some(d) = numeric(t) {
            push(d, &mut found);
            i += 1;
            continue;
        }
        let next = |k: usize| tokens.get(i + k).map(String::as_str);
        // 14 March 2025 / 14 марта 2025
        if let (Some(day), Some(month), Some(year)) = (
            day_of(t),
            next(1).and_then(month_of),
            next(2).and_then(year_of),
        ) {
            if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                push(d, &mut found);
                i += 3;
                continue;
            }
        }
        // March 14 2025 (the comma is gone with the punctuation)
        if let (Some(month), Some(day), Some(year)) = (
            month_of(t),
            next(1).and_then(day_of),
            next(2).and_then(year_of),
        ) {
            if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                push(d, &mut found);
                i += 3;
                continue;
            }
        }
        // 2025 жылғы 14 наурыз / 2025 14 March
        if let Some(year) = year_of(t) {
            let skip = usize::from(next(1).is_some_and(|w| w.starts_with("жыл")));
            if let (Some(day), Some(month)) = (
                next(1 + skip).and_then(day_of),
                next(2 + skip).and_then(month_of),
            ) {
                if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                    push(d, &mut found);
                    i += 3 + skip;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

/// Words and numbers, lowercase; dots, slashes and dashes stay inside a
/// token so numeric dates survive whole.
fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '/' | '-')))
        .map(|t| t.trim_matches(|c| matches!(c, '.' | '/' | '-')))
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// dd.mm.yyyy, dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd. Day first: that is how
/// Kazakhstan, Russia and most of the world write it.
fn numeric(token: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = token.split(['.', '/', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(a) && all_digits(b) && all_digits(c)) {
        return None;
    }
    if a.len() == 4 && b.len() <= 2 && c.len() <= 2 && token.contains('-') {
        return NaiveDate::from_ymd_opt(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
    }
    if a.len() <= 2 && b.len() <= 2 && c.len() == 4 {
        return NaiveDate::from_ymd_opt(c.parse().ok()?, b.parse().ok()?, a.parse().ok()?);
    }
    None
}

fn day_of(token: &str) -> Option<u32> {
    let token = token.trim_end_matches(|c: char| c.is_alphabetic()); // 14th, 1st
    (token.len() <= 2)
        .then(|| token.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

fn year_of(token: &str) -> Option<i32> {
    (token.len() == 4)
        .then(|| token.parse().ok())
        .flatten()
        .filter(|y| YEARS.contains(y))
}

fn month_of(token: &str) -> Option<u32> {
    if token.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(_, stems)| {
            stems.iter().any(|stem| {
                // Short English abbreviations must be the whole word ("mar",
                // not "marriage"); longer stems may be inflected.
                if stem.is_ascii() && stem.len() <= 4 {
                    token == *stem
                } else {
                    token.starts_with(stem)
                }
            })
        })
        .map(|(m, _)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn numeric_dates_are_read_day_first_and_iso() {
        assert_eq!(
            find_dates("Issued 14.03.2025, valid to 2030-03-13; ref 01/02/2024", 10),
            [d(2025, 3, 14), d(2030, 3, 13), d(2024, 2, 1)]
        );
    }

    #[test]
    fn month_names_in_english_russian_and_kazakh() {
        assert_eq!(
            find_dates("Date of issue: 14 March 2025. Expires March 13, 2030.", 10),
            [d(2025, 3, 14), d(2030, 3, 13)]
        );
        assert_eq!(
            find_dates("Выдано 5 августа 2024 г.", 10),
            [d(2024, 8, 5)],
            "Russian month names are inflected (августа)"
        );
        assert_eq!(
            find_dates("2024 жылғы 5 тамыз берілді", 10),
            [d(2024, 8, 5)]
        );
    }

    #[test]
    fn numbers_that_are_not_dates_are_left_alone() {
        assert!(
            find_dates(
                "Passport N12345678, tel. 8-701-123-45-67, 31.02.2025, 12.12.1812",
                10
            )
            .is_empty(),
            "phone numbers, impossible days and implausible years are not dates"
        );
        assert!(
            find_dates("Married in 2010 to marriage 14", 10).is_empty(),
            "\"marriage\" is not March"
        );
    }

    #[test]
    fn repeats_are_dropped_and_the_cap_holds() {
        assert_eq!(
            find_dates("01.01.2025 01.01.2025 02.01.2025 03.01.2025", 2),
            [d(2025, 1, 1), d(2025, 1, 2)]
        );
    }
}
