-- Written by each health check, as a push would write: a full disk refuses it.
CREATE TABLE hub_health (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
);
