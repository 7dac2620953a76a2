//! Deadline reminders as operating-system notifications: which are due at an
//! instant, worded in the user's language, and which were already shown.
//!
//! The desktop asks [`due`] when it starts and then every hour while it runs.
//! A reminder is due on its day in the program's zone (the same days the
//! "what's next" panel and the calendar export count); the deadline's own day
//! reminds too. At start-up the desktop also shows one summary of everything
//! due soon or overdue, once a day. What was shown is remembered in the
//! store's settings ([`mark_shown`]), so a restart, or the next hourly look,
//! never shows the same notification twice. Correcting an event moves its
//! deadlines, and the moved days remind afresh.

use chrono::{DateTime, NaiveDate, Utc};

use crate::deadlines::{Deadline, DeadlineState};
use crate::error::Result;
use crate::i18n::{message, Lang};
use crate::rules::DeadlineKind;
use crate::workspace::Workspace;

/// The prefix of the settings that remember a shown notification.
const SHOWN_PREFIX: &str = "reminders.shown.";

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What remembers it once shown, e.g. `3f2a9c1e/entry-window/2025-03-14`
    /// (dossier, deadline, reminder day), or `summary/2025-03-14`.
    pub key: String,
    /// The notification's title.
    pub title: String,
    /// Its text.
    pub body: String,
}

/// What to show at one instant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Due {
    /// The start-up summary of what is due soon or overdue; none when nothing
    /// is, when not asked for, or when it was already shown today.
    pub summary: Option<Notice>,
    /// Reminders whose day is today and that were not shown yet; already
    /// part of the summary when there is one.
    pub reminders: Vec<Notice>,
}

/// The notifications due at `now`. `local_today` is the user's own day, which
/// keys the once-a-day summary; `startup` asks for that summary.
pub fn due(
    ws: &Workspace,
    now: DateTime<Utc>,
    local_today: NaiveDate,
    lang: Lang,
    startup: bool,
) -> Result<Due> {
    let mut reminders = Vec::new();
    let mut watched = Vec::new();
    for dossier in ws.dossiers()? {
        let found = ws.deadlines(&dossier.id, now)?;
        for deadline in &found.deadlines {
            let (Some(date), Some(left)) = (deadline.date, deadline.days_left) else {
                continue;
            };
            if matches!(deadline.state, DeadlineState::Done | DeadlineState::Pending) {
                continue;
            }
            let line = line(deadline, date, left, lang);
            if matches!(
                deadline.state,
                DeadlineState::DueSoon | DeadlineState::Overdue
            ) {
                watched.push(message(
                    lang,
                    "notify.summary-line",
                    &[
                        ("applicant", dossier.applicant_name.clone()),
                        ("line", line.clone()),
                    ],
                ));
            }
            let today = found.today;
            let reminder_today = deadline.reminders.iter().any(|r| r.date == today);
            if !(reminder_today || date == today) {
                continue;
            }
            let key = format!("{}/{}/{today}", dossier.id, deadline.id);
            if was_shown(ws, &key)? {
                continue;
            }
            let mut body = line;
            if let Some(todo) = &deadline.reminder_text {
                body = format!("{body} {}", todo.get(lang));
            }
            reminders.push(Notice {
                key,
                title: message(
                    lang,
                    "notify.title",
                    &[("applicant", dossier.applicant_name.clone())],
                ),
                body,
            });
        }
    }
    let summary_key = format!("summary/{local_today}");
    let summary = if startup && !watched.is_empty() && !was_shown(ws, &summary_key)? {
        Some(Notice {
            key: summary_key,
            title: message(
                lang,
                "notify.summary-title",
                &[("count", watched.len().to_string())],
            ),
            body: watched.join("\n"),
        })
    } else {
        None
    };
    Ok(Due { summary, reminders })
}

/// Remembers that `notice` was shown at `now`.
pub fn mark_shown(ws: &Workspace, notice: &Notice, now: DateTime<Utc>) -> Result<()> {
    ws.store()
        .set_setting(&format!("{SHOWN_PREFIX}{}", notice.key), &now.to_rfc3339())
}

fn was_shown(ws: &Workspace, key: &str) -> Result<bool> {
    Ok(ws
        .store()
        .setting(&format!("{SHOWN_PREFIX}{key}"))?
        .is_some())
}

/// "Last day to enter Kazakhstan: in 3 days, on 14 Mar 2025."
fn line(deadline: &Deadline, date: NaiveDate, days_left: i64, lang: Lang) -> String {
    let key = match (deadline.kind, days_left) {
        (DeadlineKind::Earliest, left) if left <= 0 => "notify.reached",
        (_, left) if left < 0 => "notify.overdue",
        (_, 0) => "notify.today",
        (_, 1) => "notify.tomorrow",
        _ => "notify.in-days",
    };
    message(
        lang,
        key,
        &[
            ("deadline", deadline.name.get(lang).to_owned()),
            ("days", days_left.abs().to_string()),
            ("date", day(date, lang)),
        ],
    )
}

/// A day as people write it: "14 Mar 2025" in English, "14.03.2025" in
/// Russian and Kazakh.
fn day(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => date.format("%-d %b %Y").to_string(),
        Lang::Ru | Lang::Kk => date.format("%d.%m.%Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    /// Noon in Almaty (UTC+5) on that day.
    fn noon(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        ymd(y, m, d).and_hms_opt(7, 0, 0).expect("time").and_utc()
    }

    /// A workspace with one approved pilot dossier: approval on 1 March 2025,
    /// so the entry window's last day is 31 March with reminders on the
    /// 24th, 28th and 30th.
    fn approved() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(dir.path()).expect("workspace");
        let d = ws
            .create_dossier("kz-ai-pilot", "Aigerim Bekova", noon(2025, 1, 1))
            .expect("dossier");
        let today = ymd(2025, 3, 1);
        for (kind, date) in [
            ("astana-hub-submitted", ymd(2025, 1, 10)),
            ("ministry-notice-received", ymd(2025, 2, 1)),
            ("egov-submitted", ymd(2025, 2, 10)),
            ("approved", today),
        ] {
            ws.record_event(&d.id, kind, date, None, today, noon(2025, 3, 1))
                .expect("event");
        }
        (dir, ws)
    }

    #[test]
    fn a_reminder_shows_on_its_day_and_only_once() {
        let (_dir, ws) = approved();
        let now = noon(2025, 3, 28);
        let due_now = due(&ws, now, ymd(2025, 3, 28), Lang::En, false).expect("due");
        assert_eq!(
            due_now.reminders.len(),
            1,
            "the 3-days-before reminder: {due_now:?}"
        );
        let notice = &due_now.reminders[0];
        assert!(
            notice.body.contains("in 3 days, on 31 Mar 2025"),
            "the text says how long is left and the Kazakhstan day: {}",
            notice.body
        );
        assert!(notice.title.contains("Aigerim Bekova"));
        mark_shown(&ws, notice, now).expect("remember");
        let later = due(&ws, noon(2025, 3, 28), ymd(2025, 3, 28), Lang::En, false).expect("due");
        assert!(
            later.reminders.is_empty(),
            "a shown reminder is not repeated"
        );
        let between = due(&ws, noon(2025, 3, 29), ymd(2025, 3, 29), Lang::En, false).expect("due");
        assert!(
            between.reminders.is_empty(),
            "no reminder falls on the 29th: {between:?}"
        );
    }

    #[test]
    fn the_startup_summary_lists_what_is_due_soon_once_a_day() {
        let (_dir, ws) = approved();
        let now = noon(2025, 3, 29);
        let first = due(&ws, now, ymd(2025, 3, 29), Lang::Ru, true).expect("due");
        let summary = first.summary.expect("the entry window is due soon");
        assert!(
            summary.body.contains("Aigerim Bekova") && summary.body.contains("31.03.2025"),
            "the summary names the applicant and the day, in Russian: {}",
            summary.body
        );
        mark_shown(&ws, &summary, now).expect("remember");
        let again = due(&ws, now, ymd(2025, 3, 29), Lang::Ru, true).expect("due");
        assert_eq!(
            again.summary, None,
            "a restart the same day shows no second summary"
        );
        let next_day = due(&ws, noon(2025, 3, 30), ymd(2025, 3, 30), Lang::Ru, true).expect("due");
        assert!(
            next_day.summary.is_some(),
            "the next day has its own summary"
        );
    }

    #[test]
    fn settled_and_pending_deadlines_never_notify() {
        let (_dir, mut ws) = approved();
        let id = ws.dossiers().expect("dossiers")[0].id.clone();
        ws.record_event(
            &id,
            "arrived",
            ymd(2025, 3, 20),
            None,
            ymd(2025, 3, 20),
            noon(2025, 3, 20),
        )
        .expect("arrived");
        let found = due(&ws, noon(2025, 3, 28), ymd(2025, 3, 28), Lang::En, true).expect("due");
        assert_eq!(found, Due::default(), "arrival settles the entry window");
    }

    #[test]
    fn an_overdue_deadline_is_summarised_not_reminded() {
        let (_dir, ws) = approved();
        let found = due(&ws, noon(2025, 4, 5), ymd(2025, 4, 5), Lang::En, true).expect("due");
        assert!(found.reminders.is_empty());
        let summary = found.summary.expect("overdue is summarised");
        assert!(
            summary.body.contains("passed on 31 Mar 2025"),
            "{}",
            summary.body
        );
    }
}
