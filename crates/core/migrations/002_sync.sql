-- Sync: the desk's link to its hub, the outbox of local changes not yet pushed, and every
-- synced record's fields with the stamp of the value held (per-field last-writer-wins).

-- hub_url, device_id, token, desk_name, last_pulled_seq, clock, clock_offset_ms, ...
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per changed record per local write, in the order they happened; a row leaves
-- when the hub has acknowledged it.
CREATE TABLE outbox (
    position  INTEGER PRIMARY KEY,
    change_id TEXT NOT NULL UNIQUE,
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    fields    TEXT NOT NULL,
    hlc       TEXT NOT NULL
) STRICT;

-- The merged state of each synced record: {"f": {field: [value, stamp]}, "d": stamp}. The
-- desk's own tables are kept equal to it; records of types this version does not know are
-- kept here too, so nothing another desk sent is lost.
CREATE TABLE sync_records (
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    state     TEXT NOT NULL,
    PRIMARY KEY (entity, record_id)
) STRICT, WITHOUT ROWID;

-- Records that arrived but cannot be written yet (a visit before its person, a value this
-- version cannot store); retried after every pull.
CREATE TABLE sync_parked (
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (entity, record_id)
) STRICT, WITHOUT ROWID;

-- Two desks may add a service of the same name while apart; both must be storable. The desk
-- still refuses a duplicate name when one is typed.
DROP INDEX services_by_name;
CREATE INDEX services_by_name ON services (name COLLATE NOCASE);

-- Ranking triggers that find the next free tie slot with one index seek. The first version
-- joined against the slot's range and scanned it, which made registering thousands of people
-- in one millisecond (an import, a first sync) quadratic.
DROP TRIGGER people_search_insert;
CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_search (rowid, display_name, alias, member_code)
    VALUES (new.recency_rank, new.display_name, new.alias, new.member_code);
    UPDATE people SET recency_rank = COALESCE(
        (SELECT MAX(taken.recency_rank) + 1 FROM people taken
         WHERE taken.recency_rank BETWEEN CAST(unixepoch(new.created_at, 'subsec') * 1000 AS INTEGER) * 1000000
                                      AND CAST(unixepoch(new.created_at, 'subsec') * 1000 AS INTEGER) * 1000000 + 999999),
        CAST(unixepoch(new.created_at, 'subsec') * 1000 AS INTEGER) * 1000000
    ) WHERE id = new.id;
END;
DROP TRIGGER visits_rank_person;
CREATE TRIGGER visits_rank_person AFTER INSERT ON visits
WHEN new.person_id IS NOT NULL
BEGIN
    UPDATE people SET recency_rank = COALESCE(
        (SELECT MAX(taken.recency_rank) + 1 FROM people taken
         WHERE taken.recency_rank BETWEEN CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000
                                      AND CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000 + 999999),
        CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000
    )
    WHERE id = new.person_id
      AND recency_rank < CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000;
END;
