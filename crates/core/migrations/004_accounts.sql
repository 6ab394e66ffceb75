-- Staff accounts: who may use a desk and what their roles let them do. Accounts sync, so a
-- volunteer signs in at any desk of the center with the same PIN, and a lock made on one desk
-- holds on all of them.

-- A PIN (4-8 digits) is for switching at a shared desk; admins also have a password. Both are
-- argon2id PHC strings, never the secret itself. An account is turned off rather than deleted,
-- so what it did stays attributable.
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    person_id     TEXT REFERENCES people (id) ON DELETE SET NULL,
    pin_hash      TEXT,
    password_hash TEXT,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Locked after repeated wrong secrets; an admin's unlock is a later `unlocked_at`, so the
    -- two merge field by field between desks without one undoing the other out of order.
    locked_at     TEXT,
    unlocked_at   TEXT,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE account_roles (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'front_desk', 'facilitator', 'warmline')),
    PRIMARY KEY (account_id, role)
) STRICT, WITHOUT ROWID;

-- Wrong PINs and passwords tried at this desk, for back-off. Kept per desk and not synced:
-- what travels is the lock they lead to. Cleared for an account when it signs in.
CREATE TABLE sign_in_failures (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    failed_at  TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account_id, failed_at);
