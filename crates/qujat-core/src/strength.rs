//! How hard a new passphrase is to guess, and the one rule every place that
//! sets one applies (the data-key passphrase and a backup's, in the app and
//! the CLI). zxcvbn estimates the guesses an attacker needs from dictionaries,
//! keyboard patterns, dates and repeats, which length or character-class
//! rules do not: "Password1!" passes those and is among the first guesses.
//! The slow key derivation (Argon2id, scrypt) multiplies each guess's cost,
//! but not enough to save "abc".

use serde::Serialize;
use ts_rs::TS;

/// The lowest zxcvbn score accepted (0–4): 3 is "safely unguessable" (about
/// 10^10 guesses), zxcvbn's own threshold for "not too weak".
pub const MIN_SCORE: u8 = 3;

/// Why a passphrase is easy to guess: zxcvbn's warning as a code the
/// catalogues translate (`strength.reason.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum WeakReason {
    /// Too short or too plain, without a more specific pattern.
    TooSimple,
    /// Rows or short patterns of keys ("qwerty", "zxcv").
    KeyboardPattern,
    /// Repeated characters or groups ("aaa", "abcabc").
    Repeats,
    /// Among the most common passwords, or close to one.
    Common,
    /// A sequence ("abc", "1234").
    Sequence,
    /// A year or a date.
    Date,
    /// A single dictionary word.
    SingleWord,
    /// A name or surname.
    Name,
}

/// The strength of a passphrase as the user types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PassphraseStrength {
    /// zxcvbn's score, 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// Whether the score reaches [`MIN_SCORE`], so Qujat accepts it.
    pub acceptable: bool,
    /// What makes it weak, when it is.
    pub reason: Option<WeakReason>,
}

/// Estimates how hard `pass` is to guess.
pub fn assess(pass: &str) -> PassphraseStrength {
    let entropy = zxcvbn::zxcvbn(pass, &[]);
    let score = u8::from(entropy.score());
    let acceptable = score >= MIN_SCORE;
    let reason = if acceptable {
        None
    } else {
        Some(
            entropy
                .feedback()
                .and_then(|f| f.warning())
                .map(reason_of)
                .unwrap_or(WeakReason::TooSimple),
        )
    };
    PassphraseStrength {
        score,
        acceptable,
        reason,
    }
}

/// Why a new passphrase is refused: it is empty, or too easy to guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Nothing but spaces.
    Empty,
    /// Too easy to guess, and the reason the user is shown.
    Weak(WeakReason),
}

/// Refuses a new passphrase that is empty or too easy to guess, with the
/// reason the user is shown (and a hint the catalogues add to it). The
/// refusal becomes an [`crate::error::Error`] with `?`; this module names
/// no error type of its own, so the error module can name its reasons.
pub fn require_strong(pass: &str) -> Result<(), Weakness> {
    if pass.trim().is_empty() {
        return Err(Weakness::Empty);
    }
    let strength = assess(pass);
    match strength.reason {
        Some(reason) if !strength.acceptable => Err(Weakness::Weak(reason)),
        _ => Ok(()),
    }
}

fn reason_of(warning: zxcvbn::feedback::Warning) -> WeakReason {
    use zxcvbn::feedback::Warning as W;
    match warning {
        W::StraightRowsOfKeysAreEasyToGuess | W::ShortKeyboardPatternsAreEasyToGuess => {
            WeakReason::KeyboardPattern
        }
        W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            WeakReason::Repeats
        }
        W::ThisIsATop10Password
        | W::ThisIsATop100Password
        | W::ThisIsACommonPassword
        | W::ThisIsSimilarToACommonlyUsedPassword => WeakReason::Common,
        W::SequencesLikeAbcAreEasyToGuess => WeakReason::Sequence,
        W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess => WeakReason::Date,
        W::AWordByItselfIsEasyToGuess => WeakReason::SingleWord,
        W::NamesAndSurnamesByThemselvesAreEasyToGuess | W::CommonNamesAndSurnamesAreEasyToGuess => {
            WeakReason::Name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weakest_are_refused_with_a_reason() {
        for weak in ["abc", "x", "password", "qwerty", "12345678", "aaaaaaaa"] {
            let s = assess(weak);
            assert!(!s.acceptable, "{weak} accepted with score {}", s.score);
            assert!(s.reason.is_some(), "{weak} has no reason");
            assert!(
                matches!(require_strong(weak), Err(Weakness::Weak(_))),
                "{weak}"
            );
        }
        assert_eq!(assess("password").reason, Some(WeakReason::Common));
        assert_eq!(
            assess("zxcvbnm,./").reason,
            Some(WeakReason::KeyboardPattern)
        );
    }

    #[test]
    fn a_few_random_words_are_accepted() {
        let s = assess("violet tundra harbour kettle");
        assert!(s.acceptable && s.score >= MIN_SCORE, "{s:?}");
        assert_eq!(s.reason, None);
        assert_eq!(require_strong("violet tundra harbour kettle"), Ok(()));
    }

    #[test]
    fn empty_is_its_own_error() {
        assert_eq!(require_strong(""), Err(Weakness::Empty));
        assert_eq!(require_strong("   "), Err(Weakness::Empty));
    }
}
