//! The ICAO 9303 check digit (Part 3, 4.9): each character's value (digits
//! as themselves, A–Z as 10–35, the filler `<` as 0) weighted 7, 3, 1 in
//! turn, summed, modulo 10. Small enough to own rather than take a crate
//! for, and tested against the specimen documents of Parts 4 to 7.

const WEIGHTS: [u32; 3] = [7, 3, 1];

/// A zone character's value, or `None` for a character a zone cannot hold.
fn value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// The check digit of `field`, as an ASCII digit.
pub fn compute(field: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &c) in field.iter().enumerate() {
        sum += value(c)? * WEIGHTS[i % 3];
    }
    // sum % 10 is below 10, so the cast cannot truncate.
    Some(b'0' + (sum % 10) as u8)
}

/// Whether `check` is the check digit of `field`. A field made only of
/// fillers may carry a filler as its check digit (the optional personal
/// number of a passport, Part 4, 4.2.2.2).
pub fn verifies(field: &[u8], check: u8) -> bool {
    if check == b'<' {
        return field.iter().all(|&c| c == b'<');
    }
    compute(field) == Some(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specimen_fields_have_their_printed_check_digits() {
        // ICAO 9303 Part 4 (TD3 specimen) and Part 3 worked example.
        assert_eq!(compute(b"L898902C3"), Some(b'6'));
        assert_eq!(compute(b"740812"), Some(b'2'));
        assert_eq!(compute(b"120415"), Some(b'9'));
        assert_eq!(compute(b"ZE184226B<<<<<"), Some(b'1'));
        assert_eq!(compute(b"520727"), Some(b'3'));
        // Part 5 (TD1 specimen) document number.
        assert_eq!(compute(b"D23145890"), Some(b'7'));
    }

    #[test]
    fn a_filler_check_digit_only_fits_a_field_of_fillers() {
        assert!(verifies(b"<<<<<<<<<<<<<<", b'<'));
        assert!(verifies(b"<<<<<<<<<<<<<<", b'0'));
        assert!(!verifies(b"ZE184226B<<<<<", b'<'));
    }

    #[test]
    fn characters_outside_the_zone_alphabet_have_no_check_digit() {
        assert_eq!(compute(b"ab12"), None);
        assert!(!verifies(b"L898902C?", b'6'));
    }
}
