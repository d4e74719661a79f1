-- The year's record: service activities (the ledger, 活动台账), the outcomes of each visit of a
-- service day, and the 同心荟 service stations with the experts appointed to them. An event the
-- app runs is an activity by itself (its figures come from its check-ins and outcomes); a
-- ledger row that is the same activity names that event in `same_as_event` and is not counted.

-- The event's district (金山区 …), for the yearly statistics; empty: read from its name.
ALTER TABLE event ADD COLUMN district TEXT NOT NULL DEFAULT '';

CREATE TABLE station (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  district    TEXT NOT NULL,
  host        TEXT NOT NULL DEFAULT '',    -- host organisation
  address     TEXT NOT NULL DEFAULT '',
  opened_on   TEXT,                        -- 授牌 date, YYYY-MM-DD
  created_at  TEXT NOT NULL,
  UNIQUE (district, name)
);

CREATE TABLE appointment (
  id            TEXT PRIMARY KEY,
  station_id    TEXT NOT NULL REFERENCES station(id) ON DELETE CASCADE,
  expert_id     TEXT NOT NULL REFERENCES expert(id),
  appointed_on  TEXT NOT NULL,             -- 受聘 date, YYYY-MM-DD
  term_years    INTEGER NOT NULL DEFAULT 2 CHECK (term_years BETWEEN 1 AND 10),
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  UNIQUE (station_id, expert_id)
);

CREATE TABLE activity (
  id              TEXT PRIMARY KEY,
  date            TEXT NOT NULL,           -- YYYY-MM-DD
  district        TEXT NOT NULL,           -- normalised: 金山区, 浦东新区 …
  name            TEXT NOT NULL,
  kind            TEXT NOT NULL,           -- 科技服务, 教育服务 … or what the organiser typed
  place           TEXT NOT NULL DEFAULT '',
  station_id      TEXT REFERENCES station(id) ON DELETE SET NULL,
  participations  INTEGER NOT NULL DEFAULT 0 CHECK (participations >= 0),  -- when no experts are linked
  enterprises     INTEGER NOT NULL DEFAULT 0 CHECK (enterprises >= 0),
  people          INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
  notes           TEXT NOT NULL DEFAULT '',
  same_as_event   TEXT REFERENCES event(id) ON DELETE SET NULL,
  fingerprint     TEXT NOT NULL UNIQUE,    -- the row as read: re-importing a ledger adds nothing
  import_batch_id TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX activity_by_date ON activity(date);

CREATE TABLE activity_expert (
  activity_id  TEXT NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  expert_id    TEXT NOT NULL REFERENCES expert(id),
  PRIMARY KEY (activity_id, expert_id)
) WITHOUT ROWID;
CREATE INDEX activity_expert_by_expert ON activity_expert(expert_id);

-- After the afternoon, per service point.
CREATE TABLE point_outcome (
  point_id     TEXT PRIMARY KEY REFERENCES service_point(id) ON DELETE CASCADE,
  enterprises  INTEGER NOT NULL DEFAULT 0 CHECK (enterprises >= 0),
  people       INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
  updated_at   TEXT NOT NULL
);

-- 建言 collected at a service point.
CREATE TABLE suggestion (
  id              TEXT PRIMARY KEY,
  point_id        TEXT NOT NULL REFERENCES service_point(id) ON DELETE CASCADE,
  title           TEXT NOT NULL,
  lead_expert_id  TEXT REFERENCES expert(id),
  theme           TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'adopted')),
  created_at      TEXT NOT NULL
);
