-- Återkoppling: a state and a public answer on every pin, actions (the handlingsplan) that
-- gather pins and dialogues, dialogues closed with what was heard, and opt-in e-mail.

-- The handlingsplan. Never deleted (an action that will not happen is cancelled, with a reason).
CREATE TABLE actions (
    id               TEXT    PRIMARY KEY,           -- UUID
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    party            TEXT    NOT NULL CHECK (party IN ('kommun', 'polis', 'both', 'other')),
    party_name       TEXT,                          -- the other party (bostadsbolaget, Trafikverket)
    lat              REAL    NOT NULL,              -- the point, or the area's centre
    lon              REAL    NOT NULL,
    area             TEXT,                          -- JSON ring [[lon, lat], ...], when drawn
    starts_on        TEXT,                          -- local dates YYYY-MM-DD
    target_on        TEXT,
    state            TEXT    NOT NULL CHECK (state IN ('planned', 'ongoing', 'done', 'cancelled')),
    cancel_reason    TEXT,
    created_at       INTEGER NOT NULL,              -- Unix seconds
    updated_at       INTEGER NOT NULL,
    state_changed_at INTEGER NOT NULL
);
CREATE INDEX actions_updated ON actions (updated_at);

-- Dated public progress notes. The author is kept for staff, never shown.
CREATE TABLE action_notes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id TEXT    NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    text      TEXT    NOT NULL
);
CREATE INDEX action_notes_action ON action_notes (action_id, id);

-- Dialogues an action came from or belongs to (also: the actions decided at a dialogue).
CREATE TABLE action_dialogues (
    action_id   TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    dialogue_id TEXT NOT NULL REFERENCES dialogues (id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, dialogue_id)
);
CREATE INDEX action_dialogues_dialogue ON action_dialogues (dialogue_id);

ALTER TABLE pins ADD COLUMN status TEXT NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'investigating', 'planned', 'done', 'no_action'));
ALTER TABLE pins ADD COLUMN status_reason TEXT
    CHECK (status_reason IN ('not_ours', 'duplicate', 'cannot', 'other'));
ALTER TABLE pins ADD COLUMN status_changed_at INTEGER;
-- The public answer: written by staff, shown with the party and the date, never a name.
ALTER TABLE pins ADD COLUMN public_response TEXT;
ALTER TABLE pins ADD COLUMN response_party TEXT CHECK (response_party IN ('kommun', 'polis'));
ALTER TABLE pins ADD COLUMN response_at INTEGER;
ALTER TABLE pins ADD COLUMN action_id TEXT REFERENCES actions (id) ON DELETE SET NULL;
CREATE INDEX pins_action ON pins (action_id);
CREATE INDEX pins_response_at ON pins (response_at) WHERE public_response IS NOT NULL;

-- Moderation history gains state changes (SQLite cannot alter a CHECK: the table is rebuilt).
CREATE TABLE moderation_log_v2 (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    pin_id   TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL CHECK (action IN ('hide', 'restore', 'approve', 'unapprove',
                                                'edit_comment', 'status')),
    reason   TEXT,
    before   TEXT,
    after    TEXT,
    response TEXT                               -- status: the public answer written with it
);
INSERT INTO moderation_log_v2 (id, pin_id, at, actor, action, reason, before, after)
    SELECT id, pin_id, at, actor, action, reason, before, after FROM moderation_log;
DROP TABLE moderation_log;
ALTER TABLE moderation_log_v2 RENAME TO moderation_log;
CREATE INDEX moderation_log_pin ON moderation_log (pin_id, id);

-- "Vad vi hörde": set when an organiser closes a session after it has ended.
ALTER TABLE dialogues ADD COLUMN closed_at INTEGER;
ALTER TABLE dialogues ADD COLUMN outcome_summary TEXT;
ALTER TABLE dialogues ADD COLUMN outcome_participants INTEGER;
ALTER TABLE dialogues ADD COLUMN outcome_themes TEXT NOT NULL DEFAULT '';   -- category codes, comma-separated
ALTER TABLE dialogues ADD COLUMN outcome_other_themes TEXT;
CREATE INDEX dialogues_closed ON dialogues (closed_at) WHERE closed_at IS NOT NULL;

-- Opt-in e-mail about one pin. Kept apart from the pin: never exported, never shown to staff,
-- never in the public API. Deleted with the pin, when the resident unsubscribes, 30 days after
-- the pin is closed (delete_after), or by retention.
CREATE TABLE pin_subscriptions (
    pin_id       TEXT    PRIMARY KEY REFERENCES pins (id) ON DELETE CASCADE,
    email        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    delete_after INTEGER
);

-- Mail waiting to go out through the SMTP relay; a row is deleted once sent (or given up on).
CREATE TABLE mail_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    pin_id     TEXT    NOT NULL REFERENCES pins (id) ON DELETE CASCADE,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at);
