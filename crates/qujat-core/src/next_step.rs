//! The next step of a case, from all of it: the requirements' statuses
//! (attached files, confirmed steps), the recorded events and the deadlines
//! counted from them.
//!
//! A checklist alone would always point at its first unfinished item, even
//! after the permit is approved and the only thing that matters is entering
//! Kazakhstan in time. So the case's place in the procedure comes from its
//! latest recorded event: the stages before it are behind the applicant, a
//! running last day comes first, then what the current stage still needs,
//! then a decision being waited for, then the stages ahead. Which events
//! belong to which stage, and which deadlines exist, is data in the pack;
//! this code names none of them.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::deadlines::{Deadline, DeadlineState};
use crate::i18n::Text;
use crate::report::{DossierReport, Status};
use crate::rules::{DeadlineKind, Presence, RequirementKind, RulePack};
use crate::timeline::{event_name, Event};

/// What to do next in a case, and the stage it is in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NextStep {
    /// The stage the case is in: where the dossier opens.
    pub stage: String,
    /// What to do.
    pub action: NextAction,
}

/// The one thing to do next.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum NextAction {
    /// A last day is running (entering the country after an approval): act
    /// before it, then record the event that settles it.
    Deadline {
        /// The deadline's id.
        deadline: String,
        /// Its name.
        name: Text,
        /// The day.
        #[ts(type = "string")]
        date: NaiveDate,
        /// Days from today; negative once passed.
        #[ts(type = "number")]
        days_left: i64,
        /// Upcoming, due soon or overdue.
        state: DeadlineState,
        /// The event that settles it, to record when done.
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        record: Option<String>,
        /// That event's name.
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        record_name: Option<Text>,
    },
    /// A required item: attach, date, fix or confirm it.
    Requirement {
        /// Its stage.
        stage: String,
        /// The requirement's id.
        requirement: String,
        /// Its name.
        name: Text,
        /// Document or step.
        kind: RequirementKind,
        /// Missing, needs a date or problem.
        status: Status,
    },
    /// An outcome is expected by a due day: wait, and record it when it
    /// comes.
    Wait {
        /// The deadline's id.
        deadline: String,
        /// Its name.
        name: Text,
        /// The day.
        #[ts(type = "string")]
        date: NaiveDate,
        /// Days from today; negative once passed.
        #[ts(type = "number")]
        days_left: i64,
        /// Upcoming, due soon or overdue.
        state: DeadlineState,
    },
    /// Everything required is in place and nothing is running.
    Done,
}

/// The next step of the case reported in `report` (all stages), with its
/// recorded `events` (oldest first) and its `deadlines` on the same day.
pub fn next_step(
    pack: &RulePack,
    report: &DossierReport,
    events: &[Event],
    deadlines: &[Deadline],
) -> NextStep {
    let index_of = |stage: &str| report.stages.iter().position(|s| s.id == stage);
    // The furthest stage any recorded event belongs to; the first stage
    // before the first event.
    let current = events
        .iter()
        .filter_map(|e| pack.event_kind(&e.kind).and_then(|k| k.stage.as_deref()))
        .filter_map(index_of)
        .max()
        .unwrap_or(0);
    let stage_id = |index: usize| {
        report
            .stages
            .get(index)
            .map(|s| s.id.clone())
            .unwrap_or_default()
    };
    // The stage of the first event that settles a deadline, where the case
    // goes once it is settled.
    let settling_stage = |d: &Deadline| {
        pack.deadlines
            .iter()
            .find(|rule| rule.id == d.id)
            .and_then(|rule| {
                rule.done_by.iter().find_map(|kind| {
                    pack.event_kind(kind)
                        .and_then(|k| k.stage.as_deref())
                        .and_then(index_of)
                        .map(|i| (kind.clone(), i))
                })
            })
    };
    let running = |kind: DeadlineKind| {
        deadlines.iter().find(|d| {
            d.kind == kind
                && matches!(
                    d.state,
                    DeadlineState::Upcoming | DeadlineState::DueSoon | DeadlineState::Overdue
                )
        })
    };

    if let Some(d) = running(DeadlineKind::LastDay) {
        if let (Some(date), Some(days_left)) = (d.date, d.days_left) {
            let settled_by = settling_stage(d);
            return NextStep {
                stage: stage_id(settled_by.as_ref().map_or(current, |(_, i)| *i)),
                action: NextAction::Deadline {
                    deadline: d.id.clone(),
                    name: d.name.clone(),
                    date,
                    days_left,
                    state: d.state,
                    record_name: settled_by.as_ref().map(|(kind, _)| event_name(pack, kind)),
                    record: settled_by.map(|(kind, _)| kind),
                },
            };
        }
    }
    let first_open = |stages: &[crate::report::StageReport]| {
        stages.iter().find_map(|stage| {
            stage
                .requirements
                .iter()
                .find(|r| r.presence == Presence::Required && r.status != Status::Ok)
                .map(|r| NextStep {
                    stage: stage.id.clone(),
                    action: NextAction::Requirement {
                        stage: stage.id.clone(),
                        requirement: r.id.clone(),
                        name: r.name.clone(),
                        kind: r.kind,
                        status: r.status,
                    },
                })
        })
    };
    let (here, ahead) = report
        .stages
        .split_at((current + 1).min(report.stages.len()));
    if let Some(step) = here
        .last()
        .and_then(|s| first_open(std::slice::from_ref(s)))
    {
        return step;
    }
    if let Some(d) = running(DeadlineKind::Due) {
        if let (Some(date), Some(days_left)) = (d.date, d.days_left) {
            return NextStep {
                stage: stage_id(settling_stage(d).map_or(current, |(_, i)| i)),
                action: NextAction::Wait {
                    deadline: d.id.clone(),
                    name: d.name.clone(),
                    date,
                    days_left,
                    state: d.state,
                },
            };
        }
    }
    if let Some(step) = first_open(ahead) {
        return step;
    }
    NextStep {
        stage: stage_id(current),
        action: NextAction::Done,
    }
}

#[cfg(test)]
mod tests;
