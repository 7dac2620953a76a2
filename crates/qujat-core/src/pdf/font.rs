//! The embedded font: measuring text, wrapping it, and collecting the
//! glyphs drawn so only those are embedded.
//!
//! Russian and Kazakh need glyphs no standard PDF font has, so DejaVu Sans
//! (shipped in `assets/fonts/`, Bitstream Vera licence, which permits
//! redistribution) is embedded, cut down to the glyphs used, with a ToUnicode
//! map so the text can be searched and copied. Kazakh letters (Ә, Ғ, Қ, Ң,
//! Ө, Ұ, Ү, Һ, І) are precomposed in DejaVu; text is NFC before it gets here,
//! so no shaping is needed.

use std::collections::BTreeMap;

pub(crate) static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The bundled font as one document uses it.
pub(crate) struct FontUse {
    pub(crate) face: ttf_parser::Face<'static>,
    pub(crate) units_per_em: f32,
    pub(crate) remapper: subsetter::GlyphRemapper,
    /// Width (1/1000 em) of each glyph in the subset, by its new id.
    pub(crate) widths: BTreeMap<u16, f32>,
    /// The character each glyph of the subset shows.
    pub(crate) unicode: BTreeMap<u16, char>,
}

impl FontUse {
    pub(crate) fn new() -> FontUse {
        // The font is compiled in and exercised by the tests: failing to
        // parse it is a build defect, not something a user can cause.
        let face = ttf_parser::Face::parse(FONT, 0).expect("the bundled DejaVu Sans parses");
        let units_per_em = f32::from(face.units_per_em());
        let mut remapper = subsetter::GlyphRemapper::new();
        remapper.remap(0); // .notdef keeps id 0
        FontUse {
            face,
            units_per_em,
            remapper,
            widths: BTreeMap::new(),
            unicode: BTreeMap::new(),
        }
    }

    pub(crate) fn glyph(&self, c: char) -> ttf_parser::GlyphId {
        self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0))
    }

    fn advance(&self, glyph: ttf_parser::GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0))
    }

    /// Width of `text` at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * size
            / self.units_per_em
    }

    /// `text` as two-byte glyph ids of the subset (Identity-H).
    pub(crate) fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let glyph = self.glyph(c);
            let new = self.remapper.remap(glyph.0);
            let width = self.advance(glyph) * 1000.0 / self.units_per_em;
            self.widths.insert(new, width);
            self.unicode.entry(new).or_insert(c);
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    /// Greedy word wrap to `width` points; words longer than a line (file
    /// names, hashes, web addresses) are broken between characters.
    pub(crate) fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.width(&line, size) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_lines_within_the_column() {
        let font = FontUse::new();
        let text = "Справка об отсутствии судимости, апостилированная или легализованная";
        let lines = font.wrap(text, 9.0, 120.0);
        assert!(lines.len() > 1, "a long name wraps: {lines:?}");
        for line in &lines {
            assert!(font.width(line, 9.0) <= 120.0, "{line} overflows");
        }
        let hash = "a".repeat(64);
        assert!(
            font.wrap(&hash, 9.0, 100.0).len() > 1,
            "a word wider than the column is broken"
        );
    }

    #[test]
    fn wrapping_loses_no_word_and_keeps_their_order() {
        let font = FontUse::new();
        let text = "Шетелдік IT мамандарға, ең алдымен жасанды интеллект саласындағы \
                    мамандарға, Қазақстанда тұрақты тұруға рұқсат";
        let lines = font.wrap(text, 10.0, 140.0);
        assert_eq!(
            lines.join(" "),
            text.split_whitespace().collect::<Vec<_>>().join(" "),
            "wrapping only chooses where lines end; every word prints once, in order"
        );
        assert_eq!(
            font.wrap("", 10.0, 100.0),
            vec![String::new()],
            "an empty text is one empty line, so a row keeps its height"
        );
    }

    #[test]
    fn kazakh_letters_have_glyphs_in_the_bundled_font() {
        let font = FontUse::new();
        for c in "ӘәҒғҚқҢңӨөҰұҮүҺһІі№—→☐•".chars() {
            assert_ne!(
                font.glyph(c).0,
                0,
                "{c} would print as an empty box in a PDF"
            );
        }
    }
}
