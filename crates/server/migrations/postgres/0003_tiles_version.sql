-- The pin tiles' version: bumped together with public_version by every change the tiles show
-- (new, hidden, deleted pins, their states), but not by agrees, which only the list carries.
-- Each process rebuilds its tile index when it moves.
CREATE SEQUENCE public_tiles_version;
