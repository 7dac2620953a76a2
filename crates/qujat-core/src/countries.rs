//! Countries by ISO 3166-1 alpha-2 code, named in the three languages.
//!
//! The names come from Debian's iso-codes, generated into
//! `data/countries.json` by `scripts/gen-countries.py` and embedded here, so
//! Windows and macOS builds have them too. The UI imports the same file for
//! its searchable list.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::i18n::Lang;

/// One country with its names.
#[derive(Debug, Clone, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub code: String,
    /// English name.
    pub en: String,
    /// Russian name.
    pub ru: String,
    /// Kazakh name.
    pub kk: String,
}

fn table() -> &'static HashMap<String, Country> {
    static TABLE: OnceLock<HashMap<String, Country>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is ours and checked by a test; an empty table would make
        // every code unknown, which the tests catch.
        let list: Vec<Country> =
            serde_json::from_str(include_str!("../data/countries.json")).unwrap_or_default();
        list.into_iter().map(|c| (c.code.clone(), c)).collect()
    })
}

/// The country with this code (upper case), if ISO 3166-1 has it.
pub fn country(code: &str) -> Option<&'static Country> {
    table().get(code)
}

/// Whether `code` is an ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    country(code).is_some()
}

/// The country's name in `lang`; the code itself if unknown.
pub fn country_name(code: &str, lang: Lang) -> String {
    match country(code) {
        Some(c) => match lang {
            Lang::En => c.en.clone(),
            Lang::Ru => c.ru.clone(),
            Lang::Kk => c.kk.clone(),
        },
        None => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iso_country_is_named_in_three_languages() {
        assert!(table().len() >= 249, "iso-codes lists 249 countries");
        let de = country("DE").expect("Germany");
        assert_eq!((de.en.as_str(), de.ru.as_str()), ("Germany", "Германия"));
        assert_eq!(country_name("KZ", Lang::Kk), "Қазақстан");
        assert!(
            !is_country("XX") && !is_country("de"),
            "codes are upper case ISO"
        );
    }
}
