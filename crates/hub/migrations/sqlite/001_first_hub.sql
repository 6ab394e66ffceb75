-- The first hub: one center's desks, its one-time enrollment codes, and its changes, numbered
-- as they arrive. seq only ever grows (AUTOINCREMENT never reuses a number), so a desk's cursor
-- is exact. Only the hashes of tokens and codes are kept.
CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    enrolled_at  TEXT NOT NULL,
    last_seen_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE TABLE enrollment_codes (
    code_hash  TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by    TEXT REFERENCES devices (id)
) STRICT;
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id   TEXT NOT NULL UNIQUE,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    op          TEXT NOT NULL,
    fields      TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    received_at TEXT NOT NULL,
    -- The staff account that made the change, handed on as it came.
    changed_by  TEXT
) STRICT;
-- Records a desk erased (a person forgotten), with the values that replace what they said:
-- a change to one of them that arrives later, from a desk not yet told, is erased as it arrives.
CREATE TABLE erasures (
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    fields    TEXT NOT NULL,
    PRIMARY KEY (entity, record_id)
) STRICT;
