-- Dossiers, the documents attached to them and the steps confirmed.
-- Times are RFC 3339 in UTC; calendar dates are YYYY-MM-DD.

CREATE TABLE dossiers (
    id             TEXT PRIMARY KEY,
    program_id     TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- One file per requirement and dossier. A requirement listed in two stages
-- (the police clearance) is still one row: the applicant attaches it once.
CREATE TABLE documents (
    dossier_id     TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    requirement_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size           INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    original_name  TEXT NOT NULL,
    attached_at    TEXT NOT NULL,
    PRIMARY KEY (dossier_id, requirement_id)
);
CREATE INDEX documents_by_sha256 ON documents(sha256);

CREATE TABLE step_confirmations (
    dossier_id   TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    step_id      TEXT NOT NULL,
    done_on      TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    PRIMARY KEY (dossier_id, step_id)
);

-- Small user preferences (UI language, …), as text.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
