//! The deadlines as an iCalendar file (RFC 5545), for when Qujat is closed.
//!
//! One all-day event per dated deadline, with one display alarm per reminder
//! lead time. Each event's UID is a hash of the dossier and deadline ids, so
//! importing a newer export updates the entries instead of adding copies; its
//! SEQUENCE is the number of changes made to the dossier's timeline, which
//! only grows. Written by hand rather than with a calendar crate because the
//! ones available stamp nested alarms with the wall clock and random UIDs,
//! which would make the output neither reproducible nor testable.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::deadlines::{Basis, DeadlineState, Deadlines};
use crate::i18n::{message, Lang};
use crate::store::Dossier;

/// The UID of a deadline's calendar entry: stable across exports.
pub fn uid(dossier_id: &str, deadline_id: &str) -> String {
    let digest = Sha256::digest(format!("{dossier_id}\n{deadline_id}").as_bytes());
    format!("{}@qujat", &hex::encode(digest)[..32])
}

/// The calendar text, with CRLF line ends and long lines folded.
///
/// `now` becomes every entry's DTSTAMP; `revision` its SEQUENCE.
pub fn calendar(
    deadlines: &Deadlines,
    dossier: &Dossier,
    lang: Lang,
    now: DateTime<Utc>,
    revision: i64,
) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Qujat//Qujat deadlines//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!(
            "X-WR-CALNAME:{}",
            text(&format!("Qujat: {}", dossier.applicant_name))
        ),
    ];
    for d in &deadlines.deadlines {
        let Some(date) = d.date else {
            continue;
        };
        let Some(end) = date.succ_opt() else {
            continue;
        };
        let summary = format!("{} ({})", d.name.get(lang), dossier.applicant_name);
        let mut description: Vec<String> = Vec::new();
        if let Some(t) = &d.reminder_text {
            description.push(t.get(lang).to_owned());
        }
        if let Some(t) = &d.note {
            description.push(t.get(lang).to_owned());
        }
        description.push(basis_line(&d.basis, lang));
        description.push(message(
            lang,
            "deadline.time-zone",
            &[("zone", deadlines.time_zone.clone())],
        ));
        lines.extend([
            "BEGIN:VEVENT".into(),
            format!("UID:{}", uid(&dossier.id, &d.id)),
            format!("DTSTAMP:{stamp}"),
            format!("SEQUENCE:{}", revision.max(0)),
            format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
            format!("SUMMARY:{}", text(&summary)),
            format!("DESCRIPTION:{}", text(&description.join("\n\n"))),
            "TRANSP:TRANSPARENT".into(),
        ]);
        // A settled deadline stays in the file, cancelled and without alarms,
        // so re-importing it silences the reminders imported before.
        if d.state == DeadlineState::Done {
            lines.push("STATUS:CANCELLED".into());
        } else {
            lines.push("STATUS:CONFIRMED".into());
            for r in &d.reminders {
                lines.extend([
                    "BEGIN:VALARM".into(),
                    "ACTION:DISPLAY".into(),
                    format!("DESCRIPTION:{}", text(&summary)),
                    format!("TRIGGER:-P{}D", r.days_before),
                    "END:VALARM".into(),
                ]);
            }
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
        out.push_str("\r\n");
    }
    out
}

/// "Source: …" or "Not confirmed: …" for a rule's basis.
pub fn basis_line(basis: &Basis, lang: Lang) -> String {
    match basis {
        Basis::Source { title, .. } => message(
            lang,
            "deadline.source",
            &[("title", title.get(lang).to_owned())],
        ),
        Basis::Unknown { question, .. } => message(
            lang,
            "deadline.unconfirmed",
            &[("question", question.get(lang).to_owned())],
        ),
    }
}

/// Escapes a TEXT value (RFC 5545, 3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in a TEXT value.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line into physical lines of at most 75 octets (RFC 5545,
/// 3.1), never inside a UTF-8 sequence.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 36);
    let mut current = String::new();
    // The first physical line holds 75 octets; the others 74 after the space
    // that marks them as continuations.
    let mut limit = 75;
    for c in line.chars() {
        while current.len() + c.len_utf8() > limit {
            // Some readers trim trailing blanks from each physical line,
            // losing a folded-off space; carry the spaces over instead.
            let kept = current.trim_end_matches(' ').len();
            let carry = if kept > 0 {
                current.split_off(kept)
            } else {
                String::new()
            };
            out.push_str(&current);
            out.push_str("\r\n ");
            current = carry;
            limit = 74;
        }
        current.push(c);
    }
    out.push_str(&current);
    out
}

pub use crate::durable::write_atomically;

/// A short summary line for the CLI: "3 deadlines, 7 reminders".
pub fn count_summary(deadlines: &Deadlines) -> (usize, usize) {
    let dated: Vec<_> = deadlines
        .deadlines
        .iter()
        .filter(|d| d.date.is_some())
        .collect();
    let alarms = dated
        .iter()
        .filter(|d| d.state != DeadlineState::Done)
        .map(|d| d.reminders.len())
        .sum();
    (dated.len(), alarms)
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;

    use chrono::NaiveDate;
    use ical::parser::ical::component::IcalEvent;

    use super::*;
    use crate::deadlines::compute;
    use crate::rules::builtin_packs;
    use crate::timeline::Event;

    fn ymd(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).expect("date")
    }

    fn event(id: i64, kind: &str, date: NaiveDate) -> Event {
        Event {
            id,
            kind: kind.into(),
            date,
            note: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn dossier() -> Dossier {
        let now = Utc::now();
        Dossier {
            id: "d1".into(),
            program_id: "kz-ai-pilot".into(),
            applicant_name: "Ada Lovelace; née Byron, \"the Enchantress\"".into(),
            created_at: now,
            updated_at: now,
            is_demo: false,
        }
    }

    fn export(events: &[Event], lang: Lang) -> String {
        let pack = builtin_packs().expect("packs").remove(0);
        let now: DateTime<Utc> = "2025-03-20T08:00:00Z".parse().expect("instant");
        let deadlines = compute(&pack, "d1", events, now);
        calendar(&deadlines, &dossier(), lang, now, 4)
    }

    fn parse(text: &str) -> Vec<IcalEvent> {
        let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let calendar = calendars
            .next()
            .expect("one calendar")
            .expect("a valid iCalendar file");
        assert!(calendars.next().is_none(), "exactly one calendar");
        calendar.events
    }

    fn prop<'a>(e: &'a IcalEvent, name: &str) -> &'a str {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.as_deref())
            .unwrap_or_else(|| panic!("no {name}"))
    }

    fn unescape(v: &str) -> String {
        let mut out = String::new();
        let mut chars = v.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') | Some('N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn approved() -> Vec<Event> {
        vec![
            event(1, "egov-submitted", ymd(3, 1)),
            event(2, "approved", ymd(3, 10)),
        ]
    }

    #[test]
    fn each_dated_deadline_is_an_all_day_event_with_an_alarm_per_reminder() {
        let events = parse(&export(&approved(), Lang::En));
        assert_eq!(events.len(), 3, "decision, entry window, re-application");
        let entry = events
            .iter()
            .find(|e| prop(e, "UID") == uid("d1", "entry-window"))
            .expect("the entry window");
        let start = entry
            .properties
            .iter()
            .find(|p| p.name == "DTSTART")
            .expect("DTSTART");
        assert_eq!(start.value.as_deref(), Some("20250409"));
        assert_eq!(
            start.params,
            Some(vec![("VALUE".to_owned(), vec!["DATE".to_owned()])]),
            "an all-day event"
        );
        assert_eq!(prop(entry, "DTEND"), "20250410", "DTEND is exclusive");
        assert_eq!(prop(entry, "DTSTAMP"), "20250320T080000Z");
        assert_eq!(prop(entry, "SEQUENCE"), "4");
        let triggers: Vec<_> = entry
            .alarms
            .iter()
            .map(|a| {
                let get = |n: &str| {
                    a.properties
                        .iter()
                        .find(|p| p.name == n)
                        .and_then(|p| p.value.clone())
                };
                assert_eq!(get("ACTION").as_deref(), Some("DISPLAY"));
                get("TRIGGER").expect("TRIGGER")
            })
            .collect();
        assert_eq!(triggers, ["-P7D", "-P3D", "-P1D"]);
        assert_eq!(
            unescape(prop(entry, "SUMMARY")),
            "Last day to enter Kazakhstan (Ada Lovelace; née Byron, \"the Enchantress\")",
            "commas and semicolons survive escaping"
        );
        let decision = events
            .iter()
            .find(|e| prop(e, "UID") == uid("d1", "decision-expected"))
            .expect("decision");
        assert_eq!(
            prop(decision, "STATUS"),
            "CANCELLED",
            "the approval settled it"
        );
        assert!(
            decision.alarms.is_empty(),
            "a settled deadline rings no more"
        );
    }

    #[test]
    fn uids_are_stable_so_a_reimport_updates_instead_of_duplicating() {
        let first = parse(&export(&approved(), Lang::En));
        let again = parse(&export(&approved(), Lang::Ru));
        let uids = |events: &[IcalEvent]| {
            let mut u: Vec<String> = events.iter().map(|e| prop(e, "UID").to_owned()).collect();
            u.sort();
            u
        };
        assert_eq!(
            uids(&first),
            uids(&again),
            "same dossier, same deadlines, same UIDs"
        );
        assert_ne!(uid("d1", "entry-window"), uid("d2", "entry-window"));
        assert!(uid("d1", "entry-window").ends_with("@qujat"));
    }

    #[test]
    fn long_and_non_latin_lines_are_folded_within_75_octets() {
        let text = export(&approved(), Lang::Kk);
        assert!(text.ends_with("\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let events = parse(&text);
        let entry = events
            .iter()
            .find(|e| prop(e, "UID") == uid("d1", "entry-window"))
            .expect("entry");
        let description = unescape(prop(entry, "DESCRIPTION"));
        assert!(
            description.starts_with("Осы күннен кешіктірмей Қазақстанға келіңіз"),
            "Kazakh text comes back whole after unfolding: {description}"
        );
        assert!(description.contains("\n\n"), "paragraphs survive as \\n");
    }

    #[test]
    fn nothing_to_export_before_the_first_dated_deadline() {
        let events = parse(&export(&[], Lang::En));
        assert!(
            events.is_empty(),
            "no event is recorded, so no day is known"
        );
    }

    #[test]
    fn folding_never_splits_a_character_or_ends_a_line_with_a_space() {
        let line = format!("DESCRIPTION:{}", "Қазақстан ".repeat(30).trim_end());
        let folded = fold(&line);
        for physical in folded.split("\r\n") {
            assert!(physical.len() <= 75);
            assert!(!physical.ends_with(' ') || physical.trim().is_empty());
        }
        assert_eq!(
            folded.replace("\r\n ", ""),
            line,
            "unfolding restores the line"
        );
    }
}
