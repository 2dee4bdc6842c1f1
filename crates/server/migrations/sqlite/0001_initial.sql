-- Staff accounts. Created with `trygghetskarta-server user add NAME --role ROLE`.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT    NOT NULL,              -- argon2id PHC string
    role          TEXT    NOT NULL CHECK (role IN ('organiser', 'planner', 'admin')),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT    NOT NULL               -- RFC 3339, UTC
);

-- Dialogue sessions (medborgardialoger). Times are stored as UTC RFC 3339 text plus
-- the Unix second of the start/end, so ordering and "upcoming" filtering are exact.
CREATE TABLE dialogues (
    id               TEXT    PRIMARY KEY,        -- UUID
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    starts_at        INTEGER NOT NULL,           -- Unix seconds, UTC
    ends_at          INTEGER NOT NULL,           -- Unix seconds, UTC
    place_name       TEXT    NOT NULL,
    lat              REAL    NOT NULL,
    lon              REAL    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('meeting', 'walk', 'online')),
    organiser        TEXT    NOT NULL CHECK (organiser IN ('kommun', 'polis', 'both')),
    online_url       TEXT,
    registration_url TEXT,
    status           TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
    cancel_reason    TEXT,
    sequence         INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE, +1 on every change
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX dialogues_ends_at ON dialogues (ends_at);
