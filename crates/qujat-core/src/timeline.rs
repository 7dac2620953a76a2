//! The case timeline: what happened to a dossier and when.
//!
//! A dossier moves through its program's stages by dated events
//! (`astana-hub-submitted`, `egov-submitted`, `approved`, …). Which events
//! exist, which stage each belongs to and which must come before which are
//! rule-pack data (`[[events]]`); this module only applies them. Events are
//! corrected and removed, never silently overwritten: the store keeps every
//! change in an append-only history.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result, TimelineError};
use crate::i18n::Text;
use crate::rules::ProgramRef;
use crate::rules::RulePack;
use crate::store::{Dossier, EventWrite};

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Event {
    /// Its number, used to correct or remove it; never reused.
    #[ts(type = "number")]
    pub id: i64,
    /// The event kind's id in the program's pack, e.g. `approved`.
    pub kind: String,
    /// The day it happened.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The applicant's own note.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
    /// When it was recorded.
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// When it was last corrected.
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// What an event says: its kind, day and note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EventValues {
    /// The event kind's id.
    pub kind: String,
    /// The day.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The note.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// A change to an event; corrections leave the values as they were before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EventCorrection {
    /// A new kind (an approval recorded by mistake for a refusal).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<String>,
    /// A new day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub date: Option<NaiveDate>,
    /// A new note; an empty one removes the note.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// What a history entry did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ChangeAction {
    /// The event was recorded.
    Added,
    /// Its kind, day or note was changed.
    Corrected,
    /// It was removed.
    Removed,
}

/// One entry of the append-only history of a dossier's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EventChange {
    /// The event's number.
    #[ts(type = "number")]
    pub event_id: i64,
    /// What was done.
    pub action: ChangeAction,
    /// The values before; none for an addition.
    pub before: Option<EventValues>,
    /// The values after; none for a removal.
    pub after: Option<EventValues>,
    /// When.
    #[ts(type = "string")]
    pub changed_at: DateTime<Utc>,
}

/// A dossier's timeline: its program's stages with their events.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Timeline {
    /// The dossier.
    pub dossier: Dossier,
    /// Its program.
    pub program: ProgramRef,
    /// The stage of the latest event with a stage; none before the first.
    pub current_stage: Option<String>,
    /// Every stage in procedure order, with the events that belong to it.
    pub stages: Vec<TimelineStage>,
    /// Events of no particular stage (a withdrawal), and any recorded event
    /// whose kind the current pack no longer knows.
    pub other: Vec<TimelineEntry>,
    /// Every change made to the events, oldest first.
    pub history: Vec<EventChange>,
}

/// One stage of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimelineStage {
    /// Stage id.
    pub id: String,
    /// Stage name.
    pub name: Text,
    /// The stage's event kinds in pack order, recorded or not.
    pub entries: Vec<TimelineEntry>,
}

/// An event kind and, if it happened, the recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimelineEntry {
    /// Event kind id.
    pub kind: String,
    /// Its name.
    pub name: Text,
    /// The recorded event, if any.
    pub event: Option<Event>,
}

/// The name of an event kind, or its id when the pack no longer has it.
pub fn event_name(pack: &RulePack, kind: &str) -> Text {
    pack.event_kind(kind)
        .map(|k| k.name.clone())
        .unwrap_or_else(|| Text {
            en: kind.to_owned(),
            ..Text::default()
        })
}

/// Decides how to record a new event, or refuses it.
pub(crate) fn plan_add(
    pack: &RulePack,
    current: &[Event],
    values: EventValues,
    today: NaiveDate,
) -> Result<EventWrite> {
    let values = EventValues {
        kind: known_kind(pack, &values.kind)?,
        note: tidy_note(values.note),
        ..values
    };
    if let Some(existing) = current.iter().find(|e| e.kind == values.kind) {
        return Err(TimelineError::EventAlreadyRecorded {
            kind: values.kind,
            id: existing.id,
        }
        .into());
    }
    not_in_future(&values, today)?;
    let mut after = values_of(current);
    after.push(values.clone());
    check_sequence(pack, current, &after, Some(&values.kind))?;
    Ok(EventWrite::Add(values))
}

/// Decides how to correct event `id`, or refuses.
pub(crate) fn plan_correct(
    pack: &RulePack,
    current: &[Event],
    id: i64,
    correction: EventCorrection,
    today: NaiveDate,
) -> Result<EventWrite> {
    let old = find(current, id)?;
    let kind = match correction.kind {
        Some(kind) => known_kind(pack, &kind)?,
        None => old.kind.clone(),
    };
    if let Some(other) = current.iter().find(|e| e.kind == kind && e.id != id) {
        return Err(TimelineError::EventAlreadyRecorded { kind, id: other.id }.into());
    }
    let values = EventValues {
        kind,
        date: correction.date.unwrap_or(old.date),
        note: match correction.note {
            Some(note) => tidy_note(Some(note)),
            None => old.note.clone(),
        },
    };
    // A day already on record stays acceptable even if "today" moved back
    // (a clock fixed, a trip across the date line): only a new day is checked.
    if values.date != old.date {
        not_in_future(&values, today)?;
    }
    let after: Vec<EventValues> = current
        .iter()
        .map(|e| {
            if e.id == id {
                values.clone()
            } else {
                value_of(e)
            }
        })
        .collect();
    check_sequence(pack, current, &after, Some(&values.kind))?;
    Ok(EventWrite::Correct { id, values })
}

/// Decides how to remove event `id`, or refuses because a later event needs it.
pub(crate) fn plan_remove(pack: &RulePack, current: &[Event], id: i64) -> Result<EventWrite> {
    find(current, id)?;
    let after: Vec<EventValues> = current
        .iter()
        .filter(|e| e.id != id)
        .map(value_of)
        .collect();
    check_sequence(pack, current, &after, None)?;
    Ok(EventWrite::Remove { id })
}

/// Builds the timeline view of a dossier.
pub(crate) fn build(
    pack: &RulePack,
    dossier: Dossier,
    events: &[Event],
    history: Vec<EventChange>,
    today: NaiveDate,
) -> Timeline {
    let entry = |kind: &str| TimelineEntry {
        kind: kind.to_owned(),
        name: event_name(pack, kind),
        event: events.iter().find(|e| e.kind == kind).cloned(),
    };
    let stages = pack
        .stages
        .iter()
        .map(|s| TimelineStage {
            id: s.id.clone(),
            name: s.name.clone(),
            entries: pack
                .events
                .iter()
                .filter(|k| k.stage.as_deref() == Some(s.id.as_str()))
                .map(|k| entry(&k.id))
                .collect(),
        })
        .collect();
    let mut other: Vec<TimelineEntry> = pack
        .events
        .iter()
        .filter(|k| k.stage.is_none())
        .map(|k| entry(&k.id))
        .collect();
    other.extend(
        events
            .iter()
            .filter(|e| pack.event_kind(&e.kind).is_none())
            .map(|e| entry(&e.kind)),
    );
    // Events come oldest first, so the last one with a stage is the latest.
    let current_stage = events
        .iter()
        .rev()
        .find_map(|e| pack.event_kind(&e.kind).and_then(|k| k.stage.clone()));
    Timeline {
        program: ProgramRef::of(pack, today),
        dossier,
        current_stage,
        stages,
        other,
        history,
    }
}

/// A break in the rules between recorded events.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Break {
    Missing {
        kind: String,
        requires: String,
    },
    Early {
        kind: String,
        date: NaiveDate,
        requires: String,
        requires_date: NaiveDate,
    },
    Exclusive {
        kind: String,
        other: String,
    },
}

impl Break {
    /// The event the break is about.
    fn kind(&self) -> &str {
        match self {
            Break::Missing { kind, .. }
            | Break::Early { kind, .. }
            | Break::Exclusive { kind, .. } => kind,
        }
    }
}

fn breaks(pack: &RulePack, events: &[EventValues]) -> Vec<Break> {
    let date_of = |kind: &str| events.iter().find(|e| e.kind == kind).map(|e| e.date);
    let mut ordered: Vec<&EventValues> = events.iter().collect();
    ordered.sort_by(|a, b| (a.date, &a.kind).cmp(&(b.date, &b.kind)));
    let mut found = Vec::new();
    for e in ordered {
        // An event whose kind a newer pack dropped has no rules left to break.
        let Some(rule) = pack.event_kind(&e.kind) else {
            continue;
        };
        for other in &rule.excludes {
            if date_of(other).is_some() {
                found.push(Break::Exclusive {
                    kind: e.kind.clone(),
                    other: other.clone(),
                });
            }
        }
        for requires in &rule.after {
            match date_of(requires) {
                None => found.push(Break::Missing {
                    kind: e.kind.clone(),
                    requires: requires.clone(),
                }),
                Some(requires_date) if requires_date > e.date => found.push(Break::Early {
                    kind: e.kind.clone(),
                    date: e.date,
                    requires: requires.clone(),
                    requires_date,
                }),
                Some(_) => {}
            }
        }
    }
    found
}

/// Refuses a change that would put the events out of order. Only breaks the
/// change introduces count: a timeline recorded under an older pack may
/// already break a newer pack's rules, and that must not block correcting it.
/// A break about `focus`, the event being written, is reported first.
fn check_sequence(
    pack: &RulePack,
    before: &[Event],
    after: &[EventValues],
    focus: Option<&str>,
) -> Result<()> {
    let old = breaks(pack, &values_of(before));
    let new: Vec<Break> = breaks(pack, after)
        .into_iter()
        .filter(|b| !old.contains(b))
        .collect();
    let pick = new
        .iter()
        .position(|b| Some(b.kind()) == focus)
        .unwrap_or(0);
    let Some(new) = new.get(pick).cloned() else {
        return Ok(());
    };
    Err(match new {
        // The prerequisite was there before the change: the change removed it.
        Break::Missing { kind, requires } if before.iter().any(|e| e.kind == requires) => {
            Error::from(TimelineError::EventStillNeeded {
                kind: requires,
                needed_by: kind,
            })
        }
        Break::Missing { kind, requires } => {
            Error::from(TimelineError::MissingPrerequisite { kind, requires })
        }
        Break::Early {
            kind,
            date,
            requires,
            requires_date,
        } => Error::from(TimelineError::EventOutOfOrder {
            kind,
            date: date.to_string(),
            requires,
            requires_date: requires_date.to_string(),
        }),
        Break::Exclusive { kind, other } => {
            Error::from(TimelineError::EventsExclusive { kind, other })
        }
    })
}

fn known_kind(pack: &RulePack, kind: &str) -> Result<String> {
    match pack.event_kind(kind.trim()) {
        Some(k) => Ok(k.id.clone()),
        None => Err(TimelineError::UnknownEventKind {
            id: kind.to_owned(),
            known: pack.events.iter().map(|k| k.id.clone()).collect(),
        }
        .into()),
    }
}

fn find(current: &[Event], id: i64) -> Result<&Event> {
    current.iter().find(|e| e.id == id).ok_or_else(|| {
        Error::from(TimelineError::UnknownEvent {
            id,
            known: current.iter().map(|e| e.id.to_string()).collect(),
        })
    })
}

fn not_in_future(values: &EventValues, today: NaiveDate) -> Result<()> {
    if values.date > today {
        return Err(TimelineError::FutureEvent {
            kind: values.kind.clone(),
            date: values.date.to_string(),
        }
        .into());
    }
    Ok(())
}

fn tidy_note(note: Option<String>) -> Option<String> {
    note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())
}

fn value_of(e: &Event) -> EventValues {
    EventValues {
        kind: e.kind.clone(),
        date: e.date,
        note: e.note.clone(),
    }
}

fn values_of(events: &[Event]) -> Vec<EventValues> {
    events.iter().map(value_of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin_packs;

    fn pilot() -> RulePack {
        builtin_packs().expect("valid packs").remove(0)
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).expect("date")
    }

    fn today() -> NaiveDate {
        day(12, 31)
    }

    fn values(kind: &str, date: NaiveDate) -> EventValues {
        EventValues {
            kind: kind.into(),
            date,
            note: None,
        }
    }

    /// Records events one by one as the store would, numbering them from 1.
    fn recorded(pack: &RulePack, list: &[(&str, NaiveDate)]) -> Vec<Event> {
        let mut events: Vec<Event> = Vec::new();
        for (kind, date) in list {
            let write = plan_add(pack, &events, values(kind, *date), today())
                .unwrap_or_else(|e| panic!("{kind} on {date} should be accepted: {e}"));
            let EventWrite::Add(v) = write else {
                panic!("an addition")
            };
            events.push(Event {
                id: events.len() as i64 + 1,
                kind: v.kind,
                date: v.date,
                note: v.note,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            });
        }
        events
    }

    fn through_egov(pack: &RulePack) -> Vec<Event> {
        recorded(
            pack,
            &[
                ("astana-hub-submitted", day(2, 1)),
                ("ministry-notice-received", day(2, 20)),
                ("egov-submitted", day(3, 1)),
            ],
        )
    }

    #[test]
    fn approval_before_the_egov_submission_is_refused() {
        let pack = pilot();
        let hub_only = recorded(&pack, &[("astana-hub-submitted", day(2, 1))]);
        assert_eq!(
            plan_add(&pack, &hub_only, values("approved", day(3, 5)), today()),
            Err(TimelineError::MissingPrerequisite {
                kind: "approved".into(),
                requires: "egov-submitted".into()
            }
            .into()),
            "an approval needs an eGov submission on record"
        );
        let events = through_egov(&pack);
        assert_eq!(
            plan_add(&pack, &events, values("approved", day(2, 28)), today()),
            Err(TimelineError::EventOutOfOrder {
                kind: "approved".into(),
                date: "2025-02-28".into(),
                requires: "egov-submitted".into(),
                requires_date: "2025-03-01".into(),
            }
            .into()),
            "an approval dated before the submission is impossible"
        );
        assert!(
            plan_add(&pack, &events, values("approved", day(3, 1)), today()).is_ok(),
            "the same day as the submission is possible"
        );
    }

    #[test]
    fn a_future_day_is_refused_for_something_done() {
        let pack = pilot();
        assert_eq!(
            plan_add(
                &pack,
                &[],
                values("astana-hub-submitted", day(12, 31).succ_opt().expect("d")),
                today()
            ),
            Err(TimelineError::FutureEvent {
                kind: "astana-hub-submitted".into(),
                date: "2026-01-01".into()
            }
            .into())
        );
    }

    #[test]
    fn an_event_kind_is_recorded_once_and_unknown_kinds_list_the_valid_ones() {
        let pack = pilot();
        let events = through_egov(&pack);
        assert_eq!(
            plan_add(&pack, &events, values("egov-submitted", day(3, 2)), today()),
            Err(TimelineError::EventAlreadyRecorded {
                kind: "egov-submitted".into(),
                id: 3
            }
            .into())
        );
        let Err(Error::Timeline(TimelineError::UnknownEventKind { known, .. })) =
            plan_add(&pack, &events, values("aproved", day(3, 2)), today())
        else {
            panic!("a misspelt kind is refused")
        };
        assert!(known.contains(&"approved".to_owned()), "{known:?}");
    }

    #[test]
    fn approval_and_refusal_exclude_each_other() {
        let pack = pilot();
        let mut events = through_egov(&pack);
        events.extend(recorded_after(&pack, &events, ("approved", day(3, 10))));
        assert_eq!(
            plan_add(&pack, &events, values("rejected", day(3, 11)), today()),
            Err(TimelineError::EventsExclusive {
                kind: "rejected".into(),
                other: "approved".into()
            }
            .into())
        );
    }

    fn recorded_after(
        pack: &RulePack,
        events: &[Event],
        (kind, date): (&str, NaiveDate),
    ) -> Vec<Event> {
        plan_add(pack, events, values(kind, date), today()).expect("accepted");
        vec![Event {
            id: events.len() as i64 + 1,
            kind: kind.into(),
            date,
            note: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }]
    }

    #[test]
    fn a_correction_or_removal_may_not_strand_a_later_event() {
        let pack = pilot();
        let mut events = through_egov(&pack);
        events.extend(recorded_after(&pack, &events, ("approved", day(3, 10))));
        assert_eq!(
            plan_remove(&pack, &events, 3),
            Err(TimelineError::EventStillNeeded {
                kind: "egov-submitted".into(),
                needed_by: "approved".into()
            }
            .into()),
            "removing the submission would leave the approval without one"
        );
        assert_eq!(
            plan_correct(
                &pack,
                &events,
                3,
                EventCorrection {
                    date: Some(day(3, 11)),
                    ..EventCorrection::default()
                },
                today()
            ),
            Err(TimelineError::EventOutOfOrder {
                kind: "approved".into(),
                date: "2025-03-10".into(),
                requires: "egov-submitted".into(),
                requires_date: "2025-03-11".into(),
            }
            .into()),
            "moving the submission after the approval is caught too"
        );
        assert!(
            plan_remove(&pack, &events, 4).is_ok(),
            "the last event can go"
        );
        assert!(matches!(
            plan_remove(&pack, &events, 99),
            Err(Error::Timeline(TimelineError::UnknownEvent { id: 99, .. }))
        ));
    }

    #[test]
    fn a_correction_keeps_what_it_does_not_change() {
        let pack = pilot();
        let mut events = recorded(&pack, &[("astana-hub-submitted", day(2, 1))]);
        events[0].note = Some("via agency".into());
        let write = plan_correct(
            &pack,
            &events,
            1,
            EventCorrection {
                date: Some(day(2, 2)),
                ..EventCorrection::default()
            },
            today(),
        )
        .expect("accepted");
        assert_eq!(
            write,
            EventWrite::Correct {
                id: 1,
                values: EventValues {
                    kind: "astana-hub-submitted".into(),
                    date: day(2, 2),
                    note: Some("via agency".into())
                }
            },
            "the note stays when only the day is corrected"
        );
        let cleared = plan_correct(
            &pack,
            &events,
            1,
            EventCorrection {
                note: Some("  ".into()),
                ..EventCorrection::default()
            },
            today(),
        )
        .expect("accepted");
        assert!(
            matches!(
                cleared,
                EventWrite::Correct {
                    values: EventValues { note: None, .. },
                    ..
                }
            ),
            "an empty note removes it"
        );
    }

    #[test]
    fn a_break_left_by_an_older_pack_does_not_block_other_changes() {
        let pack = pilot();
        // Recorded before the pack required the ministry's notice first.
        let legacy = vec![Event {
            id: 1,
            kind: "egov-submitted".into(),
            date: day(3, 1),
            note: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }];
        assert!(
            plan_correct(
                &pack,
                &legacy,
                1,
                EventCorrection {
                    note: Some("filed from Almaty".into()),
                    ..EventCorrection::default()
                },
                today()
            )
            .is_ok(),
            "the missing notice was not introduced by this change"
        );
    }

    #[test]
    fn the_timeline_groups_events_by_stage_and_knows_the_current_one() {
        let pack = pilot();
        let events = through_egov(&pack);
        let now = Utc::now();
        let dossier = Dossier {
            id: "d1".into(),
            program_id: pack.id.clone(),
            applicant_name: "Ada".into(),
            created_at: now,
            updated_at: now,
            is_demo: false,
        };
        let t = build(&pack, dossier, &events, vec![], day(3, 2));
        assert_eq!(t.current_stage.as_deref(), Some("egov"));
        let hub = t.stages.iter().find(|s| s.id == "astana-hub").expect("hub");
        let kinds: Vec<_> = hub.entries.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["astana-hub-submitted", "interview-done"]);
        assert!(hub.entries[0].event.is_some() && hub.entries[1].event.is_none());
        assert_eq!(
            t.other[0].kind, "withdrawn",
            "a withdrawal belongs to no stage"
        );
    }
}
