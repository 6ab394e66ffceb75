-- Changes are proven: each change unproven in a center with a key waits for a desk to copy
-- it sealed and proven; a copied change the desk cannot vouch for has no auth and stays as it is.
ALTER TABLE changes ADD COLUMN auth TEXT;
ALTER TABLE sealed_history ADD COLUMN auth TEXT;
DELETE FROM sealed_history;
UPDATE changes SET sealed = FALSE
 WHERE auth IS NULL AND center_id IN (SELECT id FROM centers WHERE key_id IS NOT NULL);
UPDATE centers SET readable_changes = (SELECT COUNT(*) FROM changes c WHERE c.center_id = centers.id AND NOT c.sealed)
 WHERE key_id IS NOT NULL;
