-- A desk far behind its hub (a first sync) writes tens of thousands of records in a row, and
-- keeping the full-text index and the ranking up to date row by row was most of that cost.
-- While `search_index_stale` is noted in sync_state the triggers below do nothing; the desk
-- ranks everyone and rebuilds the index once, in the transaction that removes the note.
DROP TRIGGER people_search_delete;
CREATE TRIGGER people_search_delete AFTER DELETE ON people
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_index_stale')
BEGIN
    INSERT INTO people_search (people_search, rowid, display_name, alias, member_code)
    VALUES ('delete', old.recency_rank, old.display_name, old.alias, old.member_code);
END;

DROP TRIGGER people_search_update;
CREATE TRIGGER people_search_update AFTER UPDATE OF recency_rank, display_name, alias, member_code ON people
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_index_stale')
BEGIN
    INSERT INTO people_search (people_search, rowid, display_name, alias, member_code)
    VALUES ('delete', old.recency_rank, old.display_name, old.alias, old.member_code);
    INSERT INTO people_search (rowid, display_name, alias, member_code)
    VALUES (new.recency_rank, new.display_name, new.alias, new.member_code);
END;

DROP TRIGGER people_search_insert;
CREATE TRIGGER people_search_insert AFTER INSERT ON people
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_index_stale')
BEGIN
    INSERT INTO people_search (rowid, display_name, alias, member_code)
    VALUES (new.recency_rank, new.display_name, new.alias, new.member_code);
    UPDATE people SET recency_rank = COALESCE(
        (SELECT MAX(taken.recency_rank) + 1 FROM people taken
         WHERE taken.recency_rank BETWEEN CAST(unixepoch(new.created_at, 'subsec') * 1000 AS INTEGER) * 1000000
                                      AND CAST(unixepoch(new.created_at, 'subsec') * 1000 AS INTEGER) * 1000000 + 999999),
        CAST(unixepoch(new.created_at, 'subsec') * 1000 AS INTEGER) * 1000000
    ) WHERE id = new.id;
END;

DROP TRIGGER visits_rank_person;
CREATE TRIGGER visits_rank_person AFTER INSERT ON visits
WHEN new.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_index_stale')
BEGIN
    UPDATE people SET recency_rank = COALESCE(
        (SELECT MAX(taken.recency_rank) + 1 FROM people taken
         WHERE taken.recency_rank BETWEEN CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000
                                      AND CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000 + 999999),
        CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000
    )
    WHERE id = new.person_id
      AND recency_rank < CAST(unixepoch(new.checked_in_at, 'subsec') * 1000 AS INTEGER) * 1000000;
END;
