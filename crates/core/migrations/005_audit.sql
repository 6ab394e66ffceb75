-- The audit log: who did what, when, at which desk. Entries say that a thing happened, never
-- the data itself, so erasing a person leaves nothing of them here. Append-only: triggers
-- refuse any change or removal, by this desk's code or by what another desk sends.
CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    at           TEXT NOT NULL,
    event        TEXT NOT NULL,
    -- Who acted, with their name as it was then (accounts can be renamed). No foreign key:
    -- an entry may arrive before the account it names.
    account_id   TEXT,
    account_name TEXT NOT NULL,
    -- The record it concerns (an account, a person), and a short note such as "wrong PIN".
    subject_id   TEXT,
    detail       TEXT NOT NULL DEFAULT '',
    -- The desk's name as its hub knows it; NULL before it was connected.
    desk_name    TEXT
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (at, id);

CREATE TRIGGER audit_log_keeps_entries_as_written BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_keeps_every_entry BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
