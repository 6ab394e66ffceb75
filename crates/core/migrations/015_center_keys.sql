-- End-to-end sealed sync (issue 18): the center's keys this desk holds, inside its encrypted
-- database, and changes from the hub that did not open (a key this desk does not hold yet, or a
-- value altered on the way), kept as they came until they do.

CREATE TABLE center_keys (
    id       TEXT PRIMARY KEY,
    key      BLOB NOT NULL CHECK (length(key) = 32),
    added_at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_unopened (
    seq    INTEGER PRIMARY KEY,
    change TEXT NOT NULL,
    reason TEXT NOT NULL
) STRICT;

-- Each desk's public key for receiving the center's keys after a change of key. Synced like any
-- record, so sealed with the center's key: the hub cannot swap in a key of its own.
CREATE TABLE desk_keys (
    id         TEXT PRIMARY KEY,
    desk_name  TEXT NOT NULL,
    public_key TEXT NOT NULL,
    added_at   TEXT NOT NULL
) STRICT;
