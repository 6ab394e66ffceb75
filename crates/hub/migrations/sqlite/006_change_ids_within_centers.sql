-- A change id is unique within its center only: a center cannot learn whether another holds
-- one. SQLite changes a table's constraints only by copying it; every seq is kept, and the
-- next one to come.
CREATE TABLE changes_copy (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, change_id TEXT NOT NULL, device_id TEXT NOT NULL REFERENCES devices (id),
    entity TEXT NOT NULL, record_id TEXT NOT NULL, op TEXT NOT NULL, fields TEXT NOT NULL, hlc TEXT NOT NULL,
    received_at TEXT NOT NULL, changed_by TEXT, center_id TEXT NOT NULL REFERENCES centers (id),
    sealed INTEGER NOT NULL DEFAULT 0, auth TEXT, UNIQUE (center_id, change_id)
) STRICT;
INSERT INTO changes_copy
       (seq, change_id, device_id, entity, record_id, op, fields, hlc, received_at, changed_by, center_id, sealed, auth)
SELECT seq, change_id, device_id, entity, record_id, op, fields, hlc, received_at, changed_by, center_id, sealed, auth
  FROM changes;
CREATE TEMP TABLE next_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'changes';
DROP TABLE changes;
ALTER TABLE changes_copy RENAME TO changes;
UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT seq FROM temp.next_seq)) WHERE name = 'changes';
DROP TABLE temp.next_seq;
