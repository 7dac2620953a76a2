//! Languages and translated text.
//!
//! Two kinds of text are translated:
//! * rule-pack text ([`Text`]), which lives in the packs next to the rules it
//!   describes, and
//! * the product's own messages (status reasons, errors, UI labels), which live
//!   in one catalogue per language under `locales/`. The CLI reads it through
//!   [`message`]; the UI imports the same JSON files at build time, so a string
//!   is translated once for both.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language Qujat speaks. English is the reference; Russian and Kazakh
/// (Cyrillic) may lag behind it in rule packs, never in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Lang {
    /// English.
    En,
    /// Russian.
    Ru,
    /// Kazakh, Cyrillic script.
    Kk,
}

impl Lang {
    /// All languages, in the order they are offered to the user.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Kk];

    /// The language's ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
        }
    }

    /// Parses an ISO 639-1 code; `None` for a language Qujat does not speak.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The language of the user's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`,
    /// the first one set), if Qujat speaks it. The CLI's default and the
    /// app's notifications before a language is chosen.
    pub fn of_locale() -> Option<Lang> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::from_code(v.get(..2).unwrap_or("")))
    }
}

/// A text with its translations. English is required; a missing translation
/// falls back to English, so a pack can be published before it is translated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Text {
    /// English.
    pub en: String,
    /// Russian, if translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ru: Option<String>,
    /// Kazakh, if translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kk: Option<String>,
}

impl Text {
    /// The text in `lang`, or in English where it is not translated yet.
    pub fn get(&self, lang: Lang) -> &str {
        let translated = match lang {
            Lang::En => None,
            Lang::Ru => self.ru.as_deref(),
            Lang::Kk => self.kk.as_deref(),
        };
        translated
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&self.en)
    }

    /// Whether the text has its own translation into `lang`.
    pub fn is_translated(&self, lang: Lang) -> bool {
        match lang {
            Lang::En => true,
            Lang::Ru => self.ru.as_deref().is_some_and(|t| !t.trim().is_empty()),
            Lang::Kk => self.kk.as_deref().is_some_and(|t| !t.trim().is_empty()),
        }
    }
}

type Catalogue = BTreeMap<String, String>;

const CATALOGUES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../locales/en.json")),
    (Lang::Ru, include_str!("../locales/ru.json")),
    (Lang::Kk, include_str!("../locales/kk.json")),
];

fn catalogue(lang: Lang) -> &'static Catalogue {
    static LOADED: OnceLock<Vec<(Lang, Catalogue)>> = OnceLock::new();
    let loaded = LOADED.get_or_init(|| {
        CATALOGUES
            .iter()
            .map(|(lang, json)| {
                // The catalogues are compiled in and checked by the tests below,
                // so a parse failure here is a build defect, not user input.
                let parsed: Catalogue = serde_json::from_str(json)
                    .unwrap_or_else(|e| panic!("locales/{}.json is not valid: {e}", lang.code()));
                (*lang, parsed)
            })
            .collect()
    });
    loaded
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, c)| c)
        .unwrap_or(&loaded[0].1)
}

/// The message for `key` in `lang`, with `{name}` placeholders filled from
/// `params`. Falls back to English, then to the key itself, so a missing
/// translation shows up as a visible key instead of an empty line.
pub fn message(lang: Lang, key: &str, params: &[(&str, String)]) -> String {
    let template = catalogue(lang)
        .get(key)
        .or_else(|| catalogue(Lang::En).get(key))
        .map(String::as_str)
        .unwrap_or(key);
    fill(template, params)
}

fn fill(template: &str, params: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Human-readable size: "812 KB", "9.6 MB" (base 1024, as file managers do).
pub fn format_size(bytes: u64) -> String {
    format_size_in(bytes, Lang::En)
}

/// A file size in `lang`'s units and number style, as the app shows it:
/// base 1024 (1 MB = 1,048,576 bytes, the unit rule packs give limits in),
/// at most one decimal and none when it is zero: "10 MB", "9,6 МБ".
pub fn format_size_in(bytes: u64, lang: Lang) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    let (key, n) = if b < KIB {
        ("bytes.b", bytes.to_string())
    } else if b < KIB * KIB {
        ("bytes.kb", format!("{:.0}", b / KIB))
    } else {
        let tenths = (b / (KIB * KIB) * 10.0).round() / 10.0;
        let text = if tenths.fract() == 0.0 {
            format!("{tenths:.0}")
        } else {
            format!("{tenths:.1}")
        };
        ("bytes.mb", text)
    };
    // Russian and Kazakh write a decimal comma.
    let n = match lang {
        Lang::En => n,
        _ => n.replace('.', ","),
    };
    message(lang, key, &[("n", n)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(format_size(512), "512 B");
        assert_eq!(format_size(2048), "2 KB");
        assert_eq!(format_size(10 * 1024 * 1024), "10 MB");
        assert_eq!(format_size(10 * 1024 * 1024 + 600 * 1024), "10.6 MB");
        assert_eq!(format_size_in(10 * 1024 * 1024, Lang::Kk), "10 МБ");
        assert_eq!(
            format_size_in(10 * 1024 * 1024 + 600 * 1024, Lang::Ru),
            "10,6 МБ"
        );
        assert_eq!(format_size_in(2048, Lang::Ru), "2 КБ");
    }

    #[test]
    fn every_language_has_exactly_the_english_keys() {
        let en: Vec<_> = catalogue(Lang::En).keys().collect();
        for lang in [Lang::Ru, Lang::Kk] {
            let other: Vec<_> = catalogue(lang).keys().collect();
            let missing: Vec<_> = en.iter().filter(|k| !other.contains(k)).collect();
            let extra: Vec<_> = other.iter().filter(|k| !en.contains(k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "locales/{}.json must mirror en.json; missing {missing:?}, extra {extra:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        let placeholders = |s: &str| {
            let mut names: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(n, _)| n.to_owned()))
                .collect();
            names.sort();
            names
        };
        for (key, en) in catalogue(Lang::En) {
            for lang in [Lang::Ru, Lang::Kk] {
                if let Some(other) = catalogue(lang).get(key) {
                    assert_eq!(
                        placeholders(en),
                        placeholders(other),
                        "{key} in {} must use the same placeholders as in English",
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn message_fills_parameters_and_falls_back_to_the_key() {
        assert_eq!(
            fill("{a} of {b}", &[("a", "1".into()), ("b", "2".into())]),
            "1 of 2"
        );
        assert_eq!(message(Lang::Kk, "no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn text_falls_back_to_english_when_untranslated() {
        let t = Text {
            en: "Passport".into(),
            ru: Some("Паспорт".into()),
            kk: Some(" ".into()),
        };
        assert_eq!(t.get(Lang::Ru), "Паспорт");
        assert_eq!(
            t.get(Lang::Kk),
            "Passport",
            "a blank translation counts as missing"
        );
        assert!(!t.is_translated(Lang::Kk));
    }
}
