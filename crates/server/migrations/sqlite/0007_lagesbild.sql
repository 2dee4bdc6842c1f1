-- Lägesbild over time: places staff name, when a pin was first answered and when it was done
-- (for "median days to an answer"), staff accounts' last login and "since last meeting" date.

CREATE TABLE named_places (
    id         TEXT    PRIMARY KEY,                 -- UUID
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    lat        REAL    NOT NULL,                    -- centre (of the circle, or of the polygon)
    lon        REAL    NOT NULL,
    radius_m   REAL,                                -- a circle...
    polygon    TEXT,                                -- ...or a JSON ring [[lon, lat], ...]
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((radius_m IS NULL) <> (polygon IS NULL))
);

ALTER TABLE pins ADD COLUMN first_response_at INTEGER;  -- first state change or answer
ALTER TABLE pins ADD COLUMN done_at INTEGER;            -- when it became "done"
-- What earlier state changes say.
UPDATE pins SET first_response_at = (
    SELECT MIN(at) FROM moderation_log m WHERE m.pin_id = pins.id AND m.action = 'status');
UPDATE pins SET done_at = (
    SELECT MIN(at) FROM moderation_log m
    WHERE m.pin_id = pins.id AND m.action = 'status' AND m.after = 'done')
    WHERE status = 'done';

ALTER TABLE users ADD COLUMN last_login_at INTEGER;
ALTER TABLE users ADD COLUMN since_date TEXT;           -- YYYY-MM-DD, "sedan förra mötet"
