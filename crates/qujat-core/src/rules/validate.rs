//! Reading a rule pack from TOML and refusing a bad one with a precise error.
//!
//! A pack is data that people edit by hand; the error must say which file,
//! which field and what is wrong, e.g.
//! `kz-ai-pilot.toml: stages[2].requirements[0]: no requirement "pasport-copy"`.

use std::collections::HashSet;

use super::{
    Condition, PhotoSpec, ProfileField, Requirement, RequirementKind, Rule, RulePack,
    FORMAT_VERSION,
};
use crate::error::RulesError;
use crate::i18n::Text;

/// A rule pack that cannot be used, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {field}: {problem}")]
pub struct RulePackError {
    /// The pack's file name.
    pub file: String,
    /// The field path, e.g. `requirements[3].max-size-mib`; `(file)` for
    /// problems with the whole file.
    pub field: String,
    /// What is wrong, in English (pack authors' language).
    pub problem: String,
}

// Here rather than in `error/`, so that the error module depends on no
// domain module (the core's modules form no import cycle).
impl From<RulePackError> for crate::error::Error {
    fn from(e: RulePackError) -> Self {
        RulesError::RulePack {
            file: e.file,
            field: e.field,
            problem: e.problem,
        }
        .into()
    }
}

/// Parses and validates one pack. `file` names it in errors.
pub fn parse_pack(file: &str, text: &str) -> Result<RulePack, RulePackError> {
    let fail = |field: String, problem: String| RulePackError {
        file: file.to_owned(),
        field,
        problem,
    };

    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let field = match e.span() {
            Some(span) => format!("line {}", line_of(text, span.start)),
            None => "(file)".to_owned(),
        };
        fail(field, format!("not valid TOML: {}", e.message()))
    })?;

    // Check the format first: a pack from a newer Qujat should say so, not
    // fail on the first field this build does not know.
    match table.get("format").and_then(toml::Value::as_integer) {
        Some(f) if f == i64::from(FORMAT_VERSION) => {}
        Some(f) => {
            return Err(fail(
                "format".into(),
                format!("written for format {f}; this Qujat reads format {FORMAT_VERSION}"),
            ))
        }
        None => {
            return Err(fail(
                "format".into(),
                "missing: the pack must say its format version".into(),
            ))
        }
    }

    check_declared(&table).map_err(|(field, problem)| fail(field, problem))?;

    let pack: RulePack =
        serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let field = e.path().to_string();
            fail(
                if field == "." { "(file)".into() } else { field },
                e.into_inner().to_string(),
            )
        })?;
    check_semantics(&pack).map_err(|(field, problem)| fail(field, problem))?;
    Ok(pack)
}

/// Fields a pack must state outright, checked before the pack is read so a
/// missing one is named exactly (`sources[3].standing`) and the message says
/// what to write, rather than serde's "missing field" on the enclosing table.
fn check_declared(table: &toml::Table) -> Result<(), Problem> {
    if !table.contains_key("status") {
        return Err((
            "status".into(),
            "missing: say whether the program takes new applications, \"open\" or \"closed\""
                .into(),
        ));
    }
    if !table.contains_key("review-by") {
        return Err((
            "review-by".into(),
            "missing: the day by which the pack should be checked against its sources again, e.g. 2027-01-31"
                .into(),
        ));
    }
    check_declared_sources(table)
}

/// A source's standing and three-language title, stated outright; shared
/// with the treaty data (`super::treaties`), whose sources are the same kind.
pub(super) fn check_declared_sources(table: &toml::Table) -> Result<(), Problem> {
    let sources = table.get("sources").and_then(toml::Value::as_array);
    for (i, source) in sources.into_iter().flatten().enumerate() {
        let Some(source) = source.as_table() else {
            continue;
        };
        // A news item quoting an order is not the order: the pack must say
        // which it cites, never leave it to a default.
        if !source.contains_key("standing") {
            return Err((
                format!("sources[{i}].standing"),
                "missing: say how much the source carries: \"official\" (the law, order or government page itself), \"draft\" or \"third-party\" (news, agencies, mirrors, aggregators)"
                    .into(),
            ));
        }
        if source.get("title").is_some_and(toml::Value::is_str) {
            return Err((
                format!("sources[{i}].title"),
                "must be a text with en, ru and kk, e.g. { en = \"…\", ru = \"…\", kk = \"…\" }; keep a title in another language as original-title"
                    .into(),
            ));
        }
    }
    Ok(())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

pub(super) type Problem = (String, String);

fn check_semantics(pack: &RulePack) -> Result<(), Problem> {
    let problem = |field: &str, what: String| (field.to_owned(), what);

    check_id("id", &pack.id)?;
    let version_ok = pack.version.split_once('.').is_some_and(|(y, n)| {
        y.len() == 4
            && y.chars().all(|c| c.is_ascii_digit())
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
    });
    if !version_ok {
        return Err(problem(
            "version",
            format!("\"{}\" is not YYYY.N, e.g. 2025.1", pack.version),
        ));
    }
    check_text("name", &pack.name)?;
    check_text("summary", &pack.summary)?;
    if pack.review_by <= pack.reviewed {
        return Err(problem(
            "review-by",
            format!(
                "{} is not after the review on {}",
                pack.review_by, pack.reviewed
            ),
        ));
    }

    let mut cited: HashSet<&str> = HashSet::new();
    for (i, s) in pack.sources.iter().enumerate() {
        check_id(&format!("sources[{i}].id"), &s.id)?;
        check_text(&format!("sources[{i}].title"), &s.title)?;
        if !cited.insert(&s.id) {
            return Err(problem(
                &format!("sources[{i}].id"),
                format!("\"{}\" is used twice", s.id),
            ));
        }
    }
    for (i, u) in pack.unknowns.iter().enumerate() {
        check_id(&format!("unknowns[{i}].id"), &u.id)?;
        if !cited.insert(&u.id) {
            return Err(problem(
                &format!("unknowns[{i}].id"),
                format!("\"{}\" is used twice", u.id),
            ));
        }
        check_text(&format!("unknowns[{i}].question"), &u.question)?;
    }
    let check_basis = |field: String, id: &str| -> Result<(), Problem> {
        if cited.contains(id) {
            Ok(())
        } else {
            Err((
                field,
                format!("\"{id}\" is neither a source nor an unknown of this pack"),
            ))
        }
    };

    if pack.defaults.accepts.is_empty() {
        return Err(problem(
            "defaults.accepts",
            "must name at least one file kind".into(),
        ));
    }
    if pack.defaults.max_size_mib == 0 {
        return Err(problem(
            "defaults.max-size-mib",
            "must be at least 1".into(),
        ));
    }
    check_basis("defaults.limits-basis".into(), &pack.defaults.limits_basis)?;
    if let Some(floor) = &pack.defaults.min_dpi {
        check_min_dpi("defaults.min-dpi", floor)?;
        check_basis("defaults.min-dpi.basis".into(), &floor.basis)?;
    }

    if let Some(w) = &pack.window {
        if let (Some(opens), Some(closes)) = (w.opens, w.closes) {
            if opens > closes {
                return Err(problem(
                    "window",
                    format!("opens {opens} after it closes {closes}"),
                ));
            }
        }
        check_text("window.note", &w.note)?;
        for (j, id) in w.sources.iter().enumerate() {
            check_basis(format!("window.sources[{j}]"), id)?;
        }
    }

    let mut requirement_ids = HashSet::new();
    for (i, r) in pack.requirements.iter().enumerate() {
        let at = |f: &str| format!("requirements[{i}].{f}");
        check_id(&at("id"), &r.id)?;
        if !requirement_ids.insert(r.id.as_str()) {
            return Err(problem(&at("id"), format!("\"{}\" is used twice", r.id)));
        }
        check_requirement(r, &at)?;
        for (j, id) in r.sources.iter().enumerate() {
            check_basis(at(&format!("sources[{j}]")), id)?;
        }
        for (j, rule) in r.rules.iter().enumerate() {
            check_basis(at(&format!("rules[{j}].basis")), rule.basis())?;
            if let Rule::Translation { into, .. } = rule {
                check_translation_languages(&at(&format!("rules[{j}].into")), into)?;
            }
            if let Rule::Note { citizenship, .. } = rule {
                for (k, code) in citizenship.iter().enumerate() {
                    if !crate::countries::is_country(code) {
                        return Err((
                            at(&format!("rules[{j}].citizenship[{k}]")),
                            format!(
                                "\"{code}\" is not an ISO 3166-1 alpha-2 country code (upper case)"
                            ),
                        ));
                    }
                }
            }
        }
        for (field, basis) in content_bases(r) {
            check_basis(at(&format!("{field}.basis")), basis)?;
        }
        if let Some(c) = &r.applies_if {
            check_condition(c, &|f| at(&format!("applies-if.{f}")))?;
            check_basis(at("applies-if.basis"), &c.basis)?;
        }
        if r.per_citizenship == Some(true) && r.kind == RequirementKind::Step {
            return Err(problem(
                &at("per-citizenship"),
                "a step is done once: only a document can be asked for per citizenship".into(),
            ));
        }
    }

    let mut stage_ids = HashSet::new();
    let mut staged = HashSet::new();
    if pack.stages.is_empty() {
        return Err(problem(
            "stages",
            "a program needs at least one stage".into(),
        ));
    }
    for (i, s) in pack.stages.iter().enumerate() {
        let at = |f: &str| format!("stages[{i}].{f}");
        check_id(&at("id"), &s.id)?;
        if !stage_ids.insert(s.id.as_str()) {
            return Err(problem(&at("id"), format!("\"{}\" is used twice", s.id)));
        }
        check_text(&at("name"), &s.name)?;
        check_text(&at("description"), &s.description)?;
        let mut in_stage = HashSet::new();
        for (j, id) in s.requirements.iter().enumerate() {
            if !requirement_ids.contains(id.as_str()) {
                return Err(problem(
                    &at(&format!("requirements[{j}]")),
                    format!("no requirement \"{id}\""),
                ));
            }
            if !in_stage.insert(id.as_str()) {
                return Err(problem(
                    &at(&format!("requirements[{j}]")),
                    format!("\"{id}\" is listed twice"),
                ));
            }
            staged.insert(id.as_str());
        }
        for (j, id) in s.sources.iter().enumerate() {
            check_basis(at(&format!("sources[{j}]")), id)?;
        }
    }
    if let Some((i, r)) = pack
        .requirements
        .iter()
        .enumerate()
        .find(|(_, r)| !staged.contains(r.id.as_str()))
    {
        return Err(problem(
            &format!("requirements[{i}].id"),
            format!("\"{}\" is in no stage", r.id),
        ));
    }
    check_timeline(pack, &stage_ids, &check_basis)
}

/// The time zone, `[[events]]` and `[[deadlines]]`.
fn check_timeline(
    pack: &RulePack,
    stage_ids: &HashSet<&str>,
    check_basis: &dyn Fn(String, &str) -> Result<(), Problem>,
) -> Result<(), Problem> {
    match &pack.time_zone {
        Some(zone) if zone.parse::<chrono_tz::Tz>().is_err() => {
            return Err((
                "time-zone".into(),
                format!("\"{zone}\" is not an IANA time zone, e.g. Asia/Almaty"),
            ));
        }
        Some(_) => {}
        // Without a zone "today" and "the last day" would silently mean UTC.
        None if !pack.deadlines.is_empty() => {
            return Err((
                "time-zone".into(),
                "missing: deadlines are counted in the program's time zone, e.g. Asia/Almaty"
                    .into(),
            ))
        }
        None => {}
    }

    let mut event_ids = HashSet::new();
    for (i, e) in pack.events.iter().enumerate() {
        let at = |f: &str| format!("events[{i}].{f}");
        check_id(&at("id"), &e.id)?;
        if !event_ids.insert(e.id.as_str()) {
            return Err((at("id"), format!("\"{}\" is used twice", e.id)));
        }
        check_text(&at("name"), &e.name)?;
        if let Some(stage) = &e.stage {
            if !stage_ids.contains(stage.as_str()) {
                return Err((at("stage"), format!("no stage \"{stage}\"")));
            }
        }
    }
    for (i, e) in pack.events.iter().enumerate() {
        for (field, ids) in [("after", &e.after), ("excludes", &e.excludes)] {
            for (j, id) in ids.iter().enumerate() {
                let at = format!("events[{i}].{field}[{j}]");
                if !event_ids.contains(id.as_str()) {
                    return Err((at, format!("no event \"{id}\"")));
                }
                if *id == e.id {
                    return Err((at, format!("\"{id}\" names the event itself")));
                }
            }
        }
    }
    if let Some(cycle) = prerequisite_cycle(pack) {
        return Err((
            "events".into(),
            format!(
                "the \"after\" lists go round in a circle: {}",
                cycle.join(" -> ")
            ),
        ));
    }

    let mut deadline_ids = HashSet::new();
    for (i, d) in pack.deadlines.iter().enumerate() {
        let at = |f: &str| format!("deadlines[{i}].{f}");
        check_id(&at("id"), &d.id)?;
        if !deadline_ids.insert(d.id.as_str()) {
            return Err((at("id"), format!("\"{}\" is used twice", d.id)));
        }
        check_text(&at("name"), &d.name)?;
        if !event_ids.contains(d.from.as_str()) {
            return Err((at("from"), format!("no event \"{}\"", d.from)));
        }
        let o = d.offset;
        if o.years == 0 && o.months == 0 && o.days == 0 {
            return Err((
                at("offset"),
                "must be at least one day, e.g. { days = 30 }".into(),
            ));
        }
        // Generous bounds that still keep date arithmetic far from overflow.
        if o.years > 100 || o.months > 1200 || o.days > 36_600 {
            return Err((at("offset"), "must be at most 100 years".into()));
        }
        for (j, lead) in d.reminders.iter().enumerate() {
            if *lead == 0 || *lead > 366 {
                return Err((
                    at(&format!("reminders[{j}]")),
                    format!("{lead} is not between 1 and 366 days"),
                ));
            }
            if j > 0 && d.reminders[j - 1] <= *lead {
                return Err((
                    at(&format!("reminders[{j}]")),
                    "reminders go from the earliest to the latest, largest lead first, e.g. [7, 3, 1]"
                        .into(),
                ));
            }
        }
        for (j, id) in d.done_by.iter().enumerate() {
            if !event_ids.contains(id.as_str()) {
                return Err((at(&format!("done-by[{j}]")), format!("no event \"{id}\"")));
            }
        }
        check_basis(at("basis"), &d.basis)?;
        if let Some(text) = &d.reminder_text {
            check_text(&at("reminder-text"), text)?;
        }
        if let Some(text) = &d.note {
            check_text(&at("note"), text)?;
        }
    }
    if let Some(v) = &pack.visa_free {
        let unknowns: HashSet<&str> = pack.unknowns.iter().map(|u| u.id.as_str()).collect();
        check_visa_free(v, &event_ids, &unknowns, &check_basis)?;
    }
    Ok(())
}

fn check_visa_free(
    v: &super::VisaFree,
    event_ids: &HashSet<&str>,
    unknowns: &HashSet<&str>,
    check_basis: &dyn Fn(String, &str) -> Result<(), Problem>,
) -> Result<(), Problem> {
    let event = |field: String, id: &str| {
        if event_ids.contains(id) {
            Ok(())
        } else {
            Err((field, format!("no event \"{id}\"")))
        }
    };
    event("visa-free.entry".into(), &v.entry)?;
    if let Some(exit) = &v.exit {
        event("visa-free.exit".into(), exit)?;
    }
    for (j, id) in v.done_by.iter().enumerate() {
        event(format!("visa-free.done-by[{j}]"), id)?;
    }
    for (j, lead) in v.reminders.iter().enumerate() {
        if *lead == 0 || *lead > 366 || (j > 0 && v.reminders[j - 1] <= *lead) {
            return Err((
                format!("visa-free.reminders[{j}]"),
                format!("{lead}: reminders are 1 to 366 days, largest lead first, e.g. [14, 3]"),
            ));
        }
    }
    if v.limits.is_empty() {
        return Err((
            "visa-free.limits".into(),
            "must state at least one limit, e.g. { days = 90, within = 180, basis = \"…\" }".into(),
        ));
    }
    for (j, l) in v.limits.iter().enumerate() {
        let at = |f: &str| format!("visa-free.limits[{j}].{f}");
        check_basis(at("basis"), &l.basis)?;
        match (l.days, l.within) {
            (Some(0), _) => return Err((at("days"), "must be at least 1".into())),
            (Some(days), Some(within)) if within < days || within > 3660 => {
                return Err((
                    at("within"),
                    format!("{within} days cannot hold {days} days of stay"),
                ))
            }
            (Some(days), _) if days > 3660 => {
                return Err((at("days"), format!("{days} is more than ten years")))
            }
            // A limit the sources do not state is an open question, never a
            // number Qujat made up.
            (None, _) if !unknowns.contains(l.basis.as_str()) => {
                return Err((
                    at("basis"),
                    format!(
                        "a limit without days must cite an unknown (the open question), not the source \"{}\"",
                        l.basis
                    ),
                ))
            }
            _ => {}
        }
    }
    if let Some(text) = &v.note {
        check_text("visa-free.note", text)?;
    }
    Ok(())
}

/// A chain of `after` references that leads back to where it started, if
/// any: such events could never all be recorded.
fn prerequisite_cycle(pack: &RulePack) -> Option<Vec<String>> {
    fn visit<'p>(
        pack: &'p RulePack,
        id: &'p str,
        path: &mut Vec<&'p str>,
        finished: &mut HashSet<&'p str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| *p == id) {
            let mut cycle: Vec<String> = path[start..].iter().map(|p| (*p).to_owned()).collect();
            cycle.push(id.to_owned());
            return Some(cycle);
        }
        if finished.contains(id) {
            return None;
        }
        path.push(id);
        if let Some(e) = pack.event_kind(id) {
            for next in &e.after {
                if let Some(cycle) = visit(pack, next, path, finished) {
                    return Some(cycle);
                }
            }
        }
        path.pop();
        finished.insert(id);
        None
    }
    let mut finished = HashSet::new();
    pack.events
        .iter()
        .find_map(|e| visit(pack, &e.id, &mut Vec::new(), &mut finished))
}

fn check_requirement(r: &Requirement, at: &dyn Fn(&str) -> String) -> Result<(), Problem> {
    check_text(&at("name"), &r.name)?;
    check_text(&at("guidance"), &r.guidance)?;
    if let Some(why) = &r.optional_because {
        check_text(&at("optional-because"), why)?;
    }
    if r.kind == RequirementKind::Step {
        if r.accepts.is_some() || r.max_size_mib.is_some() {
            return Err((
                at("kind"),
                "a step takes no file: remove accepts and max-size-mib".into(),
            ));
        }
        if let Some((field, _)) = content_bases(r).first() {
            return Err((
                at("kind"),
                format!("a step takes no file, so nothing to check: remove {field}"),
            ));
        }
        if r.name_must_appear || r.allow_shared_file {
            return Err((
                at("kind"),
                "a step takes no file: remove name-must-appear and allow-shared-file".into(),
            ));
        }
    } else {
        check_content(r, at)?;
        if r.accepts.as_ref().is_some_and(Vec::is_empty) {
            return Err((at("accepts"), "must name at least one file kind".into()));
        }
        if r.max_size_mib == Some(0) {
            return Err((at("max-size-mib"), "must be at least 1".into()));
        }
        if let Some(floor) = &r.min_dpi {
            check_min_dpi(&at("min-dpi"), floor)?;
        }
    }
    Ok(())
}

/// A resolution floor between fax quality and what no portal's size limit
/// leaves room for.
fn check_min_dpi(field: &str, floor: &crate::rules::MinDpi) -> Result<(), Problem> {
    if !(72..=600).contains(&floor.dpi) {
        return Err((
            field.to_owned(),
            format!("{} dpi: must be between 72 and 600", floor.dpi),
        ));
    }
    Ok(())
}

/// A condition on the profile: countries that exist, a treaty the treaty
/// data has, and the operand its field takes.
fn check_condition(c: &Condition, at: &dyn Fn(&str) -> String) -> Result<(), Problem> {
    for (i, code) in c.any_of.iter().enumerate() {
        if !crate::countries::is_country(code) {
            return Err((
                at(&format!("any-of[{i}]")),
                format!("\"{code}\" is not an ISO 3166-1 alpha-2 country code (upper case)"),
            ));
        }
    }
    if let Some(t) = &c.in_treaty {
        let treaties = super::builtin_treaties().map_err(|e| (at("in-treaty"), e.to_string()))?;
        if treaties.treaty(t).is_none() {
            let known: Vec<&str> = treaties.treaties.iter().map(|t| t.id.as_str()).collect();
            return Err((
                at("in-treaty"),
                format!("no treaty \"{t}\"; the treaties are: {}", known.join(", ")),
            ));
        }
    }
    match c.field {
        ProfileField::CitizenshipCount => {
            if c.at_least.is_none() || !c.any_of.is_empty() || c.in_treaty.is_some() {
                return Err((
                    at("field"),
                    "citizenship-count takes at-least, and neither any-of nor in-treaty".into(),
                ));
            }
        }
        ProfileField::Citizenship | ProfileField::Residence => {
            if c.at_least.is_some() || (c.any_of.is_empty() && c.in_treaty.is_none()) {
                return Err((
                    at("field"),
                    "a country field takes any-of or in-treaty, not at-least".into(),
                ));
            }
        }
    }
    Ok(())
}

/// The content checks a requirement sets, with the basis each cites.
fn content_bases(r: &Requirement) -> Vec<(&'static str, &str)> {
    let mut bases = Vec::new();
    if let Some(c) = &r.max_pages {
        bases.push(("max-pages", c.basis.as_str()));
    }
    if let Some(c) = &r.min_image_px {
        bases.push(("min-image-px", c.basis.as_str()));
    }
    if let Some(c) = &r.photo {
        bases.push(("photo.size", c.size_basis.as_str()));
        bases.push(("photo", c.basis.as_str()));
    }
    if let Some(c) = &r.min_dpi {
        bases.push(("min-dpi", c.basis.as_str()));
    }
    if let Some(c) = &r.keywords {
        bases.push(("keywords", c.basis.as_str()));
    }
    if let Some(c) = &r.text_length {
        bases.push(("text-length", c.basis.as_str()));
    }
    bases
}

fn check_photo(c: &PhotoSpec, at: &dyn Fn(&str) -> String) -> Result<(), Problem> {
    if c.width_mm == 0 || c.height_mm == 0 {
        return Err((
            at("width-mm"),
            "the print size must be at least 1 mm each way".into(),
        ));
    }
    if c.min_px.width == 0 || c.min_px.height == 0 {
        return Err((
            at("min-px"),
            "width and height must be at least 1 pixel".into(),
        ));
    }
    if c.aspect_tolerance_pct > 20 {
        return Err((
            at("aspect-tolerance-pct"),
            "more than 20 % is no longer the print's shape".into(),
        ));
    }
    let [low, high] = c.head_height_pct;
    if low == 0 || low > high || high > 100 {
        return Err((
            at("head-height-pct"),
            "must be [lowest, highest] percent, 1 to 100, lowest first".into(),
        ));
    }
    Ok(())
}

fn check_content(r: &Requirement, at: &dyn Fn(&str) -> String) -> Result<(), Problem> {
    if r.max_pages.as_ref().is_some_and(|c| c.pages == 0) {
        return Err((at("max-pages.pages"), "must be at least 1".into()));
    }
    if let Some(c) = &r.min_image_px {
        if c.width == 0 || c.height == 0 {
            return Err((
                at("min-image-px"),
                "width and height must be at least 1 pixel".into(),
            ));
        }
    }
    if let Some(c) = &r.photo {
        check_photo(c, &|f| at(&format!("photo.{f}")))?;
    }
    if let Some(c) = &r.keywords {
        if c.any.is_empty() {
            return Err((at("keywords.any"), "must name at least one keyword".into()));
        }
        if let Some(j) = c.any.iter().position(|k| k.trim().is_empty()) {
            return Err((
                at(&format!("keywords.any[{j}]")),
                "a keyword must not be blank".into(),
            ));
        }
    }
    if let Some(c) = &r.text_length {
        match c.max_words {
            Some(0) => {
                return Err((at("text-length.max-words"), "must be at least 1".into()));
            }
            Some(max) if max < c.min_words => {
                return Err((
                    at("text-length"),
                    format!("min-words {} is above max-words {max}", c.min_words),
                ));
            }
            None if c.min_words == 0 => {
                return Err((
                    at("text-length"),
                    "sets no bound: give min-words, max-words or both".into(),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A translation rule's languages are what a document in another language
/// is checked against (`crate::language`): each must be an ISO 639-1 code
/// that detection can report, or the rule would warn about every document.
fn check_translation_languages(field: &str, into: &[String]) -> Result<(), Problem> {
    if into.is_empty() {
        return Err((field.to_owned(), "must name at least one language".into()));
    }
    for (k, code) in into.iter().enumerate() {
        if !crate::language::is_detectable(code) {
            return Err((
                format!("{field}[{k}]"),
                format!("\"{code}\" is not an ISO 639-1 language code Qujat can recognise, e.g. \"kk\" or \"ru\""),
            ));
        }
        if into[..k].contains(code) {
            return Err((
                format!("{field}[{k}]"),
                format!("\"{code}\" is named twice"),
            ));
        }
    }
    Ok(())
}

pub(super) fn check_id(field: &str, id: &str) -> Result<(), Problem> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err((
            field.to_owned(),
            format!("\"{id}\" is not a lowercase-kebab id"),
        ))
    }
}

pub(super) fn check_text(field: &str, text: &Text) -> Result<(), Problem> {
    if text.en.trim().is_empty() {
        return Err((
            format!("{field}.en"),
            "the English text must not be empty".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
format = 1
id = "test-pack"
version = "2025.1"
reviewed = 2025-11-01
review-by = 2026-02-01
status = "open"
name = { en = "Test" }
summary = { en = "A pack for tests." }

[defaults]
accepts = ["pdf"]
max-size-mib = 10
limits-basis = "upload-limits"

[[sources]]
id = "order"
title = { en = "An order" }
reference = "https://example.invalid/order"
standing = "official"

[[unknowns]]
id = "upload-limits"
question = { en = "What are the upload limits?" }

[[requirements]]
id = "passport-copy"
kind = "document"
presence = "required"
name = { en = "Passport copy" }
guidance = { en = "All pages." }
sources = ["order"]
rules = [{ rule = "min-remaining-validity", days = 180, from = "application", basis = "order" }]

[[stages]]
id = "hub"
name = { en = "Hub" }
description = { en = "Upload." }
requirements = ["passport-copy"]
sources = ["order"]
"#;

    fn err(text: &str) -> RulePackError {
        parse_pack("t.toml", text).expect_err("the pack should be refused")
    }

    #[test]
    fn a_visa_free_rule_loads_and_its_mistakes_name_the_field() {
        let with = |limits: &str| {
            format!(
                "{MINIMAL}\n[[events]]\nid = \"entered\"\nname = {{ en = \"Entered\" }}\n\n[visa-free]\nentry = \"entered\"\n{limits}"
            )
        };
        let ninety = "[[visa-free.limits]]\ndays = 90\nwithin = 180\nbasis = \"order\"\n";
        let pack = parse_pack("t.toml", &with(ninety)).expect("valid");
        let v = pack.visa_free.expect("visa-free");
        assert_eq!(
            (v.limits[0].days, v.limits[0].within),
            (Some(90), Some(180))
        );

        let unknown_limit = "[[visa-free.limits]]\nbasis = \"upload-limits\"\n";
        parse_pack("t.toml", &with(unknown_limit)).expect("an open question is a limit too");

        for (limits, field) in [
            ("", "visa-free.limits"),
            (
                "[[visa-free.limits]]\nbasis = \"order\"\n",
                "visa-free.limits[0].basis",
            ),
            (
                "[[visa-free.limits]]\ndays = 90\nwithin = 30\nbasis = \"order\"\n",
                "visa-free.limits[0].within",
            ),
            (
                "[[visa-free.limits]]\ndays = 0\nbasis = \"order\"\n",
                "visa-free.limits[0].days",
            ),
            (
                "[[visa-free.limits]]\ndays = 30\nbasis = \"gossip\"\n",
                "visa-free.limits[0].basis",
            ),
        ] {
            let e = err(&with(limits));
            assert_eq!(
                (e.file.as_str(), e.field.as_str()),
                ("t.toml", field),
                "{e}"
            );
        }
        let e = err(&with(ninety).replace("entry = \"entered\"", "entry = \"arrived\""));
        assert_eq!(e.field, "visa-free.entry");
        assert!(e.problem.contains("no event \"arrived\""), "{e}");
    }

    #[test]
    fn a_note_for_citizens_names_real_countries() {
        let note = |codes: &str| {
            MINIMAL.replace(
                "rules = [{ rule = \"min-remaining-validity\", days = 180, from = \"application\", basis = \"order\" }]",
                &format!("rules = [{{ rule = \"note\", text = {{ en = \"No such paper.\" }}, basis = \"order\", citizenship = [{codes}] }}]"),
            )
        };
        let pack = parse_pack("t.toml", &note("\"RU\"")).expect("valid");
        assert!(matches!(
            &pack.requirements[0].rules[0],
            super::super::Rule::Note { citizenship, .. } if citizenship == &["RU"]
        ));
        let e = err(&note("\"RU\", \"XX\""));
        assert_eq!(e.field, "requirements[0].rules[0].citizenship[1]");
    }

    #[test]
    fn profile_conditions_load_and_their_mistakes_name_the_field() {
        let with = |extra: &str| {
            MINIMAL.replace(
                "rules = [{ rule = \"min-remaining-validity\"",
                &format!("{extra}\nrules = [{{ rule = \"min-remaining-validity\""),
            )
        };
        let pack = parse_pack(
            "test.toml",
            &with("per-citizenship = true\napplies-if = { field = \"citizenship\", in-treaty = \"minsk-1993\", basis = \"order\" }"),
        )
        .expect("valid");
        assert_eq!(pack.requirements[0].per_citizenship, Some(true));
        assert!(
            pack.requirement("passport-copy@ru").is_some(),
            "a row id resolves"
        );
        assert!(
            pack.requirement("passport-copy@xx").is_none(),
            "not a country"
        );

        let e = err(&with(
            "applies-if = { field = \"religion\", any-of = [\"DE\"], basis = \"order\" }",
        ));
        assert_eq!(e.file, "t.toml");
        assert_eq!(e.field, "requirements[0].applies-if.field", "{e}");
        assert!(e.problem.contains("religion"), "{e}");

        let e = err(&with("applies-if = { field = \"citizenship\", any-of = [\"DE\", \"XX\"], basis = \"order\" }"));
        assert_eq!(e.field, "requirements[0].applies-if.any-of[1]");
        assert!(e.problem.contains("\"XX\" is not an ISO 3166-1"), "{e}");

        let e = err(&with(
            "applies-if = { field = \"citizenship\", in-treaty = \"warsaw\", basis = \"order\" }",
        ));
        assert_eq!(e.field, "requirements[0].applies-if.in-treaty");

        let e = err(&with(
            "applies-if = { field = \"citizenship-count\", any-of = [\"DE\"], basis = \"order\" }",
        ));
        assert_eq!(e.field, "requirements[0].applies-if.field");

        let e = err(&with(
            "applies-if = { field = \"residence\", any-of = [\"DE\"], basis = \"gossip\" }",
        ));
        assert_eq!(e.field, "requirements[0].applies-if.basis");
    }

    #[test]
    fn a_minimal_pack_loads() {
        let pack = parse_pack("t.toml", MINIMAL).expect("valid pack");
        assert_eq!(pack.requirements[0].rules[0].basis(), "order");
        assert_eq!(pack.max_size_bytes(&pack.requirements[0]), 10 * 1024 * 1024);
    }

    #[test]
    fn a_wrong_field_type_names_the_field() {
        let e = err(&MINIMAL.replace("max-size-mib = 10", "max-size-mib = \"ten\""));
        assert_eq!(e.file, "t.toml");
        assert_eq!(
            e.field, "defaults.max-size-mib",
            "the path must point at the bad value: {e}"
        );
    }

    #[test]
    fn an_unknown_stage_requirement_is_refused() {
        let e = err(&MINIMAL.replace(
            "requirements = [\"passport-copy\"]",
            "requirements = [\"pasport-copy\"]",
        ));
        assert_eq!(e.field, "stages[0].requirements[0]");
        assert!(e.problem.contains("pasport-copy"), "{e}");
    }

    #[test]
    fn a_basis_must_be_a_source_or_an_unknown() {
        let e = err(&MINIMAL.replace("basis = \"order\"", "basis = \"rumour\""));
        assert_eq!(e.field, "requirements[0].rules[0].basis");
    }

    #[test]
    fn status_and_review_by_load_and_are_required() {
        let pack = parse_pack("t.toml", MINIMAL).expect("valid pack");
        assert_eq!(pack.status, super::super::ProgramStatus::Open);
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert!(!pack.review_overdue_on(day("2026-02-01")));
        assert!(pack.review_overdue_on(day("2026-02-02")));

        let e = err(&MINIMAL.replace("status = \"open\"\n", ""));
        assert_eq!((e.file.as_str(), e.field.as_str()), ("t.toml", "status"));
        assert!(e.problem.contains("\"open\" or \"closed\""), "{e}");

        let e = err(&MINIMAL.replace("status = \"open\"", "status = \"paused\""));
        assert_eq!(e.field, "status");
        assert!(e.problem.contains("paused"), "{e}");

        let e = err(&MINIMAL.replace("review-by = 2026-02-01\n", ""));
        assert_eq!((e.file.as_str(), e.field.as_str()), ("t.toml", "review-by"));
        assert!(e.problem.starts_with("missing"), "{e}");

        let e = err(&MINIMAL.replace("review-by = 2026-02-01", "review-by = 2025-11-01"));
        assert_eq!(e.field, "review-by");
        assert!(e.problem.contains("not after the review"), "{e}");
    }

    #[test]
    fn a_closed_program_is_closed_whatever_its_window() {
        let closed = parse_pack(
            "t.toml",
            &MINIMAL.replace("status = \"open\"", "status = \"closed\""),
        )
        .expect("valid pack");
        let day = chrono::NaiveDate::from_ymd_opt(2025, 12, 1).expect("date");
        assert_eq!(closed.status_on(day), super::super::ProgramStatus::Closed);
        let open = parse_pack("t.toml", MINIMAL).expect("valid pack");
        assert_eq!(open.status_on(day), super::super::ProgramStatus::Open);
        // Offered order: the open program first, whatever the given order.
        let packs = [closed.clone(), open.clone()];
        let offered = super::super::offered_order(&packs, day);
        assert_eq!(offered[0].status, super::super::ProgramStatus::Open);
    }

    #[test]
    fn a_source_without_standing_is_named_by_file_and_field() {
        let e = err(&MINIMAL.replace("standing = \"official\"\n", ""));
        assert_eq!(
            (e.file.as_str(), e.field.as_str()),
            ("t.toml", "sources[0].standing")
        );
        assert!(e.problem.contains("third-party"), "{e}");
        let e = err(&MINIMAL.replace("standing = \"official\"", "standing = \"news\""));
        assert_eq!(e.field, "sources[0].standing");
    }

    #[test]
    fn a_source_title_is_a_text_in_three_languages() {
        let e = err(&MINIMAL.replace("title = { en = \"An order\" }", "title = \"An order\""));
        assert_eq!(e.field, "sources[0].title");
        assert!(e.problem.contains("original-title"), "{e}");
        let e = err(&MINIMAL.replace("title = { en = \"An order\" }", "title = { en = \" \" }"));
        assert_eq!(e.field, "sources[0].title.en");
        let pack = parse_pack(
            "t.toml",
            &MINIMAL.replace(
                "title = { en = \"An order\" }",
                "title = { en = \"An order\", ru = \"Приказ\", kk = \"Бұйрық\" }\noriginal-title = \"Приказ № 1\"",
            ),
        )
        .expect("valid pack");
        assert_eq!(
            pack.sources[0].original_title.as_deref(),
            Some("Приказ № 1")
        );
    }

    #[test]
    fn a_newer_format_is_refused_by_name() {
        let e = err(&MINIMAL.replace("format = 1", "format = 2"));
        assert_eq!(e.field, "format");
        assert!(e.problem.contains("format 2"), "{e}");
    }

    #[test]
    fn syntax_errors_give_a_line() {
        let e = err("format = 1\nid = \n");
        assert!(e.field.starts_with("line "), "{e}");
    }

    #[test]
    fn unknown_fields_are_refused_not_ignored() {
        let e = err(&MINIMAL.replace(
            "presence = \"required\"",
            "presence = \"required\"\nexpires-days = 3",
        ));
        assert!(e.problem.contains("expires-days"), "{e}");
    }

    const TIMELINE: &str = r#"
time-zone = "Asia/Almaty"

[[events]]
id = "submitted"
stage = "hub"
name = { en = "Submitted" }

[[events]]
id = "approved"
stage = "hub"
name = { en = "Approved" }
after = ["submitted"]

[[deadlines]]
id = "entry"
kind = "last-day"
from = "approved"
offset = { days = 30 }
reminders = [7, 3, 1]
done-by = ["approved"]
basis = "order"
name = { en = "Last day to enter" }
"#;

    /// MINIMAL with a timeline; `time-zone` must precede the first table.
    fn with_timeline(timeline: &str) -> String {
        let (zone, rest) = timeline
            .trim_start()
            .split_once('\n')
            .expect("the zone line comes first");
        let text = MINIMAL.replacen("\n[defaults]", &format!("\n{zone}\n[defaults]"), 1);
        format!("{text}{rest}")
    }

    #[test]
    fn a_pack_with_events_and_deadlines_loads() {
        let pack = parse_pack("t.toml", &with_timeline(TIMELINE)).expect("valid pack");
        assert_eq!(pack.events[1].after, ["submitted"]);
        assert_eq!(pack.deadlines[0].offset.days, 30);
        assert_eq!(pack.deadlines[0].kind, super::super::DeadlineKind::LastDay);
    }

    #[test]
    fn timeline_mistakes_name_the_field() {
        let cases = [
            (
                "stage = \"hub\"\nname = { en = \"Submitted\" }",
                "stage = \"hubb\"\nname = { en = \"Submitted\" }",
                "events[0].stage",
                "hubb",
            ),
            (
                "after = [\"submitted\"]",
                "after = [\"sent\"]",
                "events[1].after[0]",
                "sent",
            ),
            (
                "from = \"approved\"",
                "from = \"approve\"",
                "deadlines[0].from",
                "approve",
            ),
            (
                "reminders = [7, 3, 1]",
                "reminders = [1, 3, 7]",
                "deadlines[0].reminders[1]",
                "largest lead first",
            ),
            (
                "reminders = [7, 3, 1]",
                "reminders = [0]",
                "deadlines[0].reminders[0]",
                "between 1 and 366",
            ),
            (
                "offset = { days = 30 }",
                "offset = { days = 0 }",
                "deadlines[0].offset",
                "at least one day",
            ),
            (
                "offset = { days = 30 }",
                "offset = { weeks = 4 }",
                "deadlines[0].offset.weeks",
                "weeks",
            ),
            (
                "kind = \"last-day\"",
                "kind = \"deadline\"",
                "deadlines[0].kind",
                "deadline",
            ),
            (
                "basis = \"order\"\nname",
                "basis = \"rumour\"\nname",
                "deadlines[0].basis",
                "rumour",
            ),
            (
                "done-by = [\"approved\"]",
                "done-by = [\"arrived\"]",
                "deadlines[0].done-by[0]",
                "arrived",
            ),
            (
                "time-zone = \"Asia/Almaty\"",
                "time-zone = \"Asia/Alma-Ata\"",
                "time-zone",
                "IANA",
            ),
        ];
        for (from, to, field, mentions) in cases {
            assert!(TIMELINE.contains(from), "fixture lacks {from}");
            let e = err(&with_timeline(&TIMELINE.replacen(from, to, 1)));
            assert_eq!(e.field, field, "{from} -> {to}: {e}");
            assert!(e.problem.contains(mentions), "{from} -> {to}: {e}");
        }
    }

    #[test]
    fn prerequisites_going_round_in_a_circle_are_refused() {
        let circular = TIMELINE.replacen(
            "name = { en = \"Submitted\" }",
            "name = { en = \"Submitted\" }\nafter = [\"approved\"]",
            1,
        );
        let e = err(&with_timeline(&circular));
        assert_eq!(e.field, "events");
        assert!(
            e.problem.contains("submitted -> approved -> submitted"),
            "{e}"
        );
    }

    #[test]
    fn deadlines_need_a_time_zone() {
        let no_zone = TIMELINE.replacen("time-zone = \"Asia/Almaty\"", "# no zone", 1);
        let e = err(&with_timeline(&no_zone));
        assert_eq!(e.field, "time-zone");
        assert!(e.problem.starts_with("missing"), "{e}");
    }

    #[test]
    fn the_worked_example_in_the_docs_is_valid() {
        let doc = include_str!("../../../../docs/rule-packs.md");
        let example = doc
            .split_once("## Worked example")
            .and_then(|(_, rest)| rest.split_once("```toml\n"))
            .and_then(|(_, rest)| rest.split_once("```"))
            .map(|(toml, _)| toml)
            .expect("docs/rule-packs.md has a worked example in a toml block");
        let pack = parse_pack("example-program.toml", example)
            .unwrap_or_else(|e| panic!("the documented example must load: {e}"));
        assert_eq!(pack.deadlines[0].from, "approved");
    }

    #[test]
    fn content_checks_load_and_their_mistakes_name_the_field() {
        let checks = "rules = [{ rule = \"min-remaining-validity\", days = 180, from = \"application\", basis = \"order\" }]\nmax-pages = { pages = 5, basis = \"upload-limits\" }\nkeywords = { any = [\"AI\"], basis = \"order\" }\ntext-length = { min-words = 10, max-words = 100, basis = \"order\" }\nname-must-appear = true";
        let with = |text: &str| {
            MINIMAL.replacen(
                "rules = [{ rule = \"min-remaining-validity\", days = 180, from = \"application\", basis = \"order\" }]",
                text,
                1,
            )
        };
        let pack = parse_pack("t.toml", &with(checks)).expect("valid content checks");
        let r = &pack.requirements[0];
        assert_eq!(r.max_pages.as_ref().map(|c| c.pages), Some(5));
        assert!(r.name_must_appear);
        let cases = [
            (
                "pages = 5",
                "pages = 0",
                "requirements[0].max-pages.pages",
                "at least 1",
            ),
            (
                "any = [\"AI\"]",
                "any = []",
                "requirements[0].keywords.any",
                "at least one",
            ),
            (
                "any = [\"AI\"]",
                "any = [\"AI\", \" \"]",
                "requirements[0].keywords.any[1]",
                "blank",
            ),
            (
                "min-words = 10",
                "min-words = 1000",
                "requirements[0].text-length",
                "above max-words",
            ),
            (
                "basis = \"upload-limits\" }",
                "basis = \"limits\" }",
                "requirements[0].max-pages.basis",
                "neither a source",
            ),
            (
                "max-words = 100,",
                "max-wrods = 100,",
                "requirements[0].text-length.max-wrods",
                "max-wrods",
            ),
        ];
        for (from, to, field, mentions) in cases {
            assert!(checks.contains(from), "fixture lacks {from}");
            let e = err(&with(&checks.replacen(from, to, 1)));
            assert_eq!(e.field, field, "{from} -> {to}: {e}");
            assert!(e.problem.contains(mentions), "{from} -> {to}: {e}");
        }
    }

    #[test]
    fn a_photo_block_loads_and_its_mistakes_name_the_field() {
        let photo = "photo = { width-mm = 35, height-mm = 45, size-basis = \"order\", aspect-tolerance-pct = 2, min-px = { width = 413, height = 531 }, head-height-pct = [71, 80], background = \"plain-light\", basis = \"upload-limits\" }";
        let with = |text: &str| {
            MINIMAL.replacen(
                "rules = [{ rule = \"min-remaining-validity\", days = 180, from = \"application\", basis = \"order\" }]",
                text,
                1,
            )
        };
        let pack = parse_pack("t.toml", &with(photo)).expect("a valid photo block");
        let spec = pack.requirements[0].photo.as_ref().expect("photo");
        assert_eq!((spec.width_mm, spec.height_mm), (35, 45));
        assert_eq!(spec.head_height_pct, [71, 80]);
        let cases = [
            (
                "[71, 80]",
                "[80, 71]",
                "requirements[0].photo.head-height-pct",
                "lowest first",
            ),
            (
                "[71, 80]",
                "[71, 180]",
                "requirements[0].photo.head-height-pct",
                "1 to 100",
            ),
            (
                "width = 413",
                "width = 0",
                "requirements[0].photo.min-px",
                "at least 1 pixel",
            ),
            (
                "tolerance-pct = 2",
                "tolerance-pct = 40",
                "requirements[0].photo.aspect-tolerance-pct",
                "20 %",
            ),
            (
                "size-basis = \"order\"",
                "size-basis = \"nobody\"",
                "requirements[0].photo.size.basis",
                "neither a source",
            ),
            (
                "basis = \"upload-limits\"",
                "basis = \"nobody\"",
                "requirements[0].photo.basis",
                "neither a source",
            ),
            (
                "\"plain-light\"",
                "\"blue\"",
                "requirements[0].photo.background",
                "plain-light",
            ),
        ];
        for (from, to, field, mentions) in cases {
            assert!(photo.contains(from), "fixture lacks {from}");
            let e = err(&with(&photo.replacen(from, to, 1)));
            assert_eq!(e.field, field, "{from} -> {to}: {e}");
            assert!(e.problem.contains(mentions), "{from} -> {to}: {e}");
        }
    }

    #[test]
    fn translation_languages_must_be_codes_detection_knows() {
        let with = |into: &str| {
            MINIMAL.replacen(
                "rules = [{ rule = \"min-remaining-validity\", days = 180, from = \"application\", basis = \"order\" }]",
                &format!("rules = [{{ rule = \"translation\", into = {into}, notarized = true, basis = \"order\" }}]"),
                1,
            )
        };
        parse_pack("t.toml", &with("[\"kk\", \"ru\"]")).expect("Kazakh or Russian");
        for (into, field, mentions) in [
            ("[]", "requirements[0].rules[0].into", "at least one"),
            (
                "[\"kk\", \"rus\"]",
                "requirements[0].rules[0].into[1]",
                "ISO 639-1",
            ),
            (
                "[\"Russian\"]",
                "requirements[0].rules[0].into[0]",
                "ISO 639-1",
            ),
            (
                "[\"ru\", \"ru\"]",
                "requirements[0].rules[0].into[1]",
                "twice",
            ),
        ] {
            let e = err(&with(into));
            assert_eq!(e.field, field, "{into}: {e}");
            assert!(e.problem.contains(mentions), "{into}: {e}");
        }
    }

    #[test]
    fn a_step_cannot_have_content_checks() {
        let step = "\n[[requirements]]\nid = \"iin\"\nkind = \"step\"\npresence = \"required\"\nname = { en = \"IIN\" }\nguidance = { en = \"x\" }\nsources = []\nmax-pages = { pages = 2, basis = \"order\" }\n";
        let text = MINIMAL
            .replacen("[[stages]]", &format!("{step}\n[[stages]]"), 1)
            .replacen(
                "requirements = [\"passport-copy\"]",
                "requirements = [\"passport-copy\", \"iin\"]",
                1,
            );
        let e = err(&text);
        assert_eq!(e.field, "requirements[1].kind");
        assert!(e.problem.contains("max-pages"), "{e}");
    }

    #[test]
    fn a_requirement_outside_every_stage_is_refused() {
        let extra = "\n[[requirements]]\nid = \"cv\"\nkind = \"document\"\npresence = \"required\"\nname = { en = \"CV\" }\nguidance = { en = \"x\" }\nsources = []\n";
        let text = MINIMAL.replacen("[[stages]]", &format!("{extra}\n[[stages]]"), 1);
        let e = err(&text);
        assert!(e.problem.contains("in no stage"), "{e}");
    }
}
