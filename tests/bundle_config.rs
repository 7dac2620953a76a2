//! The installers' identity in `tauri.conf.json`, kept consistent with the
//! code: the same version and licence as Cargo's package, the identifier the
//! core names the data folder after, and every file the bundles pick up.

use std::path::Path;

use serde_json::Value;

fn config() -> Value {
    serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json is JSON")
}

#[test]
fn the_installers_say_what_cargo_and_the_core_say() {
    let conf = config();
    assert_eq!(
        conf["identifier"],
        qujat_core::APP_IDENTIFIER,
        "Tauri's app_data_dir (the app) and the core's default data folder (the CLI) are both named after it"
    );
    assert_eq!(conf["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(conf["bundle"]["license"], env!("CARGO_PKG_LICENSE"));
    assert_eq!(
        conf["mainBinaryName"], "qujat-app",
        "the binary the .deb installs to /usr/bin"
    );
}

#[test]
fn every_file_the_bundles_name_exists() {
    let conf = config();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<&str> = conf["bundle"]["icon"]
        .as_array()
        .expect("icons")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for format in ["deb", "rpm"] {
        let extra = conf["bundle"]["linux"][format]["files"]
            .as_object()
            .expect("licence files in the Linux packages");
        files.extend(extra.values().filter_map(Value::as_str));
    }
    assert!(files.contains(&"LICENSE-MIT") && files.contains(&"LICENSE-APACHE"));
    for file in files {
        assert!(
            root.join(file).is_file(),
            "{file} is named in tauri.conf.json but missing"
        );
    }
}

/// The packages reading scans needs (crates/qujat-core/src/inspect/ocr/):
/// the Tesseract and Leptonica libraries the binary is linked against, and
/// the English, Russian and Kazakh models plus orientation detection that
/// `engine.rs` loads from the system's tessdata. Without them the .deb
/// would install and every scan would be reported as unreadable.
#[test]
fn the_linux_packages_depend_on_tesseract_and_its_models() {
    let conf = config();
    let depends = |format: &str| -> Vec<String> {
        conf["bundle"]["linux"][format]["depends"]
            .as_array()
            .unwrap_or_else(|| panic!("bundle.linux.{format}.depends is a list"))
            .iter()
            .map(|v| v.as_str().expect("package names").to_owned())
            .collect()
    };
    // Debian 12's names (the CI and release builds link against its
    // libtesseract.so.5 and liblept.so.5).
    assert_eq!(
        depends("deb"),
        [
            "libtesseract5",
            "liblept5",
            "tesseract-ocr-eng",
            "tesseract-ocr-rus",
            "tesseract-ocr-kaz",
            "tesseract-ocr-osd"
        ]
    );
    // Every model the engine loads has its package, in both formats.
    let models = qujat_core::inspect::ocr::engine::PAGE_LANGUAGES
        .split('+')
        .chain(["osd"]);
    for model in models {
        let (deb, rpm) = if model == "osd" {
            ("tesseract-ocr-osd".to_owned(), "tesseract-osd".to_owned())
        } else {
            (
                format!("tesseract-ocr-{model}"),
                format!("tesseract-langpack-{model}"),
            )
        };
        assert!(depends("deb").contains(&deb), "the .deb lacks {deb}");
        assert!(depends("rpm").contains(&rpm), "the .rpm lacks {rpm}");
    }
    // Fedora's: the library split into tesseract-libs, the models from
    // tesseract-tessdata's langpack and osd subpackages.
    assert_eq!(
        depends("rpm"),
        [
            "tesseract-libs",
            "leptonica",
            "tesseract-langpack-eng",
            "tesseract-langpack-rus",
            "tesseract-langpack-kaz",
            "tesseract-osd"
        ]
    );
}
