//! End-to-end: the next step comes from the whole case, in the real window.
//!
//! The dossier is seeded with its events up to "Permit approved" 18 days ago
//! and none of the embassy steps confirmed. Opened, it shows the stage the
//! case is in (the arrival), the "Next step" banner names the last day to
//! enter with the same days left as "What's next", the timeline is one click
//! away, the banner's button leads to recording the arrival, and once the
//! arrival is recorded the next step is the arrival stage's own first item.
//! Screenshots in English, Russian and Kazakh.
//!
//! One test function: every binary here talks to the same driver port.

mod common;

use std::path::Path;
use std::time::Duration;

use chrono::{Days, Local, NaiveDate, Utc};
use common::finish;
use common::{by_id, click_id, open_app, shot, shot_of, TauriDriver};
use common::{set_value, text_of, wait_attr};
use qujat_core::Workspace;
use thirtyfour::prelude::*;

fn before(today: NaiveDate, n: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(n)).expect("a date")
}

/// Seeds the approved case; returns the entry deadline's days left as the
/// core counts them now (in Kazakhstan's day).
fn seed(data_dir: &Path, today: NaiveDate) -> i64 {
    let now = Utc::now();
    let mut ws = Workspace::open(data_dir).expect("the data folder");
    let dossier = ws
        .create_dossier("kz-ai-pilot", "Aigerim Test", now)
        .expect("a dossier");
    for (kind, days) in [
        ("astana-hub-submitted", 70),
        ("ministry-notice-received", 50),
        ("egov-submitted", 40),
        ("approved", 18),
    ] {
        ws.record_event(&dossier.id, kind, before(today, days), None, today, now)
            .expect("the event is recorded");
    }
    ws.deadlines(&dossier.id, now)
        .expect("deadlines")
        .deadlines
        .iter()
        .find(|d| d.id == "entry-window")
        .and_then(|d| d.days_left)
        .expect("the entry window is counted")
}

/// Whether the element's top is within the window now.
async fn in_view(driver: &WebDriver, test_id: &str) -> WebDriverResult<bool> {
    let element = by_id(driver, test_id).await?;
    let answer = driver
        .execute(
            "const r = arguments[0].getBoundingClientRect();
             return r.top >= 0 && r.top < window.innerHeight;",
            vec![element.to_json()?],
        )
        .await?;
    Ok(answer.json().as_bool().unwrap_or(false))
}

#[derive(Debug, Default)]
struct Seen {
    code: String,
    banner: String,
    entry_row: String,
    arrival_current: String,
    embassy_current: String,
    timeline_hidden_first: bool,
    timeline_after_jump: bool,
    focused_kind: String,
    code_after_arrival: String,
    banner_after_arrival: String,
    russian: String,
    kazakh: String,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn the_next_step_follows_the_case_after_the_approval() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let today = Local::now().date_naive();
    let days_left = seed(&data_dir, today);

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        let mut seen = Seen::default();
        by_id(&driver, "dossier-item").await?.click().await?;
        by_id(&driver, "next-deadline").await?;
        seen.code = by_id(&driver, "next-step")
            .await?
            .attr("data-code")
            .await?
            .unwrap_or_default();
        seen.banner = text_of(&driver, "next-step").await?;
        seen.entry_row = text_of(&driver, "deadline-entry-window").await?;
        seen.arrival_current =
            wait_attr(&driver, "stage-tab-arrival", "aria-current", "step").await?;
        seen.embassy_current = by_id(&driver, "stage-tab-embassy")
            .await?
            .attr("aria-current")
            .await?
            .unwrap_or_default();
        shot(&driver, "h3-20-next-step-after-approval").await?;
        shot_of(&driver, "next-step", "h3-21-next-step-banner").await?;

        // The timeline is one click away, not past every requirement.
        seen.timeline_hidden_first = !in_view(&driver, "timeline-panel").await?;
        click_id(&driver, "jump-timeline").await?;
        tokio::time::sleep(Duration::from_millis(800)).await;
        seen.timeline_after_jump = in_view(&driver, "timeline-panel").await?;
        shot(&driver, "h3-22-jumped-to-timeline").await?;

        // The banner's button leads to recording the arrival.
        driver
            .execute("window.scrollTo(0, 0);", Vec::new())
            .await?;
        click_id(&driver, "next-action").await?;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let focused = driver
            .execute(
                "return document.activeElement && document.activeElement.dataset.testid === 'event-kind'
                   ? document.activeElement.value : '';",
                Vec::new(),
            )
            .await?;
        seen.focused_kind = focused.json().as_str().unwrap_or_default().to_owned();

        // The same banner in Russian and Kazakh.
        driver
            .execute("window.scrollTo(0, 0);", Vec::new())
            .await?;
        set_value(&driver, "language-select", "ru").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.russian = text_of(&driver, "next-step").await?;
        shot_of(&driver, "next-step", "h3-23-ru-next-step-banner").await?;
        shot(&driver, "h3-24-ru-next-step-after-approval").await?;
        set_value(&driver, "language-select", "kk").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.kazakh = text_of(&driver, "next-step").await?;
        shot_of(&driver, "next-step", "h3-25-kk-next-step-banner").await?;
        shot(&driver, "h3-26-kk-next-step-after-approval").await?;
        set_value(&driver, "language-select", "en").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;

        // Record the arrival: the next step moves on to the arrival's items.
        set_value(&driver, "event-kind", "arrived").await?;
        set_value(&driver, "event-date", &today.to_string()).await?;
        click_id(&driver, "event-add").await?;
        seen.code_after_arrival = wait_attr(&driver, "next-step", "data-code", "requirement").await?;
        seen.banner_after_arrival = text_of(&driver, "next-step").await?;
        driver
            .execute("window.scrollTo(0, 0);", Vec::new())
            .await?;
        shot(&driver, "h3-27-next-step-after-arrival").await?;
        WebDriverResult::Ok(seen)
    }
    .await;
    let seen = finish(driver, run, "h3-29-failure").await;

    assert_eq!(
        seen.code, "deadline",
        "the entry deadline comes first: {seen:?}"
    );
    let left = format!("{days_left} days left");
    assert!(
        seen.banner.contains(&left) && seen.banner.contains("Last day to enter Kazakhstan"),
        "the banner names the deadline with its days left ({left}): {}",
        seen.banner
    );
    assert!(
        seen.entry_row.contains(&left),
        "\"What's next\" says the same: {}",
        seen.entry_row
    );
    assert!(
        seen.banner.contains("Record: Arrived in Kazakhstan"),
        "and what to record when done: {}",
        seen.banner
    );
    assert!(
        !seen.banner.contains("embassy") && !seen.banner.contains("Embassy"),
        "not the first embassy step: {}",
        seen.banner
    );
    assert_eq!(
        seen.arrival_current, "step",
        "the dossier opens on the stage the case is in"
    );
    assert_eq!(seen.embassy_current, "", "not on stage 1");
    assert!(
        seen.timeline_after_jump,
        "one click brings the timeline into view (it was hidden first: {})",
        seen.timeline_hidden_first
    );
    assert_eq!(
        seen.focused_kind, "arrived",
        "the banner's button leads to recording the arrival"
    );
    assert!(
        seen.russian
            .contains("Последний день для въезда в Казахстан"),
        "{}",
        seen.russian
    );
    assert!(
        seen.kazakh.contains("Қазақстанға келудің соңғы күні"),
        "{}",
        seen.kazakh
    );
    assert_eq!(seen.code_after_arrival, "requirement", "{seen:?}");
    assert!(
        seen.banner_after_arrival
            .contains("Stage: Arrival in Kazakhstan"),
        "the arrival stage's items are next: {}",
        seen.banner_after_arrival
    );
}
