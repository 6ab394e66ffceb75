-- Groups and classes: recurring sessions and their attendance.

CREATE TABLE center_groups (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT,
    -- mutual_help | class | family_support | other; checked in code, so a newer desk's is kept.
    category        TEXT NOT NULL,
    -- named: a roster of people; headcount: a number only, never a name.
    attendance_mode TEXT NOT NULL,
    room            TEXT,
    capacity        INTEGER CHECK (capacity IS NULL OR capacity > 0),
    -- The service a visit records when someone attends: "Support group", "Recovery education / class".
    service_id      TEXT REFERENCES services (id),
    -- active | paused | ended: a paused or ended group keeps its history.
    status          TEXT NOT NULL DEFAULT 'active',
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE group_facilitators (
    group_id   TEXT NOT NULL REFERENCES center_groups (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (group_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_facilitators_by_account ON group_facilitators (account_id);

-- When a group meets, as RFC 5545 text (DTSTART;TZID=..., RRULE, EXDATE). A schedule edited
-- after it began is ended and followed by a new one, so past sessions keep their times.
CREATE TABLE group_schedules (
    id               TEXT PRIMARY KEY,
    group_id         TEXT NOT NULL REFERENCES center_groups (id),
    recurrence       TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    created_at       TEXT NOT NULL,
    -- This desk's own upkeep, never synced: how far ahead group_occurrences holds its meetings.
    expanded_until   TEXT
) STRICT;
CREATE INDEX group_schedules_by_group ON group_schedules (group_id);

-- Each desk's expansion of the schedules, an index like people_search: never synced, rebuilt
-- from the recurrence whenever it changes, whichever desk changed it.
CREATE TABLE group_occurrences (
    session_id  TEXT PRIMARY KEY,
    schedule_id TEXT NOT NULL REFERENCES group_schedules (id) ON DELETE CASCADE,
    group_id    TEXT NOT NULL,
    local_start TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL
) STRICT;
CREATE INDEX group_occurrences_by_time ON group_occurrences (starts_at);
CREATE INDEX group_occurrences_by_group ON group_occurrences (group_id, starts_at);
CREATE INDEX group_occurrences_by_schedule ON group_occurrences (schedule_id);
CREATE TRIGGER group_schedules_reexpand AFTER UPDATE OF recurrence, duration_minutes ON group_schedules BEGIN
    DELETE FROM group_occurrences WHERE schedule_id = new.id;
    UPDATE group_schedules SET expanded_until = NULL WHERE id = new.id;
END;

-- A session is an occurrence someone did something with: took attendance, cancelled, moved,
-- gave a substitute. Its id is derived from its group and local start, so every desk that
-- opens "Tuesday's meeting" holds the same one; it outlives any schedule change.
CREATE TABLE group_sessions (
    id              TEXT PRIMARY KEY,
    group_id        TEXT NOT NULL REFERENCES center_groups (id),
    local_start     TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    cancelled       INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    cancel_reason   TEXT,
    substitute_id   TEXT REFERENCES accounts (id),
    room            TEXT,
    topic           TEXT,
    note            TEXT,
    -- People who came without giving a name; NULL until someone counts.
    anonymous_count INTEGER CHECK (anonymous_count IS NULL OR anonymous_count >= 0)
) STRICT;
CREATE INDEX group_sessions_by_group ON group_sessions (group_id, starts_at);
CREATE INDEX group_sessions_by_time ON group_sessions (starts_at);

-- One mark per (session, person), its id derived from both, so two desks converge on one.
-- The visit it brought about (made, or given the group's service) is kept to undo it.
CREATE TABLE attendance (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES group_sessions (id),
    person_id   TEXT NOT NULL REFERENCES people (id),
    -- present | absent | not_recorded
    state       TEXT NOT NULL,
    marked_at   TEXT NOT NULL,
    marked_by   TEXT,
    visit_id    TEXT,
    -- made | service_added
    visit_link  TEXT
) STRICT;
CREATE INDEX attendance_by_session ON attendance (session_id);
CREATE INDEX attendance_by_person ON attendance (person_id, session_id);
