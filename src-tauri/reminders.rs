//! Deadline reminders as operating-system notifications while the app runs.
//!
//! A thread of its own looks at every dossier's deadlines when the app
//! starts, then every hour and just after the user's midnight. What to show,
//! in which words, and what was already shown is the core's business
//! (`qujat_core::reminders`); this module only keeps time and hands the
//! notices to `tauri-plugin-notification`. At start-up, one summary of what
//! is due soon or overdue stands for the reminders of that day.
//!
//! The workspace lock is held only to compute and to remember, never while a
//! notification is being shown. A failure is logged and retried at the next
//! look; reminders must never stop the app.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Local, TimeDelta, Utc};
use qujat_core::reminders::{self, Notice};
use qujat_core::{Error, Workspace};
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

/// How often to look while the app runs.
const EVERY: TimeDelta = TimeDelta::hours(1);
/// The longest single sleep, so a computer waking from suspend looks again
/// within a minute of the time it should have.
const NAP: Duration = Duration::from_secs(60);

/// Starts looking for due reminders on a background thread.
pub fn start<R: Runtime>(app: AppHandle<R>, workspace: Arc<Mutex<Workspace>>) {
    let spawned = std::thread::Builder::new()
        .name("qujat-reminders".into())
        .spawn(move || {
            let mut startup = true;
            loop {
                if let Err(e) = look(&app, &workspace, startup) {
                    eprintln!("Qujat: deadline reminders: {e}");
                }
                startup = false;
                let next = next_look(Local::now());
                while Local::now() < next {
                    std::thread::sleep(NAP);
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("Qujat: deadline reminders are off: {e}");
    }
}

/// The next time to look after `now`: an hour later, or just after the next
/// local midnight if that comes first (a reminder's day has begun).
fn next_look(now: DateTime<Local>) -> DateTime<Local> {
    let in_an_hour = now + EVERY;
    let after_midnight = now
        .date_naive()
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 30))
        .and_then(|t| t.and_local_timezone(Local).earliest());
    match after_midnight {
        Some(t) if t < in_an_hour => t,
        _ => in_an_hour,
    }
}

/// Shows what is due now and remembers it.
fn look<R: Runtime>(
    app: &AppHandle<R>,
    workspace: &Mutex<Workspace>,
    startup: bool,
) -> Result<(), Error> {
    let now = Utc::now();
    let due = {
        let ws = lock(workspace);
        let lang = ws.notice_language()?;
        reminders::due(&ws, now, Local::now().date_naive(), lang, startup)?
    };
    // The summary stands for the day's reminders: show it alone, remember all.
    let (to_show, also_done): (Vec<Notice>, Vec<Notice>) = match due.summary {
        Some(summary) => (vec![summary], due.reminders),
        None => (due.reminders, Vec::new()),
    };
    let mut done = also_done;
    for notice in to_show {
        match app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show()
        {
            Ok(()) => done.push(notice),
            Err(e) => eprintln!("Qujat: could not show a reminder: {e}"),
        }
    }
    let ws = lock(workspace);
    for notice in &done {
        reminders::mark_shown(&ws, notice, now)?;
    }
    Ok(())
}

/// A poisoned lock means a command panicked mid-way; the store's transactions
/// kept it consistent, so carry on (as `commands::with_workspace` does).
fn lock(workspace: &Mutex<Workspace>) -> MutexGuard<'_, Workspace> {
    workspace.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_next_look_is_an_hour_later_or_just_after_midnight() {
        let evening = Local
            .with_ymd_and_hms(2025, 3, 14, 23, 20, 0)
            .earliest()
            .expect("a local time");
        let next = next_look(evening);
        assert_eq!(
            next.date_naive(),
            evening.date_naive().succ_opt().expect("next day"),
            "a look just after midnight catches the new day's reminders"
        );
        assert!(next - evening <= EVERY);
        let morning = Local
            .with_ymd_and_hms(2025, 3, 14, 9, 0, 0)
            .earliest()
            .expect("a local time");
        assert_eq!(next_look(morning), morning + EVERY);
    }
}
