-- The lägesbild counts pins by local day (Europe/Stockholm). The day is stored with each pin
-- (computed by the server from the tz database when the pin arrives; pins stored before this
-- migration are filled in when the server starts), so that `/api/staff/stats` reads narrow
-- covering indexes in group order instead of every whole row (docs/PERFORMANCE.md).
ALTER TABLE pins ADD COLUMN local_day INTEGER;

-- Pins per day, category, time of day and state, with what the filters test.
CREATE INDEX pins_stats ON pins (local_day, category, time_of_day, status, hidden, agree_count, lat, lon);

-- Pins per ~50 m cell (the public grid, crate::storage::stats::COARSE): the expressions must
-- read exactly as the query writes them (a test compares them).
CREATE INDEX pins_cells ON pins (CAST(lat / 0.00045 AS INTEGER), CAST(lon / 0.0009 AS INTEGER), hidden, local_day, category, time_of_day, lat, lon);

-- Answered pins (answer times per party).
CREATE INDEX pins_answered ON pins (first_response_at) WHERE first_response_at IS NOT NULL;
