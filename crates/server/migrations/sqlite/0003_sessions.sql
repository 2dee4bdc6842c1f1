-- Staff login sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy
-- of the database does not let anyone log in. Sessions survive a server restart.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,   -- Unix seconds
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
