-- Tongxin schema, version 1.
--
-- Ids are TEXT. Rows created on a desk get a random UUID, so that several laptops can later
-- exchange rows without collisions; the demo day ships fixed ids so that desks set up from it agree.
-- Times are UTC, ISO 8601 with milliseconds and a 'Z' (sortable as text).

CREATE TABLE event (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  short_name  TEXT NOT NULL DEFAULT '',
  kind        TEXT NOT NULL CHECK (kind IN ('main', 'sub')),
  parent_id   TEXT REFERENCES event(id),
  date        TEXT NOT NULL,            -- local calendar date, YYYY-MM-DD
  place       TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
);

CREATE TABLE theme (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE service_point (
  id             TEXT PRIMARY KEY,
  event_id       TEXT NOT NULL REFERENCES event(id),
  theme_id       TEXT REFERENCES theme(id),
  name           TEXT NOT NULL,
  short_name     TEXT NOT NULL DEFAULT '',
  address        TEXT NOT NULL DEFAULT '',
  contact        TEXT NOT NULL DEFAULT '',
  contact_phone  TEXT NOT NULL DEFAULT '',
  capacity       INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
  depart_time    TEXT NOT NULL DEFAULT '',  -- local HH:MM
  bus            TEXT NOT NULL DEFAULT '',
  sort_order     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX service_point_event ON service_point(event_id);

CREATE TABLE expert (
  id            TEXT PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,      -- short code printed as QR, typed by the scanner
  name          TEXT NOT NULL,
  gender        TEXT NOT NULL DEFAULT '',
  party         TEXT NOT NULL DEFAULT '',
  organisation  TEXT NOT NULL DEFAULT '',
  title         TEXT NOT NULL DEFAULT '',
  field         TEXT NOT NULL DEFAULT '',
  phone         TEXT NOT NULL DEFAULT '',  -- digits only
  notes         TEXT NOT NULL DEFAULT '',
  search_keys   TEXT NOT NULL DEFAULT '',  -- normalised name forms, rebuilt by the core
  archived_at   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX expert_phone ON expert(phone);

CREATE TABLE signup (
  id           TEXT PRIMARY KEY,
  event_id     TEXT NOT NULL REFERENCES event(id),
  expert_id    TEXT NOT NULL REFERENCES expert(id),
  point_id     TEXT REFERENCES service_point(id),
  status       TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX signup_event_expert ON signup(event_id, expert_id);
CREATE INDEX signup_point ON signup(point_id);

-- A check-in is never deleted or edited: undo appends a revocation.
CREATE TABLE checkin (
  id          TEXT PRIMARY KEY,
  event_id    TEXT NOT NULL REFERENCES event(id),
  expert_id   TEXT NOT NULL REFERENCES expert(id),
  point_id    TEXT REFERENCES service_point(id),  -- NULL: the event's own venue
  at          TEXT NOT NULL,
  desk_id     TEXT NOT NULL,
  desk_name   TEXT NOT NULL,
  method      TEXT NOT NULL CHECK (method IN ('search', 'scan', 'walkin', 'manual', 'import'))
);
CREATE INDEX checkin_event_expert ON checkin(event_id, expert_id);

CREATE TABLE revocation (
  id          TEXT PRIMARY KEY,
  checkin_id  TEXT NOT NULL REFERENCES checkin(id),
  at          TEXT NOT NULL,
  desk_id     TEXT NOT NULL,
  desk_name   TEXT NOT NULL,
  reason      TEXT NOT NULL
);
CREATE INDEX revocation_checkin ON revocation(checkin_id);

CREATE TABLE audit (
  id          TEXT PRIMARY KEY,
  at          TEXT NOT NULL,
  desk_id     TEXT NOT NULL,
  desk_name   TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit(at);

CREATE TABLE setting (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
