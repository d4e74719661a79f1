-- Records merged from a package whose time lies outside what this laptop's clock makes
-- possible (ahead of it, or before the event): kept with the time the desk recorded, and
-- listed for review with the sending desk's clock skew, as the package's creation time against
-- this laptop's clock when it arrived.
CREATE TABLE clock_flag (
  record_id     TEXT PRIMARY KEY,
  event_id      TEXT NOT NULL,
  desk_name     TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  skew_seconds  INTEGER NOT NULL
) WITHOUT ROWID;
