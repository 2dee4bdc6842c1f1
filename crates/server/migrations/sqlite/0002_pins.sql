-- Places residents mark as unsafe. The exact position and the comment are for staff only; the
-- public API shows the ~50 m grid cell and no comment unless staff approved it.
CREATE TABLE pins (
    id                TEXT    PRIMARY KEY,          -- UUID made by the widget
    lat               REAL    NOT NULL,
    lon               REAL    NOT NULL,
    category          TEXT    NOT NULL CHECK (category IN ('traffic', 'drugs', 'lighting', 'disorder', 'vandalism', 'other')),
    time_of_day       TEXT    NOT NULL CHECK (time_of_day IN ('day', 'evening', 'night', 'all_day')),
    comment           TEXT,
    place_description TEXT,
    delete_token      TEXT    NOT NULL,             -- the sender's secret (random, 256 bits)
    created_at        INTEGER NOT NULL,             -- Unix seconds, UTC
    agree_count       INTEGER NOT NULL DEFAULT 0,
    hidden            INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    comment_approved  INTEGER NOT NULL DEFAULT 0 CHECK (comment_approved IN (0, 1))
);
CREATE INDEX pins_position ON pins (lon, lat);
CREATE INDEX pins_created_at ON pins (created_at);

-- One agree per device and pin. The device id is stored hashed.
CREATE TABLE pin_agrees (
    pin_id      TEXT    NOT NULL REFERENCES pins (id) ON DELETE CASCADE,
    device_hash TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (pin_id, device_hash)
);
