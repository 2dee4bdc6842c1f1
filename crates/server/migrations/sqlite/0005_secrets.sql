-- Server-side keys that must outlive a restart and be the same for every server process on this
-- database (e.g. the key that signs staff members' known-device cookies). Random, made on first use.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
