//! Reading scans (OCR), **in the inspector child** only: the pages of an
//! image or of a PDF without a text layer, read by Tesseract under a time
//! budget per page and per file.
//!
//! * [`raster`]: page images decoded to grey by Rust decoders, with the
//!   pixel limit checked before decoding (image bombs), cropping, turning.
//! * [`engine`]: Tesseract (two passes: the page, then its machine-readable
//!   zone if it has one).
//! * [`pdf_images`]: the image of each page of a scanned PDF (DCT and
//!   Flate; CCITT, JBIG2 and JPEG 2000 are reported, not skipped).
//!
//! Tesseract has no safe way to stop a recognition from outside, so it runs
//! on a worker thread of the child and the child's main thread waits for
//! each page with a deadline. A page past its budget is recorded as timed
//! out and the child answers with what it has; the worker dies with the
//! process. A page that never ends is therefore a finding, not a hang, and
//! the parent's wall-time kill stays the last resort.

pub mod engine;
pub mod pdf_images;
pub mod raster;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::dates::find_dates;
use super::record::{OcrFacts, OcrPage, OcrProblem, DATES_CAP};
use engine::{Engine, PageText};
use raster::{Gray, RasterError};

/// Most pages read per file: a scanned contract or diploma supplement has
/// a few dozen at most; a file with hundreds is read in part and says so.
pub const MAX_PAGES: usize = 20;

/// How long OCR may take, set by the child from its CPU limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// For one page (both passes).
    pub per_page: Duration,
    /// For the whole file; pages not started by then are not read.
    pub total: Duration,
}

impl Budget {
    /// The budget inside a child whose CPU limit is `cpu_secs` (the
    /// parent's wall-time limit plus 2 s): three quarters of the wall time,
    /// so the answer is printed well before the parent gives up, and at most
    /// 20 s for a page (an A4 page takes about 2.5 s here).
    pub fn for_cpu_limit(cpu_secs: u64) -> Budget {
        let wall = Duration::from_secs(cpu_secs.saturating_sub(2).max(1));
        let total = wall * 3 / 4;
        Budget {
            per_page: total.min(Duration::from_secs(20)),
            total,
        }
    }
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::for_cpu_limit(crate::inspect::Limits::default().wall_time.as_secs() + 2)
    }
}

/// One page to read: its image, or why it has none that can be read.
pub type PageImage = Result<Gray, OcrProblem>;

/// What the child learnt from the worker about one page.
type Answer = Result<(PageText, Option<String>), String>;

/// Reads `count` pages, getting each page's image from `page` only when it
/// is its turn (a PDF's images are decoded one at a time). `progress` is
/// told before each page is read (1-based page, pages to read).
pub fn read_pages(
    count: usize,
    mut page: impl FnMut(usize) -> PageImage,
    budget: Budget,
    progress: &mut dyn FnMut(usize, usize),
) -> OcrFacts {
    let started = Instant::now();
    let to_read = count.min(MAX_PAGES);
    let mut facts = OcrFacts {
        pages: Vec::new(),
        pages_not_read: u32::try_from(count - to_read).unwrap_or(u32::MAX),
        languages: Vec::new(),
        problem: (count > to_read).then(|| OcrProblem::TooManyPages {
            read: to_read as u32,
            total: u32::try_from(count).unwrap_or(u32::MAX),
        }),
    };
    let (jobs, job_rx) = mpsc::channel::<Gray>();
    let (answer_tx, answers) = mpsc::channel::<Answer>();
    // The worker owns the engine; it ends when `jobs` is dropped, or with
    // the process if it is stuck in a page.
    let worker = std::thread::Builder::new()
        .name("ocr".into())
        .spawn(move || {
            let mut engine = match Engine::new() {
                Ok(engine) => engine,
                Err(e) => {
                    let _ = answer_tx.send(Err(e));
                    return;
                }
            };
            for image in job_rx {
                let answer = read_one(&mut engine, &image);
                if answer_tx.send(answer).is_err() {
                    return;
                }
            }
        });
    if worker.is_err() {
        facts.problem = Some(OcrProblem::EngineMissing);
        return facts;
    }

    for index in 0..to_read {
        if started.elapsed() >= budget.total {
            facts.pages_not_read += u32::try_from(to_read - index).unwrap_or(u32::MAX);
            facts.problem.get_or_insert(OcrProblem::TimedOut {
                limit_ms: millis(budget.total),
            });
            break;
        }
        progress(index + 1, to_read);
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let image = match page(index) {
            Ok(image) => image.fit_for_recognition(),
            Err(problem) => {
                facts.pages.push(OcrPage::unread(number, problem));
                continue;
            }
        };
        if jobs.send(image).is_err() {
            facts.problem = Some(OcrProblem::EngineMissing);
            break;
        }
        let limit = budget
            .per_page
            .min(budget.total.saturating_sub(started.elapsed()))
            .max(Duration::from_millis(1));
        match answers.recv_timeout(limit) {
            Ok(Ok((text, zone))) => facts.pages.push(page_of(number, text, zone)),
            Ok(Err(detail)) if detail.contains("not installed") => {
                facts.problem = Some(OcrProblem::EngineMissing);
                facts.pages_not_read += u32::try_from(to_read - index).unwrap_or(u32::MAX);
                break;
            }
            Ok(Err(_)) => facts
                .pages
                .push(OcrPage::unread(number, OcrProblem::Undecodable)),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The worker died (a panic in it): the engine is gone.
                facts
                    .pages
                    .push(OcrPage::unread(number, OcrProblem::Undecodable));
                facts.pages_not_read += u32::try_from(to_read - index - 1).unwrap_or(u32::MAX);
                break;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // The engine is stuck in this page: nothing more can be read.
                facts.pages.push(OcrPage::unread(
                    number,
                    OcrProblem::TimedOut {
                        limit_ms: millis(limit),
                    },
                ));
                facts.pages_not_read += u32::try_from(to_read - index - 1).unwrap_or(u32::MAX);
                break;
            }
        }
    }
    let mut languages: Vec<String> = Vec::new();
    for page in &facts.pages {
        for language in &page.languages {
            if !languages.contains(language) {
                languages.push(language.clone());
            }
        }
    }
    facts.languages = languages;
    facts
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Both passes over one page, on the worker.
fn read_one(engine: &mut Engine, image: &Gray) -> Answer {
    let text = engine.read_page(image)?;
    let zone = match text.zone {
        Some(zone) => engine.read_zone(image, zone, text.rotation).ok(),
        None => None,
    };
    Ok((text, zone))
}

/// Most text kept from one page: a dense A4 page has about 6 KB; what
/// Tesseract makes of noise can be far longer and says nothing.
const PAGE_TEXT_CAP: usize = 32 * 1024;

fn page_of(number: u32, mut text: PageText, zone: Option<String>) -> OcrPage {
    if text.text.len() > PAGE_TEXT_CAP {
        let mut cut = PAGE_TEXT_CAP;
        while !text.text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.text.truncate(cut);
    }
    OcrPage {
        page: number,
        words: u32::try_from(text.text.split_whitespace().count()).unwrap_or(u32::MAX),
        dates: find_dates(&text.text, DATES_CAP),
        languages: languages_of(&text.text),
        confidence: text.confidence,
        rotation: text.rotation,
        zone,
        problem: None,
        text: text.text,
    }
}

/// Letters of the Kazakh alphabet that Russian does not have.
const KAZAKH_LETTERS: &str = "ӘәҒғҚқҢңӨөҰұҮүҺһІі";

/// The languages a text is written in, told apart by script: Latin letters
/// are taken for English, Cyrillic for Russian, and Cyrillic with the
/// letters only Kazakh has for Kazakh. A script counts from 20 letters on,
/// so OCR crumbs in a margin do not add a language.
pub fn languages_of(text: &str) -> Vec<String> {
    let (mut latin, mut cyrillic, mut kazakh) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if ('\u{400}'..='\u{4ff}').contains(&c) {
            cyrillic += 1;
            if KAZAKH_LETTERS.contains(c) {
                kazakh += 1;
            }
        }
    }
    let mut out = Vec::new();
    if latin >= 20 {
        out.push("en".to_owned());
    }
    // Tesseract's Kazakh model scatters a stray Қ or і into Russian text:
    // Kazakh needs at least 1 letter in 50 of its own.
    if cyrillic >= 20 && kazakh >= 2 && kazakh * 50 >= cyrillic {
        out.push("kk".to_owned());
    } else if cyrillic >= 20 {
        out.push("ru".to_owned());
    }
    out
}

/// A decoding failure of a page image, as the record's problem.
pub fn problem_of(error: RasterError) -> OcrProblem {
    match error {
        RasterError::TooLarge { width, height } => OcrProblem::TooLarge { width, height },
        RasterError::Undecodable(_) => OcrProblem::Undecodable,
    }
}

#[cfg(test)]
mod tests;
