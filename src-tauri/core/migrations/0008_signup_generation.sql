-- The desk keeps its 应到 counts between arrivals and counts the sign-ups again only when they
-- change: a new sign-up raises max(rowid) of `signup`; an edit or a removal bumps this counter
-- (its single row is made by the first bump, so a restore copying a backup's row never meets a
-- second one).
CREATE TABLE signup_generation (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  n   INTEGER NOT NULL
);
CREATE TRIGGER signup_edited AFTER UPDATE ON signup BEGIN
  INSERT INTO signup_generation (id, n) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER signup_removed AFTER DELETE ON signup BEGIN
  INSERT INTO signup_generation (id, n) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET n = n + 1;
END;
-- The desk's latest check-ins and its live ones, read per checkpoint.
CREATE INDEX checkin_event_point ON checkin(event_id, point_id, at);
-- The sign-ups' index by event and expert carries the status and the point too, so that counting
-- a list (after an import, a walk-in, a move) reads the index alone, never the rows.
DROP INDEX signup_event_expert;
CREATE INDEX signup_event_expert ON signup(event_id, expert_id, status, point_id);
