-- Each center numbers its own changes, in the order the hub received them, under a history
-- named for it (in Rust, after the migrations): desks see the new history and pull again. A
-- staged sealed copy names changes by number and is staged again.
ALTER TABLE centers ADD COLUMN history TEXT;
ALTER TABLE centers ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE changes ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE changes DROP CONSTRAINT changes_pkey;
UPDATE changes c SET seq = n.number
  FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY center_id ORDER BY seq) AS number FROM changes) n
 WHERE c.seq = n.seq;
ALTER TABLE changes ADD PRIMARY KEY (center_id, seq);
DROP INDEX changes_by_center;
DELETE FROM sealed_history;
UPDATE centers SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM changes WHERE center_id = centers.id);
