-- One row per committed import, with what is needed to undo it as a whole: the experts and
-- sign-ups it created, and the records it changed as they were before.
CREATE TABLE import_batch (
  id         TEXT PRIMARY KEY,
  at         TEXT NOT NULL,
  desk_id    TEXT NOT NULL,
  desk_name  TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  summary    TEXT NOT NULL,
  undo       TEXT NOT NULL,   -- JSON, see core/src/import/undo.rs
  undone_at  TEXT
);
