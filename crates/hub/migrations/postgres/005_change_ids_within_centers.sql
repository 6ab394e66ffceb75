-- A change id is unique within its center only: a center cannot learn whether another holds one.
ALTER TABLE changes DROP CONSTRAINT changes_change_id_key;
ALTER TABLE changes ADD CONSTRAINT changes_center_change_id_key UNIQUE (center_id, change_id);
