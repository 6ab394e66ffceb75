-- Changes are proven (issue 33): a change from the hub that no holder of the center's key proved,
-- whose values do not open in their place, or stamped too far ahead, is kept aside and reported
-- with the desk that sent it and when it came.
ALTER TABLE sync_unopened ADD COLUMN received_at TEXT;
-- 1 while it may yet be applied (its key may arrive, the desk's clock reach its stamp): only
-- those are tried again at each sync, so junk kept aside costs nothing after it came.
ALTER TABLE sync_unopened ADD COLUMN waiting INTEGER NOT NULL DEFAULT 1;

-- What an older version kept aside was stored without the proof it came with (that version did
-- not know of proofs), so it could never be applied now: the desk pulls those changes again.
UPDATE sync_state SET value = CAST((SELECT MIN(seq) - 1 FROM sync_unopened) AS TEXT)
 WHERE key = 'last_pulled_seq' AND EXISTS (SELECT 1 FROM sync_unopened);
DELETE FROM sync_unopened;
