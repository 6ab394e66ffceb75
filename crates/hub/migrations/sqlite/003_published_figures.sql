-- A center's monthly figures, published when the center chooses: counts only, no one in them.
CREATE TABLE published_figures (
    center_id    TEXT NOT NULL REFERENCES centers (id),
    month        TEXT NOT NULL,
    figures      TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (center_id, month)
) STRICT;
-- Key grants and sealed copies came while hubs were at schema 2: one made before them gains
-- them now (as 002 made them).
CREATE TABLE IF NOT EXISTS key_grants (
    center_id   TEXT NOT NULL REFERENCES centers (id),
    device_id   TEXT NOT NULL REFERENCES devices (id),
    key_id      TEXT NOT NULL,
    sealed_keys TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (device_id, key_id)
) STRICT;
CREATE TABLE IF NOT EXISTS sealed_history (
    center_id TEXT NOT NULL REFERENCES centers (id),
    seq       INTEGER NOT NULL,
    fields    TEXT NOT NULL,
    PRIMARY KEY (center_id, seq)
) STRICT;
