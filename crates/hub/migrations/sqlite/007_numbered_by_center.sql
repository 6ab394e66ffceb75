-- Each center numbers its own changes (centers.last_seq), so one center learns nothing of
-- another's from its numbers, in the order the hub received them, under a history named for the
-- center: desks see the new history and pull again from the start. A staged sealed copy names
-- changes by number and is dropped (its desk stages it again at its next sync).
CREATE TABLE changes_copy (
    seq INTEGER NOT NULL, change_id TEXT NOT NULL, device_id TEXT NOT NULL REFERENCES devices (id),
    entity TEXT NOT NULL, record_id TEXT NOT NULL, op TEXT NOT NULL, fields TEXT NOT NULL, hlc TEXT NOT NULL,
    received_at TEXT NOT NULL, changed_by TEXT, center_id TEXT NOT NULL REFERENCES centers (id),
    sealed INTEGER NOT NULL DEFAULT 0, auth TEXT, UNIQUE (center_id, change_id), PRIMARY KEY (center_id, seq)
) STRICT;
INSERT INTO changes_copy
       (seq, change_id, device_id, entity, record_id, op, fields, hlc, received_at, changed_by, center_id, sealed, auth)
SELECT ROW_NUMBER() OVER (PARTITION BY center_id ORDER BY seq),
       change_id, device_id, entity, record_id, op, fields, hlc, received_at, changed_by, center_id, sealed, auth
  FROM changes;
DROP TABLE changes;
ALTER TABLE changes_copy RENAME TO changes;
DELETE FROM sealed_history;
-- Names the numbering of the center's changes: made with it, kept for good, so a desk that
-- finds another knows its cursor counts in a numbering this hub does not hold.
ALTER TABLE centers ADD COLUMN history TEXT;
-- The number the center's newest change took: the next takes the one after, never reused.
ALTER TABLE centers ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
UPDATE centers SET history = new_id(),
                   last_seq = (SELECT COALESCE(MAX(seq), 0) FROM changes WHERE center_id = centers.id);
