//! The cover sheet: a PDF listing every requirement of the stage with its
//! file, size, pages and SHA-256, in the user's language.
//!
//! Russian and Kazakh need glyphs no standard PDF font has, so DejaVu Sans
//! (shipped in `assets/fonts/`, Bitstream Vera licence, which permits
//! redistribution) is embedded, cut down to the glyphs used, with a ToUnicode
//! map so the text can be searched and copied. Kazakh letters (Ә, Ғ, Қ, Ң,
//! Ө, Ұ, Ү, Һ, І) are precomposed in DejaVu; text is NFC before it gets here,
//! so no shaping is needed. The layout is a simple flow of text lines with
//! greedy word wrapping, split over as many A4 pages as it takes.
//!
//! The output is deterministic: no timestamps but the package date, no
//! random ids, a fixed subset tag.

use std::collections::BTreeMap;

use chrono::Datelike;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::io::Write as _;

use super::copy::{Context, Copied};
use super::PlannedFile;
use crate::i18n::message;
use crate::kind::FileKind;
use crate::report::format_size;

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 50.0;
const RIGHT: f32 = PAGE_W - 50.0;
const TOP: f32 = PAGE_H - 56.0;
const BOTTOM: f32 = 60.0;

// Table columns.
const COL_NUMBER: f32 = LEFT;
const COL_REQUIREMENT: f32 = LEFT + 22.0;
const REQUIREMENT_W: f32 = 176.0;
const COL_FILE: f32 = 254.0;
const FILE_W: f32 = 168.0;
const SIZE_RIGHT: f32 = 492.0;
const PAGES_RIGHT: f32 = RIGHT;

const BLACK: [f32; 3] = [0.0, 0.0, 0.0];
const GREY: [f32; 3] = [0.38, 0.38, 0.38];
const RED: [f32; 3] = [0.66, 0.07, 0.07];

/// Renders the cover sheet.
pub(crate) fn render(context: &Context, files: &[PlannedFile], copied: &[Copied]) -> Vec<u8> {
    let mut font = FontUse::new();
    let pages = layout(context, files, copied, &font);
    write_pdf(context, &pages, &mut font)
}

/// A drawing operation on a page, in PDF points from the bottom left.
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: [f32; 3],
        text: String,
    },
    Line {
        y: f32,
        width: f32,
        gray: f32,
    },
    Box {
        y: f32,
        height: f32,
        fill: [f32; 3],
        stroke: Option<[f32; 3]>,
    },
}

/// Lays text out top to bottom, starting a new page when one is full.
struct Flow<'a> {
    font: &'a FontUse,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'a> Flow<'a> {
    fn new(font: &'a FontUse) -> Flow<'a> {
        Flow {
            font,
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a flow always has a page")
    }

    /// Makes room for `height` points, on a new page if needed; returns
    /// whether a page was started.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.pages.push(Vec::new());
            self.y = TOP;
            true
        } else {
            false
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, color: [f32; 3], text: &str) {
        if !text.is_empty() {
            self.ops().push(Op::Text {
                x,
                y,
                size,
                color,
                text: text.to_owned(),
            });
        }
    }

    fn text_right(&mut self, right: f32, y: f32, size: f32, color: [f32; 3], text: &str) {
        let x = right - self.font.width(text, size);
        self.text(x, y, size, color, text);
    }

    /// A wrapped paragraph across the full width.
    fn paragraph(&mut self, text: &str, size: f32, color: [f32; 3]) {
        let leading = size * 1.35;
        for line in self.font.wrap(text, size, RIGHT - LEFT) {
            self.ensure(leading);
            self.y -= leading;
            let y = self.y;
            self.text(LEFT, y, size, color, &line);
        }
    }
}

fn layout(
    context: &Context,
    files: &[PlannedFile],
    copied: &[Copied],
    font: &FontUse,
) -> Vec<Vec<Op>> {
    let lang = context.lang;
    let m = |key: &str| message(lang, key, &[]);
    let mut flow = Flow::new(font);

    flow.y -= 20.0;
    let y = flow.y;
    flow.text(LEFT, y, 18.0, BLACK, &m("cover.title"));
    flow.y -= 8.0;
    flow.paragraph(&context.bag_name, 9.0, GREY);
    flow.y -= 10.0;

    let made_by = format!("Qujat {}", env!("CARGO_PKG_VERSION"));
    let details = [
        (
            m("cover.program"),
            format!(
                "{} ({}, {})",
                context.program_name, context.program_id, context.program_version
            ),
        ),
        (
            m("cover.stage"),
            format!("{} ({})", context.stage_name, context.stage_id),
        ),
        (m("cover.applicant"), context.applicant.clone()),
        (m("cover.dossier"), context.dossier_id.clone()),
        (m("cover.date"), context.date.to_string()),
        (m("cover.made-by"), made_by),
    ];
    let label_w = details
        .iter()
        .map(|(label, _)| font.width(label, 10.0))
        .fold(0.0, f32::max)
        + 12.0;
    for (label, value) in &details {
        let lines = font.wrap(value, 10.0, RIGHT - LEFT - label_w);
        for (i, line) in lines.iter().enumerate() {
            flow.ensure(14.0);
            flow.y -= 14.0;
            let y = flow.y;
            if i == 0 {
                flow.text(LEFT, y, 10.0, GREY, label);
            }
            flow.text(LEFT + label_w, y, 10.0, BLACK, line);
        }
    }

    if !context.blockers.is_empty() {
        let notice = message(
            lang,
            "cover.incomplete",
            &[("items", context.blockers.join("; "))],
        );
        let lines = font.wrap(&notice, 10.0, RIGHT - LEFT - 16.0);
        let height = lines.len() as f32 * 13.5 + 12.0;
        flow.y -= 14.0;
        flow.ensure(height);
        let top = flow.y;
        flow.ops().push(Op::Box {
            y: top - height,
            height,
            fill: [1.0, 0.93, 0.93],
            stroke: Some(RED),
        });
        flow.y -= 6.0;
        for line in lines {
            flow.y -= 13.5;
            let y = flow.y + 3.0;
            flow.text(LEFT + 8.0, y, 10.0, RED, &line);
        }
        flow.y = top - height;
    }

    flow.y -= 18.0;
    table_header(&mut flow, context);
    for row in &context.rows {
        let requirement_lines = font.wrap(&row.requirement, 9.0, REQUIREMENT_W);
        let (file_lines, original_lines, note_color) = match row.file {
            Some(i) => (
                font.wrap(&files[i].name, 9.0, FILE_W),
                font.wrap(&files[i].original_name, 7.0, FILE_W),
                BLACK,
            ),
            None => {
                let color = if row.blocking { RED } else { GREY };
                (
                    font.wrap(row.note.as_deref().unwrap_or(""), 9.0, FILE_W),
                    Vec::new(),
                    color,
                )
            }
        };
        let text_lines = requirement_lines.len().max(file_lines.len());
        let mut height = text_lines as f32 * 11.5 + original_lines.len() as f32 * 9.0 + 8.0;
        if row.file.is_some() {
            height += 10.0;
        }
        if flow.ensure(height) {
            table_header(&mut flow, context);
        }
        let top = flow.y;
        let first = top - 12.0;
        flow.text(COL_NUMBER, first, 9.0, BLACK, &row.number);
        for (i, line) in requirement_lines.iter().enumerate() {
            flow.text(COL_REQUIREMENT, first - i as f32 * 11.5, 9.0, BLACK, line);
        }
        for (i, line) in file_lines.iter().enumerate() {
            flow.text(COL_FILE, first - i as f32 * 11.5, 9.0, note_color, line);
        }
        let mut y = first - (file_lines.len().max(1) as f32 - 1.0) * 11.5;
        for line in &original_lines {
            y -= 9.0;
            flow.text(COL_FILE, y, 7.0, GREY, line);
        }
        if let Some(i) = row.file {
            let file = &files[i];
            flow.text_right(SIZE_RIGHT, first, 9.0, BLACK, &format_size(file.size));
            let pages = match (file.kind, copied[i].pages) {
                (FileKind::Pdf, Some(n)) => n.to_string(),
                _ => "—".to_owned(),
            };
            flow.text_right(PAGES_RIGHT, first, 9.0, BLACK, &pages);
            let hash_y = top - height + 6.0;
            let hash = format!(
                "SHA-256 {} · {} B",
                copied[i].sha256,
                group_digits(file.size)
            );
            flow.text(COL_REQUIREMENT, hash_y, 7.0, GREY, &hash);
        }
        flow.y = top - height;
        let y = flow.y;
        flow.ops().push(Op::Line {
            y,
            width: 0.4,
            gray: 0.75,
        });
    }

    flow.y -= 10.0;
    flow.paragraph(&m("cover.verify-hint"), 8.0, GREY);
    flow.pages
}

fn table_header(flow: &mut Flow<'_>, context: &Context) {
    let m = |key: &str| message(context.lang, key, &[]);
    flow.ensure(20.0);
    let top = flow.y;
    flow.ops().push(Op::Box {
        y: top - 18.0,
        height: 18.0,
        fill: [0.92, 0.93, 0.95],
        stroke: None,
    });
    let y = top - 12.5;
    flow.text(COL_NUMBER, y, 8.5, GREY, "№");
    flow.text(COL_REQUIREMENT, y, 8.5, GREY, &m("cover.col-requirement"));
    flow.text(COL_FILE, y, 8.5, GREY, &m("cover.col-file"));
    flow.text_right(SIZE_RIGHT, y, 8.5, GREY, &m("cover.col-size"));
    flow.text_right(PAGES_RIGHT, y, 8.5, GREY, &m("cover.col-pages"));
    flow.y = top - 18.0;
}

/// 1234567 → "1 234 567": readable, and the same in every language.
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

fn write_pdf(context: &Context, pages: &[Vec<Op>], font: &mut FontUse) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let tree_id = alloc();
    let info_id = alloc();
    let font_id = alloc();
    let cid_id = alloc();
    let descriptor_id = alloc();
    let font_file_id = alloc();
    let cmap_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(pages.len() as i32);
    let date = Date::new(context.date.year().clamp(0, 9999) as u16)
        .month(context.date.month() as u8)
        .day(context.date.day() as u8);
    let title = format!(
        "{} — {}",
        message(context.lang, "cover.title", &[]),
        context.bag_name
    );
    pdf.document_info(info_id)
        .title(TextStr(&title))
        .producer(TextStr(&format!("Qujat {}", env!("CARGO_PKG_VERSION"))))
        .creation_date(date);

    let total = pages.len();
    for (n, (ops, (page_id, content_id))) in pages.iter().zip(&page_ids).enumerate() {
        let mut content = Content::new();
        for op in ops {
            draw(&mut content, op, font);
        }
        let footer = message(
            context.lang,
            "cover.footer",
            &[("page", (n + 1).to_string()), ("pages", total.to_string())],
        );
        draw(
            &mut content,
            &Op::Text {
                x: LEFT,
                y: 32.0,
                size: 7.5,
                color: GREY,
                text: format!("{} · {footer}", context.bag_name),
            },
            font,
        );
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree_id)
            .contents(*content_id);
        page.resources().fonts().pair(Name(b"F1"), font_id);
        page.finish();
        let data = deflate(&content.finish());
        pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
    }

    // The font, cut down to the glyphs drawn above.
    let base_font = Name(b"QUJATA+DejaVuSans");
    pdf.type0_font(font_id)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base_font)
        .system_info(SYSTEM_INFO)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    {
        let mut widths = cid.widths();
        for (glyph, width) in &font.widths {
            widths.consecutive(*glyph, [*width]);
        }
    }
    cid.finish();
    let face = &font.face;
    let scale = 1000.0 / font.units_per_em;
    let bbox = face.global_bounding_box();
    pdf.font_descriptor(descriptor_id)
        .name(base_font)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            bbox.x_min as f32 * scale,
            bbox.y_min as f32 * scale,
            bbox.x_max as f32 * scale,
            bbox.y_max as f32 * scale,
        ))
        .italic_angle(0.0)
        .ascent(face.ascender() as f32 * scale)
        .descent(face.descender() as f32 * scale)
        .cap_height(face.capital_height().unwrap_or(face.ascender()) as f32 * scale)
        .stem_v(80.0)
        .font_file2(font_file_id);
    // Subsetting our own, known-good font only fails on a build defect; the
    // whole font still renders correctly, only bigger.
    let program = subsetter::subset(FONT, 0, &font.remapper).unwrap_or_else(|_| FONT.to_vec());
    let compressed = deflate(&program);
    pdf.stream(font_file_id, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), program.len() as i32);
    let mut cmap = UnicodeCmap::new(Name(b"Qujat-UTF16"), SYSTEM_INFO);
    for (glyph, c) in &font.unicode {
        cmap.pair(*glyph, *c);
    }
    pdf.cmap(cmap_id, &cmap.finish());
    pdf.finish()
}

const SYSTEM_INFO: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

fn draw(content: &mut Content, op: &Op, font: &mut FontUse) {
    match op {
        Op::Text {
            x,
            y,
            size,
            color,
            text,
        } => {
            let encoded = font.encode(text);
            content
                .begin_text()
                .set_fill_rgb(color[0], color[1], color[2])
                .set_font(Name(b"F1"), *size)
                .next_line(*x, *y)
                .show(Str(&encoded))
                .end_text();
        }
        Op::Line { y, width, gray } => {
            content
                .set_stroke_rgb(*gray, *gray, *gray)
                .set_line_width(*width)
                .move_to(LEFT, *y)
                .line_to(RIGHT, *y)
                .stroke();
        }
        Op::Box {
            y,
            height,
            fill,
            stroke,
        } => {
            content
                .set_fill_rgb(fill[0], fill[1], fill[2])
                .rect(LEFT, *y, RIGHT - LEFT, *height);
            match stroke {
                Some(s) => {
                    content
                        .set_stroke_rgb(s[0], s[1], s[2])
                        .set_line_width(0.8)
                        .fill_nonzero_and_stroke();
                }
                None => {
                    content.fill_nonzero();
                }
            }
        }
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// The embedded font: measuring text, and collecting the glyphs used.
struct FontUse {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    remapper: subsetter::GlyphRemapper,
    /// Width (1/1000 em) of each glyph in the subset, by its new id.
    widths: BTreeMap<u16, f32>,
    /// The character each glyph of the subset shows.
    unicode: BTreeMap<u16, char>,
}

impl FontUse {
    fn new() -> FontUse {
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

    fn glyph(&self, c: char) -> ttf_parser::GlyphId {
        self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0))
    }

    fn advance(&self, glyph: ttf_parser::GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0))
    }

    /// Width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * size
            / self.units_per_em
    }

    /// `text` as two-byte glyph ids of the subset (Identity-H).
    fn encode(&mut self, text: &str) -> Vec<u8> {
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
    /// names, hashes) are broken between characters.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
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
    fn kazakh_letters_have_glyphs_in_the_bundled_font() {
        let font = FontUse::new();
        for c in "ӘәҒғҚқҢңӨөҰұҮүҺһІі№—→".chars() {
            assert_ne!(
                font.glyph(c).0,
                0,
                "{c} would print as an empty box on the cover sheet"
            );
        }
    }

    #[test]
    fn digits_are_grouped_by_thousands() {
        assert_eq!(group_digits(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(group_digits(999), "999");
    }
}
