-- The warmline: calls, the callers who give an alias, the resource directory, follow-ups.
-- A call's and a caller's fields are either coded (kept for the figures) or narrative (notes,
-- "what helps", a flag's text, a callback number), which retention erases after its period.

-- What kind of call it was. Support calls get the whole form; a non-data call (a hang-up, a
-- wrong number) keeps its type, its times and who took it, nothing else.
CREATE TABLE warmline_call_types (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    -- support | non_data; checked in code, so a newer desk's is kept.
    kind       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    retired_at TEXT
) STRICT;

CREATE TABLE warmline_topics (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    retired_at TEXT
) STRICT;

-- The directory of places a volunteer refers callers to. Standing ones (2-1-1, 988) come with
-- every desk. A retired resource stays on the calls that gave it and is offered no more.
CREATE TABLE warmline_resources (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    category   TEXT,
    phone      TEXT,
    address    TEXT,
    hours      TEXT,
    notes      TEXT,
    standing   INTEGER NOT NULL DEFAULT 0,
    retired_at TEXT,
    created_at TEXT NOT NULL
) STRICT;

-- Someone who calls again, known by the alias they chose. Never a front-desk person.
CREATE TABLE warmline_callers (
    id          TEXT PRIMARY KEY,
    -- Not unique: two desks may each give out an alias while apart; both callers stay.
    alias       TEXT NOT NULL COLLATE NOCASE,
    created_at  TEXT NOT NULL,
    -- Set only by a coordinator, with the person's consent; unlinked if the person is forgotten.
    person_id   TEXT REFERENCES people (id),
    -- A legal hold (admins, with a reason) keeps the caller's narrative, and their calls'.
    held_reason TEXT,
    held_at     TEXT
) STRICT;
CREATE INDEX warmline_callers_by_alias ON warmline_callers (alias);

-- "What helps" for volunteers, one record each time it is written: the newest is the one shown.
CREATE TABLE warmline_caller_notes (
    id         TEXT PRIMARY KEY,
    caller_id  TEXT NOT NULL REFERENCES warmline_callers (id),
    text       TEXT,
    written_at TEXT NOT NULL,
    written_by TEXT,
    erased_at  TEXT
) STRICT;
CREATE INDEX warmline_caller_notes_by_caller ON warmline_caller_notes (caller_id, written_at);
-- Retention's work list: the rows with narrative still in them.
CREATE INDEX warmline_caller_notes_by_age ON warmline_caller_notes (written_at) WHERE text IS NOT NULL;

-- "Keep calls to 15 minutes", valid through a day in the center's zone.
CREATE TABLE warmline_caller_flags (
    id         TEXT PRIMARY KEY,
    caller_id  TEXT NOT NULL REFERENCES warmline_callers (id),
    text       TEXT,
    until      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT,
    removed_at TEXT,
    erased_at  TEXT
) STRICT;
CREATE INDEX warmline_caller_flags_by_caller ON warmline_caller_flags (caller_id, until);
-- A flag's text is in use until its last day (or its removal); retention counts from then.
CREATE INDEX warmline_caller_flags_by_age ON warmline_caller_flags (until) WHERE text IS NOT NULL;

CREATE TABLE warmline_calls (
    id                TEXT PRIMARY KEY,
    call_type_id      TEXT NOT NULL REFERENCES warmline_call_types (id),
    -- NULL: an anonymous caller.
    caller_id         TEXT REFERENCES warmline_callers (id),
    -- Who took it; logged_by differs when someone else logged a call taken away from the desk.
    taken_by          TEXT NOT NULL REFERENCES accounts (id),
    logged_by         TEXT REFERENCES accounts (id),
    started_at        TEXT NOT NULL,
    ended_at          TEXT NOT NULL,
    duration_seconds  INTEGER NOT NULL CHECK (duration_seconds >= 0),
    -- supportive_listening | information_or_referral | follow_up_requested |
    -- transferred_to_crisis_line | emergency_services; NULL for a non-data call.
    outcome           TEXT,
    escalated         INTEGER NOT NULL DEFAULT 0,
    escalation_reason TEXT,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    held_reason       TEXT,
    held_at           TEXT,
    notes_erased_at   TEXT
) STRICT;
-- Holds every coded field the figures count, so a year of them is read from the index alone.
CREATE INDEX warmline_calls_by_time
    ON warmline_calls (started_at, id, call_type_id, caller_id, duration_seconds, outcome, escalated);
CREATE INDEX warmline_calls_by_caller ON warmline_calls (caller_id, started_at);
CREATE INDEX warmline_calls_by_age ON warmline_calls (started_at)
    WHERE notes IS NOT NULL OR escalation_reason IS NOT NULL;

-- A call's topics and referrals keep its start beside them, filled by the triggers below and
-- never sent: a year's figures count them from one index instead of visiting every call.
CREATE TABLE warmline_call_topics (
    call_id    TEXT NOT NULL REFERENCES warmline_calls (id) ON DELETE CASCADE,
    topic_id   TEXT NOT NULL REFERENCES warmline_topics (id),
    started_at TEXT,
    PRIMARY KEY (call_id, topic_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX warmline_call_topics_by_time ON warmline_call_topics (started_at, topic_id);

CREATE TABLE warmline_call_referrals (
    call_id     TEXT NOT NULL REFERENCES warmline_calls (id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL REFERENCES warmline_resources (id),
    started_at  TEXT,
    PRIMARY KEY (call_id, resource_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX warmline_call_referrals_by_time ON warmline_call_referrals (started_at, resource_id);

CREATE TRIGGER warmline_call_topics_started AFTER INSERT ON warmline_call_topics BEGIN
    UPDATE warmline_call_topics SET started_at = (SELECT started_at FROM warmline_calls WHERE id = new.call_id)
    WHERE call_id = new.call_id AND topic_id = new.topic_id;
END;
CREATE TRIGGER warmline_call_referrals_started AFTER INSERT ON warmline_call_referrals BEGIN
    UPDATE warmline_call_referrals SET started_at = (SELECT started_at FROM warmline_calls WHERE id = new.call_id)
    WHERE call_id = new.call_id AND resource_id = new.resource_id;
END;
CREATE TRIGGER warmline_calls_moved AFTER UPDATE OF started_at ON warmline_calls BEGIN
    UPDATE warmline_call_topics SET started_at = new.started_at WHERE call_id = new.id;
    UPDATE warmline_call_referrals SET started_at = new.started_at WHERE call_id = new.id;
END;

-- A callback someone asked for, until someone records how it went.
CREATE TABLE warmline_follow_ups (
    id              TEXT PRIMARY KEY,
    call_id         TEXT NOT NULL REFERENCES warmline_calls (id),
    due_at          TEXT NOT NULL,
    request         TEXT,
    callback_number TEXT,
    created_at      TEXT NOT NULL,
    created_by      TEXT,
    completed_at    TEXT,
    completed_by    TEXT,
    completion_note TEXT,
    erased_at       TEXT
) STRICT;
CREATE INDEX warmline_follow_ups_open ON warmline_follow_ups (due_at) WHERE completed_at IS NULL;
CREATE INDEX warmline_follow_ups_by_call ON warmline_follow_ups (call_id);
CREATE INDEX warmline_follow_ups_by_age ON warmline_follow_ups (created_at)
    WHERE request IS NOT NULL OR callback_number IS NOT NULL OR completion_note IS NOT NULL;

-- The call on the phone now, as typed so far, one per account: this desk's own, never sent,
-- so a crash or a power cut mid-call loses nothing and nothing half-done leaves the desk.
CREATE TABLE warmline_open_calls (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    draft      TEXT NOT NULL,
    saved_at   TEXT NOT NULL
) STRICT;

INSERT INTO warmline_call_types (id, name, kind, position) VALUES
    ('01933b00-0000-7000-8001-000000000001', 'Peer support',        'support',  1),
    ('01933b00-0000-7000-8001-000000000002', 'Information request', 'support',  2),
    ('01933b00-0000-7000-8001-000000000003', 'Hang-up',             'non_data', 3),
    ('01933b00-0000-7000-8001-000000000004', 'Silent',              'non_data', 4),
    ('01933b00-0000-7000-8001-000000000005', 'Wrong number',        'non_data', 5),
    ('01933b00-0000-7000-8001-000000000006', 'Prank or abusive',    'non_data', 6),
    ('01933b00-0000-7000-8001-000000000007', 'Test call',           'non_data', 7);

INSERT INTO warmline_topics (id, name, position) VALUES
    ('01933b00-0000-7000-8002-000000000001', 'Loneliness / isolation',  1),
    ('01933b00-0000-7000-8002-000000000002', 'Cravings / urges',        2),
    ('01933b00-0000-7000-8002-000000000003', 'Relapse concern',         3),
    ('01933b00-0000-7000-8002-000000000004', 'Relationships / family',  4),
    ('01933b00-0000-7000-8002-000000000005', 'Housing',                 5),
    ('01933b00-0000-7000-8002-000000000006', 'Employment / money',      6),
    ('01933b00-0000-7000-8002-000000000007', 'Mental health',           7),
    ('01933b00-0000-7000-8002-000000000008', 'Physical health',         8),
    ('01933b00-0000-7000-8002-000000000009', 'Grief',                   9),
    ('01933b00-0000-7000-8002-00000000000a', 'Legal',                  10),
    ('01933b00-0000-7000-8002-00000000000b', 'Treatment questions',    11),
    ('01933b00-0000-7000-8002-00000000000c', 'Other',                  12);

INSERT INTO warmline_resources (id, name, category, phone, hours, notes, standing, created_at) VALUES
    ('01933b00-0000-7000-8003-000000000001', '2-1-1', 'Community services', '211', '24 hours',
     'Food, housing, utilities and other local help.', 1, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8003-000000000002', '988 Suicide & Crisis Lifeline', 'Crisis', '988', '24 hours',
     'Call or text 988; chat at 988lifeline.org.', 1, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8003-000000000003', 'Treatment locator (FindTreatment.gov)', 'Treatment', '1-800-662-4357',
     '24 hours', 'SAMHSA''s National Helpline and FindTreatment.gov.', 1, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8003-000000000004', 'Recovery meetings', 'Mutual help', NULL, NULL,
     'SMART Recovery, All Recovery, 12-step and other meetings near the caller.', 1, '2026-01-01T00:00:00.000Z');
