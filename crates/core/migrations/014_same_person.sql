-- Two people's records a coordinator has looked at together: the same person (counted once in
-- every unduplicated figure, each keeping its own history) or two people (no longer offered as
-- a likely pair). One record a pair, its id derived from the pair, so that two desks deciding
-- about one pair hold one record and the later decision stands. Nothing is merged.
CREATE TABLE person_links (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people (id),
    other_id   TEXT NOT NULL REFERENCES people (id),
    same       INTEGER NOT NULL CHECK (same IN (0, 1)),
    decided_at TEXT NOT NULL,
    CHECK (person_id < other_id)
) STRICT;
CREATE INDEX person_links_by_other ON person_links (other_id);
