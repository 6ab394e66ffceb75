-- Changes are proven (issue 33): a change from the hub that no holder of the center's key proved,
-- whose values do not open in their place, or stamped too far ahead, is kept aside and reported
-- with the desk that sent it and when it came.
ALTER TABLE sync_unopened ADD COLUMN received_at TEXT;
