//! The inspector child starts with an empty environment: whatever secret
//! the parent holds in its own (the data-key and backup passphrases) never
//! reaches the process that parses hostile files.
//!
//! A test binary of its own, because it sets variables in its own process
//! environment, which other tests running on threads beside it must not see.

#![cfg(unix)]

use std::path::{Path, PathBuf};

use qujat_core::inspect::{inspect_file, InspectorCommand, Limits, Verdict};

#[test]
fn the_inspector_child_sees_no_passphrase_nor_anything_else() {
    std::env::set_var("QUJAT_PASSPHRASE", "data key passphrase");
    std::env::set_var("QUJAT_BACKUP_PASSPHRASE", "backup passphrase");
    // A shell stands in for the inspector: its exit status says whether it
    // saw the passphrases, or HOME (set in every test run), or nothing.
    let script = r#"
        if [ -n "${QUJAT_PASSPHRASE}${QUJAT_BACKUP_PASSPHRASE}" ]; then exit 4; fi
        if [ -n "${HOME}" ]; then exit 5; fi
        exit 3
    "#;
    assert!(
        std::env::var_os("HOME").is_some(),
        "the check needs HOME set here"
    );
    let inspector = InspectorCommand {
        program: PathBuf::from("/bin/sh"),
        args: vec!["-c".into(), script.into()],
    };
    let verdict =
        inspect_file(&inspector, Path::new("x"), &Limits::default(), None).expect("spawned");
    assert_eq!(
        verdict,
        Verdict::Crashed {
            signal: None,
            exit_code: Some(3)
        },
        "4: a passphrase reached the child; 5: the rest of the environment did"
    );
}
