-- The applicant's profile (citizenships, country of residence), one row per
-- dossier that has one. Kept apart from `dossiers` so a dossier without a
-- profile is simply one without a row. The value is the profile as JSON,
-- sealed with the data key like the applicant's name: citizenship is
-- personal data.
CREATE TABLE dossier_profiles (
    dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
    profile    TEXT NOT NULL
);
