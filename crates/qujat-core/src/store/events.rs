//! The timeline's records: dated events per dossier and the append-only
//! history of their changes (migration `0002_timeline.sql`).
//!
//! A change is decided and written in one `IMMEDIATE` transaction: the caller
//! sees the events as they are inside it, so the app and the CLI writing at
//! the same moment cannot both pass a sequence check that only one of them
//! would pass.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::fields::{Fields, EVENT_NOTE, NEW_NOTE, OLD_NOTE};
use super::Store;
use crate::error::Result;
use crate::timeline::{ChangeAction, Event, EventChange, EventValues};

/// The one change to make, decided from the events recorded so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventWrite {
    /// Record a new event.
    Add(EventValues),
    /// Replace the values of event `id`.
    Correct {
        /// The event's number.
        id: i64,
        /// Its new values.
        values: EventValues,
    },
    /// Remove event `id`.
    Remove {
        /// The event's number.
        id: i64,
    },
}

const EVENT_COLUMNS: &str = "id, kind, happened_on, note, created_at, updated_at";

fn event_of(f: Fields<'_>, r: &Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        kind: r.get(1)?,
        date: r.get(2)?,
        note: f.open_opt(EVENT_NOTE, r.get(3)?)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

fn read_events(conn: &Connection, f: Fields<'_>, dossier_id: &str) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE dossier_id = ?1 ORDER BY happened_on, id"
    ))?;
    let rows = stmt.query_map([dossier_id], |r| event_of(f, r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn values_of(
    kind: Option<String>,
    date: Option<NaiveDate>,
    note: Option<String>,
) -> Option<EventValues> {
    match (kind, date) {
        (Some(kind), Some(date)) => Some(EventValues { kind, date, note }),
        _ => None,
    }
}

impl Store {
    /// A dossier's events, oldest first (by date, then by when recorded).
    pub fn events(&self, dossier_id: &str) -> Result<Vec<Event>> {
        read_events(&self.conn, self.fields(), dossier_id)
    }

    /// Every change made to a dossier's events, oldest first.
    pub fn event_history(&self, dossier_id: &str) -> Result<Vec<EventChange>> {
        let mut stmt = self.conn.prepare(
            "SELECT event_id, action, old_kind, old_date, old_note, new_kind, new_date, new_note, changed_at
             FROM event_history WHERE dossier_id = ?1 ORDER BY seq",
        )?;
        let f = self.fields();
        let rows = stmt.query_map([dossier_id], |r| {
            let action: String = r.get(1)?;
            Ok(EventChange {
                event_id: r.get(0)?,
                action: match action.as_str() {
                    "added" => ChangeAction::Added,
                    "removed" => ChangeAction::Removed,
                    _ => ChangeAction::Corrected,
                },
                before: values_of(r.get(2)?, r.get(3)?, f.open_opt(OLD_NOTE, r.get(4)?)?),
                after: values_of(r.get(5)?, r.get(6)?, f.open_opt(NEW_NOTE, r.get(7)?)?),
                changed_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Reads the dossier's events, lets `decide` choose one change (or refuse
    /// with an error, which changes nothing), and writes it with its history
    /// row, all in one transaction. Returns the event as written; for a
    /// removal, as it was.
    pub fn change_events(
        &mut self,
        dossier_id: &str,
        now: DateTime<Utc>,
        decide: impl FnOnce(&[Event]) -> Result<EventWrite>,
    ) -> Result<Event> {
        let cipher = self.cipher.clone();
        let f = Fields(cipher.as_ref());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = read_events(&tx, f, dossier_id)?;
        let write = decide(&current)?;
        let find = |id: i64| current.iter().find(|e| e.id == id).cloned();
        let history = "INSERT INTO event_history
             (dossier_id, event_id, action, old_kind, old_date, old_note, new_kind, new_date, new_note, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
        let event = match write {
            EventWrite::Add(v) => {
                tx.execute(
                    "INSERT INTO events (dossier_id, kind, happened_on, note, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                    params![dossier_id, v.kind, v.date, f.seal_opt(EVENT_NOTE, v.note.as_deref()), now],
                )?;
                let id = tx.last_insert_rowid();
                tx.execute(
                    history,
                    params![
                        dossier_id,
                        id,
                        "added",
                        None::<String>,
                        None::<NaiveDate>,
                        None::<String>,
                        v.kind,
                        v.date,
                        f.seal_opt(NEW_NOTE, v.note.as_deref()),
                        now
                    ],
                )?;
                Event {
                    id,
                    kind: v.kind,
                    date: v.date,
                    note: v.note,
                    created_at: now,
                    updated_at: now,
                }
            }
            EventWrite::Correct { id, values: v } => {
                let Some(old) = find(id) else {
                    return Err(rusqlite::Error::QueryReturnedNoRows.into());
                };
                tx.execute(
                    "UPDATE events SET kind = ?2, happened_on = ?3, note = ?4, updated_at = ?5 WHERE id = ?1",
                    params![id, v.kind, v.date, f.seal_opt(EVENT_NOTE, v.note.as_deref()), now],
                )?;
                tx.execute(
                    history,
                    params![
                        dossier_id,
                        id,
                        "corrected",
                        old.kind,
                        old.date,
                        f.seal_opt(OLD_NOTE, old.note.as_deref()),
                        v.kind,
                        v.date,
                        f.seal_opt(NEW_NOTE, v.note.as_deref()),
                        now
                    ],
                )?;
                Event {
                    id,
                    kind: v.kind,
                    date: v.date,
                    note: v.note,
                    created_at: old.created_at,
                    updated_at: now,
                }
            }
            EventWrite::Remove { id } => {
                let Some(old) = find(id) else {
                    return Err(rusqlite::Error::QueryReturnedNoRows.into());
                };
                tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
                tx.execute(
                    history,
                    params![
                        dossier_id,
                        id,
                        "removed",
                        old.kind,
                        old.date,
                        f.seal_opt(OLD_NOTE, old.note.as_deref()),
                        None::<String>,
                        None::<NaiveDate>,
                        None::<String>,
                        now
                    ],
                )?;
                old
            }
        };
        tx.execute(
            "UPDATE dossiers SET updated_at = ?2 WHERE id = ?1",
            params![dossier_id, now],
        )?;
        tx.commit()?;
        Ok(event)
    }

    /// How many changes a dossier's timeline has had; it only grows, so it
    /// serves as the revision number of calendar entries made from it.
    pub fn event_revision(&self, dossier_id: &str) -> Result<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM event_history WHERE dossier_id = ?1",
                [dossier_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TimelineError;
    use crate::store::Dossier;

    fn store_with_dossier() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("q.sqlite3")).expect("open");
        let now = Utc::now();
        store
            .insert_dossier(&Dossier {
                id: "d1".into(),
                program_id: "kz-ai-pilot".into(),
                applicant_name: "Ada".into(),
                created_at: now,
                updated_at: now,
                is_demo: false,
            })
            .expect("insert");
        (dir, store)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).expect("date")
    }

    fn values(kind: &str, d: u32, note: Option<&str>) -> EventValues {
        EventValues {
            kind: kind.into(),
            date: day(d),
            note: note.map(str::to_owned),
        }
    }

    #[test]
    fn history_keeps_every_add_correction_and_removal_with_old_and_new_values() {
        let (_dir, mut store) = store_with_dossier();
        let now = Utc::now();
        let added = store
            .change_events("d1", now, |_| {
                Ok(EventWrite::Add(values("egov-submitted", 1, None)))
            })
            .expect("add");
        store
            .change_events("d1", now, |_| {
                Ok(EventWrite::Correct {
                    id: added.id,
                    values: values("egov-submitted", 2, Some("typo in the date")),
                })
            })
            .expect("correct");
        store
            .change_events("d1", now, |_| Ok(EventWrite::Remove { id: added.id }))
            .expect("remove");

        assert!(
            store.events("d1").expect("events").is_empty(),
            "the event is gone"
        );
        let history = store.event_history("d1").expect("history");
        let actions: Vec<_> = history.iter().map(|c| c.action).collect();
        assert_eq!(
            actions,
            [
                ChangeAction::Added,
                ChangeAction::Corrected,
                ChangeAction::Removed
            ],
            "every change is kept, in order, after the event itself is removed"
        );
        assert_eq!(history[1].before, Some(values("egov-submitted", 1, None)));
        assert_eq!(
            history[1].after,
            Some(values("egov-submitted", 2, Some("typo in the date"))),
            "a correction keeps both the old and the new values"
        );
        assert_eq!(history[2].after, None, "a removal has no new values");
        assert_eq!(store.event_revision("d1").expect("revision"), 3);
    }

    #[test]
    fn a_refused_change_writes_nothing() {
        let (_dir, mut store) = store_with_dossier();
        let refused = store.change_events("d1", Utc::now(), |_| {
            Err(TimelineError::FutureEvent {
                kind: "approved".into(),
                date: "2999-01-01".into(),
            }
            .into())
        });
        assert!(refused.is_err());
        assert!(store.events("d1").expect("events").is_empty());
        assert!(
            store.event_history("d1").expect("history").is_empty(),
            "no history row for a change that did not happen"
        );
    }

    #[test]
    fn history_cannot_be_rewritten() {
        let (_dir, mut store) = store_with_dossier();
        store
            .change_events("d1", Utc::now(), |_| {
                Ok(EventWrite::Add(values("approved", 1, None)))
            })
            .expect("add");
        let rewrite = store
            .conn
            .execute("UPDATE event_history SET new_date = '2020-01-01'", []);
        assert!(rewrite.is_err(), "the history table is append-only");
    }

    #[test]
    fn deleting_a_dossier_deletes_its_events_and_history() {
        let (_dir, mut store) = store_with_dossier();
        store
            .change_events("d1", Utc::now(), |_| {
                Ok(EventWrite::Add(values("approved", 1, None)))
            })
            .expect("add");
        store.delete_dossier("d1").expect("delete");
        assert!(store.events("d1").expect("events").is_empty());
        assert!(store.event_history("d1").expect("history").is_empty());
    }
}
