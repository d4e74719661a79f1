-- Tongxin's central store, schema version 1: the city office's PostgreSQL. Desks keep their
-- own SQLite file and sync with this whenever a network exists (see src-tauri/sync).
--
-- Reference rows (events, themes, service points, experts, sign-ups) are authoritative here
-- for the events the city office publishes. Every write sets `rev` from one sequence, so a desk
-- pulls "what changed since revision N" (and re-pulls an overlap: a transaction that commits
-- late may carry a lower number). Check-ins and revocations are an append-only log: a desk may
-- insert them (ON CONFLICT (id) DO NOTHING: the UUID is the idempotency key) and never update or
-- delete them. A desk's edits of experts and sign-ups arrive as rows of append-only edit logs;
-- a trigger applies the later one and every edit stays in the log.
--
-- Run by `tongxin-cli server init --server URL` as the database's owner; idempotent.

CREATE SCHEMA IF NOT EXISTS tongxin;
SET search_path = tongxin;

CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);
CREATE SEQUENCE IF NOT EXISTS rev;

-- The roles: every desk login is a member of tongxin_desk; the city office's dashboard logins
-- of tongxin_city. `access` says which events (venues) a login serves.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_desk') THEN
    CREATE ROLE tongxin_desk NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_city') THEN
    CREATE ROLE tongxin_city NOLOGIN;
  END IF;
END $$;

CREATE TABLE IF NOT EXISTS access (
  role      name NOT NULL,
  event_id  text NOT NULL,
  PRIMARY KEY (role, event_id)
);

CREATE TABLE IF NOT EXISTS event (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  short_name  text NOT NULL DEFAULT '',
  kind        text NOT NULL CHECK (kind IN ('main', 'sub')),
  parent_id   text,
  date        text NOT NULL,
  place       text NOT NULL DEFAULT '',
  district    text NOT NULL DEFAULT '',
  key         bytea NOT NULL CHECK (length(key) = 32),
  rev         bigint NOT NULL DEFAULT nextval('rev')
);

CREATE TABLE IF NOT EXISTS theme (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  sort_order  bigint NOT NULL DEFAULT 0,
  rev         bigint NOT NULL DEFAULT nextval('rev')
);

CREATE TABLE IF NOT EXISTS service_point (
  id             text PRIMARY KEY,
  event_id       text NOT NULL REFERENCES event(id),
  theme_id       text,
  name           text NOT NULL,
  short_name     text NOT NULL DEFAULT '',
  address        text NOT NULL DEFAULT '',
  contact        text NOT NULL DEFAULT '',
  contact_phone  text NOT NULL DEFAULT '',
  capacity       bigint NOT NULL DEFAULT 0,
  depart_time    text NOT NULL DEFAULT '',
  bus            text NOT NULL DEFAULT '',
  sort_order     bigint NOT NULL DEFAULT 0,
  rev            bigint NOT NULL DEFAULT nextval('rev')
);
CREATE INDEX IF NOT EXISTS service_point_event ON service_point(event_id);

CREATE TABLE IF NOT EXISTS expert (
  id            text PRIMARY KEY,
  code          text NOT NULL,
  name          text NOT NULL,
  gender        text NOT NULL DEFAULT '',
  party         text NOT NULL DEFAULT '',
  organisation  text NOT NULL DEFAULT '',
  title         text NOT NULL DEFAULT '',
  field         text NOT NULL DEFAULT '',
  phone         text NOT NULL DEFAULT '',
  notes         text NOT NULL DEFAULT '',
  archived      boolean NOT NULL DEFAULT false,
  updated_at    text NOT NULL,
  rev           bigint NOT NULL DEFAULT nextval('rev')
);

CREATE TABLE IF NOT EXISTS signup (
  id          text PRIMARY KEY,
  event_id    text NOT NULL REFERENCES event(id),
  expert_id   text NOT NULL,              -- no foreign key: a desk sends a walk-in's record and sign-up in any order
  point_id    text,
  status      text NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
  updated_at  text NOT NULL,
  rev         bigint NOT NULL DEFAULT nextval('rev')
);
CREATE INDEX IF NOT EXISTS signup_event ON signup(event_id);
CREATE INDEX IF NOT EXISTS signup_expert ON signup(expert_id);

-- The log. `received_at` is the server's clock, for the dashboard's "last heard of".
CREATE TABLE IF NOT EXISTS checkin (
  id           text PRIMARY KEY,
  event_id     text NOT NULL REFERENCES event(id),
  expert_id    text NOT NULL,
  point_id     text,
  at           text NOT NULL,
  desk_id      text NOT NULL,
  desk_name    text NOT NULL,
  method       text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  received_by  name NOT NULL DEFAULT current_user,
  rev          bigint NOT NULL DEFAULT nextval('rev')
);
CREATE INDEX IF NOT EXISTS checkin_event ON checkin(event_id);
CREATE INDEX IF NOT EXISTS checkin_rev ON checkin(rev);
CREATE INDEX IF NOT EXISTS checkin_expert ON checkin(expert_id);
CREATE INDEX IF NOT EXISTS checkin_desk ON checkin(desk_id, event_id);

CREATE TABLE IF NOT EXISTS revocation (
  id           text PRIMARY KEY,
  checkin_id   text NOT NULL REFERENCES checkin(id),
  event_id     text NOT NULL REFERENCES event(id),
  at           text NOT NULL,
  desk_id      text NOT NULL,
  desk_name    text NOT NULL,
  reason       text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  rev          bigint NOT NULL DEFAULT nextval('rev')
);
CREATE INDEX IF NOT EXISTS revocation_rev ON revocation(rev);
-- Desks pull "changed since revision N" from every reference table.
CREATE INDEX IF NOT EXISTS event_rev ON event(rev);
CREATE INDEX IF NOT EXISTS theme_rev ON theme(rev);
CREATE INDEX IF NOT EXISTS service_point_rev ON service_point(rev);
CREATE INDEX IF NOT EXISTS expert_rev ON expert(rev);
CREATE INDEX IF NOT EXISTS signup_rev ON signup(rev);

-- Edits from desks (a walk-in's new record, a corrected title, a group change): appended,
-- applied by the triggers below when later than what the server has. `applied` says which won.
CREATE TABLE IF NOT EXISTS expert_edit (
  id            text PRIMARY KEY,          -- expert id '@' updated_at: a re-push adds nothing
  event_id      text NOT NULL REFERENCES event(id),
  expert_id     text NOT NULL,
  code          text NOT NULL,
  name          text NOT NULL,
  gender        text NOT NULL DEFAULT '',
  party         text NOT NULL DEFAULT '',
  organisation  text NOT NULL DEFAULT '',
  title         text NOT NULL DEFAULT '',
  field         text NOT NULL DEFAULT '',
  phone         text NOT NULL DEFAULT '',
  notes         text NOT NULL DEFAULT '',
  archived      boolean NOT NULL DEFAULT false,
  updated_at    text NOT NULL,
  desk_id       text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  received_by   name NOT NULL DEFAULT current_user,
  applied       boolean NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS signup_edit (
  id           text PRIMARY KEY,           -- sign-up id '@' updated_at
  event_id     text NOT NULL REFERENCES event(id),
  signup_id    text NOT NULL,
  expert_id    text NOT NULL,
  point_id     text,
  status       text NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
  updated_at   text NOT NULL,
  desk_id      text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  received_by  name NOT NULL DEFAULT current_user,
  applied      boolean NOT NULL DEFAULT false
);

-- Each desk's last contact, for the dashboard (a venue gone quiet is visible).
CREATE TABLE IF NOT EXISTS desk (
  desk_id    text PRIMARY KEY,
  desk_name  text NOT NULL,
  role       name NOT NULL,
  event_ids  text[] NOT NULL,
  last_seen  timestamptz NOT NULL,
  unsent     bigint NOT NULL DEFAULT 0
);

-- The events the current login serves (a desk), or every event (the owner, the city office).
CREATE OR REPLACE FUNCTION my_events() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
  SELECT event_id FROM access WHERE role = session_user
  UNION
  -- Not a desk login (direct membership: pg_has_role says yes for any superuser).
  SELECT id FROM event WHERE NOT EXISTS (
    SELECT 1 FROM pg_auth_members m
    WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = 'tongxin_desk')
      AND m.member = (SELECT oid FROM pg_roles WHERE rolname = session_user))
$$;

CREATE OR REPLACE FUNCTION apply_expert_edit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
BEGIN
  INSERT INTO expert AS e (id, code, name, gender, party, organisation, title, field, phone,
                           notes, archived, updated_at)
  VALUES (NEW.expert_id, NEW.code, NEW.name, NEW.gender, NEW.party, NEW.organisation,
          NEW.title, NEW.field, NEW.phone, NEW.notes, NEW.archived, NEW.updated_at)
  ON CONFLICT (id) DO UPDATE SET
    code = excluded.code, name = excluded.name, gender = excluded.gender,
    party = excluded.party, organisation = excluded.organisation, title = excluded.title,
    field = excluded.field, phone = excluded.phone, notes = excluded.notes,
    archived = excluded.archived, updated_at = excluded.updated_at, rev = nextval('rev')
  WHERE e.updated_at < excluded.updated_at;
  NEW.applied := FOUND;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS expert_edit_apply ON expert_edit;
CREATE TRIGGER expert_edit_apply BEFORE INSERT ON expert_edit
  FOR EACH ROW EXECUTE FUNCTION apply_expert_edit();

CREATE OR REPLACE FUNCTION apply_signup_edit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
BEGIN
  INSERT INTO signup AS s (id, event_id, expert_id, point_id, status, updated_at)
  VALUES (NEW.signup_id, NEW.event_id, NEW.expert_id, NEW.point_id, NEW.status, NEW.updated_at)
  ON CONFLICT (id) DO UPDATE SET
    point_id = excluded.point_id, status = excluded.status,
    updated_at = excluded.updated_at, rev = nextval('rev')
  WHERE s.updated_at < excluded.updated_at AND s.event_id = excluded.event_id;
  NEW.applied := FOUND;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS signup_edit_apply ON signup_edit;
CREATE TRIGGER signup_edit_apply BEFORE INSERT ON signup_edit
  FOR EACH ROW EXECUTE FUNCTION apply_signup_edit();

-- Live updates: every check-in and revocation wakes the dashboards (LISTEN tongxin).
CREATE OR REPLACE FUNCTION notify_log() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tongxin', NEW.event_id);
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS checkin_notify ON checkin;
CREATE TRIGGER checkin_notify AFTER INSERT ON checkin
  FOR EACH ROW EXECUTE FUNCTION notify_log();
DROP TRIGGER IF EXISTS revocation_notify ON revocation;
CREATE TRIGGER revocation_notify AFTER INSERT ON revocation
  FOR EACH ROW EXECUTE FUNCTION notify_log();

-- Row-level security: a desk reads and writes only its own venues' rows.
ALTER TABLE event ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_point ENABLE ROW LEVEL SECURITY;
ALTER TABLE signup ENABLE ROW LEVEL SECURITY;
ALTER TABLE expert ENABLE ROW LEVEL SECURITY;
ALTER TABLE checkin ENABLE ROW LEVEL SECURITY;
ALTER TABLE revocation ENABLE ROW LEVEL SECURITY;
ALTER TABLE expert_edit ENABLE ROW LEVEL SECURITY;
ALTER TABLE signup_edit ENABLE ROW LEVEL SECURITY;
ALTER TABLE desk ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS venue ON event;
CREATE POLICY venue ON event FOR SELECT USING (id IN (SELECT my_events()));
DROP POLICY IF EXISTS venue ON service_point;
CREATE POLICY venue ON service_point FOR SELECT USING (event_id IN (SELECT my_events()));
DROP POLICY IF EXISTS venue ON signup;
CREATE POLICY venue ON signup FOR SELECT USING (event_id IN (SELECT my_events()));
DROP POLICY IF EXISTS venue ON expert;
CREATE POLICY venue ON expert FOR SELECT USING (
  id IN (SELECT expert_id FROM signup WHERE event_id IN (SELECT my_events())
         UNION SELECT expert_id FROM checkin WHERE event_id IN (SELECT my_events())));
DROP POLICY IF EXISTS venue_read ON checkin;
CREATE POLICY venue_read ON checkin FOR SELECT USING (event_id IN (SELECT my_events()));
DROP POLICY IF EXISTS venue_write ON checkin;
CREATE POLICY venue_write ON checkin FOR INSERT WITH CHECK (event_id IN (SELECT my_events()));
DROP POLICY IF EXISTS venue_read ON revocation;
CREATE POLICY venue_read ON revocation FOR SELECT USING (event_id IN (SELECT my_events()));
DROP POLICY IF EXISTS venue_write ON revocation;
CREATE POLICY venue_write ON revocation FOR INSERT WITH CHECK (event_id IN (SELECT my_events()));
DROP POLICY IF EXISTS venue_write ON expert_edit;
CREATE POLICY venue_write ON expert_edit FOR INSERT WITH CHECK (event_id IN (SELECT my_events()));
DROP POLICY IF EXISTS venue_write ON signup_edit;
CREATE POLICY venue_write ON signup_edit FOR INSERT WITH CHECK (event_id IN (SELECT my_events()));
-- ON CONFLICT checks a new row against the reading policy too: a desk reads its own edits.
DROP POLICY IF EXISTS own_read ON expert_edit;
CREATE POLICY own_read ON expert_edit FOR SELECT USING (received_by = session_user);
DROP POLICY IF EXISTS own_read ON signup_edit;
CREATE POLICY own_read ON signup_edit FOR SELECT USING (received_by = session_user);
DROP POLICY IF EXISTS own ON desk;
CREATE POLICY own ON desk USING (role = session_user) WITH CHECK (role = session_user);

-- A desk says it is alive (and how much it still has to send) through this function only.
CREATE OR REPLACE FUNCTION hello(p_desk_id text, p_desk_name text, p_unsent bigint)
RETURNS SETOF text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
  INSERT INTO desk (desk_id, desk_name, role, event_ids, last_seen, unsent)
  -- The venues it serves: a desk login's own; the city office's laptop (which may sync every
  -- venue) counts for those it checks people in at, so it does not make every venue look alive.
  VALUES (p_desk_id, p_desk_name, session_user,
          ARRAY(SELECT event_id FROM access WHERE role = session_user
                UNION
                SELECT e FROM my_events() AS e
                WHERE EXISTS (SELECT 1 FROM checkin c WHERE c.event_id = e AND c.desk_id = p_desk_id)
                ORDER BY 1),
          now(), p_unsent)
  ON CONFLICT (desk_id) DO UPDATE SET desk_name = excluded.desk_name, role = excluded.role,
    event_ids = excluded.event_ids, last_seen = excluded.last_seen, unsent = excluded.unsent;
  SELECT my_events();
$$;

-- The city's picture: per venue, 应到 (registered sign-ups), 实到 (people with a live
-- check-in at the venue), walk-ins, and when a desk of the venue was last heard of. Counts
-- only, no names: every desk and dashboard login may read it. A view runs with its owner's
-- rights, so it sees every venue.
CREATE OR REPLACE VIEW dashboard AS
  SELECT e.id AS event_id, e.name, e.short_name, e.kind, e.district, e.date,
    (SELECT count(*) FROM signup s WHERE s.event_id = e.id AND s.status = 'registered')
      AS expected,
    (SELECT count(DISTINCT c.expert_id) FROM checkin c
      WHERE c.event_id = e.id AND c.point_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)) AS arrived,
    (SELECT count(DISTINCT c.expert_id) FROM checkin c
      WHERE c.event_id = e.id AND c.method = 'walkin'
        AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)) AS walkins,
    (SELECT max(d.last_seen) FROM desk d WHERE e.id = ANY (d.event_ids)) AS last_sync,
    (SELECT count(*) FROM desk d WHERE e.id = ANY (d.event_ids)) AS desks,
    (SELECT coalesce(sum(d.unsent), 0) FROM desk d WHERE e.id = ANY (d.event_ids)) AS unsent
  FROM event e;

REVOKE ALL ON ALL TABLES IN SCHEMA tongxin FROM PUBLIC;
GRANT USAGE ON SCHEMA tongxin TO tongxin_desk, tongxin_city;
GRANT USAGE ON SEQUENCE rev TO tongxin_desk;
GRANT SELECT ON event, theme, service_point, expert, signup, checkin, revocation TO tongxin_desk;
GRANT INSERT ON checkin, revocation, expert_edit, signup_edit TO tongxin_desk;
-- ON CONFLICT (id) reads the id column.
GRANT SELECT (id) ON expert_edit, signup_edit TO tongxin_desk;
GRANT SELECT ON dashboard, meta TO tongxin_desk, tongxin_city;
GRANT EXECUTE ON FUNCTION hello(text, text, bigint), my_events() TO tongxin_desk;

INSERT INTO meta (key, value) VALUES ('schema_version', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
