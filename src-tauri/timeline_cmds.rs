//! The case timeline and its deadlines: recording, correcting and removing
//! events, and the "what's next" list with its calendar export.
//!
//! Days cross the bridge as `YYYY-MM-DD` and are parsed by the core, which
//! explains a bad one in the user's language. Deadlines are counted at the
//! present instant in the program's zone (Kazakhstan for the built-in
//! programs).

use std::path::PathBuf;

use chrono::Utc;
use qujat_core::deadlines::Deadlines;
use qujat_core::i18n::Lang;
use qujat_core::next_step::NextStep;
use qujat_core::timeline::{Event, EventCorrection, Timeline};
use qujat_core::{parse_date, Error};
use tauri::State;

use crate::commands::with_workspace;
use crate::AppState;

type Result<T> = std::result::Result<T, Error>;

/// The dossier's timeline: stages, events and the history of changes.
#[tauri::command]
pub async fn timeline(state: State<'_, AppState>, dossier_id: String) -> Result<Timeline> {
    with_workspace(state, move |ws| {
        let today = ws.latest_today(&dossier_id, Utc::now())?;
        ws.timeline(&dossier_id, today)
    })
    .await
}

/// The dossier's deadlines now.
#[tauri::command]
pub async fn deadlines(state: State<'_, AppState>, dossier_id: String) -> Result<Deadlines> {
    with_workspace(state, move |ws| ws.deadlines(&dossier_id, Utc::now())).await
}

/// What to do next in the dossier's case: from its requirements on the
/// user's day, its events and its deadlines now.
#[tauri::command]
pub async fn next_step(state: State<'_, AppState>, dossier_id: String) -> Result<NextStep> {
    with_workspace(state, move |ws| {
        ws.next_step(&dossier_id, crate::commands::today(), Utc::now())
    })
    .await
}

/// Records that an event of `kind` happened on `date` (YYYY-MM-DD).
#[tauri::command]
pub async fn record_event(
    state: State<'_, AppState>,
    dossier_id: String,
    kind: String,
    date: String,
    note: Option<String>,
) -> Result<Event> {
    with_workspace(state, move |ws| {
        let now = Utc::now();
        let today = ws.latest_today(&dossier_id, now)?;
        let date = parse_date(&date)?;
        ws.record_event(&dossier_id, &kind, date, note.as_deref(), today, now)
    })
    .await
}

/// Corrects an event; what is left out stays as it was, an empty note removes the note.
#[tauri::command]
pub async fn correct_event(
    state: State<'_, AppState>,
    dossier_id: String,
    event_id: i64,
    kind: Option<String>,
    date: Option<String>,
    note: Option<String>,
) -> Result<Event> {
    with_workspace(state, move |ws| {
        let now = Utc::now();
        let today = ws.latest_today(&dossier_id, now)?;
        let date = date.as_deref().map(parse_date).transpose()?;
        let correction = EventCorrection { kind, date, note };
        ws.correct_event(&dossier_id, event_id, correction, today, now)
    })
    .await
}

/// Removes an event; its history stays.
#[tauri::command]
pub async fn remove_event(
    state: State<'_, AppState>,
    dossier_id: String,
    event_id: i64,
) -> Result<Event> {
    with_workspace(state, move |ws| {
        ws.remove_event(&dossier_id, event_id, Utc::now())
    })
    .await
}

/// Writes the dossier's deadlines to `path` as an iCalendar file, in `lang`.
#[tauri::command]
pub async fn export_deadlines(
    state: State<'_, AppState>,
    dossier_id: String,
    path: PathBuf,
    lang: Lang,
) -> Result<Deadlines> {
    with_workspace(state, move |ws| {
        ws.export_deadlines(&dossier_id, &path, lang, Utc::now())
    })
    .await
}
