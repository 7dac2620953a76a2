-- Document inspection: the verdict on each file content, cached by its
-- SHA-256 so a re-check of unchanged files inspects nothing, and the dates
-- the user reads off a document (issued / expires). Times are RFC 3339 in
-- UTC; dates are YYYY-MM-DD.

-- One verdict per content. A record of an older `record_version` is
-- inspected again. Not tied to a dossier: two dossiers sharing a file share
-- its inspection.
CREATE TABLE inspections (
    sha256         TEXT PRIMARY KEY,
    record_version INTEGER NOT NULL,
    verdict        TEXT NOT NULL,
    json           TEXT NOT NULL,
    inspected_at   TEXT NOT NULL
);

-- The dates the user entered for the document attached to a requirement,
-- and for which file (`sha256`): once another file is attached, they belong
-- to the old one and are no longer used.
CREATE TABLE document_dates (
    dossier_id     TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    requirement_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    issued_on      TEXT,
    expires_on     TEXT,
    entered_at     TEXT NOT NULL,
    PRIMARY KEY (dossier_id, requirement_id)
);
