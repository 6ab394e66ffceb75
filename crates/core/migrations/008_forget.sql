-- Forgetting a person: when it happened. Their identifying fields are erased on every desk;
-- the row stays, so their visits are still counted, tied to nobody anyone can name.
ALTER TABLE people ADD COLUMN forgotten_at TEXT;
-- For a change that erases what earlier changes to its record said: the fields erased, as a
-- JSON list. The hub erases them in the changes it holds too.
ALTER TABLE outbox ADD COLUMN erases TEXT;
