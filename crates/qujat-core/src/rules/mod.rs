//! Rule packs: what a program asks for, as versioned data.
//!
//! Requirements, validity periods and deadlines change by ministerial order;
//! they are never constants in code. A rule pack is one TOML file (format
//! described in `docs/rule-packs.md`) naming its program, its sources, the
//! questions the sources leave open, the requirements and the stages that
//! group them. The built-in packs under `crates/qujat-core/rules/` are compiled
//! into the binary and validated on load, like any pack a user might add
//! later.

mod builtin;
mod checks;
pub mod installed;
pub mod treaties;
mod validate;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Text;
use crate::kind::FileKind;

pub use builtin::builtin_packs;
pub use checks::{Background, Keywords, MinImageSize, PageLimit, PhotoSpec, PixelMin, TextLength};
pub use treaties::{builtin_treaties, TreatyData, TreatyEffect};
pub use validate::{parse_pack, RulePackError};

/// The pack format this build reads. A pack states the format it was written
/// for in `format`; a newer one is refused with a clear error rather than
/// half-understood.
pub const FORMAT_VERSION: u32 = 1;

/// One program: its requirements, grouped into stages, with sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct RulePack {
    /// The pack format version, see [`FORMAT_VERSION`].
    pub format: u32,
    /// Stable program id, e.g. `kz-ai-pilot`.
    pub id: String,
    /// The pack's own version (`YYYY.N`), raised whenever its content changes.
    pub version: String,
    /// When this version of the pack was last reviewed against its sources.
    #[ts(type = "string")]
    pub reviewed: NaiveDate,
    /// The day by which the pack should be checked against its sources
    /// again; past it, Qujat says the rules may be out of date.
    #[ts(type = "string")]
    pub review_by: NaiveDate,
    /// Whether the program takes new applications, as the publisher last
    /// found. A signed update can reopen (or close) it.
    pub status: ProgramStatus,
    /// Program name.
    pub name: Text,
    /// One paragraph a newcomer understands: who it is for and what it gives.
    pub summary: Text,
    /// When the program accepts applications, if the sources say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub window: Option<Window>,
    /// Default limits for files, used where a requirement sets none.
    pub defaults: Defaults,
    /// Where the rules come from.
    pub sources: Vec<Source>,
    /// Questions the sources leave open; rules cite them instead of guessing.
    #[serde(default)]
    pub unknowns: Vec<Unknown>,
    /// Everything the applicant provides or does, each once.
    pub requirements: Vec<Requirement>,
    /// The stages of the procedure, in order, each listing requirement ids.
    pub stages: Vec<Stage>,
    /// The IANA time zone deadlines and the program window are counted in,
    /// e.g. `Asia/Almaty`. Required when the pack has deadlines or a closing
    /// day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub time_zone: Option<String>,
    /// The events that move a dossier through the stages, each with the
    /// events that must come before it.
    #[serde(default)]
    pub events: Vec<EventKind>,
    /// Deadlines counted from recorded events.
    #[serde(default)]
    pub deadlines: Vec<DeadlineRule>,
    /// How long a visa-free national may stay, counted from a recorded
    /// entry; absent where the pack states no such rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub visa_free: Option<VisaFree>,
}

/// The visa-free stay rule: the days a national of a visa-free country may
/// stay, counted from the recorded entry event, with the last safe day as a
/// deadline. Qujat knows only the one stay recorded; earlier stays inside a
/// rolling period are the applicant's to subtract, and the deadline says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct VisaFree {
    /// The event that records the entry without a visa.
    pub entry: String,
    /// The event that records leaving again, if the pack has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub exit: Option<String>,
    /// Events after which the stay no longer counts (a residence permit).
    #[serde(default)]
    pub done_by: Vec<String>,
    /// Reminder leads in days before the last safe day, largest first.
    #[serde(default)]
    pub reminders: Vec<u32>,
    /// The limits the sources state, or leave open; at least one.
    #[serde(default)]
    pub limits: Vec<StayLimit>,
    /// What the sources say and where they disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<Text>,
}

/// One limit on a visa-free stay: `days` per visit, or `days` within any
/// `within` days. Without `days` the sources do not say, and `basis` is the
/// open question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct StayLimit {
    /// The days allowed; absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub days: Option<u32>,
    /// The rolling period the days are counted in; absent: per visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub within: Option<u32>,
    /// Source or unknown id.
    pub basis: String,
}

/// Whether a program takes new applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ProgramStatus {
    /// New applications are possible.
    Open,
    /// The program ended (or its window closed). Existing dossiers stay
    /// fully usable; starting a new one needs an explicit acknowledgement.
    Closed,
}

/// The period in which a program accepts applications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Window {
    /// First day, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub opens: Option<NaiveDate>,
    /// Last day, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub closes: Option<NaiveDate>,
    /// What is known about the window, e.g. whether an extension was found.
    pub note: Text,
    /// Source or unknown ids backing the dates.
    pub sources: Vec<String>,
}

/// Limits applied to every file unless its requirement overrides them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Defaults {
    /// Accepted file kinds.
    pub accepts: Vec<FileKind>,
    /// Largest accepted file, in MiB.
    pub max_size_mib: u32,
    /// Why this limit: a source id, or an unknown id when the real portal
    /// limit is not published and the value is Qujat's cautious choice.
    pub limits_basis: String,
    /// The lowest resolution "Make it smaller" may leave a scan or photo
    /// at. Absent (an older pack), nothing is made smaller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min_dpi: Option<MinDpi>,
}

/// A resolution floor: images are never made smaller than this, so what a
/// document says stays legible to the officer who reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct MinDpi {
    /// Dots per inch, 72 to 600.
    pub dpi: u32,
    /// The source or unknown it rests on.
    pub basis: String,
}

/// A document or fact the rules rest on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Source {
    /// Id cited by rules, e.g. `joint-order-2025`.
    pub id: String,
    /// Title in the three languages, so a Russian or Kazakh checklist never
    /// shows an English one.
    pub title: Text,
    /// The title as published, in its own language, kept alongside the
    /// translations when it is not simply the English one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub original_title: Option<String>,
    /// Where it was read (a web address, or a citation for print).
    pub reference: String,
    /// How much weight it carries.
    pub standing: Standing,
}

/// How authoritative a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Standing {
    /// Law, order or an official government page.
    Official,
    /// A draft published for discussion, not (or not yet) in force.
    Draft,
    /// Only a third party (law firm, agency, news site) says it.
    ThirdParty,
}

/// A question the sources leave open. Rules cite it rather than invent an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Unknown {
    /// Id cited by rules, e.g. `egov-upload-limits`.
    pub id: String,
    /// The open question, as the user should read it.
    pub question: Text,
}

/// Something the applicant provides (a document) or does (a step).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Requirement {
    /// Stable id, e.g. `passport-copy`.
    pub id: String,
    /// A file to attach, or a step to confirm with a date.
    pub kind: RequirementKind,
    /// Whether the stage is complete without it.
    pub presence: Presence,
    /// Short name.
    pub name: Text,
    /// What it is and where to get it, in a few sentences.
    pub guidance: Text,
    /// For optional requirements, why they are optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub optional_because: Option<Text>,
    /// Accepted file kinds; the pack default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub accepts: Option<Vec<FileKind>>,
    /// Largest accepted file in MiB; the pack default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_size_mib: Option<u32>,
    /// Rules on validity and form, each with its source.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Sources for the requirement itself.
    pub sources: Vec<String>,
    /// Most pages a PDF may have (a blocker past it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_pages: Option<PageLimit>,
    /// Smallest legible image (a warning below it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min_image_px: Option<MinImageSize>,
    /// A passport-style photo: its shape, pixel size, head height and
    /// background are checked (warnings), and "Crop to 35 × 45" offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub photo: Option<PhotoSpec>,
    /// The resolution floor for making this document smaller; the pack
    /// default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min_dpi: Option<MinDpi>,
    /// Words the text should mention, one at least (a warning otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub keywords: Option<Keywords>,
    /// How long the text should be (a warning outside it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text_length: Option<TextLength>,
    /// Whether the applicant's name should appear in the text (a warning
    /// otherwise).
    #[serde(default)]
    pub name_must_appear: bool,
    /// Whether the same file may also be attached to another requirement
    /// that allows it too (otherwise that is flagged as a mis-click).
    #[serde(default)]
    pub allow_shared_file: bool,
    /// One row per citizenship in the applicant's profile (a police
    /// clearance from each country of a dual citizen). The first
    /// citizenship's row keeps the requirement's id; each further one is
    /// `id@cc` with the country code in lower case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub per_citizenship: Option<bool>,
    /// The requirement applies only to applicants whose profile meets this
    /// condition; with the field not recorded it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub applies_if: Option<Condition>,
}

/// A condition on the applicant's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Condition {
    /// The profile field it looks at.
    pub field: ProfileField,
    /// Countries (ISO 3166-1 alpha-2) that meet it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<String>,
    /// A treaty (by id in the treaty data) whose parties meet it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub in_treaty: Option<String>,
    /// For `citizenship-count`: the fewest citizenships that meet it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub at_least: Option<u32>,
    /// Source or unknown id the condition rests on.
    pub basis: String,
}

/// A field of the applicant's profile that a condition can look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ProfileField {
    /// Any of the applicant's citizenships.
    Citizenship,
    /// The country of residence.
    Residence,
    /// How many citizenships the applicant has.
    CitizenshipCount,
}

/// Whether a requirement is a file or a confirmed step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum RequirementKind {
    /// A file the applicant attaches.
    Document,
    /// Something done outside Qujat, confirmed with the date it was done.
    Step,
}

/// Whether a requirement must be met for its stage to be complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Presence {
    /// The stage is incomplete without it.
    Required,
    /// Helpful or conditional; the stage can be complete without it.
    Optional,
}

/// A rule about a document's validity or form. Every rule cites a source or
/// an unknown in `basis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "rule", rename_all = "kebab-case", deny_unknown_fields)]
#[ts(export)]
pub enum Rule {
    /// The document must stay valid at least `days` after `from`.
    MinRemainingValidity {
        /// Days of validity left.
        days: u32,
        /// The moment it is counted from.
        from: Moment,
        /// Source or unknown id.
        basis: String,
    },
    /// The document must have been issued at most `days` before `at`.
    MaxAge {
        /// Largest age in days.
        days: u32,
        /// The moment the age is counted at.
        at: Moment,
        /// Source or unknown id.
        basis: String,
    },
    /// A foreign-language document needs a translation.
    Translation {
        /// Accepted target languages (ISO 639-1).
        into: Vec<String>,
        /// Whether a notary must certify the translation.
        notarized: bool,
        /// Source or unknown id.
        basis: String,
    },
    /// A foreign document needs an apostille or consular legalisation.
    Legalization {
        /// Who is exempt, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        exempt: Option<Text>,
        /// Source or unknown id.
        basis: String,
    },
    /// Any other rule, stated in words (e.g. "on paper, signed and sealed").
    Note {
        /// The rule.
        text: Text,
        /// Source or unknown id.
        basis: String,
        /// Citizenships (ISO 3166-1 alpha-2) the note is about: an applicant
        /// holding one gets it as advice on the requirement. Empty: a note
        /// for everyone.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        citizenship: Vec<String>,
    },
}

impl Rule {
    /// The source or unknown id the rule rests on.
    pub fn basis(&self) -> &str {
        match self {
            Rule::MinRemainingValidity { basis, .. }
            | Rule::MaxAge { basis, .. }
            | Rule::Translation { basis, .. }
            | Rule::Legalization { basis, .. }
            | Rule::Note { basis, .. } => basis,
        }
    }
}

/// A moment in the procedure that validity is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Moment {
    /// The day the application is submitted.
    Application,
    /// The day of entry into Kazakhstan.
    Entry,
}

/// One stage of the procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Stage {
    /// Stable id, e.g. `astana-hub`.
    pub id: String,
    /// Short name.
    pub name: Text,
    /// What happens in this stage and where.
    pub description: Text,
    /// Requirement ids, in checklist order. A requirement may appear in
    /// several stages (the police clearance goes to Astana Hub and eGov); the
    /// applicant attaches it once.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Sources for the stage.
    pub sources: Vec<String>,
}

/// Something that happens to a dossier on a day, e.g. `egov-submitted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct EventKind {
    /// Stable id, e.g. `approved`.
    pub id: String,
    /// The stage it belongs to; none for an event that can end any stage
    /// (a withdrawal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stage: Option<String>,
    /// Short name.
    pub name: Text,
    /// Events that must be recorded on or before this one's day.
    #[serde(default)]
    pub after: Vec<String>,
    /// Events that cannot be recorded in the same dossier as this one
    /// (an approval and a refusal).
    #[serde(default)]
    pub excludes: Vec<String>,
}

/// A deadline counted from an event: the day is the event's day plus
/// `offset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct DeadlineRule {
    /// Stable id, e.g. `entry-window`. Part of the calendar entry's UID, so
    /// keep it once published.
    pub id: String,
    /// Short name, e.g. "Last day to enter Kazakhstan".
    pub name: Text,
    /// What the day means.
    pub kind: DeadlineKind,
    /// The event id it is counted from.
    pub from: String,
    /// How long after that event.
    pub offset: Offset,
    /// Reminders, in days before the day, largest first: `[7, 3, 1]`.
    #[serde(default)]
    pub reminders: Vec<u32>,
    /// Events that settle the deadline, after which nobody need watch it.
    #[serde(default)]
    pub done_by: Vec<String>,
    /// Source or unknown id the rule rests on.
    pub basis: String,
    /// What to do when reminded, e.g. "check your status on eGov".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reminder_text: Option<Text>,
    /// What the sources say and where they disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<Text>,
}

/// What a deadline's day means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum DeadlineKind {
    /// Something is expected by then (a decision); late means "ask".
    Due,
    /// The last day to act (enter the country); after it the chance is gone.
    LastDay,
    /// The first day something becomes possible (applying again).
    Earliest,
}

/// A period in calendar units. Years and months are added first, then days;
/// a day that does not exist in the target month becomes that month's last
/// day (31 January + 1 month = 28 or 29 February), as the Civil Code counts
/// terms in months and years.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[ts(export)]
pub struct Offset {
    /// Whole years.
    #[serde(default)]
    pub years: u32,
    /// Whole months.
    #[serde(default)]
    pub months: u32,
    /// Days.
    #[serde(default)]
    pub days: u32,
}

impl RulePack {
    /// The event kind with this id.
    pub fn event_kind(&self, id: &str) -> Option<&EventKind> {
        self.events.iter().find(|e| e.id == id)
    }

    /// The requirement with this id, or whose per-citizenship row it is
    /// (`police-clearance@ru`).
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        if let Some(r) = self.requirements.iter().find(|r| r.id == id) {
            return Some(r);
        }
        let (base, country) = split_row_id(id)?;
        self.requirements
            .iter()
            .find(|r| r.id == base && r.per_citizenship == Some(true))
            .filter(|_| crate::countries::is_country(&country.to_ascii_uppercase()))
    }

    /// The stage with this id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// Accepted kinds for a requirement, with the pack default applied.
    pub fn accepts<'a>(&'a self, requirement: &'a Requirement) -> &'a [FileKind] {
        requirement
            .accepts
            .as_deref()
            .unwrap_or(&self.defaults.accepts)
    }

    /// Size limit in bytes for a requirement, with the pack default applied.
    pub fn max_size_bytes(&self, requirement: &Requirement) -> u64 {
        u64::from(
            requirement
                .max_size_mib
                .unwrap_or(self.defaults.max_size_mib),
        ) * 1024
            * 1024
    }

    /// The resolution floor for making a document smaller, in dots per
    /// inch, with the pack default applied; none when the pack sets none.
    pub fn min_dpi(&self, requirement: &Requirement) -> Option<u32> {
        requirement
            .min_dpi
            .as_ref()
            .or(self.defaults.min_dpi.as_ref())
            .map(|floor| floor.dpi)
    }

    /// The open question behind a document's size limit when the limit is
    /// the pack default resting on an unknown: Qujat's cautious choice, not
    /// the portal's published rule, and shown as such.
    pub fn size_limit_unknown(&self, requirement: &Requirement) -> Option<&Unknown> {
        if requirement.kind != RequirementKind::Document || requirement.max_size_mib.is_some() {
            return None;
        }
        self.unknowns
            .iter()
            .find(|u| u.id == self.defaults.limits_basis)
    }

    /// Whether `date` is past the program's known closing day.
    pub fn is_closed_on(&self, date: NaiveDate) -> bool {
        self.window
            .as_ref()
            .and_then(|w| w.closes)
            .is_some_and(|closes| date > closes)
    }

    /// The program's status on `date`: closed if the pack says so or its
    /// known window has passed. The one rule the CLI, the app and the
    /// dossier creation all follow.
    pub fn status_on(&self, date: NaiveDate) -> ProgramStatus {
        if self.status == ProgramStatus::Closed || self.is_closed_on(date) {
            ProgramStatus::Closed
        } else {
            ProgramStatus::Open
        }
    }

    /// Whether the pack's "next review by" day has passed on `date`, so its
    /// rules may be out of date.
    pub fn review_overdue_on(&self, date: NaiveDate) -> bool {
        date > self.review_by
    }
}

/// One program as offered: its status and review dates, worked out for a
/// day, so the app and `qujat programs --json` say the same.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProgramListing {
    /// Program id.
    pub id: String,
    /// Program name.
    pub name: Text,
    /// One paragraph about the program.
    pub summary: Text,
    /// The pack's version.
    pub version: String,
    /// `open` or `closed` on the day asked about.
    pub status: ProgramStatus,
    /// The last day of the known window, if the sources give one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub closes: Option<NaiveDate>,
    /// When the pack was last reviewed against its sources.
    #[ts(type = "string")]
    pub reviewed: NaiveDate,
    /// When it should be reviewed again.
    #[ts(type = "string")]
    pub review_by: NaiveDate,
    /// Whether `reviewBy` has passed: the rules may be out of date.
    pub review_overdue: bool,
}

impl ProgramListing {
    /// The listing of `pack` on `date`.
    pub fn of(pack: &RulePack, date: NaiveDate) -> ProgramListing {
        ProgramListing {
            id: pack.id.clone(),
            name: pack.name.clone(),
            summary: pack.summary.clone(),
            version: pack.version.clone(),
            status: pack.status_on(date),
            closes: pack.window.as_ref().and_then(|w| w.closes),
            reviewed: pack.reviewed,
            review_by: pack.review_by,
            review_overdue: pack.review_overdue_on(date),
        }
    }
}

/// The packs in the order programs are offered on `date`: open programs
/// first (a closed pilot should not be the first thing a newcomer picks),
/// otherwise in their given order.
pub fn offered_order(packs: &[RulePack], date: NaiveDate) -> Vec<&RulePack> {
    let mut offered: Vec<&RulePack> = packs.iter().collect();
    // A stable sort keeps the given order within open and within closed.
    offered.sort_by_key(|p| p.status_on(date) == ProgramStatus::Closed);
    offered
}

/// The id of a requirement's row for a further citizenship: `id@cc`.
pub fn row_id(requirement: &str, country: &str) -> String {
    format!("{requirement}@{}", country.to_ascii_lowercase())
}

/// A row id split into the requirement id and the lower-case country code.
pub fn split_row_id(id: &str) -> Option<(&str, &str)> {
    let (base, country) = id.split_once('@')?;
    (country.len() == 2 && country.chars().all(|c| c.is_ascii_lowercase()))
        .then_some((base, country))
}

/// Which program and pack version a report was made with.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProgramRef {
    /// Program id.
    pub id: String,
    /// Rule pack version.
    pub version: String,
    /// Program name.
    pub name: Text,
    /// Whether the program's known window closed before the day of the check.
    pub closed: bool,
    /// When the pack was last reviewed against its sources.
    #[ts(type = "string")]
    pub reviewed: NaiveDate,
    /// When it should be reviewed again.
    #[ts(type = "string")]
    pub review_by: NaiveDate,
    /// Whether `reviewBy` had passed on the day of the check: the rules may
    /// be out of date.
    pub review_overdue: bool,
}

impl ProgramRef {
    /// The reference to `pack` as of `today`.
    pub fn of(pack: &RulePack, today: NaiveDate) -> ProgramRef {
        ProgramRef {
            id: pack.id.clone(),
            version: pack.version.clone(),
            name: pack.name.clone(),
            closed: pack.is_closed_on(today),
            reviewed: pack.reviewed,
            review_by: pack.review_by,
            review_overdue: pack.review_overdue_on(today),
        }
    }
}
