use super::*;
use crate::mrz::MrzFormat;

fn name(dossier: &str) -> PersonName {
    PersonName::from_dossier(dossier, None)
}

fn found(text: &str, dossier: &str) -> Presence {
    presence(text, &name(dossier))
}

#[test]
fn cyrillic_letters_are_transliterated_as_icao_9303_does() {
    assert_eq!(latin("Александр Щукин"), "aleksandr shchukin");
    assert_eq!(latin("Наталья Юрьевна"), "natalia iurevna");
    assert_eq!(latin("ЖАННА ХАЙРУЛЛИНА"), "zhanna khairullina");
    // Kazakh letters.
    assert_eq!(latin("Әлия Ғалымқызы"), "aliia galymkyzy");
    assert_eq!(
        latin("Нұрсұлтан Өмірбек Үмбетов Һ"),
        "nursultan omirbek umbetov h"
    );
    assert_eq!(latin("Ерлан Қайратұлы Ңң"), "erlan kairatuly nn");
    // Latin diacritics.
    assert_eq!(latin("Zoë Müller Nataša Ärzte"), "zoe muller natasha arzte");
}

#[test]
fn spelling_variants_of_one_name_share_a_key() {
    for group in [
        &["Natalia", "Nataliia", "Nataliya", "Наталья", "Наталия"][..],
        &["Aleksandr", "Alexander", "Александр"],
        &["Yuri", "Iurii", "Juri", "Юрий"],
        &["Yelena", "Elena", "Jelena", "Елена"],
        &["Kairat", "Qairat", "Қайрат"],
        &["Anna", "ANNA", "Анна"],
        &["Khabibullin", "Habibullin", "Хабибуллин"],
    ] {
        let first = key(group[0]);
        for other in group {
            assert_eq!(key(other), first, "{other} and {}", group[0]);
        }
    }
    assert_ne!(key("Okafor"), key("Smith"));
    assert_ne!(key("Ivanov"), key("Petrov"));
    assert_ne!(key("Anna"), key("Inna"));
}

#[test]
fn a_cyrillic_autobiography_carries_the_latin_dossier_name() {
    let text = "АВТОБИОГРАФИЯ\nЯ, Иванова Наталья Сергеевна, родилась в 1990 году в Алматы.";
    assert_eq!(found(text, "Nataliia Ivanova"), Presence::Found);
}

#[test]
fn a_kazakh_text_carries_the_name_with_kazakh_letters() {
    let text = "Өмірбаян. Мен, Нұрланұлы Қайрат, 1988 жылы Шымкентте тудым.";
    assert_eq!(found(text, "Kairat Nurlanuly"), Presence::Found);
}

#[test]
fn the_surname_and_one_given_name_are_enough_in_any_order() {
    let dossier = "Daniel Chukwuemeka Okafor";
    assert_eq!(
        found("CV — Daniel Okafor, ML engineer", dossier),
        Presence::Found
    );
    assert_eq!(found("OKAFOR DANIEL CHUKWUEMEKA", dossier), Presence::Found);
    assert_eq!(found("okafor, chukwuemeka", dossier), Presence::Found);
    // An initial in the dossier does not count as a given name to find.
    assert_eq!(found("Daniel Okafor", "Daniel C. Okafor"), Presence::Found);
}

#[test]
fn another_surname_is_reported_with_what_the_text_says() {
    let text = "Curriculum vitae\nDaniel Smith, software engineer, Lagos";
    assert_eq!(
        found(text, "Daniel Chukwuemeka Okafor"),
        Presence::Different {
            found: "Daniel Smith".into()
        }
    );
}

#[test]
fn the_surname_with_another_given_name_is_reported() {
    let text = "Reference for Chidi Okafor, who worked with us in 2021.";
    assert_eq!(
        found(text, "Daniel Okafor"),
        Presence::Different {
            found: "Chidi Okafor".into()
        }
    );
}

#[test]
fn a_text_without_any_part_of_the_name_misses_it() {
    assert_eq!(
        found("Machine learning engineer, 8 years", "Daniel Okafor"),
        Presence::Missing
    );
    assert_eq!(found("anything", ""), Presence::Missing);
}

#[test]
fn the_passport_zone_says_which_words_are_the_surname() {
    let mrz = Mrz {
        format: MrzFormat::Td3,
        valid: true,
        lines: Vec::new(),
        document_type: "P".into(),
        issuing_state: "NGA".into(),
        surname: "OKAFOR".into(),
        given_names: "DANIEL".into(),
        document_number: "A12345678".into(),
        nationality: "NGA".into(),
        birth_date: None,
        sex: "M".into(),
        expiry_date: None,
    };
    // Typed surname first: without the zone "Daniel" would be taken for
    // the surname.
    let person = PersonName::from_dossier("Okafor Daniel", Some(&mrz));
    assert_eq!(person.surname, vec!["Okafor".to_owned()]);
    assert_eq!(person.given, vec!["Daniel".to_owned()]);
    let guessed = PersonName::from_dossier("Okafor Daniel", None);
    assert_eq!(guessed.surname, vec!["Daniel".to_owned()]);
    // A zone that did not verify is not trusted.
    let unverified = Mrz {
        valid: false,
        ..mrz
    };
    assert_eq!(
        PersonName::from_dossier("Okafor Daniel", Some(&unverified)),
        guessed
    );
}

fn zone(surname: &str, given: &str, name_line: &str) -> Mrz {
    Mrz {
        format: MrzFormat::Td3,
        valid: true,
        lines: vec![name_line.into(), String::new()],
        document_type: "P".into(),
        issuing_state: "UTO".into(),
        surname: surname.into(),
        given_names: given.into(),
        document_number: "L898902C3".into(),
        nationality: "UTO".into(),
        birth_date: None,
        sex: "F".into(),
        expiry_date: None,
    }
}

#[test]
fn the_dossier_name_spelled_as_the_zone_spells_it_is_the_same() {
    let mrz = zone(
        "ERIKSSON",
        "ANNA MARIA",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    );
    assert_eq!(mrz_name_differs(&mrz, "Anna Maria Eriksson"), None);
    assert_eq!(mrz_name_differs(&mrz, "ERIKSSON Anna-Maria"), None);
    let accented = zone(
        "MUELLER",
        "JOERG",
        "P<UTOMUELLER<<JOERG<<<<<<<<<<<<<<<<<<<<<<<<<<",
    );
    assert_eq!(mrz_name_differs(&accented, "Jörg Müller"), None);
    let plain = zone(
        "MULLER",
        "JORG",
        "P<UTOMULLER<<JORG<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    );
    assert_eq!(mrz_name_differs(&plain, "Jörg Müller"), None);
}

#[test]
fn another_spelling_warns_with_the_zones_spelling() {
    let mrz = zone(
        "IVANOVA",
        "NATALIIA",
        "P<UTOIVANOVA<<NATALIIA<<<<<<<<<<<<<<<<<<<<<<",
    );
    assert_eq!(
        mrz_name_differs(&mrz, "Natalia Ivanova"),
        Some("IVANOVA NATALIIA".into())
    );
    // A word the zone lacks.
    assert_eq!(
        mrz_name_differs(&mrz, "Nataliia Sergeevna Ivanova"),
        Some("IVANOVA NATALIIA".into())
    );
    // A zone that did not verify is not held against the dossier.
    let unverified = Mrz {
        valid: false,
        ..mrz
    };
    assert_eq!(mrz_name_differs(&unverified, "Natalia Ivanova"), None);
}

#[test]
fn a_name_cut_short_by_a_full_zone_still_matches() {
    let line = "P<UTOWOLFESCHLEGELSTEINHAUSENB<<HUBERT<BLAIN";
    assert_eq!(line.len(), 44);
    let mrz = zone("WOLFESCHLEGELSTEINHAUSENB", "HUBERT BLAIN", line);
    assert_eq!(
        mrz_name_differs(&mrz, "Hubert Blaine Charles Wolfeschlegelsteinhausenberger"),
        None
    );
    assert_eq!(
        mrz_name_differs(&mrz, "Hubert Wolfeschlegelsteinhausenberger"),
        Some("WOLFESCHLEGELSTEINHAUSENB HUBERT BLAIN".into())
    );
}
