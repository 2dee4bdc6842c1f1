-- The lägesbild counts pins by local day (Europe/Stockholm), stored with each pin; see
-- migrations/sqlite/0009_stats_indexes.sql.
ALTER TABLE pins ADD COLUMN local_day bigint;
UPDATE pins SET local_day = (created_at AT TIME ZONE 'Europe/Stockholm')::date - DATE '1970-01-01';
CREATE INDEX pins_local_day ON pins (local_day);
CREATE INDEX pins_answered ON pins (first_response_at) WHERE first_response_at IS NOT NULL;
