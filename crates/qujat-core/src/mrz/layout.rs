//! Where each field stands in the five zone layouts (ICAO 9303 Parts 4 to
//! 7), as data: one [`Spec`] per layout instead of one parser each.

use super::check_digit;
use super::MrzFormat;

/// What a zone position may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Letters and fillers: names, state codes, the document type.
    Alpha,
    /// Digits (and fillers for an unknown day): dates.
    Digit,
    /// Either: document numbers and optional data.
    AlphaNum,
    /// A check digit.
    Check,
    /// M, F or a filler.
    Sex,
}

/// A run of characters: (line, first position, length).
type Run = (usize, usize, usize);
/// A range on one line: (line, start, end).
type Span = (usize, usize, usize);

/// One zone layout.
pub struct Spec {
    pub format: MrzFormat,
    pub lines: usize,
    pub width: usize,
    /// Whether the document type starts with V (a visa).
    visa: bool,
    pub doc_type: Run,
    pub state: Run,
    /// (line, start): the name runs to the end of that line.
    pub name: (usize, usize),
    /// Nine characters, then their check digit.
    number: (usize, usize),
    pub nationality: Run,
    /// Six digits, then their check digit.
    pub birth: Run,
    pub sex: Run,
    /// Six digits, then their check digit.
    pub expiry: Run,
    optional: &'static [Span],
    /// The passport's personal number check, over the first optional span.
    personal_check: Option<(usize, usize)>,
    /// The composite check digit and the spans it covers.
    composite: Option<((usize, usize), &'static [Span])>,
    /// Whether a number longer than nine characters may continue in the
    /// first optional span (TD1 and TD2, Part 5 4.2.4 and Part 6 4.2.4).
    long_number: bool,
}

/// Line 2 of the four two-line layouts (passports, TD2 cards and both
/// machine-readable visas) places the number, nationality, dates and sex
/// alike (Parts 4, 6 and 7); they differ in width, the optional data and
/// the check digits over it.
const TWO_LINE: Spec = Spec {
    format: MrzFormat::Td3,
    lines: 2,
    width: 44,
    visa: false,
    doc_type: (0, 0, 2),
    state: (0, 2, 3),
    name: (0, 5),
    number: (1, 0),
    nationality: (1, 10, 3),
    birth: (1, 13, 6),
    sex: (1, 20, 1),
    expiry: (1, 21, 6),
    optional: &[],
    personal_check: None,
    composite: None,
    long_number: false,
};

pub const SPECS: &[Spec] = &[
    Spec {
        format: MrzFormat::Td3,
        optional: &[(1, 28, 42)],
        personal_check: Some((1, 42)),
        composite: Some(((1, 43), &[(1, 0, 10), (1, 13, 20), (1, 21, 43)])),
        ..TWO_LINE
    },
    Spec {
        format: MrzFormat::MrvA,
        visa: true,
        optional: &[(1, 28, 44)],
        ..TWO_LINE
    },
    Spec {
        format: MrzFormat::Td2,
        width: 36,
        optional: &[(1, 28, 35)],
        composite: Some(((1, 35), &[(1, 0, 10), (1, 13, 20), (1, 21, 35)])),
        long_number: true,
        ..TWO_LINE
    },
    Spec {
        format: MrzFormat::MrvB,
        width: 36,
        visa: true,
        optional: &[(1, 28, 36)],
        ..TWO_LINE
    },
    Spec {
        format: MrzFormat::Td1,
        lines: 3,
        width: 30,
        visa: false,
        doc_type: (0, 0, 2),
        state: (0, 2, 3),
        name: (2, 0),
        number: (0, 5),
        nationality: (1, 15, 3),
        birth: (1, 0, 6),
        sex: (1, 7, 1),
        expiry: (1, 8, 6),
        optional: &[(0, 15, 30), (1, 18, 29)],
        personal_check: None,
        composite: Some(((1, 29), &[(0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)])),
        long_number: true,
    },
];

impl Spec {
    /// Whether zone lines of the right lengths are this layout: visas
    /// start with V, and TD1's data line starts with a date, not a type.
    pub fn accepts(&self, zone: &[Vec<u8>]) -> bool {
        let first = zone[0][0];
        if !first.is_ascii_alphabetic() || (first == b'V') != self.visa {
            return false;
        }
        // A passport's first line never starts a three-line card.
        !(self.format == MrzFormat::Td1 && first == b'P')
    }

    /// The class of every position, line by line.
    pub fn classes(&self) -> Vec<Vec<Class>> {
        let mut classes = vec![vec![Class::AlphaNum; self.width]; self.lines];
        let mut set = |(l, start, len): Run, class: Class| {
            for c in &mut classes[l][start..start + len] {
                *c = class;
            }
        };
        set(self.doc_type, Class::Alpha);
        set(self.state, Class::Alpha);
        set(
            (self.name.0, self.name.1, self.width - self.name.1),
            Class::Alpha,
        );
        set(self.nationality, Class::Alpha);
        set(self.birth, Class::Digit);
        set(self.expiry, Class::Digit);
        set(self.sex, Class::Sex);
        for (l, p) in [
            (self.number.0, self.number.1 + 9),
            (self.birth.0, self.birth.1 + 6),
            (self.expiry.0, self.expiry.1 + 6),
        ]
        .into_iter()
        .chain(self.personal_check)
        .chain(self.composite.map(|(pos, _)| pos))
        {
            set((l, p, 1), Class::Check);
        }
        classes
    }

    /// Fields that end in fillers: the name and the optional data.
    pub fn filler_tails(&self) -> Vec<Span> {
        let mut spans = vec![(self.name.0, self.name.1, self.width)];
        spans.extend_from_slice(self.optional);
        spans
    }

    /// The document number with its check digit: nine characters, or for
    /// a longer number, those nine, then (after a filler where the check
    /// digit would stand) the rest in the optional data up to a filler,
    /// whose last character is the check digit.
    fn number_and_check(&self, zone: &[Vec<u8>]) -> (Vec<u8>, u8) {
        let (l, s) = self.number;
        let line = &zone[l];
        let mut number = line[s..s + 9].to_vec();
        let check = line[s + 9];
        if self.long_number && check == b'<' && line[s + 8] != b'<' {
            if let Some(&(ol, os, oe)) = self.optional.first() {
                let rest: Vec<u8> = zone[ol][os..oe]
                    .iter()
                    .copied()
                    .take_while(|&c| c != b'<')
                    .collect();
                if let Some((&last, head)) = rest.split_last() {
                    number.extend_from_slice(head);
                    return (number, last);
                }
            }
        }
        (number, check)
    }

    /// The document number, fillers removed.
    pub fn document_number(&self, zone: &[Vec<u8>]) -> String {
        let (number, _) = self.number_and_check(zone);
        String::from_utf8_lossy(&number)
            .trim_matches('<')
            .to_owned()
    }

    /// Whether every check digit of `zone` passes.
    pub fn verifies(&self, zone: &[Vec<u8>]) -> bool {
        let (number, check) = self.number_and_check(zone);
        if !check_digit::verifies(&number, check) {
            return false;
        }
        for (l, s, len) in [self.birth, self.expiry] {
            if !check_digit::verifies(&zone[l][s..s + len], zone[l][s + len]) {
                return false;
            }
        }
        if let (Some((l, p)), Some(&(ol, os, oe))) = (self.personal_check, self.optional.first()) {
            if !check_digit::verifies(&zone[ol][os..oe], zone[l][p]) {
                return false;
            }
        }
        if let Some(((l, p), spans)) = self.composite {
            let covered: Vec<u8> = spans
                .iter()
                .flat_map(|&(sl, ss, se)| zone[sl][ss..se].iter().copied())
                .collect();
            if !check_digit::verifies(&covered, zone[l][p]) {
                return false;
            }
        }
        true
    }
}
