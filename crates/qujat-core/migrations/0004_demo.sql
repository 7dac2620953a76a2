-- Demo dossiers: the embassy demo marks its dossier so that "reset demo"
-- can delete demo dossiers, and only those, and the app can label them.
-- Existing dossiers are real ones.
ALTER TABLE dossiers ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0;
