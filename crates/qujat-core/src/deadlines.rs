//! Deadlines counted from the timeline, in the program's time zone.
//!
//! A deadline is a calendar day in the zone the pack names (`time-zone`,
//! `Asia/Almaty` for Kazakhstan): the day of an event plus the pack's offset.
//! "Today" is the day it is in that zone at the instant passed in, so an
//! applicant in New York and one in Almaty see the same days left. The zone
//! data comes from chrono-tz, which knows that Kazakhstan moved from UTC+6 to
//! UTC+5 on 1 March 2024; a day's end is computed from it, never from a fixed
//! offset.

use chrono::{
    DateTime, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset as _,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use crate::i18n::Text;
use crate::rules::{DeadlineKind, DeadlineRule, Offset, RulePack, Standing};
use crate::timeline::Event;

/// A dossier's deadlines on one day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Deadlines {
    /// The dossier's id.
    pub dossier_id: String,
    /// The IANA zone the days are counted in, e.g. `Asia/Almaty`.
    pub time_zone: String,
    /// Today in that zone.
    #[ts(type = "string")]
    pub today: NaiveDate,
    /// Every deadline of the program, in pack order.
    pub deadlines: Vec<Deadline>,
    /// The program's known closing day, if it has one.
    pub program_window: Option<ProgramWindow>,
}

/// One deadline and where the dossier stands with it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Deadline {
    /// The pack's deadline id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// What the day means.
    pub kind: DeadlineKind,
    /// The event it is counted from.
    pub from: String,
    /// That event's day, once recorded.
    #[ts(type = "string | null")]
    pub from_date: Option<NaiveDate>,
    /// The day, once the event it is counted from is recorded.
    #[ts(type = "string | null")]
    pub date: Option<NaiveDate>,
    /// The instant that day is over in the program's zone (RFC 3339 with the
    /// zone's offset), for showing it in the user's own zone.
    #[ts(type = "string | null")]
    pub ends_at: Option<DateTime<FixedOffset>>,
    /// Where it stands today.
    pub state: DeadlineState,
    /// Days from today to the day; negative once it has passed.
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
    /// The reminder days, earliest first.
    pub reminders: Vec<Reminder>,
    /// The recorded event that settled it, if any.
    pub settled_by: Option<String>,
    /// What the rule rests on: a source, or an open question.
    pub basis: Basis,
    /// What to do when reminded.
    pub reminder_text: Option<Text>,
    /// What the sources say and where they disagree.
    pub note: Option<Text>,
    /// For a deadline that comes from a document's dates, the checklist row
    /// (requirement id, or `id@cc`) of that document.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub document: Option<String>,
    /// For the last day of a visa-free stay, the days used and left.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stay: Option<StayCount>,
}

/// The days of a visa-free stay used and left under one limit, on today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StayCount {
    /// The days allowed.
    pub allowed: u32,
    /// The rolling period they are counted in; none: per visit.
    #[ts(type = "number | null")]
    pub within: Option<u32>,
    /// Days in Kazakhstan that count against the limit today, the day of
    /// entry and today included.
    #[ts(type = "number")]
    pub used: i64,
    /// Days still allowed after today (negative once overstayed).
    #[ts(type = "number")]
    pub left: i64,
}

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum DeadlineState {
    /// The event it counts from is not recorded yet.
    Pending,
    /// Ahead, further than the first reminder.
    Upcoming,
    /// Within the reminder period, or today.
    DueSoon,
    /// A due or last day that has passed unsettled.
    Overdue,
    /// An earliest day that has come: the thing is possible now.
    Reached,
    /// Settled by a recorded event; nothing left to watch.
    Done,
}

/// A reminder before a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reminder {
    /// Days before the deadline.
    pub days_before: u32,
    /// The day of the reminder.
    #[ts(type = "string")]
    pub date: NaiveDate,
}

/// The source or open question a rule rests on, resolved from its id.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(
    tag = "type",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum Basis {
    /// A published source.
    Source {
        /// Its id.
        id: String,
        /// Its title, in the three languages.
        title: Text,
        /// Where it was read.
        reference: String,
        /// How much weight it carries.
        standing: Standing,
    },
    /// A question the sources leave open; the rule is Qujat's best reading.
    Unknown {
        /// Its id.
        id: String,
        /// The open question.
        question: Text,
    },
}

/// A program's known closing day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProgramWindow {
    /// The last day the program accepts applications.
    #[ts(type = "string")]
    pub closes: NaiveDate,
    /// Whether that day has passed.
    pub closed: bool,
    /// What is known about the window.
    pub note: Text,
    /// What the closing day rests on.
    pub sources: Vec<Basis>,
}

/// The zone a pack counts its days in; UTC for a pack without one. Such a
/// pack has no deadlines (the validator sees to that); it may have a closing
/// day, because packs written before `time-zone` existed must stay valid.
pub fn zone_of(pack: &RulePack) -> Tz {
    pack.time_zone
        .as_deref()
        .and_then(|z| z.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// The calendar day it is in `zone` at `now`.
pub fn today_in(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// `date` plus `offset`: years and months first, then days. A day missing
/// from the target month becomes that month's last day (31 January plus a
/// month is 28 or 29 February; 29 February plus a year is 28 February), as
/// the Civil Code ends a term in months or years. `None` only past the end
/// of the calendar.
pub fn add_offset(date: NaiveDate, offset: Offset) -> Option<NaiveDate> {
    let months = offset.years.checked_mul(12)?.checked_add(offset.months)?;
    date.checked_add_months(Months::new(months))?
        .checked_add_days(Days::new(u64::from(offset.days)))
}

/// The instant `date` is over in `zone`: the first instant of the next day,
/// with the offset in force then.
pub fn day_ends_at(zone: Tz, date: NaiveDate) -> Option<DateTime<FixedOffset>> {
    let next = date.succ_opt()?;
    // Midnight can fall in a gap (a zone that springs forward at 00:00); the
    // day then starts at the first hour that exists.
    (0..4).find_map(|hour| {
        let time = NaiveTime::from_hms_opt(hour, 0, 0)?;
        zone.from_local_datetime(&next.and_time(time))
            .earliest()
            .map(|t| t.fixed_offset())
    })
}

/// When a deadline's day ends on the clock of `zone` (the user's), if that
/// zone's offset then differs from the program zone's; `None` when the two
/// clocks agree and the day alone says it all.
pub fn ends_in_zone<Z: TimeZone>(
    ends_at: DateTime<FixedOffset>,
    zone: &Z,
) -> Option<NaiveDateTime> {
    let local = ends_at.with_timezone(zone);
    if local.offset().fix() == *ends_at.offset() {
        None
    } else {
        Some(local.naive_local())
    }
}

/// The source or unknown with this id.
pub fn basis(pack: &RulePack, id: &str) -> Basis {
    if let Some(s) = pack.sources.iter().find(|s| s.id == id) {
        return Basis::Source {
            id: s.id.clone(),
            title: s.title.clone(),
            reference: s.reference.clone(),
            standing: s.standing,
        };
    }
    let question = pack
        .unknowns
        .iter()
        .find(|u| u.id == id)
        .map(|u| u.question.clone())
        .unwrap_or_default();
    Basis::Unknown {
        id: id.to_owned(),
        question,
    }
}

/// A dossier's deadlines at `now`.
pub(crate) fn compute(
    pack: &RulePack,
    dossier_id: &str,
    events: &[Event],
    now: DateTime<Utc>,
) -> Deadlines {
    let zone = zone_of(pack);
    let today = today_in(zone, now);
    let program_window = pack.window.as_ref().and_then(|w| {
        w.closes.map(|closes| ProgramWindow {
            closes,
            closed: today > closes,
            note: w.note.clone(),
            sources: w.sources.iter().map(|id| basis(pack, id)).collect(),
        })
    });
    Deadlines {
        dossier_id: dossier_id.to_owned(),
        time_zone: zone.name().to_owned(),
        today,
        deadlines: pack
            .deadlines
            .iter()
            .map(|rule| deadline(pack, rule, events, zone, today))
            .collect(),
        program_window,
    }
}

fn deadline(
    pack: &RulePack,
    rule: &DeadlineRule,
    events: &[Event],
    zone: Tz,
    today: NaiveDate,
) -> Deadline {
    let date_of = |kind: &str| events.iter().find(|e| e.kind == kind).map(|e| e.date);
    let from_date = date_of(&rule.from);
    let date = from_date.and_then(|d| add_offset(d, rule.offset));
    let settled_by = rule
        .done_by
        .iter()
        .find(|kind| date_of(kind).is_some())
        .cloned();
    let days_left = date.map(|d| (d - today).num_days());
    let first_reminder = rule.reminders.first().copied().map(i64::from).unwrap_or(0);
    let state = match (&settled_by, days_left) {
        (Some(_), _) => DeadlineState::Done,
        (None, None) => DeadlineState::Pending,
        (None, Some(left)) => match rule.kind {
            DeadlineKind::Earliest if left <= 0 => DeadlineState::Reached,
            DeadlineKind::Due | DeadlineKind::LastDay if left < 0 => DeadlineState::Overdue,
            _ if left <= first_reminder => DeadlineState::DueSoon,
            _ => DeadlineState::Upcoming,
        },
    };
    let reminders = match date {
        Some(d) => rule
            .reminders
            .iter()
            .filter_map(|lead| {
                d.checked_sub_days(Days::new(u64::from(*lead)))
                    .map(|date| Reminder {
                        days_before: *lead,
                        date,
                    })
            })
            .collect(),
        None => Vec::new(),
    };
    Deadline {
        id: rule.id.clone(),
        name: rule.name.clone(),
        kind: rule.kind,
        from: rule.from.clone(),
        from_date,
        date,
        ends_at: date.and_then(|d| day_ends_at(zone, d)),
        state,
        days_left,
        reminders,
        settled_by,
        basis: basis(pack, &rule.basis),
        reminder_text: rule.reminder_text.clone(),
        note: rule.note.clone(),
        document: None,
        stay: None,
    }
}

/// Reminder leads for the deadlines that come from documents, in days
/// before the day. The packs say how old or how long valid a document must
/// be, not when to be reminded; a month ahead leaves time to order a new
/// police clearance from abroad, a week and a day are the last calls.
const DOCUMENT_REMINDERS: [u32; 3] = [30, 7, 1];

/// An attached document with the dates entered for it.
pub struct DatedDocument<'a> {
    /// Its checklist row id (`police-clearance`, `police-clearance@ru`).
    pub row: &'a str,
    /// Its country, for a per-citizenship row after the first.
    pub country: Option<String>,
    /// The dates the user read off it.
    pub dates: crate::store::DocumentDates,
}

/// The deadlines a document's dates give under the pack's rules: the last
/// day it is young enough to submit (`max-age`: issue day + the most days),
/// and the last day it still has the validity asked for left
/// (`min-remaining-validity`: expiry day − the days). Both are counted to
/// the application, so they are settled once the application is recorded.
pub(crate) fn document_deadlines(
    pack: &RulePack,
    documents: &[DatedDocument<'_>],
    events: &[Event],
    now: DateTime<Utc>,
) -> Vec<Deadline> {
    use crate::i18n::{message, Lang};
    use crate::rules::{Moment, Rule};

    let zone = zone_of(pack);
    let today = today_in(zone, now);
    // The application is the event the pack's `due` deadline counts from,
    // as in `findings::Moments`; code never names an event.
    let application_event = pack
        .deadlines
        .iter()
        .find(|d| d.kind == DeadlineKind::Due)
        .map(|d| d.from.clone());
    let applied = application_event
        .as_deref()
        .filter(|kind| events.iter().any(|e| e.kind == *kind));
    let mut found = Vec::new();
    for doc in documents {
        let Some(requirement) = pack.requirement(doc.row) else {
            continue;
        };
        let named = |key: &str, days: u32| {
            let in_lang = |lang: Lang| {
                let mut name = requirement.name.get(lang).to_owned();
                if let Some(c) = &doc.country {
                    name = format!("{name} ({})", crate::countries::country_name(c, lang));
                }
                message(
                    lang,
                    key,
                    &[("requirement", name), ("days", days.to_string())],
                )
            };
            Text {
                en: in_lang(Lang::En),
                ru: Some(in_lang(Lang::Ru)),
                kk: Some(in_lang(Lang::Kk)),
            }
        };
        for rule in &requirement.rules {
            let (suffix, key, date, days, basis_id) = match rule {
                Rule::MaxAge {
                    days,
                    at: Moment::Application,
                    basis,
                } => match doc.dates.issued_on {
                    Some(issued) => (
                        "usable-until",
                        "deadline.document-usable-until",
                        issued.checked_add_days(Days::new(u64::from(*days))),
                        *days,
                        basis,
                    ),
                    None => continue,
                },
                Rule::MinRemainingValidity {
                    days,
                    from: Moment::Application,
                    basis,
                } => match doc.dates.expires_on {
                    Some(expires) => (
                        "validity-until",
                        "deadline.document-validity-until",
                        expires.checked_sub_days(Days::new(u64::from(*days))),
                        *days,
                        basis,
                    ),
                    None => continue,
                },
                _ => continue,
            };
            let Some(date) = date else { continue };
            let days_left = (date - today).num_days();
            let state = if applied.is_some() {
                DeadlineState::Done
            } else if days_left < 0 {
                DeadlineState::Overdue
            } else if days_left <= i64::from(DOCUMENT_REMINDERS[0]) {
                DeadlineState::DueSoon
            } else {
                DeadlineState::Upcoming
            };
            found.push(Deadline {
                // `row.suffix` is stable for the row and the rule, so the
                // calendar entry's UID is too.
                id: format!("{}.{suffix}", doc.row),
                name: named(key, days),
                kind: DeadlineKind::LastDay,
                from: doc.row.to_owned(),
                from_date: None,
                date: Some(date),
                ends_at: day_ends_at(zone, date),
                state,
                days_left: Some(days_left),
                reminders: DOCUMENT_REMINDERS
                    .iter()
                    .filter_map(|lead| {
                        date.checked_sub_days(Days::new(u64::from(*lead)))
                            .map(|d| Reminder {
                                days_before: *lead,
                                date: d,
                            })
                    })
                    .collect(),
                settled_by: applied.map(str::to_owned),
                basis: basis(pack, basis_id),
                reminder_text: None,
                note: None,
                document: Some(doc.row.to_owned()),
                stay: None,
            });
        }
    }
    found
}

/// The last safe day of a visa-free stay under each limit the pack states,
/// counted from the recorded entry (the day of entry is day 1, as the day
/// of leaving counts too). None before an entry is recorded; once the applicant has left, or a `done-by` event is recorded, they are
/// done. Qujat knows only this stay: the note says that earlier stays in a
/// rolling period count too, and which limits the sources leave open.
pub(crate) fn stay_deadlines(
    pack: &RulePack,
    events: &[Event],
    now: DateTime<Utc>,
) -> Vec<Deadline> {
    use crate::i18n::{message, Lang};

    let Some(rule) = &pack.visa_free else {
        return Vec::new();
    };
    let zone = zone_of(pack);
    let today = today_in(zone, now);
    let date_of = |kind: &str| events.iter().find(|e| e.kind == kind).map(|e| e.date);
    // Only for who recorded a visa-free entry: a visa holder's stay follows
    // the visa, and an empty row would only confuse them.
    if date_of(&rule.entry).is_none() {
        return Vec::new();
    }
    let entry = date_of(&rule.entry);
    let exit = rule
        .exit
        .as_deref()
        .and_then(date_of)
        .filter(|d| entry.is_some_and(|e| *d >= e));
    let settled_by = exit
        .and(rule.exit.clone())
        .or_else(|| rule.done_by.iter().find(|k| date_of(k).is_some()).cloned());
    let in_langs = |f: &dyn Fn(Lang) -> String| Text {
        en: f(Lang::En),
        ru: Some(f(Lang::Ru)),
        kk: Some(f(Lang::Kk)),
    };
    // The open questions, said on every limit's deadline.
    let open: Vec<&Text> = rule
        .limits
        .iter()
        .filter(|l| l.days.is_none())
        .filter_map(|l| pack.unknowns.iter().find(|u| u.id == l.basis))
        .map(|u| &u.question)
        .collect();
    rule.limits
        .iter()
        .filter_map(|limit| limit.days.map(|days| (limit, days)))
        .map(|(limit, days)| {
            let id = match limit.within {
                Some(within) => format!("visa-free-stay.{days}-in-{within}"),
                None => format!("visa-free-stay.{days}-per-visit"),
            };
            let date = entry.and_then(|e| e.checked_add_days(Days::new(u64::from(days) - 1)));
            // Days present that count today: from the entry (or the start
            // of the rolling period) to the exit or today.
            let stay = entry.map(|e| {
                let end = exit.unwrap_or(today).min(today);
                let start = match limit.within {
                    Some(within) => e.max(today - chrono::Duration::days(i64::from(within) - 1)),
                    None => e,
                };
                let used = ((end - start).num_days() + 1).max(0);
                StayCount {
                    allowed: days,
                    within: limit.within,
                    used,
                    left: i64::from(days) - used,
                }
            });
            let days_left = date.map(|d| (d - today).num_days());
            let first = rule.reminders.first().copied().map(i64::from).unwrap_or(0);
            let state = match (&settled_by, days_left) {
                (Some(_), _) => DeadlineState::Done,
                (None, None) => DeadlineState::Pending,
                (None, Some(left)) if left < 0 => DeadlineState::Overdue,
                (None, Some(left)) if left <= first => DeadlineState::DueSoon,
                (None, Some(_)) => DeadlineState::Upcoming,
            };
            let name = in_langs(&|lang| match limit.within {
                Some(within) => message(
                    lang,
                    "deadline.visa-free-in-period",
                    &[("days", days.to_string()), ("within", within.to_string())],
                ),
                None => message(
                    lang,
                    "deadline.visa-free-per-visit",
                    &[("days", days.to_string())],
                ),
            });
            let note = in_langs(&|lang| {
                let mut parts = Vec::new();
                if let Some(within) = limit.within {
                    parts.push(message(
                        lang,
                        "deadline.visa-free-earlier-stays",
                        &[("within", within.to_string())],
                    ));
                }
                for question in &open {
                    parts.push(message(
                        lang,
                        "deadline.visa-free-unknown",
                        &[("question", question.get(lang).to_owned())],
                    ));
                }
                if let Some(note) = &rule.note {
                    parts.push(note.get(lang).to_owned());
                }
                parts.join(" ")
            });
            Deadline {
                id,
                name,
                kind: DeadlineKind::LastDay,
                from: rule.entry.clone(),
                from_date: entry,
                date,
                ends_at: date.and_then(|d| day_ends_at(zone, d)),
                state,
                days_left,
                reminders: date
                    .map(|d| {
                        rule.reminders
                            .iter()
                            .filter_map(|lead| {
                                d.checked_sub_days(Days::new(u64::from(*lead))).map(|date| {
                                    Reminder {
                                        days_before: *lead,
                                        date,
                                    }
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                settled_by: settled_by.clone(),
                basis: basis(pack, &limit.basis),
                reminder_text: Some(in_langs(&|lang| {
                    message(lang, "deadline.visa-free-reminder", &[])
                })),
                note: Some(note),
                document: None,
                stay,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin_packs;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("RFC 3339 instant")
    }

    fn months(n: u32) -> Offset {
        Offset {
            months: n,
            ..Offset::default()
        }
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

    fn pilot() -> RulePack {
        builtin_packs().expect("valid packs").remove(0)
    }

    fn find<'a>(d: &'a Deadlines, id: &str) -> &'a Deadline {
        d.deadlines
            .iter()
            .find(|x| x.id == id)
            .unwrap_or_else(|| panic!("no deadline {id}"))
    }

    #[test]
    fn a_month_after_the_31st_is_the_last_day_of_a_shorter_month() {
        assert_eq!(
            add_offset(ymd(2025, 1, 31), months(1)),
            Some(ymd(2025, 2, 28))
        );
        assert_eq!(
            add_offset(ymd(2024, 1, 31), months(1)),
            Some(ymd(2024, 2, 29)),
            "2024 is a leap year"
        );
        assert_eq!(
            add_offset(ymd(2025, 3, 31), months(1)),
            Some(ymd(2025, 4, 30))
        );
    }

    #[test]
    fn a_year_after_29_february_is_28_february() {
        let year = Offset {
            years: 1,
            ..Offset::default()
        };
        assert_eq!(add_offset(ymd(2024, 2, 29), year), Some(ymd(2025, 2, 28)));
        assert_eq!(
            add_offset(ymd(2023, 2, 28), year),
            Some(ymd(2024, 2, 28)),
            "28 February stays 28 February, even into a leap year"
        );
        let four = Offset {
            years: 4,
            ..Offset::default()
        };
        assert_eq!(add_offset(ymd(2024, 2, 29), four), Some(ymd(2028, 2, 29)));
    }

    #[test]
    fn days_run_across_month_and_year_ends() {
        let days = |n| Offset {
            days: n,
            ..Offset::default()
        };
        assert_eq!(
            add_offset(ymd(2025, 1, 31), days(30)),
            Some(ymd(2025, 3, 2))
        );
        assert_eq!(
            add_offset(ymd(2024, 1, 31), days(30)),
            Some(ymd(2024, 3, 1))
        );
        assert_eq!(
            add_offset(ymd(2025, 11, 20), days(45)),
            Some(ymd(2026, 1, 4))
        );
    }

    #[test]
    fn almaty_moved_from_utc_plus_6_to_utc_plus_5_on_1_march_2024() {
        let almaty: Tz = "Asia/Almaty".parse().expect("zone");
        // Clocks went back at midnight: 29 February 2024 lasted 25 hours.
        assert_eq!(
            day_ends_at(almaty, ymd(2024, 2, 28)).map(|t| t.to_rfc3339()),
            Some("2024-02-29T00:00:00+06:00".into())
        );
        assert_eq!(
            day_ends_at(almaty, ymd(2024, 2, 29)).map(|t| t.to_rfc3339()),
            Some("2024-03-01T00:00:00+05:00".into()),
            "the zone data must know the 2024 change (tzdata 2024a or later)"
        );
        assert_eq!(
            today_in(almaty, utc("2024-02-28T18:30:00Z")),
            ymd(2024, 2, 29)
        );
        assert_eq!(
            today_in(almaty, utc("2024-02-29T18:30:00Z")),
            ymd(2024, 2, 29),
            "18:30 UTC was 23:30 in Almaty after the change, 00:30 before it"
        );
        assert_eq!(
            today_in(almaty, utc("2024-02-29T19:00:00Z")),
            ymd(2024, 3, 1)
        );
        assert_eq!(
            today_in(almaty, utc("2023-06-01T18:30:00Z")),
            ymd(2023, 6, 2)
        );
    }

    #[test]
    fn the_day_is_shown_in_the_users_zone_only_where_clocks_differ() {
        let almaty: Tz = "Asia/Almaty".parse().expect("zone");
        let ends = day_ends_at(almaty, ymd(2025, 3, 31)).expect("end");
        let new_york: Tz = "America/New_York".parse().expect("zone");
        let tokyo: Tz = "Asia/Tokyo".parse().expect("zone");
        let tashkent: Tz = "Asia/Tashkent".parse().expect("zone");
        let at = |d: NaiveDate, h| d.and_hms_opt(h, 0, 0).expect("time");
        assert_eq!(
            ends_in_zone(ends, &new_york),
            Some(at(ymd(2025, 3, 31), 15)),
            "in New York (EDT) the Kazakh day ends at 15:00 the same day"
        );
        assert_eq!(ends_in_zone(ends, &tokyo), Some(at(ymd(2025, 4, 1), 4)));
        assert_eq!(ends_in_zone(ends, &almaty), None);
        assert_eq!(
            ends_in_zone(ends, &tashkent),
            None,
            "another zone on UTC+5 has the same clock"
        );
    }

    #[test]
    fn the_entry_window_counts_30_days_from_the_approval_with_reminders() {
        let pack = pilot();
        let events = [
            event(1, "egov-submitted", ymd(2025, 3, 1)),
            event(2, "approved", ymd(2025, 3, 10)),
        ];
        // 20:00 UTC on 1 April is already 2 April in Almaty.
        let d = compute(&pack, "d1", &events, utc("2025-04-01T20:00:00Z"));
        assert_eq!(d.today, ymd(2025, 4, 2));
        let entry = find(&d, "entry-window");
        assert_eq!(entry.date, Some(ymd(2025, 4, 9)));
        assert_eq!(entry.days_left, Some(7));
        assert_eq!(
            entry.state,
            DeadlineState::DueSoon,
            "7 days left is the first reminder"
        );
        let reminder_days: Vec<_> = entry.reminders.iter().map(|r| r.date).collect();
        assert_eq!(
            reminder_days,
            [ymd(2025, 4, 2), ymd(2025, 4, 6), ymd(2025, 4, 8)]
        );
        assert_eq!(
            find(&d, "decision-expected").state,
            DeadlineState::Done,
            "the approval settles the expected decision"
        );
        let reapply = find(&d, "reapply-earliest");
        assert_eq!(reapply.date, Some(ymd(2026, 3, 10)));
        assert!(
            matches!(&reapply.basis, Basis::Unknown { id, .. } if id == "reapply-waiting-period"),
            "the re-application period is an open question, and says so"
        );
    }

    #[test]
    fn states_follow_the_calendar_and_the_recorded_events() {
        let pack = pilot();
        let submitted = [event(1, "egov-submitted", ymd(2025, 3, 1))];
        let at = |when| compute(&pack, "d1", &submitted, utc(when));
        let decision = |d: &Deadlines| find(d, "decision-expected").state;
        assert_eq!(
            decision(&at("2025-03-02T06:00:00Z")),
            DeadlineState::Upcoming
        );
        assert_eq!(
            decision(&at("2025-04-12T06:00:00Z")),
            DeadlineState::DueSoon
        );
        assert_eq!(
            decision(&at("2025-04-15T06:00:00Z")),
            DeadlineState::DueSoon,
            "due today"
        );
        assert_eq!(
            decision(&at("2025-04-16T06:00:00Z")),
            DeadlineState::Overdue
        );
        assert_eq!(
            find(&at("2025-03-02T06:00:00Z"), "entry-window").state,
            DeadlineState::Pending,
            "no approval yet"
        );

        let missed = [
            event(1, "egov-submitted", ymd(2025, 3, 1)),
            event(2, "approved", ymd(2025, 3, 10)),
        ];
        let later = compute(&pack, "d1", &missed, utc("2026-03-10T06:00:00Z"));
        assert_eq!(find(&later, "entry-window").state, DeadlineState::Overdue);
        assert_eq!(
            find(&later, "reapply-earliest").state,
            DeadlineState::Reached
        );

        let arrived = [
            event(1, "egov-submitted", ymd(2025, 3, 1)),
            event(2, "approved", ymd(2025, 3, 10)),
            event(3, "arrived", ymd(2025, 3, 20)),
        ];
        let done = compute(&pack, "d1", &arrived, utc("2025-05-01T06:00:00Z"));
        let entry = find(&done, "entry-window");
        assert_eq!(entry.state, DeadlineState::Done);
        assert_eq!(entry.settled_by.as_deref(), Some("arrived"));
    }

    #[test]
    fn a_closed_program_is_flagged_with_its_sources() {
        let pack = pilot();
        let open = compute(&pack, "d1", &[], utc("2025-12-31T18:59:00Z"));
        let window = open.program_window.expect("the pilot has a closing day");
        assert!(
            !window.closed,
            "23:59 on 31 December in Almaty is still open"
        );
        let closed = compute(&pack, "d1", &[], utc("2025-12-31T19:00:00Z"));
        let window = closed.program_window.expect("closing day");
        assert!(window.closed, "midnight in Almaty closes it");
        assert!(window
            .sources
            .iter()
            .any(|b| matches!(b, Basis::Source { id, .. } if id == "joint-order-2025")));
    }

    fn in_demand() -> RulePack {
        builtin_packs()
            .expect("valid packs")
            .into_iter()
            .find(|p| p.id == "kz-in-demand")
            .expect("the in-demand pack")
    }

    #[test]
    fn a_visa_free_entry_gives_the_last_safe_day_and_the_days_used_and_left() {
        let pack = in_demand();
        // Nothing before an entry is recorded: a visa holder sees no row.
        assert!(stay_deadlines(&pack, &[], utc("2026-03-10T06:00:00Z")).is_empty());

        let entered = event(1, "entered-visa-free", ymd(2026, 3, 1));
        // 10:00 in Almaty on 10 March: the entry day and today both count.
        let found = stay_deadlines(
            &pack,
            std::slice::from_ref(&entered),
            utc("2026-03-10T05:00:00Z"),
        );
        assert_eq!(found.len(), 1, "one limit with days; the other is unknown");
        let d = &found[0];
        assert_eq!(d.id, "visa-free-stay.90-in-180");
        assert_eq!(d.kind, DeadlineKind::LastDay);
        assert_eq!(d.from_date, Some(ymd(2026, 3, 1)));
        assert_eq!(
            d.date,
            Some(ymd(2026, 5, 29)),
            "1 March is day 1, 29 May day 90"
        );
        assert_eq!(d.state, DeadlineState::Upcoming);
        assert_eq!(
            d.stay,
            Some(StayCount {
                allowed: 90,
                within: Some(180),
                used: 10,
                left: 80
            })
        );
        let leads: Vec<u32> = d.reminders.iter().map(|r| r.days_before).collect();
        assert_eq!(leads, [14, 3], "the pack's reminders");
        assert!(matches!(&d.basis, Basis::Source { id, .. } if id == "dos-immigration-dnr-case"));
        let note = d.note.as_ref().expect("note");
        assert!(
            note.en.contains("180 days before this entry"),
            "{}",
            note.en
        );
        assert!(
            note.en.contains("Not known:") && note.en.contains("one visit"),
            "the open per-visit limit is said, not invented: {}",
            note.en
        );
        assert!(note
            .ru
            .as_deref()
            .is_some_and(|t| t.contains("Неизвестно:")));
        assert!(note.kk.as_deref().is_some_and(|t| t.contains("Белгісіз:")));

        // Overstayed: the counter goes past the limit.
        let late = stay_deadlines(
            &pack,
            std::slice::from_ref(&entered),
            utc("2026-06-01T05:00:00Z"),
        );
        assert_eq!(late[0].state, DeadlineState::Overdue);
        assert_eq!(late[0].stay.map(|s| (s.used, s.left)), Some((93, -3)));

        // Leaving settles it; the days used stay counted in the period.
        let left = event(2, "left-kazakhstan", ymd(2026, 3, 20));
        let after = stay_deadlines(&pack, &[entered, left], utc("2026-04-01T05:00:00Z"));
        assert_eq!(after[0].state, DeadlineState::Done);
        assert_eq!(after[0].settled_by.as_deref(), Some("left-kazakhstan"));
        assert_eq!(after[0].stay.map(|s| (s.used, s.left)), Some((20, 70)));
    }

    #[test]
    fn days_of_an_old_stay_roll_out_of_the_period() {
        let pack = in_demand();
        let events = [
            event(1, "entered-visa-free", ymd(2026, 1, 1)),
            event(2, "left-kazakhstan", ymd(2026, 1, 30)),
        ];
        // 30 days in January; on 10 July the period (180 days back) starts
        // on 12 January, so 19 of them still count.
        let found = stay_deadlines(&pack, &events, utc("2026-07-10T05:00:00Z"));
        assert_eq!(found[0].stay.map(|s| (s.used, s.left)), Some((19, 71)));
    }
}
