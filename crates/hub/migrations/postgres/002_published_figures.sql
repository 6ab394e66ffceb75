-- A center's monthly figures, published when the center chooses: counts only, no one in them.
CREATE TABLE published_figures (
    center_id    TEXT NOT NULL REFERENCES centers (id),
    month        TEXT NOT NULL,
    figures      TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (center_id, month)
);
