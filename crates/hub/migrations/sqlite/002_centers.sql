-- A hub serves one center or a network of them; each desk, code, change and erasure belongs to
-- one. A hub that served one center before places its desks, codes and history in its first.
CREATE TABLE centers (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    -- The id of the key the center's desks seal with (never the key), once its first desk made it.
    key_id     TEXT,
    -- Changes stored readable, before the center had a key, until a desk seals them.
    readable_changes INTEGER NOT NULL DEFAULT 0
) STRICT;
ALTER TABLE devices ADD COLUMN center_id TEXT REFERENCES centers (id);
ALTER TABLE enrollment_codes ADD COLUMN center_id TEXT REFERENCES centers (id);
ALTER TABLE changes ADD COLUMN center_id TEXT REFERENCES centers (id);
-- 1 once every value is sealed and the change proven with the center's key.
ALTER TABLE changes ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;

INSERT INTO centers (id, name, created_at, readable_changes)
SELECT new_id(), 'main', hub_now(), (SELECT COUNT(*) FROM changes)
 WHERE EXISTS (SELECT 1 FROM devices) OR EXISTS (SELECT 1 FROM enrollment_codes)
    OR EXISTS (SELECT 1 FROM changes) OR EXISTS (SELECT 1 FROM erasures);
UPDATE devices SET center_id = (SELECT id FROM centers);
UPDATE enrollment_codes SET center_id = (SELECT id FROM centers);
UPDATE changes SET center_id = (SELECT id FROM centers);

CREATE TABLE erasures_in_centers (
    center_id TEXT NOT NULL REFERENCES centers (id),
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    fields    TEXT NOT NULL,
    PRIMARY KEY (center_id, entity, record_id)
) STRICT;
INSERT INTO erasures_in_centers (center_id, entity, record_id, fields)
SELECT (SELECT id FROM centers), entity, record_id, fields FROM erasures;
DROP TABLE erasures;
ALTER TABLE erasures_in_centers RENAME TO erasures;

-- A desk without its center's key asks the center's desks for it; one that holds it answers
-- with the keys sealed to the asking desk's public key, which the hub cannot open.
CREATE TABLE join_requests (
    id           TEXT PRIMARY KEY,
    center_id    TEXT NOT NULL REFERENCES centers (id),
    device_id    TEXT NOT NULL UNIQUE REFERENCES devices (id),
    public_key   TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    sealed_keys  TEXT,
    approved_by  TEXT REFERENCES devices (id),
    approved_at  TEXT
) STRICT;
-- After a change of key: the center's keys sealed to each desk still enrolled, for it to collect.
CREATE TABLE key_grants (
    center_id   TEXT NOT NULL REFERENCES centers (id),
    device_id   TEXT NOT NULL REFERENCES devices (id),
    key_id      TEXT NOT NULL,
    sealed_keys TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (device_id, key_id)
) STRICT;
-- A sealed copy of a center's readable history, as a desk sends it, page by page: it replaces
-- the readable values all at once when the copy is complete.
CREATE TABLE sealed_history (
    center_id TEXT NOT NULL REFERENCES centers (id),
    seq       INTEGER NOT NULL,
    fields    TEXT NOT NULL,
    PRIMARY KEY (center_id, seq)
) STRICT;
