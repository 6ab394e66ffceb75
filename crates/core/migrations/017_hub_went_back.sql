-- A hub put back from a backup, or replaced, no longer holds some changes desks sent it (issue
-- 34). A desk that finds so pulls the whole history again, noting which changes the hub holds,
-- and then sends again, from its records, each change the hub lost.
CREATE TABLE sync_hub_holds (
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    -- The change's clock stamp, without the desk: a change another desk already sent again for
    -- the one that made it is held too.
    hlc       TEXT NOT NULL,
    PRIMARY KEY (entity, record_id, hlc)
) STRICT, WITHOUT ROWID;
