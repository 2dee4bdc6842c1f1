-- Daily tasks (retention) claim their day here, so that each runs once per day for the
-- installation however often the server restarts.
CREATE TABLE daily_runs (
    task TEXT    PRIMARY KEY,
    day  INTEGER NOT NULL               -- UTC days since 1970-01-01 of the last run
);
