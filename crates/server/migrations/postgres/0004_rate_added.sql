-- How many requests the last statement on a rate window counted: agrees are counted for a whole
-- drain of requests in one statement (storage/shared.rs, rate_hits), which reads it back.
ALTER TABLE rate_windows ADD COLUMN added bigint NOT NULL DEFAULT 0;
