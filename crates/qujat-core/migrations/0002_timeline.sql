-- The case timeline: dated events per dossier, and the history of every
-- change made to them. Times are RFC 3339 in UTC; dates are YYYY-MM-DD.

-- One row per event kind and dossier: an event is corrected, not recorded
-- twice. AUTOINCREMENT so the number of a removed event is never given to
-- another one; its history still refers to it.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id  TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    note        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (dossier_id, kind)
);

-- Append-only: every add, correction and removal with the values before and
-- after. No foreign key to `events`, because a removed event's history stays;
-- deleting the whole dossier deletes its history with it.
CREATE TABLE event_history (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id  TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('added', 'corrected', 'removed')),
    old_kind    TEXT,
    old_date    TEXT,
    old_note    TEXT,
    new_kind    TEXT,
    new_date    TEXT,
    new_note    TEXT,
    changed_at  TEXT NOT NULL
);
CREATE INDEX event_history_by_dossier ON event_history(dossier_id, seq);

-- History is never rewritten. (Deletes stay possible so that deleting a
-- dossier removes its history too.)
CREATE TRIGGER event_history_is_append_only
BEFORE UPDATE ON event_history
BEGIN
    SELECT RAISE(ABORT, 'event_history is append-only');
END;
