-- What a warmline volunteer leaves for whoever comes on the line next: a few lines read at the
-- handoff, erased with the line's other notes once the center's period is over.
CREATE TABLE warmline_handoff_notes (
    id         TEXT PRIMARY KEY,
    text       TEXT,
    written_at TEXT NOT NULL,
    written_by TEXT,
    erased_at  TEXT
) STRICT;
CREATE INDEX warmline_handoff_notes_by_age ON warmline_handoff_notes (written_at);
