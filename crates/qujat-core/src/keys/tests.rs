use super::secret_store::MemoryStore;
use super::*;
use crate::error::KeyError;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn a_keychain_key_is_made_once_and_found_again() {
    let d = dir();
    let secrets = MemoryStore::default();
    let first = unlock(d.path(), &Unlock::default(), &secrets, None).expect("created");
    let record = KeyRecord::read(d.path()).expect("read").expect("written");
    assert_eq!(record.id, first.id());
    assert!(
        matches!(record.protector, Protector::Keychain { ref account, .. } if *account == format!("data-key-{}", first.id()))
    );
    let json = fs::read_to_string(d.path().join(KEY_FILE)).expect("key.json");
    assert!(!json.contains("AGE-SECRET-KEY"), "no secret in key.json");
    let again = unlock(d.path(), &Unlock::default(), &secrets, Some(first.id())).expect("again");
    assert_eq!(again.recipient().to_string(), first.recipient().to_string());
}

#[test]
fn a_passphrase_key_needs_the_passphrase_and_refuses_a_wrong_one() {
    let d = dir();
    let secrets = MemoryStore {
        unreachable: true,
        ..MemoryStore::default()
    };
    let first = unlock(
        d.path(),
        &Unlock::with_passphrase("violet tundra harbour kettle"),
        &secrets,
        None,
    )
    .expect("created without a keychain");
    let json = fs::read_to_string(d.path().join(KEY_FILE)).expect("key.json");
    assert!(json.contains("\"protector\": \"passphrase\""), "{json}");
    assert!(json.contains("argon2id"));
    assert!(matches!(
        unlock(d.path(), &Unlock::default(), &secrets, None),
        Err(Error::Keys(KeyError::PassphraseRequired))
    ));
    assert!(matches!(
        unlock(d.path(), &Unlock::with_passphrase("wrong"), &secrets, None),
        Err(Error::Keys(KeyError::WrongPassphrase))
    ));
    let again = unlock(
        d.path(),
        &Unlock::with_passphrase("violet tundra harbour kettle"),
        &secrets,
        None,
    )
    .expect("the right one");
    assert_eq!(again.recipient().to_string(), first.recipient().to_string());
    assert_eq!(
        again
            .fields()
            .open("t.c", &first.fields().seal("t.c", "Ada"))
            .expect("open"),
        "Ada",
        "the same field key"
    );
}

#[test]
fn no_keychain_and_no_passphrase_writes_nothing_and_says_why() {
    let d = dir();
    let secrets = MemoryStore {
        unreachable: true,
        ..MemoryStore::default()
    };
    let err = unlock(d.path(), &Unlock::default(), &secrets, None).expect_err("no keychain");
    assert!(matches!(
        err,
        Error::Keys(KeyError::KeychainUnavailable { .. })
    ));
    assert!(
        err.localized(crate::i18n::Lang::En).contains("passphrase"),
        "the message offers a passphrase"
    );
    assert!(!d.path().join(KEY_FILE).exists());
}

#[test]
fn a_deleted_keychain_entry_or_key_record_is_a_missing_key_not_a_new_one() {
    let d = dir();
    let secrets = MemoryStore::default();
    let key = unlock(d.path(), &Unlock::default(), &secrets, None).expect("created");
    secrets
        .delete(&format!("data-key-{}", key.id()))
        .expect("delete");
    assert!(matches!(
        unlock(d.path(), &Unlock::default(), &secrets, Some(key.id())),
        Err(Error::Keys(KeyError::DataKeyMissing { .. }))
    ));
    fs::remove_file(d.path().join(KEY_FILE)).expect("remove record");
    assert!(matches!(
        unlock(d.path(), &Unlock::default(), &secrets, Some(key.id())),
        Err(Error::Keys(KeyError::DataKeyMissing { .. }))
    ));
    assert!(
        !d.path().join(KEY_FILE).exists(),
        "no new key over old data"
    );
}

#[test]
fn sealed_fields_are_bound_to_their_column_and_detect_changes() {
    let key = DataKey::generate();
    let f = key.fields();
    let sealed = f.seal("dossiers.applicant_name", "Ada Lovelace");
    assert!(sealed.starts_with("enc1:"));
    assert!(!sealed.contains("Ada"));
    assert_ne!(
        sealed,
        f.seal("dossiers.applicant_name", "Ada Lovelace"),
        "random nonce"
    );
    assert_eq!(
        f.open("dossiers.applicant_name", &sealed).expect("open"),
        "Ada Lovelace"
    );
    assert!(f.open("documents.original_name", &sealed).is_err(), "AAD");
    let mut bytes = sealed.into_bytes();
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    assert!(f
        .open(
            "dossiers.applicant_name",
            &String::from_utf8(bytes).expect("utf-8")
        )
        .is_err());
    assert_eq!(
        f.open("x.y", "plain legacy").expect("plain"),
        "plain legacy"
    );
    assert!(DataKey::generate()
        .fields()
        .open("t.c", &f.seal("t.c", "x"))
        .is_err());
}

#[test]
fn a_key_record_from_a_newer_qujat_is_refused() {
    let d = dir();
    fs::write(
        d.path().join(KEY_FILE),
        r#"{"format":9,"id":"x","protector":"keychain","service":"Qujat","account":"a"}"#,
    )
    .expect("write");
    assert!(matches!(
        KeyRecord::read(d.path()),
        Err(Error::Keys(KeyError::KeyRecordInvalid { .. }))
    ));
}

#[test]
fn the_key_moves_between_keychain_and_passphrase_and_the_passphrase_can_change() {
    let d = dir();
    let secrets = MemoryStore::default();
    let key = unlock(d.path(), &Unlock::default(), &secrets, None).expect("in the keychain");
    let account = format!("data-key-{}", key.id());
    let same = |k: &DataKey| k.recipient().to_string() == key.recipient().to_string();

    // Keychain → passphrase: the entry leaves the keychain.
    let first = Protection::Passphrase(Zeroizing::new("amber glacier pocket lantern".into()));
    protect(d.path(), &key, &first, &secrets).expect("to a passphrase");
    assert!(
        secrets.get(&account).expect("get").is_none(),
        "keychain entry deleted"
    );
    assert!(matches!(
        unlock(d.path(), &Unlock::default(), &secrets, Some(key.id())),
        Err(Error::Keys(KeyError::PassphraseRequired))
    ));
    let k = unlock(
        d.path(),
        &Unlock::with_passphrase("amber glacier pocket lantern"),
        &secrets,
        Some(key.id()),
    )
    .expect("opens with it");
    assert!(same(&k), "the same key: nothing re-encrypted");

    // A new passphrase: the old one no longer opens.
    let second = Protection::Passphrase(Zeroizing::new("quiet mango orbit saddle".into()));
    protect(d.path(), &key, &second, &secrets).expect("changed");
    assert!(matches!(
        unlock(
            d.path(),
            &Unlock::with_passphrase("amber glacier pocket lantern"),
            &secrets,
            Some(key.id())
        ),
        Err(Error::Keys(KeyError::WrongPassphrase))
    ));
    assert!(same(
        &unlock(
            d.path(),
            &Unlock::with_passphrase("quiet mango orbit saddle"),
            &secrets,
            Some(key.id())
        )
        .expect("the new one")
    ));
    assert!(matches!(
        protect(
            d.path(),
            &key,
            &Protection::Passphrase(Zeroizing::new("  ".into())),
            &secrets
        ),
        Err(Error::Keys(KeyError::PassphraseEmpty))
    ));
    // Too easy to guess: refused with a reason, and the record is unchanged.
    let before = fs::read(d.path().join(KEY_FILE)).expect("record");
    assert!(matches!(
        protect(d.path(), &key, &Protection::passphrase("abc"), &secrets),
        Err(Error::Keys(KeyError::PassphraseWeak { .. }))
    ));
    assert_eq!(fs::read(d.path().join(KEY_FILE)).expect("record"), before);

    // Passphrase → keychain: opens with nothing typed.
    protect(d.path(), &key, &Protection::Keychain, &secrets).expect("to the keychain");
    assert!(same(
        &unlock(d.path(), &Unlock::default(), &secrets, Some(key.id())).expect("no passphrase")
    ));
}

#[test]
fn without_a_reachable_keychain_the_record_is_left_as_it_was() {
    let d = dir();
    let reachable = MemoryStore::default();
    let key = unlock(
        d.path(),
        &Unlock::with_passphrase("copper meadow violin ferry"),
        &reachable,
        None,
    )
    .expect("passphrase key");
    let before = fs::read(d.path().join(KEY_FILE)).expect("record");
    let unreachable = MemoryStore {
        unreachable: true,
        ..MemoryStore::default()
    };
    assert!(matches!(
        protect(d.path(), &key, &Protection::Keychain, &unreachable),
        Err(Error::Keys(KeyError::KeychainUnavailable { .. }))
    ));
    assert_eq!(fs::read(d.path().join(KEY_FILE)).expect("record"), before);
}

#[test]
fn a_key_that_is_not_the_records_is_never_written_over_it() {
    let d = dir();
    let secrets = MemoryStore::default();
    unlock(d.path(), &Unlock::default(), &secrets, None).expect("key");
    let other = DataKey::generate();
    assert!(matches!(
        protect(d.path(), &other, &Protection::Keychain, &secrets),
        Err(Error::Keys(KeyError::DataKeyMissing { .. }))
    ));
}

#[test]
fn the_lock_status_offers_a_new_passphrase_only_where_no_key_exists_yet() {
    let d = dir();
    let no_keychain = MemoryStore {
        unreachable: true,
        ..MemoryStore::default()
    };
    let unreachable = unlock(d.path(), &Unlock::default(), &no_keychain, None)
        .expect_err("no keychain, no passphrase");
    assert!(before_first_key(d.path()));
    assert_eq!(lock_status(d.path(), None), LockStatus::Open);
    assert_eq!(
        lock_status(d.path(), Some(&unreachable)),
        LockStatus::ChoosePassphrase
    );
    assert_eq!(
        lock_status(d.path(), Some(&Error::from(KeyError::PassphraseRequired))),
        LockStatus::EnterPassphrase
    );
    assert_eq!(
        lock_status(d.path(), Some(&Error::from(KeyError::WrongPassphrase))),
        LockStatus::EnterPassphrase
    );

    // Once a key lives in a keychain, losing the keychain must not invite a
    // new key: that would orphan every sealed record.
    let keychain = MemoryStore::default();
    unlock(d.path(), &Unlock::default(), &keychain, None).expect("created");
    assert!(!before_first_key(d.path()));
    assert_eq!(
        lock_status(d.path(), Some(&unreachable)),
        LockStatus::Failed
    );
}

#[test]
fn a_first_passphrase_too_easy_to_guess_makes_no_key() {
    let d = dir();
    let secrets = MemoryStore {
        unreachable: true,
        ..MemoryStore::default()
    };
    assert!(matches!(
        unlock(d.path(), &Unlock::with_passphrase("abc"), &secrets, None),
        Err(Error::Keys(KeyError::PassphraseWeak { .. }))
    ));
    assert!(!d.path().join(KEY_FILE).exists(), "no record was written");
}
