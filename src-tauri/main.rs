//! The Qujat desktop app's entry point; everything else is in `lib.rs`.

// Without a console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    qujat_app::run();
}
