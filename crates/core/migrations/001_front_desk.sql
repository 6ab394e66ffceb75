-- The front desk: settings, the services catalog, people, visits.
-- Times are UTC text in the fixed-width form 2026-11-23T14:05:00.123Z so they sort as text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE services (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX services_by_name ON services (name COLLATE NOCASE);

-- Fixed ids, so every desk seeds the same catalog and sync never sees two "Housing support"s.
INSERT INTO services (id, name, position, created_at) VALUES
    ('01933b00-0000-7000-8000-000000000001', 'Peer coaching / mentoring',         1, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-000000000002', 'Support group',                     2, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-000000000003', 'Recovery education / class',        3, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-000000000004', 'Employment or education support',   4, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-000000000005', 'Housing support',                   5, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-000000000006', 'Transportation',                    6, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-000000000007', 'Computer / phone use',              7, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-000000000008', 'Food or clothing',                  8, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-000000000009', 'Family support',                    9, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-00000000000a', 'Spiritual support',                10, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-00000000000b', 'Outreach',                         11, '2026-01-01T00:00:00.000Z'),
    ('01933b00-0000-7000-8000-00000000000c', 'Other',                            12, '2026-01-01T00:00:00.000Z');

CREATE TABLE people (
    -- The full-text index's key, and the search ranking: the time this person was last seen
    -- (registered or checked in) in milliseconds, times a million to leave room for ties (an
    -- import registers thousands in one millisecond). Search reads matches in this order,
    -- newest first, and stops at the page size.
    recency_rank       INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    member_code        TEXT NOT NULL UNIQUE,
    display_name       TEXT NOT NULL,
    alias              TEXT,
    phone              TEXT,
    email              TEXT,
    birth_year         INTEGER,
    pronouns           TEXT,
    preferred_language TEXT,
    contact_consent    INTEGER NOT NULL DEFAULT 0 CHECK (contact_consent IN (0, 1)),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;

-- Case- and accent-insensitive prefix search over the names people go by and their code.
CREATE VIRTUAL TABLE people_search USING fts5 (
    display_name, alias, member_code,
    content = 'people', content_rowid = 'recency_rank',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_search (people_search, rowid, display_name, alias, member_code)
    VALUES ('delete', old.recency_rank, old.display_name, old.alias, old.member_code);
END;
CREATE TRIGGER people_search_update AFTER UPDATE OF recency_rank, display_name, alias, member_code ON people BEGIN
    INSERT INTO people_search (people_search, rowid, display_name, alias, member_code)
    VALUES ('delete', old.recency_rank, old.display_name, old.alias, old.member_code);
    INSERT INTO people_search (rowid, display_name, alias, member_code)
    VALUES (new.recency_rank, new.display_name, new.alias, new.member_code);
END;

-- A visit without a person is an anonymous headcount.
CREATE TABLE visits (
    id             TEXT PRIMARY KEY,
    person_id      TEXT REFERENCES people (id),
    checked_in_at  TEXT NOT NULL,
    checked_out_at TEXT,
    CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at)
) STRICT;
CREATE INDEX visits_by_person ON visits (person_id, checked_in_at);
CREATE INDEX visits_by_time ON visits (checked_in_at);
CREATE INDEX visits_open ON visits (checked_in_at) WHERE checked_out_at IS NULL;
CREATE INDEX visits_open_by_person ON visits (person_id, checked_in_at) WHERE checked_out_at IS NULL;

-- The ranking is kept here, so it holds whichever desk or program wrote the row: a person
-- moves up to the time of their newest visit, never down for an older one arriving late.
-- One trigger, so the order is certain: index the new row, then rank it (the update
-- trigger above moves its index entry).
CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_search (rowid, display_name, alias, member_code)
    VALUES (new.recency_rank, new.display_name, new.alias, new.member_code);
    UPDATE people SET recency_rank = (
        SELECT COALESCE(MAX(taken.recency_rank) + 1, slot.start)
        FROM (SELECT CAST(unixepoch(new.created_at, 'subsec') * 1000 AS INTEGER) * 1000000 AS start) slot
        LEFT JOIN people taken ON taken.recency_rank BETWEEN slot.start AND slot.start + 999999
    ) WHERE id = new.id;
END;
CREATE TRIGGER visits_rank_person AFTER INSERT ON visits
WHEN new.person_id IS NOT NULL
BEGIN
    UPDATE people SET recency_rank = (
        SELECT COALESCE(MAX(taken.recency_rank) + 1, slot.start)
        FROM (SELECT CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000 AS start) slot
        LEFT JOIN people taken ON taken.recency_rank BETWEEN slot.start AND slot.start + 999999
    )
    WHERE id = new.person_id
      AND recency_rank < CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000;
END;

CREATE TABLE visit_services (
    visit_id   TEXT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES services (id),
    PRIMARY KEY (visit_id, service_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX visit_services_by_service ON visit_services (service_id);
