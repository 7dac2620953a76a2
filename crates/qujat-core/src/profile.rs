//! The applicant's profile: citizenships and country of residence, as ISO
//! 3166-1 alpha-2 codes. Optional and changeable; with none recorded the
//! checklist shows every variant. What the profile changes (which
//! requirements apply, one police clearance per citizenship, whether a
//! document needs an apostille) is read from the rule pack and the treaty
//! data, never decided here by country.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::countries::is_country;
use crate::error::{DossierError, Result};
use crate::rules::treaties::{Membership, TreatyData, TreatyEffect};
use crate::rules::{Condition, ProfileField};

/// Who the applicant is, as far as the rules care.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Profile {
    /// Citizenships, ISO 3166-1 alpha-2, in the order given (the first is
    /// the main one: its police clearance keeps the requirement's own id).
    #[serde(default)]
    pub citizenships: Vec<String>,
    /// Country of residence, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub residence: Option<String>,
}

impl Profile {
    /// A profile from what the user typed: codes trimmed and upper-cased,
    /// repeated citizenships dropped; an unknown code is refused by name.
    pub fn new(citizenships: &[String], residence: Option<&str>) -> Result<Profile> {
        let code = |raw: &str| -> Result<String> {
            let c = raw.trim().to_ascii_uppercase();
            if is_country(&c) {
                Ok(c)
            } else {
                Err(DossierError::UnknownCountry {
                    country: raw.trim().to_owned(),
                }
                .into())
            }
        };
        let mut list: Vec<String> = Vec::new();
        for raw in citizenships {
            let c = code(raw)?;
            if !list.contains(&c) {
                list.push(c);
            }
        }
        let residence = match residence.map(str::trim) {
            None | Some("") => None,
            Some(r) => Some(code(r)?),
        };
        Ok(Profile {
            citizenships: list,
            residence,
        })
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.citizenships.is_empty() && self.residence.is_none()
    }

    /// Whether a requirement with this condition applies. A condition on a
    /// field the profile leaves empty applies: without the fact, Qujat shows
    /// the requirement rather than hide something the applicant may need.
    pub fn satisfies(&self, condition: &Condition, treaties: &TreatyData) -> bool {
        let matches = |country: &str| {
            condition.any_of.iter().any(|c| c == country)
                || condition.in_treaty.as_deref().is_some_and(|t| {
                    treaties
                        .treaty(t)
                        .is_some_and(|t| t.membership(country) == Membership::Party)
                })
        };
        match condition.field {
            ProfileField::Citizenship if self.citizenships.is_empty() => true,
            ProfileField::Citizenship => self.citizenships.iter().any(|c| matches(c)),
            ProfileField::Residence => self.residence.as_deref().is_none_or(matches),
            ProfileField::CitizenshipCount if self.citizenships.is_empty() => true,
            ProfileField::CitizenshipCount => {
                self.citizenships.len() as u32 >= condition.at_least.unwrap_or(0)
            }
        }
    }
}

/// What a document issued in one country needs before Kazakhstan accepts
/// it, from the treaty data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Legalization {
    /// Issued in Kazakhstan: nothing to do.
    Domestic,
    /// A party to an exempting treaty (Minsk, Chisinau): nothing needed.
    NotNeeded {
        /// The treaty's id.
        treaty: String,
    },
    /// A party to the apostille convention.
    Apostille {
        /// The treaty's id.
        treaty: String,
    },
    /// Party to neither: a consular legalization.
    Consular,
    /// The sources do not settle an exempting treaty's membership and the
    /// country is not an apostille party.
    Unsettled {
        /// The treaty's id.
        treaty: String,
    },
}

/// What a document issued in `country` needs. An exemption wins over the
/// apostille (Russia is party to both, and its documents need nothing).
pub fn legalization_for(country: &str, treaties: &TreatyData) -> Legalization {
    if country == "KZ" {
        return Legalization::Domestic;
    }
    let of = |effect: TreatyEffect| treaties.treaties.iter().filter(move |t| t.effect == effect);
    if let Some(t) = of(TreatyEffect::Exempt).find(|t| t.membership(country) == Membership::Party) {
        return Legalization::NotNeeded {
            treaty: t.id.clone(),
        };
    }
    if let Some(t) =
        of(TreatyEffect::Apostille).find(|t| t.membership(country) == Membership::Party)
    {
        return Legalization::Apostille {
            treaty: t.id.clone(),
        };
    }
    if let Some(t) = of(TreatyEffect::Exempt)
        .chain(of(TreatyEffect::Apostille))
        .find(|t| matches!(t.membership(country), Membership::Unsettled(_)))
    {
        return Legalization::Unsettled {
            treaty: t.id.clone(),
        };
    }
    Legalization::Consular
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::rules::builtin_treaties;

    fn treaties() -> &'static TreatyData {
        builtin_treaties().expect("valid treaty data")
    }

    #[test]
    fn codes_are_normalised_and_unknown_ones_named() {
        let p =
            Profile::new(&["de".into(), " RU ".into(), "DE".into()], Some("kz")).expect("valid");
        assert_eq!(p.citizenships, ["DE", "RU"]);
        assert_eq!(p.residence.as_deref(), Some("KZ"));
        assert!(matches!(
            Profile::new(&["XX".into()], None),
            Err(Error::Dossier(DossierError::UnknownCountry { country })) if country == "XX"
        ));
        assert!(Profile::new(&[], Some(" ")).expect("empty").is_empty());
    }

    #[test]
    fn legalization_follows_the_treaty_data() {
        let t = treaties();
        assert_eq!(
            legalization_for("DE", t),
            Legalization::Apostille {
                treaty: "hague-apostille-1961".into()
            }
        );
        assert_eq!(
            legalization_for("RU", t),
            Legalization::NotNeeded {
                treaty: "minsk-1993".into()
            },
            "an exemption wins over the apostille"
        );
        assert_eq!(legalization_for("AE", t), Legalization::Consular);
        assert_eq!(
            legalization_for("TM", t),
            Legalization::Unsettled {
                treaty: "minsk-1993".into()
            }
        );
        assert!(
            matches!(legalization_for("GE", t), Legalization::Apostille { .. }),
            "Georgia's Minsk entry is unsettled, but it is an apostille party"
        );
        assert_eq!(legalization_for("KZ", t), Legalization::Domestic);
    }

    #[test]
    fn conditions_apply_when_the_fact_is_unknown() {
        let t = treaties();
        let dual = Condition {
            field: ProfileField::CitizenshipCount,
            any_of: vec![],
            in_treaty: None,
            at_least: Some(2),
            basis: "x".into(),
        };
        assert!(Profile::default().satisfies(&dual, t));
        let one = Profile::new(&["DE".into()], None).expect("valid");
        assert!(!one.satisfies(&dual, t));
        let two = Profile::new(&["DE".into(), "RU".into()], None).expect("valid");
        assert!(two.satisfies(&dual, t));
        let minsk = Condition {
            field: ProfileField::Citizenship,
            any_of: vec![],
            in_treaty: Some("minsk-1993".into()),
            at_least: None,
            basis: "x".into(),
        };
        assert!(two.satisfies(&minsk, t) && !one.satisfies(&minsk, t));
        let russia = Condition {
            field: ProfileField::Citizenship,
            any_of: vec!["RU".into()],
            in_treaty: None,
            at_least: None,
            basis: "x".into(),
        };
        assert!(!one.satisfies(&russia, t));
    }
}
