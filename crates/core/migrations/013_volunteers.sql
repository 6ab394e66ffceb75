-- Volunteer scheduling: who volunteers and what they may do, shift templates and their shifts,
-- who holds each shift, attendance and hours.

-- What a shift is for: front desk, warmline hours, group facilitation, driving. The warmline's
-- roles' shifts are the line's opening hours: a gap in them is a line that rings unanswered.
CREATE TABLE shift_roles (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    warmline   INTEGER NOT NULL DEFAULT 0 CHECK (warmline IN (0, 1)),
    position   INTEGER NOT NULL,
    retired_at TEXT
) STRICT;

-- Certifications and trainings the center keeps track of, each with issue and expiry dates.
CREATE TABLE credential_kinds (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    retired_at TEXT
) STRICT;

-- What a role asks of whoever fills it: a volunteer without a current one is not assigned.
CREATE TABLE shift_role_credentials (
    role_id TEXT NOT NULL REFERENCES shift_roles (id) ON DELETE CASCADE,
    kind_id TEXT NOT NULL REFERENCES credential_kinds (id),
    PRIMARY KEY (role_id, kind_id)
) STRICT, WITHOUT ROWID;

-- A person who volunteers. Its id is the person's: one volunteer record per person, however
-- many desks make them a volunteer while apart. Their visits stay the front desk's.
CREATE TABLE volunteers (
    id                 TEXT PRIMARY KEY REFERENCES people (id),
    started_on         TEXT NOT NULL,
    -- phone | text | email | in_person; checked in code, so a newer desk's is kept.
    contact_preference TEXT,
    -- JSON: [{"weekday": "monday", "from": "09:00", "to": "17:00"}, ...]; NULL: any time.
    availability       TEXT,
    notes              TEXT,
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at         TEXT NOT NULL
) STRICT;

CREATE TABLE volunteer_shift_roles (
    volunteer_id TEXT NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    role_id      TEXT NOT NULL REFERENCES shift_roles (id),
    PRIMARY KEY (volunteer_id, role_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX volunteer_shift_roles_by_role ON volunteer_shift_roles (role_id);

-- Days a volunteer is away, both ends included, one record each.
CREATE TABLE volunteer_blackouts (
    id           TEXT PRIMARY KEY,
    volunteer_id TEXT NOT NULL REFERENCES volunteers (id),
    first_day    TEXT NOT NULL,
    last_day     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    removed_at   TEXT
) STRICT;
CREATE INDEX volunteer_blackouts_by_volunteer ON volunteer_blackouts (volunteer_id, last_day);
CREATE INDEX volunteer_blackouts_by_day ON volunteer_blackouts (last_day) WHERE removed_at IS NULL;

-- One credential held, one record each: a renewal is a new record beside the old one.
CREATE TABLE volunteer_credentials (
    id           TEXT PRIMARY KEY,
    volunteer_id TEXT NOT NULL REFERENCES volunteers (id),
    kind_id      TEXT NOT NULL REFERENCES credential_kinds (id),
    issued_on    TEXT NOT NULL,
    -- NULL: does not expire.
    expires_on   TEXT,
    recorded_at  TEXT NOT NULL,
    removed_at   TEXT
) STRICT;
CREATE INDEX volunteer_credentials_by_volunteer ON volunteer_credentials (volunteer_id, kind_id);
CREATE INDEX volunteer_credentials_by_kind ON volunteer_credentials (kind_id, volunteer_id);
CREATE INDEX volunteer_credentials_by_expiry ON volunteer_credentials (expires_on) WHERE removed_at IS NULL;

-- A shift as it recurs: its role, how many it needs, and its schedules below.
CREATE TABLE shift_templates (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    role_id      TEXT NOT NULL REFERENCES shift_roles (id),
    needed_min   INTEGER NOT NULL CHECK (needed_min >= 1),
    needed_ideal INTEGER NOT NULL CHECK (needed_ideal >= needed_min),
    location     TEXT,
    -- A group's facilitator shift: the group whose sessions it follows.
    group_id     TEXT REFERENCES center_groups (id),
    created_at   TEXT NOT NULL,
    ended_at     TEXT
) STRICT;

-- When a template's shifts happen, as RFC 5545 text, exactly like a group's schedules.
CREATE TABLE shift_schedules (
    id               TEXT PRIMARY KEY,
    template_id      TEXT NOT NULL REFERENCES shift_templates (id),
    recurrence       TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    created_at       TEXT NOT NULL,
    -- This desk's own upkeep, never synced.
    expanded_until   TEXT
) STRICT;
CREATE INDEX shift_schedules_by_template ON shift_schedules (template_id);

-- Each desk's expansion of the schedules, never synced: every shift named by its template and
-- local start, the same id on every desk.
CREATE TABLE shift_occurrences (
    shift_id    TEXT PRIMARY KEY,
    schedule_id TEXT NOT NULL REFERENCES shift_schedules (id) ON DELETE CASCADE,
    template_id TEXT NOT NULL,
    local_start TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL
) STRICT;
CREATE INDEX shift_occurrences_by_time ON shift_occurrences (starts_at, template_id);
CREATE INDEX shift_occurrences_by_schedule ON shift_occurrences (schedule_id);
CREATE TRIGGER shift_schedules_reexpand AFTER UPDATE OF recurrence, duration_minutes ON shift_schedules BEGIN
    DELETE FROM shift_occurrences WHERE schedule_id = new.id;
    UPDATE shift_schedules SET expanded_until = NULL WHERE id = new.id;
END;

-- A shift someone did something with (assigned, cancelled): kept whatever its schedule says later.
CREATE TABLE shifts (
    id            TEXT PRIMARY KEY,
    template_id   TEXT NOT NULL REFERENCES shift_templates (id),
    local_start   TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    cancelled     INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    cancel_reason TEXT
) STRICT;
CREATE INDEX shifts_by_time ON shifts (starts_at);

-- A volunteer on a shift. Its id comes from the shift and the volunteer, so two desks putting
-- the same person on the same shift hold one; two people on the last place both stay.
CREATE TABLE shift_assignments (
    id              TEXT PRIMARY KEY,
    shift_id        TEXT NOT NULL REFERENCES shifts (id),
    volunteer_id    TEXT NOT NULL REFERENCES volunteers (id),
    -- held | dropped | swapped; checked in code.
    state           TEXT NOT NULL,
    -- assigned | signed_up | swap
    came_by         TEXT NOT NULL,
    -- Who held it before, when it came by a swap.
    swapped_from    TEXT REFERENCES volunteers (id),
    assigned_at     TEXT NOT NULL,
    assigned_by     TEXT,
    released_at     TEXT,
    released_by     TEXT,
    clocked_in_at   TEXT,
    clocked_out_at  TEXT,
    no_show         INTEGER NOT NULL DEFAULT 0 CHECK (no_show IN (0, 1)),
    no_show_comment TEXT,
    confirmed_at    TEXT
) STRICT;
CREATE INDEX shift_assignments_by_shift ON shift_assignments (shift_id, state);
CREATE INDEX shift_assignments_by_volunteer ON shift_assignments (volunteer_id, state);

-- Hours given outside any shift (a training, an outreach event), one record each.
CREATE TABLE volunteer_hours (
    id           TEXT PRIMARY KEY,
    volunteer_id TEXT NOT NULL REFERENCES volunteers (id),
    worked_on    TEXT NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    what         TEXT NOT NULL,
    logged_at    TEXT NOT NULL,
    logged_by    TEXT,
    removed_at   TEXT
) STRICT;
CREATE INDEX volunteer_hours_by_day ON volunteer_hours (worked_on);
CREATE INDEX volunteer_hours_by_volunteer ON volunteer_hours (volunteer_id, worked_on);

INSERT INTO shift_roles (id, name, warmline, position) VALUES
    ('01933b00-0000-7000-8004-000000000001', 'Front desk',         0, 1),
    ('01933b00-0000-7000-8004-000000000002', 'Warmline',           1, 2),
    ('01933b00-0000-7000-8004-000000000003', 'Group facilitation', 0, 3),
    ('01933b00-0000-7000-8004-000000000004', 'Driver',             0, 4);

INSERT INTO credential_kinds (id, name, position) VALUES
    ('01933b00-0000-7000-8005-000000000001', 'Peer recovery specialist certification', 1),
    ('01933b00-0000-7000-8005-000000000002', 'Warmline training',                      2),
    ('01933b00-0000-7000-8005-000000000003', 'Background check',                       3),
    ('01933b00-0000-7000-8005-000000000004', 'CPR',                                    4),
    ('01933b00-0000-7000-8005-000000000005', 'Naloxone training',                      5),
    ('01933b00-0000-7000-8005-000000000006', 'Annual confidentiality training',        6);

-- The warmline asks for its training and a background check; a driver for a background check;
-- everyone who meets visitors for the confidentiality training.
INSERT INTO shift_role_credentials (role_id, kind_id) VALUES
    ('01933b00-0000-7000-8004-000000000001', '01933b00-0000-7000-8005-000000000006'),
    ('01933b00-0000-7000-8004-000000000002', '01933b00-0000-7000-8005-000000000002'),
    ('01933b00-0000-7000-8004-000000000002', '01933b00-0000-7000-8005-000000000003'),
    ('01933b00-0000-7000-8004-000000000003', '01933b00-0000-7000-8005-000000000006'),
    ('01933b00-0000-7000-8004-000000000004', '01933b00-0000-7000-8005-000000000003');
