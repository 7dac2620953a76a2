//! The cover sheet: a PDF listing every requirement of the stage with its
//! file, size, pages and SHA-256, in the user's language.
//!
//! The text, its layout and the embedded font are the shared machinery of
//! [`crate::pdf`]: a simple flow of text lines with greedy word wrapping,
//! split over as many A4 pages as it takes.
//!
//! The output is deterministic: no timestamps but the package date, no
//! random ids, a fixed subset tag.

use super::copy::{Context, Copied};
use super::PlannedFile;
use crate::i18n::format_size;
use crate::i18n::message;
use crate::kind::FileKind;
use crate::pdf::{self, Flow, FontUse, Frame, Meta, Op, BLACK, GREY, RED};

const LEFT: f32 = 50.0;
const RIGHT: f32 = pdf::PAGE_W - 50.0;
const FRAME: Frame = Frame {
    left: LEFT,
    right: RIGHT,
    top: pdf::PAGE_H - 56.0,
    bottom: 60.0,
};

// Table columns.
const COL_NUMBER: f32 = LEFT;
const COL_REQUIREMENT: f32 = LEFT + 22.0;
const REQUIREMENT_W: f32 = 176.0;
const COL_FILE: f32 = 254.0;
const FILE_W: f32 = 168.0;
const SIZE_RIGHT: f32 = 492.0;
const PAGES_RIGHT: f32 = RIGHT;

/// Renders the cover sheet.
pub(crate) fn render(context: &Context, files: &[PlannedFile], copied: &[Copied]) -> Vec<u8> {
    let mut font = FontUse::new();
    let pages = layout(context, files, copied, &font);
    write_pdf(context, &pages, &mut font)
}

fn layout(
    context: &Context,
    files: &[PlannedFile],
    copied: &[Copied],
    font: &FontUse,
) -> Vec<Vec<Op>> {
    let lang = context.lang;
    let m = |key: &str| message(lang, key, &[]);
    let mut flow = Flow::new(font, FRAME);

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
            x: LEFT,
            y: top - height,
            width: RIGHT - LEFT,
            height,
            fill: Some([1.0, 0.93, 0.93]),
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
            x1: LEFT,
            x2: RIGHT,
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
        x: LEFT,
        y: top - 18.0,
        width: RIGHT - LEFT,
        height: 18.0,
        fill: Some([0.92, 0.93, 0.95]),
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
    let title = format!(
        "{} — {}",
        message(context.lang, "cover.title", &[]),
        context.bag_name
    );
    let meta = Meta {
        title: &title,
        date: context.date,
        lang: context.lang,
    };
    pdf::write(&meta, pages, font, |page, pages| {
        let footer = message(
            context.lang,
            "cover.footer",
            &[("page", page.to_string()), ("pages", pages.to_string())],
        );
        vec![Op::Text {
            x: LEFT,
            y: 32.0,
            size: 7.5,
            color: GREY,
            text: format!("{} · {footer}", context.bag_name),
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_thousands() {
        assert_eq!(group_digits(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(group_digits(999), "999");
    }
}
