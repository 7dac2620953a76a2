//! The packs compiled into every build, so Qujat works offline from the first
//! start with nothing to configure.

use super::{parse_pack, RulePack, RulePackError};

/// (file name, contents) of every built-in pack, in the order programs are offered.
const BUILTIN: [(&str, &str); 2] = [
    (
        "kz-ai-pilot.toml",
        include_str!("../../rules/kz-ai-pilot.toml"),
    ),
    (
        "kz-in-demand.toml",
        include_str!("../../rules/kz-in-demand.toml"),
    ),
];

/// Parses and validates the built-in packs.
pub fn builtin_packs() -> Result<Vec<RulePack>, RulePackError> {
    BUILTIN
        .iter()
        .map(|(file, text)| parse_pack(file, text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::rules::{Presence, RequirementKind};

    #[test]
    fn builtin_packs_are_valid() {
        let packs = builtin_packs().unwrap_or_else(|e| panic!("a built-in pack is broken: {e}"));
        let ids: Vec<_> = packs.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["kz-ai-pilot", "kz-in-demand"]);
    }

    #[test]
    fn the_ai_pilot_has_the_adopted_stages_in_order() {
        let packs = builtin_packs().expect("valid");
        let pilot = &packs[0];
        let stages: Vec<_> = pilot.stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            stages,
            [
                "embassy",
                "astana-hub",
                "ministry-notice",
                "egov",
                "migration-review",
                "arrival"
            ]
        );
        let hub = pilot.stage("astana-hub").expect("astana-hub stage");
        let egov = pilot.stage("egov").expect("egov stage");
        assert!(
            hub.requirements.contains(&"police-clearance".into())
                && egov.requirements.contains(&"police-clearance".into()),
            "the police clearance goes to both portals, attached once"
        );
        let financial = pilot
            .requirement("financial-proof")
            .expect("financial-proof");
        assert_eq!(
            financial.presence,
            Presence::Optional,
            "only the draft asked for it"
        );
        assert!(
            financial.optional_because.is_some(),
            "the pack must say why it is optional"
        );
        let embassy = pilot.stage("embassy").expect("embassy stage");
        for id in &embassy.requirements {
            assert_eq!(
                pilot.requirement(id).map(|r| r.kind),
                Some(RequirementKind::Step),
                "{id} is a step"
            );
        }
    }

    #[test]
    fn the_ai_pilot_has_the_issue_events_and_deadlines_as_data() {
        let packs = builtin_packs().expect("valid");
        let pilot = &packs[0];
        assert_eq!(pilot.time_zone.as_deref(), Some("Asia/Almaty"));
        let events: Vec<_> = pilot.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            events,
            [
                "astana-hub-submitted",
                "interview-done",
                "ministry-notice-received",
                "egov-submitted",
                "approved",
                "rejected",
                "arrived",
                "fingerprints-done",
                "medical-done",
                "rental-signed",
                "id-card-applied",
                "id-card-received",
                "withdrawn"
            ]
        );
        let approved = pilot.event_kind("approved").expect("approved");
        assert_eq!(approved.after, ["egov-submitted"]);
        let entry = pilot
            .deadlines
            .iter()
            .find(|d| d.id == "entry-window")
            .expect("entry window");
        assert_eq!((entry.from.as_str(), entry.offset.days), ("approved", 30));
        assert_eq!(entry.reminders, [7, 3, 1]);
        let reapply = pilot
            .deadlines
            .iter()
            .find(|d| d.id == "reapply-earliest")
            .expect("re-application");
        assert!(
            pilot.unknowns.iter().any(|u| u.id == reapply.basis),
            "the adopted waiting period is not confirmed, so it rests on an unknown"
        );
        for pack in &packs {
            assert!(
                !pack.deadlines.is_empty() && !pack.events.is_empty(),
                "{} has a timeline",
                pack.id
            );
        }
    }

    #[test]
    fn the_pilot_is_closed_and_the_in_demand_route_is_offered_first() {
        use crate::rules::{offered_order, ProgramStatus};
        let packs = builtin_packs().expect("valid");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        assert_eq!(
            packs[0].status,
            ProgramStatus::Closed,
            "the pilot closed on 31 Dec 2025"
        );
        assert_eq!(packs[1].status, ProgramStatus::Open);
        let offered: Vec<_> = offered_order(&packs, day)
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(offered, ["kz-in-demand", "kz-ai-pilot"]);
        for pack in &packs {
            assert!(pack.review_by > pack.reviewed, "{}", pack.id);
            // News sites and agencies are never "official", even when they
            // quote an order: none of these hosts publishes the law itself.
            for s in &pack.sources {
                let news = [
                    "uchet.kz",
                    "qazinform",
                    "zakon.kz",
                    "lada.kz",
                    "dos-immigration",
                    "nomadvisa",
                    "trend.az",
                    "tengrinews",
                    "rssing",
                ];
                if s.standing == crate::rules::Standing::Official {
                    assert!(
                        !news.iter().any(|n| s.reference.contains(n)),
                        "{}: {} cites a third party but says official",
                        pack.id,
                        s.id
                    );
                }
            }
        }
    }

    #[test]
    fn every_builtin_text_is_translated() {
        for pack in builtin_packs().expect("valid") {
            let mut texts = vec![("name", &pack.name), ("summary", &pack.summary)];
            for r in &pack.requirements {
                texts.push(("requirement name", &r.name));
                texts.push(("requirement guidance", &r.guidance));
            }
            for s in &pack.stages {
                texts.push(("stage name", &s.name));
                texts.push(("stage description", &s.description));
            }
            for e in &pack.events {
                texts.push(("event name", &e.name));
            }
            for d in &pack.deadlines {
                texts.push(("deadline name", &d.name));
                if let Some(t) = &d.reminder_text {
                    texts.push(("deadline reminder text", t));
                }
                if let Some(t) = &d.note {
                    texts.push(("deadline note", t));
                }
            }
            for u in &pack.unknowns {
                texts.push(("unknown question", &u.question));
            }
            // Source titles too: a Russian or Kazakh checklist must not fall
            // back to English ones.
            for s in &pack.sources {
                texts.push(("source title", &s.title));
            }
            for (what, text) in texts {
                for lang in [Lang::Ru, Lang::Kk] {
                    assert!(
                        text.is_translated(lang),
                        "{}: {what} \"{}\" lacks {}",
                        pack.id,
                        text.en,
                        lang.code()
                    );
                }
            }
        }
    }
}
