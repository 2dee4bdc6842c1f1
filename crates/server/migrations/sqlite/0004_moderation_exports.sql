-- Why a pin is hidden (the latest hide); NULL when visible.
ALTER TABLE pins ADD COLUMN hidden_reason TEXT;

-- Every moderation action on a pin: who, when, what, before and after. No foreign key: the
-- record outlives a pin its sender deleted.
CREATE TABLE moderation_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    pin_id   TEXT    NOT NULL,
    at       INTEGER NOT NULL,             -- Unix seconds, UTC
    actor    TEXT    NOT NULL,             -- the staff member's user name
    action   TEXT    NOT NULL CHECK (action IN ('hide', 'restore', 'approve', 'unapprove', 'edit_comment')),
    reason   TEXT,
    before   TEXT,
    after    TEXT
);
CREATE INDEX moderation_log_pin ON moderation_log (pin_id, id);

-- Every export: who, when, which filters, how many rows, whether the download finished.
CREATE TABLE export_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    format    TEXT    NOT NULL,
    filters   TEXT    NOT NULL,
    rows      INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1))
);
