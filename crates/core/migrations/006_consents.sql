-- Consents a person gives or withdraws: contact by phone, SMS or email, photos, sharing with
-- partner agencies. Each answer is a record of its own with when it was given and who recorded
-- it, never changed: the history is the evidence, and the newest answer of a kind is what holds.
-- Two desks recording answers while apart both keep theirs; the later one holds.
CREATE TABLE consents (
    id               TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people (id),
    -- Checked in code, not here, so a kind a newer desk asks about is kept rather than refused.
    kind             TEXT NOT NULL,
    given            INTEGER NOT NULL CHECK (given IN (0, 1)),
    recorded_at      TEXT NOT NULL,
    recorded_by      TEXT,
    recorded_by_name TEXT NOT NULL
) STRICT;
CREATE INDEX consents_by_person ON consents (person_id, kind, recorded_at, id);
