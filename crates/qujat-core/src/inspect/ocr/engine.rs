//! Tesseract 5, through the `leptess` binding, **in the inspector child**.
//!
//! Two passes per page:
//!
//! 1. The whole page with the English, Russian and Kazakh models in page
//!    segmentation mode 1 (automatic, with orientation and script
//!    detection): Tesseract turns each block the right way up itself, and
//!    its hOCR says by how much (`textangle`), which the record keeps.
//! 2. Only when the first pass saw lines shaped like a machine-readable
//!    zone (runs of `<`): those lines again, cut out of the page and turned
//!    upright, with the English model alone and the zone's alphabet
//!    (`A-Z0-9<`) as a whitelist. The general models read `<` as `«` or
//!    `K` and mix Cyrillic look-alikes into the zone; this pass reads it the
//!    way passport readers do (see the platform notes).

use std::ffi::CString;

use leptess::tesseract::TessApi;

use super::raster::Gray;

/// The models of the first pass.
pub const PAGE_LANGUAGES: &str = "eng+rus+kaz";

/// A machine-readable zone's alphabet.
const MRZ_WHITELIST: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

/// Tesseract's page segmentation modes used here.
const PSM_AUTO_OSD: &str = "1";
const PSM_SINGLE_BLOCK: &str = "6";

/// What the first pass read on one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    /// The text, upright.
    pub text: String,
    /// Tesseract's mean word confidence, 0–100.
    pub confidence: u8,
    /// Degrees (clockwise) the page had to be turned to be read.
    pub rotation: u16,
    /// The lines that look like a machine-readable zone, as a rectangle
    /// `(left, top, width, height)` of the page as given.
    pub zone: Option<(u32, u32, u32, u32)>,
}

/// The engine, initialised once per child.
pub struct Engine {
    page: TessApi,
    /// The zone reader, made the first time a zone is seen.
    zone: Option<TessApi>,
    data_path: Option<String>,
}

impl Engine {
    /// Loads the three page models (and, through mode 1, the orientation
    /// model). Fails when a model is missing.
    pub fn new() -> Result<Engine, String> {
        let data_path = tessdata_dir();
        let mut page = TessApi::new(data_path.as_deref(), PAGE_LANGUAGES)
            .map_err(|_| format!("the OCR models ({PAGE_LANGUAGES}, osd) are not installed"))?;
        set(&mut page, "tessedit_pageseg_mode", PSM_AUTO_OSD)?;
        Ok(Engine {
            page,
            zone: None,
            data_path,
        })
    }

    /// First pass over one page.
    pub fn read_page(&mut self, image: &Gray) -> Result<PageText, String> {
        give_image(&mut self.page, image)?;
        let text = self
            .page
            .get_utf8_text()
            .map_err(|_| "the OCR engine returned no text".to_owned())?;
        let confidence = self.page.mean_text_conf().clamp(0, 100) as u8;
        // The hOCR of the recognition already made: no second recognition.
        let hocr = self.page.get_hocr_text(0).unwrap_or_default();
        let lines = hocr_lines(&hocr);
        Ok(PageText {
            text: tidy(&text),
            confidence,
            rotation: rotation(&lines),
            zone: zone_box(&lines, image.width, image.height),
        })
    }

    /// Second pass: the zone's rectangle of `image`, turned upright by
    /// `rotation`, read with the zone's alphabet.
    pub fn read_zone(
        &mut self,
        image: &Gray,
        zone: (u32, u32, u32, u32),
        rotation: u16,
    ) -> Result<String, String> {
        if self.zone.is_none() {
            let mut api = TessApi::new(self.data_path.as_deref(), "eng")
                .map_err(|_| "the English OCR model is not installed".to_owned())?;
            set(&mut api, "tessedit_pageseg_mode", PSM_SINGLE_BLOCK)?;
            set(&mut api, "tessedit_char_whitelist", MRZ_WHITELIST)?;
            self.zone = Some(api);
        }
        let Some(api) = self.zone.as_mut() else {
            return Err("no zone reader".into());
        };
        let (left, top, width, height) = zone;
        let cut = image
            .crop(left, top, width, height)
            .rotate_clockwise(rotation);
        give_image(api, &cut)?;
        let text = api
            .get_utf8_text()
            .map_err(|_| "the OCR engine returned no text".to_owned())?;
        // A zone has no spaces; Tesseract puts some where a glyph is wide.
        let lines: Vec<String> = tidy(&text)
            .lines()
            .map(|l| l.replace(' ', ""))
            .filter(|l| !l.is_empty())
            .collect();
        Ok(lines.join("\n"))
    }
}

fn set(api: &mut TessApi, name: &str, value: &str) -> Result<(), String> {
    let (Ok(name), Ok(value)) = (CString::new(name), CString::new(value)) else {
        return Err("bad OCR setting".into());
    };
    api.raw
        .set_variable(&name, &value)
        .map_err(|_| format!("the OCR engine refused {name:?}"))
}

fn give_image(api: &mut TessApi, image: &Gray) -> Result<(), String> {
    let (Ok(width), Ok(height)) = (i32::try_from(image.width), i32::try_from(image.height)) else {
        return Err("image too large".into());
    };
    api.raw
        .set_image(&image.pixels, width, height, 1, width)
        .map_err(|e| format!("the OCR engine refused the image: {e:?}"))?;
    // Scans seldom say their resolution; 300 dpi is what scanners and
    // phone apps default to, and keeps Tesseract from guessing wildly.
    api.raw.set_source_resolution(300);
    Ok(())
}

/// Where the models are: a `tessdata` folder shipped next to the program
/// (the Windows and macOS bundles), else Tesseract's own default (on
/// Debian, `/usr/share/tesseract-ocr/5/tessdata` from the model packages).
fn tessdata_dir() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    [
        dir.join("tessdata"),
        dir.join("resources").join("tessdata"),
        dir.join("../Resources/tessdata"),
        dir.join("../Resources/resources/tessdata"),
    ]
    .into_iter()
    .find(|d| d.join("eng.traineddata").is_file())
    .and_then(|d| d.to_str().map(str::to_owned))
}

/// Tesseract's text without its trailing blank lines and form feeds.
fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches(['\u{c}', ' ']))
        .collect();
    let mut out = lines.join("\n");
    while out.ends_with('\n') {
        out.pop();
    }
    out.trim_start_matches('\n').to_owned()
}

/// One text line of the hOCR: its box, its angle and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HocrLine {
    bbox: (u32, u32, u32, u32),
    angle: u16,
    text: String,
}

/// The lines of Tesseract's hOCR (its own, well-formed output: one span
/// per line, `title` with `bbox x0 y0 x1 y1` and `textangle N`, then one
/// span per word with the text HTML-escaped).
fn hocr_lines(hocr: &str) -> Vec<HocrLine> {
    let mut lines: Vec<HocrLine> = Vec::new();
    for span in hocr.split("<span class='").skip(1) {
        let Some((class, rest)) = span.split_once('\'') else {
            continue;
        };
        let title = rest
            .split_once("title=")
            .and_then(|(_, t)| {
                let quote = t.chars().next()?;
                t[1..].split(quote).next()
            })
            .unwrap_or("");
        match class {
            "ocr_line" | "ocr_header" | "ocr_textfloat" | "ocr_caption" => {
                let mut bbox = (0, 0, 0, 0);
                let mut angle = 0;
                for part in title.split(';') {
                    let mut words = part.split_whitespace();
                    match words.next() {
                        Some("bbox") => {
                            let n: Vec<u32> = words.filter_map(|w| w.parse().ok()).collect();
                            if let [x0, y0, x1, y1] = n[..] {
                                bbox = (x0, y0, x1, y1);
                            }
                        }
                        Some("textangle") => {
                            angle = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
                        }
                        _ => {}
                    }
                }
                lines.push(HocrLine {
                    bbox,
                    angle,
                    text: String::new(),
                });
            }
            "ocrx_word" => {
                let word = rest
                    .split_once('>')
                    .and_then(|(_, w)| w.split_once("</span>"))
                    .map_or("", |(w, _)| w);
                // Words may carry <strong>/<em>: keep only the text.
                let mut plain = String::new();
                let mut in_tag = false;
                for c in word.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => plain.push(c),
                        _ => {}
                    }
                }
                let plain = plain
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&");
                if let Some(line) = lines.last_mut() {
                    if !line.text.is_empty() {
                        line.text.push(' ');
                    }
                    line.text.push_str(&plain);
                }
            }
            _ => {}
        }
    }
    lines
}

/// The page's rotation: the angle most of its text has, weighted by length.
fn rotation(lines: &[HocrLine]) -> u16 {
    let mut weight = [0usize; 4];
    for line in lines {
        let slot = match line.angle {
            90 => 1,
            180 => 2,
            270 => 3,
            _ => 0,
        };
        weight[slot] += line.text.chars().count();
    }
    let best = (0..4).max_by_key(|&i| (weight[i], 4 - i)).unwrap_or(0);
    [0, 90, 180, 270][best]
}

/// Characters a general model makes of a zone's `<` filler.
fn is_filler(c: char) -> bool {
    matches!(c, '<' | '«' | '‹' | '≪')
}

/// The rectangle around lines that look like a machine-readable zone (at
/// least five fillers, or a run of three), with a margin of half a line.
fn zone_box(lines: &[HocrLine], width: u32, height: u32) -> Option<(u32, u32, u32, u32)> {
    let zone: Vec<&HocrLine> = lines
        .iter()
        .filter(|l| {
            let fillers = l.text.chars().filter(|&c| is_filler(c)).count();
            let run = l
                .text
                .chars()
                .collect::<Vec<_>>()
                .windows(3)
                .any(|w| w.iter().all(|&c| is_filler(c)));
            fillers >= 5 || run
        })
        .collect();
    if zone.is_empty() {
        return None;
    }
    let x0 = zone.iter().map(|l| l.bbox.0).min()?;
    let y0 = zone.iter().map(|l| l.bbox.1).min()?;
    let x1 = zone.iter().map(|l| l.bbox.2).max()?;
    let y1 = zone.iter().map(|l| l.bbox.3).max()?;
    // A line's thickness, across the text whichever way it runs.
    let line = zone
        .iter()
        .map(|l| (l.bbox.2 - l.bbox.0).min(l.bbox.3 - l.bbox.1))
        .max()
        .unwrap_or(0);
    let margin = line.max(8);
    let left = x0.saturating_sub(margin);
    let top = y0.saturating_sub(margin);
    let right = (x1 + margin).min(width);
    let bottom = (y1 + margin).min(height);
    Some((
        left,
        top,
        right.saturating_sub(left),
        bottom.saturating_sub(top),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOCR: &str = "<div class='ocr_page' id='page_1' title='image \"unknown\"; bbox 0 0 1500 1000'>\n\
        <span class='ocr_line' id='line_1_1' title=\"bbox 60 60 900 100; baseline 0 -8; textangle 180; x_size 30\">\n\
         <span class='ocrx_word' id='word_1_1' title='bbox 60 60 300 100; x_wconf 96'>PASSPORT</span>\n\
        </span>\n\
        <span class='ocr_line' id='line_1_2' title=\"bbox 50 850 1400 910; baseline 0 -9; textangle 180; x_size 40\">\n\
         <span class='ocrx_word' id='word_1_2' title='bbox 50 850 1400 910; x_wconf 80'>P&lt;UTOERIKSSON&lt;&lt;ANNA&lt;MARIA&lt;&lt;&lt;</span>\n\
        </span>\n\
        <span class='ocr_line' id='line_1_3' title=\"bbox 50 930 1400 990; textangle 180\">\n\
         <span class='ocrx_word' id='word_1_3' title='bbox 50 930 1400 990; x_wconf 80'><strong>L898902C36UTO</strong></span>\n\
        </span></div>";

    #[test]
    fn hocr_lines_give_boxes_angles_and_unescaped_words() {
        let lines = hocr_lines(HOCR);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].bbox, (50, 850, 1400, 910));
        assert_eq!(lines[1].angle, 180);
        assert_eq!(lines[1].text, "P<UTOERIKSSON<<ANNA<MARIA<<<");
        assert_eq!(lines[2].text, "L898902C36UTO");
        assert_eq!(rotation(&lines), 180);
    }

    #[test]
    fn the_zone_box_covers_the_filler_lines_with_a_margin() {
        let lines = hocr_lines(HOCR);
        // Only the line with fillers; the margin is its thickness (60 px).
        assert_eq!(zone_box(&lines, 1500, 1000), Some((0, 790, 1460, 180)));
        let plain = hocr_lines(&HOCR.replace("&lt;", "-"));
        assert_eq!(zone_box(&plain, 1500, 1000), None);
    }

    #[test]
    fn tidy_drops_form_feeds_and_blank_ends() {
        assert_eq!(tidy("\nA b \n\nC\n\u{c}\n"), "A b\n\nC");
    }
}
