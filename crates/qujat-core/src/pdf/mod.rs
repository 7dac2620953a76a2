//! The PDFs Qujat writes itself: the package cover sheet, the printable
//! checklist and the demo's sample documents.
//!
//! One small machinery for all of them: drawing operations ([`Op`]) laid
//! out top to bottom by a [`Flow`] on A4 pages, then written with
//! `pdf-writer` and the embedded, subset DejaVu Sans ([`FontUse`]). There is
//! no layout engine: text is placed line by line with greedy word wrapping,
//! which is all a checklist or a cover sheet needs, and keeps the output
//! deterministic (the same input gives the same bytes).

mod font;

use chrono::{Datelike, NaiveDate};
use flate2::write::ZlibEncoder;
use flate2::Compression;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::io::Write as _;

pub(crate) use font::FontUse;

use crate::i18n::Lang;

/// A4 width in points.
pub(crate) const PAGE_W: f32 = 595.28;
/// A4 height in points.
pub(crate) const PAGE_H: f32 = 841.89;

pub(crate) const BLACK: [f32; 3] = [0.0, 0.0, 0.0];
pub(crate) const GREY: [f32; 3] = [0.38, 0.38, 0.38];
pub(crate) const RED: [f32; 3] = [0.66, 0.07, 0.07];

/// The printable area of a page: text stays between `left` and `right`,
/// and between `top` and `bottom` (points from the bottom left).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub(crate) left: f32,
    pub(crate) right: f32,
    pub(crate) top: f32,
    pub(crate) bottom: f32,
}

impl Frame {
    pub(crate) fn width(&self) -> f32 {
        self.right - self.left
    }
}

/// A drawing operation on a page, in PDF points from the bottom left.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: [f32; 3],
        text: String,
    },
    /// Text turned `degrees` anticlockwise about its start: watermarks.
    TurnedText {
        x: f32,
        y: f32,
        size: f32,
        color: [f32; 3],
        degrees: f32,
        text: String,
    },
    Line {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        gray: f32,
    },
    Box {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        fill: Option<[f32; 3]>,
        stroke: Option<[f32; 3]>,
    },
}

impl Op {
    /// The lowest and highest y the operation touches (text by its
    /// baseline and size, which is close enough to keep it off the margins).
    #[cfg(test)]
    pub(crate) fn y_range(&self) -> (f32, f32) {
        match self {
            Op::Text { y, size, .. } | Op::TurnedText { y, size, .. } => {
                (*y - size * 0.25, *y + size)
            }
            Op::Line { y, .. } => (*y, *y),
            Op::Box { y, height, .. } => (*y, *y + height),
        }
    }

    /// The same operation `dy` points higher.
    pub(crate) fn shifted(mut self, dy: f32) -> Op {
        match &mut self {
            Op::Text { y, .. }
            | Op::TurnedText { y, .. }
            | Op::Line { y, .. }
            | Op::Box { y, .. } => *y += dy,
        }
        self
    }
}

/// A strip of a page that must not be split: a line of a table row, or a
/// whole row. Its operations are placed with `y` measured from the band's
/// top (so they are zero or negative).
#[derive(Debug, Clone, Default)]
pub(crate) struct Band {
    pub(crate) height: f32,
    pub(crate) ops: Vec<Op>,
}

/// Lays content out top to bottom, starting a new page when one is full.
pub(crate) struct Flow<'a> {
    pub(crate) font: &'a FontUse,
    pub(crate) frame: Frame,
    pub(crate) pages: Vec<Vec<Op>>,
    pub(crate) y: f32,
}

impl<'a> Flow<'a> {
    pub(crate) fn new(font: &'a FontUse, frame: Frame) -> Flow<'a> {
        Flow {
            font,
            frame,
            pages: vec![Vec::new()],
            y: frame.top,
        }
    }

    pub(crate) fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a flow always has a page")
    }

    /// Makes room for `height` points, on a new page if needed; returns
    /// whether a page was started.
    pub(crate) fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < self.frame.bottom && self.y < self.frame.top {
            self.pages.push(Vec::new());
            self.y = self.frame.top;
            true
        } else {
            false
        }
    }

    /// Places bands that belong together (a row, or a heading with the row
    /// under it) on one page: on this one if they fit, else on the next. Only
    /// when they are taller than a whole page are they split, and then only
    /// between bands.
    pub(crate) fn place(&mut self, bands: Vec<Band>) {
        let total: f32 = bands.iter().map(|b| b.height).sum();
        self.ensure(total);
        for band in bands {
            self.ensure(band.height);
            let top = self.y;
            self.ops()
                .extend(band.ops.into_iter().map(|op| op.shifted(top)));
            self.y -= band.height;
        }
    }

    pub(crate) fn text(&mut self, x: f32, y: f32, size: f32, color: [f32; 3], text: &str) {
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

    pub(crate) fn text_right(
        &mut self,
        right: f32,
        y: f32,
        size: f32,
        color: [f32; 3],
        text: &str,
    ) {
        let x = right - self.font.width(text, size);
        self.text(x, y, size, color, text);
    }

    /// A wrapped paragraph across the full width, line by line.
    pub(crate) fn paragraph(&mut self, text: &str, size: f32, color: [f32; 3]) {
        let leading = size * 1.35;
        let (left, width) = (self.frame.left, self.frame.width());
        for line in self.font.wrap(text, size, width) {
            self.ensure(leading);
            self.y -= leading;
            let y = self.y;
            self.text(left, y, size, color, &line);
        }
    }
}

/// What a document says about itself.
pub(crate) struct Meta<'a> {
    pub(crate) title: &'a str,
    pub(crate) date: NaiveDate,
    pub(crate) lang: Lang,
}

/// Writes `pages` as a PDF; `footer(n, total)` adds the operations of page
/// `n` (1-based) of `total` once the page count is known.
pub(crate) fn write(
    meta: &Meta<'_>,
    pages: &[Vec<Op>],
    font: &mut FontUse,
    footer: impl Fn(usize, usize) -> Vec<Op>,
) -> Vec<u8> {
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

    // The language lets screen readers and search pick the right rules.
    pdf.catalog(catalog_id)
        .pages(tree_id)
        .lang(TextStr(meta.lang.code()));
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(pages.len() as i32);
    let date = Date::new(meta.date.year().clamp(0, 9999) as u16)
        .month(meta.date.month() as u8)
        .day(meta.date.day() as u8);
    pdf.document_info(info_id)
        .title(TextStr(meta.title))
        .producer(TextStr(&format!("Qujat {}", env!("CARGO_PKG_VERSION"))))
        .creation_date(date);

    let total = pages.len();
    for (n, (ops, (page_id, content_id))) in pages.iter().zip(&page_ids).enumerate() {
        let mut content = Content::new();
        for op in ops.iter().chain(&footer(n + 1, total)) {
            draw(&mut content, op, font);
        }
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
    let program =
        subsetter::subset(font::FONT, 0, &font.remapper).unwrap_or_else(|_| font::FONT.to_vec());
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
        Op::TurnedText {
            x,
            y,
            size,
            color,
            degrees,
            text,
        } => {
            let encoded = font.encode(text);
            let (sin, cos) = degrees.to_radians().sin_cos();
            content
                .begin_text()
                .set_fill_rgb(color[0], color[1], color[2])
                .set_font(Name(b"F1"), *size)
                .set_text_matrix([cos, sin, -sin, cos, *x, *y])
                .show(Str(&encoded))
                .end_text();
        }
        Op::Line {
            x1,
            x2,
            y,
            width,
            gray,
        } => {
            content
                .set_stroke_rgb(*gray, *gray, *gray)
                .set_line_width(*width)
                .move_to(*x1, *y)
                .line_to(*x2, *y)
                .stroke();
        }
        Op::Box {
            x,
            y,
            width,
            height,
            fill,
            stroke,
        } => {
            if let Some(f) = fill {
                content.set_fill_rgb(f[0], f[1], f[2]);
            }
            if let Some(s) = stroke {
                content.set_stroke_rgb(s[0], s[1], s[2]).set_line_width(0.8);
            }
            content.rect(*x, *y, *width, *height);
            match (fill, stroke) {
                (Some(_), Some(_)) => content.fill_nonzero_and_stroke(),
                (Some(_), None) => content.fill_nonzero(),
                (None, _) => content.stroke(),
            };
        }
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame {
        left: 50.0,
        right: PAGE_W - 50.0,
        top: PAGE_H - 60.0,
        bottom: 60.0,
    };

    /// A row of `lines` text lines, each `leading` high.
    fn row(id: usize, lines: usize, leading: f32) -> Band {
        Band {
            height: lines as f32 * leading,
            ops: (0..lines)
                .map(|i| Op::Text {
                    x: 50.0,
                    y: -(i as f32 + 1.0) * leading,
                    size: 9.0,
                    color: BLACK,
                    text: format!("row {id}"),
                })
                .collect(),
        }
    }

    fn pages_of(flow: &Flow<'_>, label: &str) -> Vec<usize> {
        flow.pages
            .iter()
            .enumerate()
            .filter(|(_, ops)| {
                ops.iter()
                    .any(|op| matches!(op, Op::Text { text, .. } if text == label))
            })
            .map(|(n, _)| n)
            .collect()
    }

    #[test]
    fn page_breaks_never_split_a_row() {
        let font = FontUse::new();
        let mut flow = Flow::new(&font, FRAME);
        // Rows of 1 to 9 lines, so page ends fall in every possible place.
        for id in 0..120 {
            flow.place(vec![row(id, 1 + id * 7 % 9, 12.0)]);
        }
        assert!(flow.pages.len() > 3, "the test needs several page breaks");
        for id in 0..120 {
            assert_eq!(
                pages_of(&flow, &format!("row {id}")).len(),
                1,
                "row {id} was split over two pages"
            );
        }
        for (n, ops) in flow.pages.iter().enumerate() {
            for op in ops {
                let (low, high) = op.y_range();
                assert!(
                    low >= FRAME.bottom - 3.0 && high <= FRAME.top,
                    "page {n}: {op:?} is outside the margins"
                );
            }
        }
    }

    #[test]
    fn a_heading_moves_to_the_next_page_with_its_first_row() {
        let font = FontUse::new();
        let mut flow = Flow::new(&font, FRAME);
        flow.y = FRAME.bottom + 30.0; // room for the heading, not for the row
        flow.place(vec![row(1, 2, 12.0), row(2, 3, 12.0)]);
        assert_eq!(
            pages_of(&flow, "row 1"),
            vec![1],
            "no heading alone at a page's foot"
        );
        assert_eq!(pages_of(&flow, "row 2"), vec![1]);
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_only_between_its_bands() {
        let font = FontUse::new();
        let mut flow = Flow::new(&font, FRAME);
        let bands: Vec<Band> = (0..100).map(|i| row(i, 1, 12.0)).collect();
        flow.place(bands);
        assert!(flow.pages.len() >= 2, "1200 points do not fit on one page");
        for (n, ops) in flow.pages.iter().enumerate() {
            for op in ops {
                let (low, _) = op.y_range();
                assert!(
                    low >= FRAME.bottom - 3.0,
                    "page {n}: {op:?} runs into the footer"
                );
            }
        }
    }

    #[test]
    fn the_same_pages_give_the_same_bytes() {
        let pdf = || {
            let mut font = FontUse::new();
            let pages = vec![vec![Op::Text {
                x: 50.0,
                y: 700.0,
                size: 12.0,
                color: BLACK,
                text: "Құжат".into(),
            }]];
            let meta = Meta {
                title: "t",
                date: NaiveDate::from_ymd_opt(2026, 1, 2).expect("date"),
                lang: Lang::Kk,
            };
            write(&meta, &pages, &mut font, |_, _| vec![])
        };
        let bytes = pdf();
        assert!(bytes.starts_with(b"%PDF-"), "a PDF header");
        assert_eq!(bytes, pdf(), "no clock or random id in the output");
    }
}
