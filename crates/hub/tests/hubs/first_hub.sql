-- A hub as the first porchlight-hub made it (its schema, word for word), holding a desk, a
-- code that desk used, and two changes. The token of the desk is "test".
CREATE TABLE IF NOT EXISTS devices (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    enrolled_at  TEXT NOT NULL,
    last_seen_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS enrollment_codes (
    code_hash  TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by    TEXT REFERENCES devices (id)
) STRICT;
-- seq only ever grows (AUTOINCREMENT never reuses a number), so a desk's cursor is exact.
CREATE TABLE IF NOT EXISTS changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id   TEXT NOT NULL UNIQUE,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    op          TEXT NOT NULL,
    fields      TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;

INSERT INTO devices VALUES ('01934f2a-7b3c-7d10-9a4e-000000000001', 'Front desk',
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', '2026-11-01T00:00:00.000Z', NULL, NULL);
INSERT INTO enrollment_codes VALUES ('5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
    '2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', '01934f2a-7b3c-7d10-9a4e-000000000001');
INSERT INTO changes (change_id, device_id, entity, record_id, op, fields, hlc, received_at) VALUES
    ('01934f2a-7b3c-7d10-9a4e-000000000098', '01934f2a-7b3c-7d10-9a4e-000000000001', 'person',
     '01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0e', 'upsert', '{"display_name":"Person 1"}', '001795432100123-00001',
     '2026-11-01T00:00:00.000Z'),
    ('01934f2a-7b3c-7d10-9a4e-000000000099', '01934f2a-7b3c-7d10-9a4e-000000000001', 'person',
     '01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0f', 'upsert', '{"display_name":"Person 2"}', '001795432100123-00002',
     '2026-11-01T00:00:00.000Z');
