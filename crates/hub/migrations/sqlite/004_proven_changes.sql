-- Changes are proven: the pushing desk's proof that a holder of the center's key made the change
-- (pa2.…). Every change held unproven in a center that has a key waits for a desk to copy it
-- sealed and proven; a copied change the desk cannot vouch for comes with no auth and is kept
-- as it is.
ALTER TABLE changes ADD COLUMN auth TEXT;
ALTER TABLE sealed_history ADD COLUMN auth TEXT;
DELETE FROM sealed_history;
UPDATE changes SET sealed = 0
 WHERE auth IS NULL AND center_id IN (SELECT id FROM centers WHERE key_id IS NOT NULL);
UPDATE centers SET readable_changes = (SELECT COUNT(*) FROM changes c WHERE c.center_id = centers.id AND c.sealed = 0)
 WHERE key_id IS NOT NULL;
