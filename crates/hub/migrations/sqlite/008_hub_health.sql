-- Written by each health check, as a push would write: a full disk refuses it. A hub of
-- schema 7 opened by a version that kept no migration files may have it already.
CREATE TABLE IF NOT EXISTS hub_health (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
) STRICT;
