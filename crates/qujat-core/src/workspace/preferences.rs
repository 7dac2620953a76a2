//! The user's preferences (the UI language and colour theme), kept in the
//! store behind typed methods, so no adapter writes a setting by its key.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Workspace;
use crate::error::Result;
use crate::i18n::Lang;

const LANGUAGE_KEY: &str = "ui.language";
const THEME_KEY: &str = "ui.theme";

/// The window's colours: as the system prefers, or always light or dark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Theme {
    /// As the system prefers.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    fn code(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The stored code's theme; anything unknown follows the system.
    fn from_code(code: &str) -> Theme {
        match code {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

/// One preference the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    /// The UI language.
    Language(Lang),
    /// The colour theme.
    Theme(Theme),
}

/// The preferences as chosen; `language` is `None` until the user picks one
/// (the UI then follows the system's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Preferences {
    /// The chosen UI language.
    pub language: Option<Lang>,
    /// The chosen theme.
    pub theme: Theme,
}

impl Preferences {
    /// These preferences with `choice` applied (the app keeps choices made
    /// before the data folder has a key this way, and saves them later).
    pub fn with(mut self, choice: Preference) -> Preferences {
        match choice {
            Preference::Language(lang) => self.language = Some(lang),
            Preference::Theme(theme) => self.theme = theme,
        }
        self
    }
}

impl Workspace {
    /// The preferences saved in this data folder.
    pub fn preferences(&self) -> Result<Preferences> {
        Ok(Preferences {
            language: self
                .store
                .setting(LANGUAGE_KEY)?
                .as_deref()
                .and_then(Lang::from_code),
            theme: self
                .store
                .setting(THEME_KEY)?
                .map_or(Theme::System, |code| Theme::from_code(&code)),
        })
    }

    /// Saves one preference.
    pub fn set_preference(&self, choice: Preference) -> Result<()> {
        match choice {
            Preference::Language(lang) => self.store.set_setting(LANGUAGE_KEY, lang.code()),
            Preference::Theme(theme) => self.store.set_setting(THEME_KEY, theme.code()),
        }
    }

    /// The language for messages Qujat shows on its own (notifications):
    /// the one chosen, else the locale's, else English.
    pub fn notice_language(&self) -> Result<Lang> {
        Ok(self
            .preferences()?
            .language
            .or_else(Lang::of_locale)
            .unwrap_or(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OpenOptions;

    #[test]
    fn preferences_are_saved_typed_and_an_unknown_stored_code_falls_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = Workspace::open(OpenOptions::new(dir.path()).packs(Vec::new())).expect("open");
        assert_eq!(ws.preferences().expect("read"), Preferences::default());
        ws.set_preference(Preference::Language(Lang::Kk))
            .expect("save");
        ws.set_preference(Preference::Theme(Theme::Dark))
            .expect("save");
        let saved = ws.preferences().expect("read");
        assert_eq!(saved.language, Some(Lang::Kk));
        assert_eq!(saved.theme, Theme::Dark);
        assert_eq!(ws.notice_language().expect("lang"), Lang::Kk);

        // A value written by a newer Qujat, or by hand, is not an error.
        ws.store.set_setting(THEME_KEY, "sepia").expect("raw");
        ws.store.set_setting(LANGUAGE_KEY, "tlh").expect("raw");
        let odd = ws.preferences().expect("read");
        assert_eq!(odd.theme, Theme::System);
        assert_eq!(odd.language, None);
    }

    #[test]
    fn choices_made_before_a_key_apply_in_order() {
        let chosen = Preferences::default()
            .with(Preference::Language(Lang::Ru))
            .with(Preference::Theme(Theme::Light))
            .with(Preference::Language(Lang::En));
        assert_eq!(chosen.language, Some(Lang::En));
        assert_eq!(chosen.theme, Theme::Light);
    }
}
