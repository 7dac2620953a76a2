//! The embassy demo: a dossier for a fictional applicant, with generated
//! sample documents, that shows at a glance what Qujat does: most items
//! ok, one blocked by a problem Qujat caught, some still missing, steps
//! confirmed and a case timeline under way.
//!
//! Every generated PDF carries "SAMPLE — ОБРАЗЕЦ — ҮЛГІ" across the page
//! and in a header band, and the photo placeholder says SAMPLE in its
//! pixels, so nothing from a demo can pass for a real document. The dossier
//! is marked `is_demo`; [`Workspace::reset_demo`] deletes demo dossiers and
//! never a real one.
//!
//! The script below names requirements of the `kz-ai-pilot` pack, which is
//! what a demo is: fixed sample data. An item whose requirement or event
//! a newer pack no longer has is skipped, so a pack update cannot break
//! the demo, only make it shorter.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::findings::Severity;
use crate::i18n::{message, Lang};
use crate::pdf::{self, Flow, FontUse, Frame, Meta, Op, BLACK, GREY, RED};
use crate::report::Status;
use crate::rules::RequirementKind;
use crate::store::{DocumentDates, Dossier};
use crate::Workspace;

/// The watermark on every sample document, in all three languages: a
/// demo is shown to people reading any of them.
pub const SAMPLE_MARK: &str = "SAMPLE — ОБРАЗЕЦ — ҮЛГІ";

/// The demo's applicant: plainly fictional, in Latin letters as in a
/// foreign passport.
pub const DEMO_APPLICANT: &str = "Alex Sample";

/// The program the demo follows.
pub const DEMO_PROGRAM: &str = "kz-ai-pilot";

/// What `create_demo` made: the dossier and how its requirements stand,
/// each requirement counted once (even if two stages list it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DemoSummary {
    /// The demo dossier.
    pub dossier: Dossier,
    /// Requirements that are ok with nothing to say.
    pub ok: u32,
    /// Requirements that are ok but have a warning worth reading.
    pub warnings: u32,
    /// Requirements blocked by a problem.
    pub problem: u32,
    /// Requirements not provided yet.
    pub missing: u32,
}

impl Workspace {
    /// Creates a demo dossier (program `kz-ai-pilot`, applicant
    /// [`DEMO_APPLICANT`]) with generated sample documents, confirmed steps
    /// and timeline events dated back from `today`; the notice on each
    /// sample is in `lang`. Earlier demo dossiers stay; call
    /// [`Workspace::reset_demo`] first for a fresh start.
    pub fn create_demo(
        &mut self,
        lang: Lang,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<DemoSummary> {
        let dossier = self.insert_dossier(DEMO_PROGRAM, DEMO_APPLICANT, now, true)?;
        // The samples are written to a folder of our own in the data folder
        // (same disk as the vault), attached like any file, then removed.
        let scratch = self
            .data_dir()
            .join(format!("demo-{}.tmp", uuid::Uuid::new_v4().simple()));
        let filled = self.fill_demo(&dossier, &scratch, lang, now, today);
        let _ = fs::remove_dir_all(&scratch);
        filled?;
        self.demo_summary(&dossier.id, today)
    }

    /// Deletes every demo dossier with its documents, steps and events;
    /// returns how many there were. Real dossiers are never touched. (The
    /// sample files leave the vault at the next lone open, as any file no
    /// document refers to.)
    pub fn reset_demo(&mut self) -> Result<usize> {
        self.store_mut().delete_demo_dossiers()
    }

    /// The counts of a demo dossier's statuses.
    pub fn demo_summary(&self, dossier_id: &str, today: NaiveDate) -> Result<DemoSummary> {
        let report = self.report(dossier_id, None, today)?;
        let mut summary = DemoSummary {
            dossier: report.dossier.clone(),
            ok: 0,
            warnings: 0,
            problem: 0,
            missing: 0,
        };
        let mut seen = std::collections::HashSet::new();
        for r in report.stages.iter().flat_map(|s| &s.requirements) {
            if !seen.insert(r.id.as_str()) {
                continue;
            }
            let warned = r.findings.iter().any(|f| f.severity == Severity::Warning);
            match r.status {
                // A missing date is something to do, as a warning is.
                Status::Ok if warned => summary.warnings += 1,
                Status::NeedsDate => summary.warnings += 1,
                Status::Ok => summary.ok += 1,
                Status::Problem => summary.problem += 1,
                Status::Missing => summary.missing += 1,
            }
        }
        Ok(summary)
    }

    fn fill_demo(
        &mut self,
        dossier: &Dossier,
        scratch: &Path,
        lang: Lang,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<()> {
        fs::create_dir_all(scratch).map_err(|e| Error::writing(scratch, e))?;
        let pack = self.program(DEMO_PROGRAM)?.clone();
        let ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today);

        // The embassy steps, done about two months ago.
        for (step, days) in [
            ("embassy-request", 70),
            ("passport-certified", 68),
            ("police-clearance-legalized", 66),
            ("iin", 64),
            ("digital-signature", 63),
        ] {
            if pack
                .requirement(step)
                .is_some_and(|r| r.kind == RequirementKind::Step)
            {
                self.confirm_step(&dossier.id, step, ago(days), today, now)?;
            }
        }

        for sample in samples(today) {
            if !pack
                .requirement(sample.requirement)
                .is_some_and(|r| r.kind == RequirementKind::Document)
            {
                continue;
            }
            let bytes = match &sample.content {
                Content::Pdf { title, lines } => sample_pdf(title, lines, lang, today),
                Content::Photo => sample_photo_png(),
                // What a phone saves a photo as, where the portal accepts
                // only PDF, JPEG or PNG: the problem the demo shows.
                Content::PhonePhoto => HEIC_HEADER.to_vec(),
            };
            let path = scratch.join(sample.file_name);
            write_file(&path, &bytes)?;
            self.attach(&dossier.id, sample.requirement, &path, now)?;
        }

        // The dates read off the documents, as the applicant would enter
        // them, so the validity rules are checked rather than asked about.
        let (issued, expires) = passport_dates(today);
        for (requirement, dates) in [
            ("passport-copy", (Some(issued), Some(expires))),
            ("attested-passport-copy", (Some(issued), Some(expires))),
            (
                "police-clearance",
                (Some(police_clearance_issued(today)), None),
            ),
        ] {
            if pack.requirement(requirement).is_some() {
                let dates = DocumentDates {
                    issued_on: dates.0,
                    expires_on: dates.1,
                };
                self.set_document_dates(&dossier.id, requirement, dates, today, now)?;
            }
        }

        // The case so far: Astana Hub applied to 20 days ago, the
        // interview done, the ministry's notice just in.
        for (event, days) in [
            ("astana-hub-submitted", 20),
            ("interview-done", 12),
            ("ministry-notice-received", 4),
        ] {
            if pack.event_kind(event).is_some() {
                self.record_event(&dossier.id, event, ago(days), None, today, now)?;
            }
        }
        Ok(())
    }
}

/// The sample passport's day of issue and expiry.
fn passport_dates(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let issued = today.checked_sub_days(Days::new(400)).unwrap_or(today);
    let expires = today
        .checked_add_months(chrono::Months::new(12 * 8))
        .unwrap_or(today);
    (issued, expires)
}

/// The sample police clearance's day of issue: well within its 180 days.
fn police_clearance_issued(today: NaiveDate) -> NaiveDate {
    today.checked_sub_days(Days::new(75)).unwrap_or(today)
}

/// The bytes that make a file a HEIC image to any reader of file kinds.
const HEIC_HEADER: &[u8] = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\x08free";

enum Content {
    Pdf {
        title: &'static str,
        lines: Vec<String>,
    },
    Photo,
    PhonePhoto,
}

struct Sample {
    requirement: &'static str,
    file_name: &'static str,
    content: Content,
}

/// The demo's documents: plausible, and plainly fictional.
fn samples(today: NaiveDate) -> Vec<Sample> {
    let (issued, expires) = passport_dates(today);
    let ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today);
    let pdf = |requirement, file_name, title, lines: &[&str]| Sample {
        requirement,
        file_name,
        content: Content::Pdf {
            title,
            lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        },
    };
    let passport = [
        "Republic of Exampleland — Passport, data page".to_owned(),
        String::new(),
        "Surname: SAMPLE".to_owned(),
        "Given names: ALEX".to_owned(),
        "Nationality: Exampleland (a fictional country)".to_owned(),
        "Date of birth: 1992-05-14".to_owned(),
        "Passport No.: XS0000000".to_owned(),
        format!("Date of issue: {issued}"),
        format!("Date of expiry: {expires}"),
    ];
    vec![
        Sample {
            requirement: "passport-copy",
            file_name: "passport-scan.pdf",
            content: Content::Pdf {
                title: "Passport",
                lines: passport.to_vec(),
            },
        },
        pdf(
            "biography",
            "autobiography.pdf",
            "Автобиография",
            &[
                "Я, Алекс Сэмпл (Alex Sample), родился 14 мая 1992 года в городе Примерск.",
                "В 2014 году окончил Государственный университет Примерска по специальности «Прикладная математика», в 2016 году — магистратуру по информатике.",
                "С 2016 года работаю инженером машинного обучения: сначала в компании Example Analytics, с 2021 года — ведущим инженером в Sample Robotics.",
                "Женат, детей нет. К уголовной ответственности не привлекался.",
                "Подпись: A. Sample",
            ],
        ),
        pdf(
            "graduation-certificate",
            "diploma-msc.pdf",
            "Diploma — Master of Science",
            &[
                "Example State University certifies that",
                "ALEX SAMPLE",
                "has been awarded the degree of Master of Science in Computer Science (2016).",
                "Thesis: Few-shot learning for low-resource languages.",
                "Apostille No. 0000/00 (sample).",
            ],
        ),
        pdf(
            "portfolio",
            "portfolio.pdf",
            "Portfolio — Alex Sample",
            &[
                "1. Speech recognition for Kazakh and Russian: led a team of four; word error rate down 31 %.",
                "2. Document classifier for a logistics company: 2 million documents a month, in production since 2022.",
                "3. Open-source: maintainer of an example tokenizer library (1,200 stars).",
                "4. Talks: “Small models, big languages”, Example ML Conference 2024.",
            ],
        ),
        pdf(
            "cv",
            "cv-alex-sample.pdf",
            "Curriculum vitae — Alex Sample",
            &[
                "Machine learning engineer, 9 years of experience.",
                "2021 – now: Lead ML engineer, Sample Robotics (speech and language models).",
                "2016 – 2021: ML engineer, Example Analytics (classification, forecasting).",
                "Education: MSc Computer Science, Example State University, 2016.",
                "Skills: Python, Rust, PyTorch, data pipelines, model evaluation.",
                "Languages: English (fluent), Russian (good), Kazakh (beginner).",
            ],
        ),
        pdf(
            "training-certificate",
            "certificate-deep-learning.pdf",
            "Certificate of completion",
            &[
                "This certifies that ALEX SAMPLE completed the course",
                "“Deep Learning in Production” (120 hours) at the Example Academy, 2023.",
                "Certificate No. EX-2023-0000 (sample).",
            ],
        ),
        Sample {
            requirement: "photo",
            file_name: "photo-3.5x4.5.png",
            content: Content::Photo,
        },
        pdf(
            "motivation-letter",
            "motivation-letter.pdf",
            "Motivation letter",
            &[
                "Dear members of the selection committee,",
                "I am a machine learning engineer who builds speech and language models. Kazakhstan's programme for AI specialists is the chance I have been looking for: to work on models for Kazakh and Russian where they are used every day.",
                "In Astana I would like to join a local team building voice assistants for public services, and to teach a course on putting models into production.",
                "Yours faithfully,",
                "Alex Sample",
            ],
        ),
        Sample {
            requirement: "police-clearance",
            file_name: "police-clearance.pdf",
            content: Content::Pdf {
                title: "Police clearance certificate",
                lines: vec![
                    "Ministry of the Interior of Exampleland (fictional)".to_owned(),
                    "Certificate No. PC-0000 (sample)".to_owned(),
                    format!("Issued on {}.", police_clearance_issued(today)),
                    "ALEX SAMPLE, born 1992-05-14, has no criminal record.".to_owned(),
                    "Apostille attached. Notarized translation into Russian attached.".to_owned(),
                ],
            },
        },
        Sample {
            requirement: "ministry-notice",
            file_name: "ministry-notice.pdf",
            content: Content::Pdf {
                title: "Notice: specialty matches",
                lines: vec![
                    format!("Date: {}", ago(4)),
                    "To: Alex Sample".to_owned(),
                    "Following the selection on Astana Hub and the interview, your specialty (machine learning engineer) is found to match the pilot's requirements. (Sample text, not an official document.)".to_owned(),
                ],
            },
        },
        Sample {
            requirement: "attested-passport-copy",
            file_name: "passport-copy-attested.pdf",
            content: Content::Pdf {
                title: "Passport copy, attested",
                lines: passport
                    .iter()
                    .cloned()
                    .chain([
                        String::new(),
                        "Copy attested at the Embassy of Kazakhstan (sample stamp).".to_owned(),
                    ])
                    .collect(),
            },
        },
        Sample {
            requirement: "state-duty-receipt",
            file_name: "receipt-photo.heic",
            content: Content::PhonePhoto,
        },
    ]
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = fs::File::create(path).map_err(|e| Error::writing(path, e))?;
    file.write_all(bytes).map_err(|e| Error::writing(path, e))
}

const SAMPLE_FRAME: Frame = Frame {
    left: 64.0,
    right: pdf::PAGE_W - 64.0,
    top: pdf::PAGE_H - 150.0,
    bottom: 80.0,
};
const WATERMARK: [f32; 3] = [0.97, 0.82, 0.82];

/// A one-page sample document: the watermark across the page behind the
/// text, a red SAMPLE band on top, then `title` and `lines`.
pub(crate) fn sample_pdf(title: &str, lines: &[String], lang: Lang, date: NaiveDate) -> Vec<u8> {
    let mut font = FontUse::new();
    let mut flow = Flow::new(&font, SAMPLE_FRAME);
    // Corner to corner of the page below the band, with room to spare at
    // both ends so no printer margin cuts it.
    let band_h = 92.0;
    let (area_w, area_h) = (pdf::PAGE_W, pdf::PAGE_H - band_h);
    let degrees = (area_h / area_w).atan().to_degrees();
    let size = (area_w.hypot(area_h) * 0.66 / font.width(SAMPLE_MARK, 1.0)).min(56.0);
    let half = font.width(SAMPLE_MARK, size) / 2.0;
    let (sin, cos) = degrees.to_radians().sin_cos();
    // Centred on the text's middle, not its baseline.
    flow.ops().push(Op::TurnedText {
        x: area_w / 2.0 - half * cos + size * 0.35 * sin,
        y: area_h / 2.0 - half * sin - size * 0.35 * cos,
        size,
        color: WATERMARK,
        degrees,
        text: SAMPLE_MARK.to_owned(),
    });
    // The band: impossible to miss even on a crop of the top of the page.
    let band_y = pdf::PAGE_H - band_h;
    flow.ops().push(Op::Box {
        x: 0.0,
        y: band_y,
        width: pdf::PAGE_W,
        height: band_h,
        fill: Some([1.0, 0.92, 0.92]),
        stroke: None,
    });
    let mark_size = 22.0;
    let mark_x = (pdf::PAGE_W - font.width(SAMPLE_MARK, mark_size)) / 2.0;
    flow.text(mark_x, band_y + 52.0, mark_size, RED, SAMPLE_MARK);
    let notice = message(lang, "demo.sample-notice", &[]);
    for (i, line) in font
        .wrap(&notice, 9.0, SAMPLE_FRAME.width())
        .iter()
        .enumerate()
    {
        let x = (pdf::PAGE_W - font.width(line, 9.0)) / 2.0;
        flow.text(x, band_y + 32.0 - i as f32 * 12.0, 9.0, RED, line);
    }

    for line in font.wrap(title, 20.0, SAMPLE_FRAME.width()) {
        flow.y -= 26.0;
        let y = flow.y;
        flow.text(SAMPLE_FRAME.left, y, 20.0, BLACK, &line);
    }
    flow.y -= 14.0;
    for line in lines {
        if line.is_empty() {
            flow.y -= 8.0;
        } else {
            flow.paragraph(line, 11.0, BLACK);
            flow.y -= 6.0;
        }
    }
    let pages = std::mem::take(&mut flow.pages);
    let meta = Meta {
        title: &format!("{SAMPLE_MARK} — {title}"),
        date,
        lang,
    };
    pdf::write(&meta, &pages, &mut font, |_, _| {
        vec![Op::Text {
            x: SAMPLE_FRAME.left,
            y: 40.0,
            size: 8.0,
            color: GREY,
            text: format!("{SAMPLE_MARK} · Qujat demo · {DEMO_APPLICANT}"),
        }]
    })
}

/// A photo placeholder: a grey head-and-shoulders outline on a light
/// background, with SAMPLE in red capitals across a band, as an RGB PNG.
/// 240×300 pixels: the proportions of a 3.5×4.5 photo, below the size a
/// photo service would deliver.
pub(crate) fn sample_photo_png() -> Vec<u8> {
    const W: usize = 240;
    const H: usize = 300;
    let mut pixels = vec![[232u8, 236, 241]; W * H];
    let inside = |x: usize, y: usize, cx: f32, cy: f32, rx: f32, ry: f32| {
        let dx = (x as f32 - cx) / rx;
        let dy = (y as f32 - cy) / ry;
        dx * dx + dy * dy <= 1.0
    };
    for y in 0..H {
        for x in 0..W {
            let head = inside(x, y, 120.0, 112.0, 46.0, 58.0);
            let shoulders = inside(x, y, 120.0, 310.0, 104.0, 110.0);
            if head || shoulders {
                pixels[y * W + x] = [152, 160, 174];
            }
        }
    }
    // The red band with SAMPLE in it, a 5×7 pixel font scaled by 5.
    let (band_top, band_h) = (196, 54);
    for y in band_top..band_top + band_h {
        for x in 0..W {
            pixels[y * W + x] = [190, 24, 24];
        }
    }
    let scale = 5;
    let word = "SAMPLE";
    let text_w = word.len() * 6 * scale - scale;
    let x0 = (W - text_w) / 2;
    let y0 = band_top + (band_h - 7 * scale) / 2;
    for (n, c) in word.chars().enumerate() {
        for (row, bits) in glyph_5x7(c).iter().enumerate() {
            for col in 0..5 {
                if bits & (0b10000 >> col) != 0 {
                    for dy in 0..scale {
                        for dx in 0..scale {
                            let x = x0 + (n * 6 + col) * scale + dx;
                            let y = y0 + row * scale + dy;
                            pixels[y * W + x] = [255, 255, 255];
                        }
                    }
                }
            }
        }
    }
    encode_png(W as u32, H as u32, &pixels)
}

/// The letters of SAMPLE, 5 pixels wide (high bit left), 7 rows.
fn glyph_5x7(c: char) -> [u8; 7] {
    match c {
        'S' => [
            0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110,
        ],
        'A' => [
            0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001,
        ],
        'M' => [
            0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001,
        ],
        'P' => [
            0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000,
        ],
        'L' => [
            0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111,
        ],
        'E' => [
            0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111,
        ],
        _ => [0; 7],
    }
}

/// An 8-bit RGB PNG: signature, IHDR, a zlib IDAT of unfiltered rows, a
/// tEXt comment saying it is a sample, IEND.
fn encode_png(width: u32, height: u32, pixels: &[[u8; 3]]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(pixels.len() * 3 + height as usize);
    for row in pixels.chunks(width as usize) {
        raw.push(0); // filter: none
        for p in row {
            raw.extend_from_slice(p);
        }
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(&raw);
    let idat = encoder.finish().unwrap_or_default();

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter set, no interlace

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (b"IHDR", ihdr),
        (
            b"tEXt",
            b"Comment\0SAMPLE - Qujat demo photo placeholder".to_vec(),
        ),
        (b"IDAT", idat),
        (b"IEND", Vec::new()),
    ] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(&data);
        png.extend_from_slice(kind);
        png.extend_from_slice(&data);
        png.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    png
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::{detect, FileKind};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_demo_shows_ok_blocked_and_missing_items() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(dir.path()).expect("open");
        let summary = ws.create_demo(Lang::En, now(), day()).expect("demo");
        assert!(summary.dossier.is_demo, "the dossier is marked as a demo");
        assert_eq!(summary.dossier.applicant_name, DEMO_APPLICANT);
        assert!(summary.ok > 5, "most items are fine: {summary:?}");
        assert!(
            summary.problem > 0,
            "one item shows a problem Qujat caught: {summary:?}"
        );
        assert!(
            summary.missing > 0,
            "some items are still to do: {summary:?}"
        );
        let report = ws.report(&summary.dossier.id, None, day()).expect("report");
        let receipt = report
            .stages
            .iter()
            .flat_map(|s| &s.requirements)
            .find(|r| r.id == "state-duty-receipt")
            .expect("the receipt");
        assert!(
            matches!(
                receipt.reasons.first(),
                Some(crate::report::Reason::WrongKind {
                    found: FileKind::Heic,
                    ..
                })
            ),
            "a phone photo where the portal takes PDF, JPEG or PNG: {:?}",
            receipt.reasons
        );
        let timeline = ws.timeline(&summary.dossier.id, day()).expect("timeline");
        let recorded = timeline
            .stages
            .iter()
            .flat_map(|s| &s.entries)
            .filter(|e| e.event.is_some())
            .count();
        assert!(recorded >= 3, "the case is under way: {recorded} events");
    }

    #[test]
    fn reset_removes_demo_dossiers_and_never_a_real_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(dir.path()).expect("open");
        let real = ws
            .create_dossier(DEMO_PROGRAM, "Aigerim Bekova", now())
            .expect("real dossier");
        ws.create_demo(Lang::Ru, now(), day()).expect("first demo");
        ws.create_demo(Lang::Kk, now(), day()).expect("second demo");
        assert_eq!(ws.dossiers().expect("list").len(), 3);
        assert_eq!(ws.reset_demo().expect("reset"), 2, "both demos go");
        let left = ws.dossiers().expect("list");
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].id, real.id, "the real dossier stays");
        assert!(!left[0].is_demo);
        assert_eq!(
            ws.reset_demo().expect("reset again"),
            0,
            "nothing more to remove"
        );
        assert!(
            !fs::read_dir(dir.path()).expect("list").any(|e| e
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .starts_with("demo-")),
            "no scratch folder is left in the data folder"
        );
    }

    #[test]
    fn the_photo_placeholder_is_a_valid_png_of_the_stated_size() {
        let png = sample_photo_png();
        assert_eq!(detect(&png), FileKind::Png);
        let size = imagesize::blob_size(&png).expect("a readable PNG header");
        assert_eq!((size.width, size.height), (240, 300));
        // Decode it back: the zlib stream inflates to exactly the rows.
        let idat_start = png.windows(4).position(|w| w == b"IDAT").expect("IDAT") + 4;
        let len = u32::from_be_bytes(png[idat_start - 8..idat_start - 4].try_into().expect("len"));
        let mut raw = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(&png[idat_start..idat_start + len as usize]),
            &mut raw,
        )
        .expect("inflate");
        assert_eq!(raw.len(), 300 * (1 + 240 * 3));
    }

    #[test]
    fn a_sample_pdf_carries_the_watermark_in_its_text() {
        let bytes = sample_pdf("CV", &["Machine learning engineer".into()], Lang::Kk, day());
        assert_eq!(detect(&bytes), FileKind::Pdf);
        assert!(
            bytes.len() < 60_000,
            "one page with a font subset stays small"
        );
    }
}
