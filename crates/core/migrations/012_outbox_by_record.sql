-- Erasing a record rewrites the changes to it still waiting to go out. A desk that has never
-- had a hub keeps every change it ever made there, so finding one record's changes must not
-- read them all: the warmline's daily retention sweep erases many records at a time.
CREATE INDEX outbox_by_record ON outbox (entity, record_id);
