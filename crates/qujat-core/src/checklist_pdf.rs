//! The printable checklist of a program: every stage with its requirements
//! as rows with an empty box to tick, the rules in words, the sources and
//! the open questions, as an A4 PDF in English, Russian or Kazakh.
//!
//! It needs no dossier: it is what an applicant prints before starting, or
//! an embassy hands out. All of it comes from the rule pack; the sentences
//! around the pack's data are `checklist.*` messages in `locales/`.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Error, FileError, Result};
use crate::i18n::format_size_in;
use crate::i18n::{message, Lang};
use crate::pdf::{self, Band, Flow, FontUse, Frame, Meta, Op, BLACK, GREY, RED};
use crate::rules::{Moment, Presence, Requirement, RequirementKind, Rule, RulePack, Standing};

// Margins of about 2 cm: room for a hole punch and for notes in pen.
const FRAME: Frame = Frame {
    left: 57.0,
    right: pdf::PAGE_W - 57.0,
    top: pdf::PAGE_H - 62.0,
    bottom: 72.0,
};
const FOOTER_Y: f32 = 40.0;
/// Where the text of a row starts, right of its box.
const TEXT_X: f32 = FRAME.left + 22.0;
const TEXT_W: f32 = FRAME.right - TEXT_X;
const BOX: f32 = 11.0;
const DARK: [f32; 3] = [0.2, 0.2, 0.2];
const RULE_LINE: f32 = 0.78;

/// The checklist of `pack` in `lang`, printed on `date`, as PDF bytes.
pub fn checklist_pdf(pack: &RulePack, lang: Lang, date: NaiveDate) -> Vec<u8> {
    render(pack, lang, date, &Progress::default()).0
}

/// A dossier's progress for its printed checklist: what is done, each with
/// the words that say so ("Done on 2026-01-05"), by requirement id. Empty
/// for the blank program checklist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Whose dossier, for the heading.
    pub applicant: Option<String>,
    /// Done requirements and their notes.
    pub done: std::collections::HashMap<String, String>,
    /// The applicant's profile in words ("Citizenship: Germany, Russia"),
    /// when one is recorded.
    pub profile: Option<String>,
    /// What the profile says about a requirement, by requirement id: one
    /// line per country ("Issued in Germany: it needs an apostille").
    pub profile_lines: std::collections::HashMap<String, Vec<String>>,
    /// The requirements that apply to the profile; `None` prints every one
    /// (no profile, or the blank program checklist).
    pub applies: Option<std::collections::HashSet<String>>,
}

impl Progress {
    /// The progress shown in `report`: confirmed steps with their day,
    /// ready documents with their file and the day it was attached.
    pub fn of(report: &crate::report::DossierReport, lang: Lang) -> Progress {
        use std::collections::{HashMap, HashSet};
        let rows = || report.stages.iter().flat_map(|s| &s.requirements);
        // A per-citizenship row (`police-clearance@ru`) prints on its
        // requirement's line, which is done only when every country's is.
        let base = |id: &str| {
            crate::rules::split_row_id(id)
                .map(|(base, _)| base)
                .unwrap_or(id)
                .to_owned()
        };
        let not_done: HashSet<String> = rows()
            .filter(|r| r.status != crate::report::Status::Ok)
            .map(|r| base(&r.id))
            .collect();
        let mut done: HashMap<String, String> = HashMap::new();
        let mut profile_lines: HashMap<String, Vec<String>> = HashMap::new();
        for r in rows() {
            let lines = profile_lines.entry(base(&r.id)).or_default();
            for f in r.findings.iter().filter(|f| f.is_profile_advice()) {
                let line = f.message(lang);
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
        profile_lines.retain(|_, lines| !lines.is_empty());
        for r in rows() {
            if r.status != crate::report::Status::Ok || not_done.contains(&base(&r.id)) {
                continue;
            }
            let note = match (r.done_on, &r.document) {
                (Some(day), _) => message(lang, "checklist.done-on", &[("date", day.to_string())]),
                (None, Some(doc)) => message(
                    lang,
                    "checklist.ready-file",
                    &[
                        ("name", doc.original_name.clone()),
                        ("date", doc.attached_at.date_naive().to_string()),
                    ],
                ),
                (None, None) => continue,
            };
            done.entry(base(&r.id))
                .and_modify(|notes| {
                    notes.push_str("; ");
                    notes.push_str(&note);
                })
                .or_insert(note);
        }
        let profile = report.profile.as_ref().map(|p| profile_words(p, lang));
        Progress {
            applicant: Some(report.dossier.applicant_name.clone()),
            done,
            applies: profile
                .is_some()
                .then(|| rows().map(|r| base(&r.id)).collect()),
            profile,
            profile_lines,
        }
    }
}

/// The profile in words, for the heading: "Citizenship: Germany, Russia.
/// Residence: Türkiye."
fn profile_words(profile: &crate::profile::Profile, lang: Lang) -> String {
    let names = |codes: &[String]| {
        codes
            .iter()
            .map(|c| crate::countries::country_name(c, lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !profile.citizenships.is_empty() {
        parts.push(message(
            lang,
            "checklist.profile-citizenship",
            &[("countries", names(&profile.citizenships))],
        ));
    }
    if let Some(residence) = &profile.residence {
        parts.push(message(
            lang,
            "checklist.profile-residence",
            &[("country", crate::countries::country_name(residence, lang))],
        ));
    }
    parts.join(" ")
}

impl crate::Workspace {
    /// Writes the checklist of a dossier's program, ticked with its
    /// progress on `today`, to `path` (see [`save`], replacing a file the
    /// save dialog already asked about); returns its number of pages.
    pub fn write_dossier_checklist_pdf(
        &self,
        dossier_id: &str,
        lang: Lang,
        today: NaiveDate,
        path: &Path,
    ) -> Result<usize> {
        let report = self.report(dossier_id, None, today)?;
        let pack = self.program(&report.program.id)?;
        write_progress_pdf(pack, lang, today, &Progress::of(&report, lang), path, true)
    }
}

/// Writes the checklist ticked with a dossier's `progress` to `path` (see
/// [`save`]); returns its number of pages.
pub fn write_progress_pdf(
    pack: &RulePack,
    lang: Lang,
    date: NaiveDate,
    progress: &Progress,
    path: &Path,
    replace: bool,
) -> Result<usize> {
    let (bytes, pages) = render(pack, lang, date, progress);
    save(path, &bytes, replace)?;
    Ok(pages)
}

/// Writes the checklist to `path` (see [`save`]) and returns its number of
/// pages. Without `replace`, an existing `path` is refused.
pub fn write_checklist_pdf(
    pack: &RulePack,
    lang: Lang,
    date: NaiveDate,
    path: &Path,
    replace: bool,
) -> Result<usize> {
    let (bytes, pages) = render(pack, lang, date, &Progress::default());
    save(path, &bytes, replace)?;
    Ok(pages)
}

fn render(pack: &RulePack, lang: Lang, date: NaiveDate, progress: &Progress) -> (Vec<u8>, usize) {
    let mut font = FontUse::new();
    let pages = layout(pack, lang, date, progress, &font);
    let count = pages.len();
    let title = format!(
        "{} — {}",
        message(lang, "checklist.title", &[]),
        pack.name.get(lang)
    );
    let meta = Meta {
        title: &title,
        date,
        lang,
    };
    let left = message(
        lang,
        "checklist.footer",
        &[
            ("program", pack.id.clone()),
            ("version", pack.version.clone()),
            ("date", date.to_string()),
        ],
    );
    // The footer is made while `font` records the glyphs written; a second,
    // read-only handle measures the right-aligned page number.
    let measure = FontUse::new();
    let bytes = pdf::write(&meta, &pages, &mut font, |page, pages| {
        let right = message(
            lang,
            "checklist.page",
            &[("page", page.to_string()), ("pages", pages.to_string())],
        );
        vec![
            Op::Line {
                x1: FRAME.left,
                x2: FRAME.right,
                y: FOOTER_Y + 12.0,
                width: 0.4,
                gray: RULE_LINE,
            },
            Op::Text {
                x: FRAME.left,
                y: FOOTER_Y,
                size: 8.0,
                color: GREY,
                text: left.clone(),
            },
            Op::Text {
                x: FRAME.right - measure.width(&right, 8.0),
                y: FOOTER_Y,
                size: 8.0,
                color: GREY,
                text: right,
            },
        ]
    });
    (bytes, count)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// synced, then moved into place, so a crash leaves the old file or the new
/// one, never half of one. Without `replace`, an existing `path` is refused
/// (also one that appears while writing); nothing is written then.
pub fn save(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    if !replace && fs::symlink_metadata(path).is_ok() {
        return Err(FileError::DestinationExists {
            path: path.display().to_string(),
        }
        .into());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut file = fs::File::create_new(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if replace {
            fs::rename(&tmp, path)
        } else {
            // A hard link fails if `path` exists by now, where a rename
            // would silently replace it.
            fs::hard_link(&tmp, path).and_then(|()| fs::remove_file(&tmp))
        }
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(FileError::DestinationExists {
                path: path.display().to_string(),
            }
            .into());
        }
        return Err(Error::writing(path, e));
    }
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(&dir) {
        // Makes the rename itself durable.
        let _ = d.sync_all();
    }
    Ok(())
}

fn layout(
    pack: &RulePack,
    lang: Lang,
    date: NaiveDate,
    progress: &Progress,
    font: &FontUse,
) -> Vec<Vec<Op>> {
    let m = |key: &str| message(lang, key, &[]);
    let mut flow = Flow::new(font, FRAME);

    // The heading: what this is, which program, which rules.
    let mut head = vec![
        lines(
            font,
            &m("checklist.title").to_uppercase(),
            FRAME.left,
            FRAME.width(),
            9.0,
            GREY,
        ),
        lines(
            font,
            pack.name.get(lang),
            FRAME.left,
            FRAME.width(),
            18.0,
            BLACK,
        ),
        gap(4.0),
        lines(
            font,
            &message(
                lang,
                "checklist.version",
                &[
                    ("version", pack.version.clone()),
                    ("reviewed", pack.reviewed.to_string()),
                    ("date", date.to_string()),
                ],
            ),
            FRAME.left,
            FRAME.width(),
            8.5,
            GREY,
        ),
        // Said once here rather than on every row: which megabyte.
        lines(
            font,
            &message(lang, "checklist.units", &[]),
            FRAME.left,
            FRAME.width(),
            8.5,
            GREY,
        ),
        if pack.review_overdue_on(date) {
            lines(
                font,
                &message(
                    lang,
                    "program.review-overdue",
                    &[
                        ("reviewed", pack.reviewed.to_string()),
                        ("reviewBy", pack.review_by.to_string()),
                    ],
                ),
                FRAME.left,
                FRAME.width(),
                9.0,
                BLACK,
            )
        } else {
            gap(0.0)
        },
        if pack.status_on(date) == crate::rules::ProgramStatus::Closed {
            lines(
                font,
                &message(lang, "program.status-closed", &[]),
                FRAME.left,
                FRAME.width(),
                9.0,
                BLACK,
            )
        } else {
            gap(0.0)
        },
        gap(8.0),
        lines(
            font,
            pack.summary.get(lang),
            FRAME.left,
            FRAME.width(),
            9.5,
            DARK,
        ),
    ];
    if let Some(name) = &progress.applicant {
        head.push(gap(6.0));
        head.push(lines(
            font,
            &message(
                lang,
                "checklist.progress-of",
                &[
                    ("name", name.clone()),
                    ("done", progress.done.len().to_string()),
                ],
            ),
            FRAME.left,
            FRAME.width(),
            10.0,
            BLACK,
        ));
    }
    if let Some(profile) = &progress.profile {
        head.push(gap(2.0));
        head.push(lines(font, profile, FRAME.left, FRAME.width(), 9.5, DARK));
        head.push(lines(
            font,
            &m("checklist.profile-fitted"),
            FRAME.left,
            FRAME.width(),
            8.5,
            GREY,
        ));
    }
    if let Some(window) = &pack.window {
        let dates = match (window.opens, window.closes) {
            (Some(opens), Some(closes)) => message(
                lang,
                "checklist.window-between",
                &[("opens", opens.to_string()), ("closes", closes.to_string())],
            ),
            (Some(opens), None) => message(
                lang,
                "checklist.window-since",
                &[("opens", opens.to_string())],
            ),
            (None, Some(closes)) => message(
                lang,
                "checklist.window-until",
                &[("closes", closes.to_string())],
            ),
            (None, None) => m("checklist.window-unknown"),
        };
        let closed = window
            .closes
            .filter(|_| pack.is_closed_on(date))
            .map(|closes| message(lang, "program.closed", &[("date", closes.to_string())]));
        let mut inner = vec![lines(
            font,
            &dates,
            FRAME.left + 10.0,
            FRAME.width() - 20.0,
            10.0,
            BLACK,
        )];
        if let Some(closed) = &closed {
            inner.push(gap(2.0));
            inner.push(lines(
                font,
                closed,
                FRAME.left + 10.0,
                FRAME.width() - 20.0,
                9.0,
                RED,
            ));
        }
        inner.push(gap(3.0));
        inner.push(lines(
            font,
            window.note.get(lang),
            FRAME.left + 10.0,
            FRAME.width() - 20.0,
            8.5,
            DARK,
        ));
        head.push(gap(10.0));
        head.push(boxed(
            stack(inner),
            if closed.is_some() {
                RED
            } else {
                [0.7, 0.7, 0.7]
            },
        ));
    }
    head.push(gap(6.0));
    for band in head {
        flow.place(vec![band]);
    }

    for (n, stage) in pack.stages.iter().enumerate() {
        let heading = stack(vec![
            gap(16.0),
            lines(
                font,
                &format!("{}. {}", n + 1, stage.name.get(lang)),
                FRAME.left,
                FRAME.width(),
                13.5,
                BLACK,
            ),
            gap(2.0),
            lines(
                font,
                stage.description.get(lang),
                FRAME.left,
                FRAME.width(),
                8.5,
                GREY,
            ),
            gap(4.0),
            rule(0.9, 0.3),
        ]);
        let rows: Vec<Band> = stage
            .requirements
            .iter()
            .filter_map(|id| pack.requirement(id))
            .filter(|r| progress.applies.as_ref().is_none_or(|a| a.contains(&r.id)))
            .map(|r| {
                let done = progress.done.get(&r.id).map(String::as_str);
                let profile = progress
                    .profile_lines
                    .get(&r.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                requirement_row(pack, stage.id.as_str(), r, lang, done, profile, font)
            })
            .collect();
        // A heading never stays alone at the foot of a page: it goes with
        // its first row.
        let mut rows = rows.into_iter();
        match rows.next() {
            Some(first) => flow.place(vec![heading, first]),
            None => flow.place(vec![
                heading,
                pad(
                    lines(
                        font,
                        &m("stage.nothing-required"),
                        TEXT_X,
                        TEXT_W,
                        9.5,
                        GREY,
                    ),
                    6.0,
                    6.0,
                ),
            ]),
        }
        for row in rows {
            flow.place(vec![row]);
        }
    }

    let section = |title: &str| {
        stack(vec![
            gap(20.0),
            lines(font, title, FRAME.left, FRAME.width(), 13.5, BLACK),
            gap(4.0),
            rule(0.9, 0.3),
        ])
    };
    let mut sources = pack.sources.iter().map(|s| {
        let standing = match s.standing {
            Standing::Official => m("checklist.standing.official"),
            Standing::Draft => m("checklist.standing.draft"),
            Standing::ThirdParty => m("checklist.standing.third-party"),
        };
        pad(
            stack(vec![
                lines(
                    font,
                    &format!("{} · {standing}", cite(pack, &s.id)),
                    FRAME.left,
                    FRAME.width(),
                    7.5,
                    GREY,
                ),
                lines(
                    font,
                    s.title.get(lang),
                    FRAME.left,
                    FRAME.width(),
                    9.0,
                    BLACK,
                ),
                // The title as published, when it is not the one shown.
                match &s.original_title {
                    Some(original) if original != s.title.get(lang) => lines(
                        font,
                        &message(
                            lang,
                            "checklist.original-title",
                            &[("title", original.clone())],
                        ),
                        FRAME.left,
                        FRAME.width(),
                        8.0,
                        DARK,
                    ),
                    _ => gap(0.0),
                },
                lines(font, &s.reference, FRAME.left, FRAME.width(), 7.5, GREY),
            ]),
            5.0,
            5.0,
        )
    });
    if let Some(first) = sources.next() {
        flow.place(vec![section(&m("checklist.sources")), first]);
        for source in sources {
            flow.place(vec![source]);
        }
    }
    let mut unknowns = pack.unknowns.iter().map(|u| {
        pad(
            stack(vec![
                lines(
                    font,
                    &cite(pack, &u.id),
                    FRAME.left,
                    FRAME.width(),
                    7.5,
                    GREY,
                ),
                lines(
                    font,
                    u.question.get(lang),
                    FRAME.left,
                    FRAME.width(),
                    9.0,
                    BLACK,
                ),
            ]),
            5.0,
            5.0,
        )
    });
    if let Some(first) = unknowns.next() {
        let intro = lines(
            font,
            &m("checklist.unknowns-intro"),
            FRAME.left,
            FRAME.width(),
            8.5,
            GREY,
        );
        flow.place(vec![
            section(&m("checklist.unknowns")),
            pad(intro, 2.0, 2.0),
            first,
        ]);
        for unknown in unknowns {
            flow.place(vec![unknown]);
        }
    }
    flow.pages
}

/// How the print cites a source or an open question: sources by their
/// number in the list of sources, `[3]`, open questions as `[?2]`, so no
/// internal id reaches the paper.
fn cite(pack: &RulePack, id: &str) -> String {
    if let Some(n) = pack.sources.iter().position(|s| s.id == id) {
        return format!("[{}]", n + 1);
    }
    if let Some(n) = pack.unknowns.iter().position(|u| u.id == id) {
        return format!("[?{}]", n + 1);
    }
    format!("[{id}]")
}

/// One requirement: the box to tick, its name, whether it is required,
/// what to hand in, and its rules in words, each with its source id.
fn requirement_row(
    pack: &RulePack,
    stage_id: &str,
    r: &Requirement,
    lang: Lang,
    done: Option<&str>,
    profile: &[String],
    font: &FontUse,
) -> Band {
    let m = |key: &str| message(lang, key, &[]);
    // Internal ids stay out of print: the applicant reads names, and the
    // rules cite sources by number.
    let presence = match (r.presence, &r.optional_because) {
        (Presence::Required, _) => m("presence.required"),
        (Presence::Optional, Some(reason)) => message(
            lang,
            "checklist.optional-because",
            &[("reason", reason.get(lang).to_owned())],
        ),
        (Presence::Optional, None) => m("presence.optional"),
    };
    let what = match r.kind {
        RequirementKind::Document => {
            let kinds: Vec<&str> = pack.accepts(r).iter().map(|k| k.label()).collect();
            let limit = format_size_in(pack.max_size_bytes(r), lang);
            // The pack's default limit resting on an unknown is Qujat's own
            // cautious choice, and the print says so rather than state it as
            // the portal's rule.
            if pack.size_limit_unknown(r).is_some() {
                message(
                    lang,
                    "checklist.file-cautious",
                    &[
                        ("kinds", kinds.join(", ")),
                        ("limit", limit),
                        ("basis", cite(pack, &pack.defaults.limits_basis)),
                    ],
                )
            } else {
                message(
                    lang,
                    "checklist.file",
                    &[("kinds", kinds.join(", ")), ("limit", limit)],
                )
            }
        }
        RequirementKind::Step => m("checklist.step"),
    };
    let presence_color = if r.presence == Presence::Required {
        DARK
    } else {
        GREY
    };
    let mut parts = vec![
        lines(font, r.name.get(lang), TEXT_X, TEXT_W, 10.5, BLACK),
        gap(1.5),
    ];
    if let Some(note) = done {
        parts.push(lines(font, note, TEXT_X, TEXT_W, 9.5, BLACK));
        parts.push(gap(1.5));
    }
    parts.extend([
        lines(font, &presence, TEXT_X, TEXT_W, 8.5, presence_color),
        gap(1.0),
        lines(font, &what, TEXT_X, TEXT_W, 8.5, DARK),
    ]);
    // What the applicant's profile makes of it, before the general rules:
    // this is the line that applies to them.
    for line in profile {
        parts.push(gap(1.5));
        parts.push(lines(
            font,
            &format!("→ {line}"),
            TEXT_X,
            TEXT_W,
            9.0,
            BLACK,
        ));
    }
    for rule in &r.rules {
        parts.push(gap(1.0));
        parts.push(bullet(
            font,
            &format!("{} {}", rule_text(rule, lang), cite(pack, rule.basis())),
        ));
        if let Rule::Legalization {
            exempt: Some(exempt),
            ..
        } = rule
        {
            parts.push(lines(
                font,
                &message(
                    lang,
                    "checklist.rule.exempt",
                    &[("exempt", exempt.get(lang).to_owned())],
                ),
                TEXT_X + 10.0,
                TEXT_W - 10.0,
                8.0,
                GREY,
            ));
        }
    }
    let also_in: Vec<&str> = pack
        .stages
        .iter()
        .filter(|s| s.id != stage_id && s.requirements.contains(&r.id))
        .map(|s| s.name.get(lang))
        .collect();
    if !also_in.is_empty() {
        parts.push(gap(1.0));
        parts.push(lines(
            font,
            &message(lang, "also-in", &[("stages", also_in.join(", "))]),
            TEXT_X,
            TEXT_W,
            8.0,
            GREY,
        ));
    }
    let mut row = pad(stack(parts), 8.0, 8.0);
    row.ops.push(Op::Box {
        x: FRAME.left + 2.0,
        y: -8.0 - BOX - 0.5,
        width: BOX,
        height: BOX,
        // Done: the box is filled, as a pen would tick it.
        fill: done.map(|_| DARK),
        stroke: Some(DARK),
    });
    row.ops.push(Op::Line {
        x1: FRAME.left,
        x2: FRAME.right,
        y: -row.height,
        width: 0.4,
        gray: RULE_LINE,
    });
    row
}

/// A rule of the pack in words.
pub(crate) fn rule_text(rule: &Rule, lang: Lang) -> String {
    match rule {
        Rule::MinRemainingValidity { days, from, .. } => {
            let key = match from {
                Moment::Application => "checklist.rule.validity-application",
                Moment::Entry => "checklist.rule.validity-entry",
            };
            message(lang, key, &[("days", days_in_words(*days, lang))])
        }
        Rule::MaxAge { days, at, .. } => {
            let key = match at {
                Moment::Application => "checklist.rule.max-age-application",
                Moment::Entry => "checklist.rule.max-age-entry",
            };
            message(lang, key, &[("days", days_in_words(*days, lang))])
        }
        Rule::Translation {
            into, notarized, ..
        } => {
            let names: Vec<String> = into
                .iter()
                .map(|code| match Lang::from_code(code) {
                    Some(l) => message(lang, &format!("checklist.language.{}", l.code()), &[]),
                    None => code.clone(),
                })
                .collect();
            let key = if *notarized {
                "checklist.rule.translation-notarized"
            } else {
                "checklist.rule.translation"
            };
            message(lang, key, &[("languages", or_list(&names, lang))])
        }
        Rule::Legalization { .. } => message(lang, "checklist.rule.legalization", &[]),
        Rule::Note { text, .. } => text.get(lang).to_owned(),
    }
}

/// "180 days", "180 дней", "181 день", "180 күн".
fn days_in_words(n: u32, lang: Lang) -> String {
    let form = match lang {
        Lang::Ru => match (n % 10, n % 100) {
            (1, h) if h != 11 => "one",
            (2..=4, h) if !(12..=14).contains(&h) => "few",
            _ => "many",
        },
        _ if n == 1 => "one",
        _ => "many",
    };
    message(
        lang,
        &format!("checklist.days.{form}"),
        &[("n", n.to_string())],
    )
}

/// "Kazakh or Russian", "казахский или русский".
fn or_list(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!(
            "{} {} {last}",
            init.join(", "),
            message(lang, "checklist.or", &[])
        ),
    }
}

/// Wrapped text as one band, `size * 1.3` points per line.
fn lines(font: &FontUse, text: &str, x: f32, width: f32, size: f32, color: [f32; 3]) -> Band {
    let leading = size * 1.3;
    let wrapped = font.wrap(text, size, width);
    Band {
        height: wrapped.len() as f32 * leading,
        ops: wrapped
            .into_iter()
            .enumerate()
            .filter(|(_, line)| !line.is_empty())
            .map(|(i, line)| Op::Text {
                x,
                // The baseline sits a quarter of the size above the line's foot.
                y: -(i as f32 + 1.0) * leading + size * 0.3,
                size,
                color,
                text: line,
            })
            .collect(),
    }
}

/// A rule as a bulleted item with a hanging indent.
fn bullet(font: &FontUse, text: &str) -> Band {
    let mut band = lines(font, text, TEXT_X + 10.0, TEXT_W - 10.0, 8.5, DARK);
    if let Some(Op::Text { y, .. }) = band.ops.first() {
        let y = *y;
        band.ops.push(Op::Text {
            x: TEXT_X + 1.0,
            y,
            size: 8.5,
            color: DARK,
            text: "•".into(),
        });
    }
    band
}

fn gap(height: f32) -> Band {
    Band {
        height,
        ops: vec![],
    }
}

fn rule(gray: f32, width: f32) -> Band {
    Band {
        height: 0.0,
        ops: vec![Op::Line {
            x1: FRAME.left,
            x2: FRAME.right,
            y: 0.0,
            width,
            gray,
        }],
    }
}

fn pad(band: Band, before: f32, after: f32) -> Band {
    stack(vec![gap(before), band, gap(after)])
}

/// Bands one under the other, as one band that will not be split.
fn stack(bands: Vec<Band>) -> Band {
    let mut out = Band::default();
    for band in bands {
        let dy = -out.height;
        out.ops
            .extend(band.ops.into_iter().map(|op| op.shifted(dy)));
        out.height += band.height;
    }
    out
}

/// A band framed by a light box with some room inside.
fn boxed(band: Band, stroke: [f32; 3]) -> Band {
    let mut inner = pad(band, 7.0, 7.0);
    inner.ops.insert(
        0,
        Op::Box {
            x: FRAME.left,
            y: -inner.height,
            width: FRAME.width(),
            height: inner.height,
            fill: Some([0.96, 0.96, 0.96]),
            stroke: Some(stroke),
        },
    );
    inner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin_packs;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
    }

    #[test]
    fn a_dossiers_checklist_fills_the_done_boxes_and_says_when() {
        let font = FontUse::new();
        let pack = builtin_packs()
            .expect("packs")
            .into_iter()
            .find(|p| p.id == "kz-ai-pilot")
            .expect("the pilot");
        let progress = Progress {
            applicant: Some("Ada Lovelace".into()),
            done: [
                (
                    "embassy-request".to_owned(),
                    "Done on 2026-01-05".to_owned(),
                ),
                (
                    "cv".to_owned(),
                    "Ready: cv.pdf, attached 2026-02-01".to_owned(),
                ),
            ]
            .into(),
            ..Progress::default()
        };
        let pages = layout(&pack, Lang::En, day(), &progress, &font);
        let all = texts(&pages);
        for note in ["Done on 2026-01-05", "Ready: cv.pdf, attached 2026-02-01"] {
            assert!(all.iter().any(|t| t == note), "{note} is printed");
        }
        assert!(all.iter().any(|t| t.contains("Progress of Ada Lovelace")));
        let filled = pages
            .iter()
            .flatten()
            .filter(|op| matches!(op, Op::Box { fill: Some(_), width, .. } if *width == BOX))
            .count();
        let rows_of_done: usize = pack
            .stages
            .iter()
            .flat_map(|s| &s.requirements)
            .filter(|id| progress.done.contains_key(id.as_str()))
            .count();
        assert_eq!(filled, rows_of_done, "one filled box per done row");
        // The blank checklist fills none.
        let blank = layout(&pack, Lang::En, day(), &Progress::default(), &font);
        assert!(!blank
            .iter()
            .flatten()
            .any(|op| matches!(op, Op::Box { fill: Some(_), width, .. } if *width == BOX)));
    }

    fn texts(pages: &[Vec<Op>]) -> Vec<String> {
        pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn russian_days_take_the_right_plural_form() {
        assert_eq!(days_in_words(180, Lang::Ru), "180 дней");
        assert_eq!(days_in_words(181, Lang::Ru), "181 день");
        assert_eq!(days_in_words(183, Lang::Ru), "183 дня");
        assert_eq!(
            days_in_words(111, Lang::Ru),
            "111 дней",
            "11 to 14 take the many form"
        );
        assert_eq!(days_in_words(1, Lang::En), "1 day");
        assert_eq!(days_in_words(90, Lang::Kk), "90 күн");
    }

    #[test]
    fn translation_rules_name_the_languages_in_the_readers_language() {
        let rule = Rule::Translation {
            into: vec!["kk".into(), "ru".into()],
            notarized: true,
            basis: "x".into(),
        };
        assert_eq!(
            rule_text(&rule, Lang::En),
            "Needs a notarized translation into Kazakh or Russian."
        );
        assert!(
            rule_text(&rule, Lang::Ru).contains("казахский или русский"),
            "{}",
            rule_text(&rule, Lang::Ru)
        );
    }

    #[test]
    fn every_requirement_of_every_stage_gets_a_row_with_a_box_on_one_page() {
        let font = FontUse::new();
        for pack in builtin_packs().expect("packs") {
            for lang in Lang::ALL {
                let pages = layout(&pack, lang, day(), &Progress::default(), &font);
                let all = texts(&pages);
                for stage in &pack.stages {
                    for id in &stage.requirements {
                        let r = pack.requirement(id).expect("requirement");
                        let name_line = &font.wrap(r.name.get(lang), 10.5, TEXT_W)[0];
                        let on: Vec<usize> = pages
                            .iter()
                            .enumerate()
                            .filter(|(_, ops)| {
                                ops.iter().any(
                                    |op| matches!(op, Op::Text { text, .. } if text == name_line),
                                )
                            })
                            .map(|(n, _)| n)
                            .collect();
                        assert!(
                            !on.is_empty(),
                            "{} {}: {id} of {} is not on the checklist",
                            pack.id,
                            lang.code(),
                            stage.id
                        );
                    }
                }
                let boxes = pages
                    .iter()
                    .flatten()
                    .filter(|op| matches!(op, Op::Box { fill: None, .. }))
                    .count();
                let rows: usize = pack.stages.iter().map(|s| s.requirements.len()).sum();
                assert_eq!(boxes, rows, "one box to tick per row, in {}", lang.code());
                for source in &pack.sources {
                    let label = cite(&pack, &source.id);
                    assert!(
                        all.iter().any(|t| t.starts_with(&format!("{label} · "))),
                        "source {} is listed as {label}",
                        source.id
                    );
                }
                for unknown in &pack.unknowns {
                    let label = cite(&pack, &unknown.id);
                    assert!(
                        all.iter().any(|t| t == &label),
                        "open question {} is listed as {label}",
                        unknown.id
                    );
                }
                // No internal id on paper (#18): requirement ids, source
                // and unknown ids never appear; sizes in the language's units.
                let ids = pack
                    .requirements
                    .iter()
                    .map(|r| r.id.as_str())
                    .chain(pack.sources.iter().map(|s| s.id.as_str()))
                    .chain(pack.unknowns.iter().map(|u| u.id.as_str()))
                    .filter(|id| id.contains('-'));
                for id in ids {
                    assert!(
                        !all.iter().any(|t| t.contains(id)),
                        "{} {}: the id {id} is printed",
                        pack.id,
                        lang.code()
                    );
                }
                assert!(!all.iter().any(|t| t.contains("10.0")), "no 10.0 MB");
                if lang != Lang::En {
                    assert!(
                        all.iter().any(|t| t.contains("10 МБ")),
                        "{}: sizes in МБ",
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn nothing_is_drawn_in_the_margins() {
        let font = FontUse::new();
        let pack = &builtin_packs().expect("packs")[0];
        for lang in Lang::ALL {
            let pages = layout(pack, lang, day(), &Progress::default(), &font);
            for (n, ops) in pages.iter().enumerate() {
                for op in ops {
                    let (low, high) = op.y_range();
                    assert!(
                        low >= FRAME.bottom - 3.0 && high <= FRAME.top + 1.0,
                        "{} page {}: {op:?} is in the margin",
                        lang.code(),
                        n + 1
                    );
                    if let Op::Text { x, size, text, .. } = op {
                        assert!(
                            *x >= FRAME.left && x + font.width(text, *size) <= FRAME.right + 0.5,
                            "{} page {}: {text} runs past the side margin",
                            lang.code(),
                            n + 1
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_closed_window_is_flagged_in_red() {
        let font = FontUse::new();
        let pack = builtin_packs()
            .expect("packs")
            .into_iter()
            .find(|p| p.window.as_ref().is_some_and(|w| w.closes.is_some()))
            .expect("a pack with a closing day");
        let closes = pack.window.as_ref().and_then(|w| w.closes).expect("closes");
        let after = closes + chrono::Days::new(1);
        let red = |date| {
            layout(&pack, Lang::En, date, &Progress::default(), &font)[0]
                .iter()
                .any(|op| matches!(op, Op::Text { color, .. } if *color == RED))
        };
        assert!(red(after), "after the closing day the checklist says so");
        assert!(!red(closes), "not before");
    }

    #[test]
    fn save_refuses_an_existing_file_unless_told_to_replace_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.pdf");
        save(&path, b"one", false).expect("a new file");
        assert!(matches!(
            save(&path, b"two", false),
            Err(Error::File(FileError::DestinationExists { .. }))
        ));
        assert_eq!(
            fs::read(&path).expect("read"),
            b"one",
            "the old file is kept"
        );
        save(&path, b"two", true).expect("replace");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
    }
}
