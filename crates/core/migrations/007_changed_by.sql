-- Each outgoing change says which staff account made it (NULL for the desk itself or its
-- command line), and that travels with sync. Who last changed a record is kept in its merged
-- state in sync_records, so it needs no column there.
ALTER TABLE outbox ADD COLUMN changed_by TEXT;
