-- Schema version 2: a desk login reaches its own venues and nothing else, and no committed row
-- is ever skipped.
--
-- - Only desk and dashboard logins connect (CONNECT revoked from PUBLIC). Nobody but the owner
--   creates anything in this database: no temporary tables (one could shadow a name that a
--   query or function looks up), no schemas, nothing in `public`, no large objects.
-- - Every SECURITY DEFINER function runs with `search_path = pg_catalog, tongxin, pg_temp`
--   and names every table with its schema; EXECUTE is revoked from PUBLIC on every function.
-- - The columns the server owns (`rev`, `xid`, `received_at`, `received_by`, `applied`) are
--   not among those a desk may insert, and a trigger sets them on every write anyway.
-- - A desk reads an expert only through its venues' sign-ups, edits only the experts and
--   sign-ups of its venues, revokes only its venues' check-ins; the city login reads counts.
-- - Every row a desk pulls carries `xid`, the transaction that wrote it. A pull reads in one
--   snapshot S and asks for the rows written by a transaction the previous pull's snapshot did
--   not see: at or above its `xmax`, or among its in-flight `xip`. A row invisible to one
--   snapshot and visible to the next is taken by the next: correct by construction, however
--   long a transaction stays open, and a transaction left open does not make every later
--   pull read more. A row that becomes visible to a desk without being written again (a
--   person signed up at its venue, a theme a new point names) is touched when that happens.
-- - No trigger sends NOTIFY: a full notification queue (any login can fill it) must never
--   fail a check-in. Desks notify each other after their push commits, on their own.
-- - Edits are ordered by the server: the one received last is applied, whatever the desks'
--   clocks say. A re-sent edit (same id) changes nothing.
-- - Service points created or edited on a desk go up (`point_edit`), so nothing a desk sends
--   refers to a point the other desks cannot pull.
-- - Notes, gender and field stay on the laptops: the city's rows do not have them.
-- - `meta.server_id` names this server: a rebuilt one gets a new id, and desks start over.
--
-- Every statement names its schema: this runs in the migration's session, whatever its path.

DO $$ BEGIN
  EXECUTE pg_catalog.format('REVOKE CONNECT, TEMPORARY, CREATE ON DATABASE %I FROM PUBLIC',
                            pg_catalog.current_database());
  EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO tongxin_desk, tongxin_city',
                            pg_catalog.current_database());
  -- Large objects are objects too (and disk): only a superuser may take them from PUBLIC.
  IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
    REVOKE EXECUTE ON FUNCTION pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer),
      pg_catalog.lo_from_bytea(oid, bytea) FROM PUBLIC;
  END IF;
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA tongxin FROM PUBLIC;

INSERT INTO tongxin.meta (key, value) VALUES ('server_id', pg_catalog.gen_random_uuid()::text)
  ON CONFLICT (key) DO NOTHING;

-- What stays on the laptops.
ALTER TABLE tongxin.expert DROP COLUMN IF EXISTS notes, DROP COLUMN IF EXISTS gender,
  DROP COLUMN IF EXISTS field;
ALTER TABLE tongxin.expert_edit DROP COLUMN IF EXISTS notes, DROP COLUMN IF EXISTS gender,
  DROP COLUMN IF EXISTS field;

-- The writing transaction of every row a desk pulls, set by `stamp` with its revision.
ALTER TABLE tongxin.event ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
ALTER TABLE tongxin.theme ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
ALTER TABLE tongxin.service_point ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
ALTER TABLE tongxin.expert ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
ALTER TABLE tongxin.signup ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
ALTER TABLE tongxin.checkin ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
ALTER TABLE tongxin.revocation ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
CREATE INDEX IF NOT EXISTS event_xid ON tongxin.event (xid);
CREATE INDEX IF NOT EXISTS theme_xid ON tongxin.theme (xid);
CREATE INDEX IF NOT EXISTS service_point_xid ON tongxin.service_point (xid);
CREATE INDEX IF NOT EXISTS expert_xid ON tongxin.expert (xid);
CREATE INDEX IF NOT EXISTS signup_xid ON tongxin.signup (xid);
CREATE INDEX IF NOT EXISTS checkin_xid ON tongxin.checkin (xid);
CREATE INDEX IF NOT EXISTS revocation_xid ON tongxin.revocation (xid);
ALTER TABLE tongxin.revocation ADD COLUMN IF NOT EXISTS received_by name NOT NULL DEFAULT session_user;

-- Whoever writes (a desk through a trigger, the owner publishing), the server sets these.
CREATE OR REPLACE FUNCTION tongxin.stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, tongxin, pg_temp AS $$
BEGIN
  NEW.rev := pg_catalog.nextval('tongxin.rev');
  NEW.xid := pg_catalog.pg_current_xact_id();
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION tongxin.stamp_received() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, tongxin, pg_temp AS $$
BEGIN
  NEW.rev := pg_catalog.nextval('tongxin.rev');
  NEW.xid := pg_catalog.pg_current_xact_id();
  NEW.received_at := pg_catalog.clock_timestamp();
  NEW.received_by := session_user;
  RETURN NEW;
END $$;
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['event', 'theme', 'service_point', 'expert', 'signup'] LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS a_stamp ON tongxin.%I', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER a_stamp BEFORE INSERT OR UPDATE ON tongxin.%I
                               FOR EACH ROW EXECUTE FUNCTION tongxin.stamp()', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['checkin', 'revocation'] LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS a_stamp ON tongxin.%I', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER a_stamp BEFORE INSERT OR UPDATE ON tongxin.%I
                               FOR EACH ROW EXECUTE FUNCTION tongxin.stamp_received()', t);
  END LOOP;
END $$;

-- The events the current login serves: a desk's own (`access`); every event for the schema's
-- owner (and superusers); none for anyone else, the city's dashboard logins included.
CREATE OR REPLACE FUNCTION tongxin.my_events() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
  SELECT a.event_id FROM tongxin.access a WHERE a.role = session_user
  UNION
  SELECT e.id FROM tongxin.event e
  WHERE pg_catalog.pg_has_role(session_user,
          (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'tongxin'),
          'MEMBER')
$$;

-- The experts the current login may edit or name in a new sign-up: those signed up at its
-- venues.
CREATE OR REPLACE FUNCTION tongxin.serves_expert(p_expert text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM tongxin.signup s
                 WHERE s.expert_id = p_expert
                   AND s.event_id IN (SELECT tongxin.my_events()))
$$;

-- A desk's edit of an expert, applied in the order the server receives edits. Refused (an
-- error, nothing written) unless the expert is signed up at one of the login's venues.
CREATE OR REPLACE FUNCTION tongxin.apply_expert_edit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
BEGIN
  -- One person's edits and sign-ups are decided one at a time (a walk-in's record and a
  -- sign-up naming it from another venue cannot interleave).
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tongxin-expert:' || NEW.expert_id, 0));
  IF NOT (NEW.event_id IN (SELECT tongxin.my_events()) AND tongxin.serves_expert(NEW.expert_id)) THEN
    RAISE EXCEPTION 'expert % is not signed up at a venue of this login', NEW.expert_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM NEW.expert_id || '@' || NEW.updated_at THEN
    RAISE EXCEPTION 'an edit''s id is its expert''s id @ its version' USING ERRCODE = 'check_violation';
  END IF;
  IF pg_catalog.length(NEW.name) > 200 OR pg_catalog.length(NEW.code) > 100
     OR pg_catalog.length(NEW.organisation) > 500 OR pg_catalog.length(NEW.title) > 500
     OR pg_catalog.length(NEW.party) > 100 OR pg_catalog.length(NEW.phone) > 50
     OR pg_catalog.length(NEW.updated_at) > 40 OR pg_catalog.length(NEW.desk_id) > 100 THEN
    RAISE EXCEPTION 'a field of expert % is too long', NEW.expert_id USING ERRCODE = 'check_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM tongxin.expert_edit x WHERE x.id = NEW.id) THEN
    RETURN NULL;  -- sent again: the server has it
  END IF;
  NEW.received_at := pg_catalog.clock_timestamp();
  NEW.received_by := session_user;
  NEW.applied := true;
  INSERT INTO tongxin.expert AS e (id, code, name, party, organisation, title, phone, archived,
                                   updated_at)
  VALUES (NEW.expert_id, NEW.code, NEW.name, NEW.party, NEW.organisation, NEW.title, NEW.phone,
          NEW.archived, NEW.updated_at)
  ON CONFLICT (id) DO UPDATE SET
    code = excluded.code, name = excluded.name, party = excluded.party,
    organisation = excluded.organisation, title = excluded.title, phone = excluded.phone,
    archived = excluded.archived, updated_at = excluded.updated_at;
  RETURN NEW;
END $$;

-- A desk's new or changed sign-up, in the order received. A sign-up stays at its venue; a new
-- one names a person new to the server or one already signed up at this login's venues, and a
-- point of its own venue.
CREATE OR REPLACE FUNCTION tongxin.apply_signup_edit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
DECLARE
  old_event text;
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tongxin-expert:' || NEW.expert_id, 0));
  IF NEW.event_id NOT IN (SELECT tongxin.my_events()) THEN
    RAISE EXCEPTION 'event % is not a venue of this login', NEW.event_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT s.event_id INTO old_event FROM tongxin.signup s WHERE s.id = NEW.signup_id FOR UPDATE;
  IF FOUND AND old_event IS DISTINCT FROM NEW.event_id THEN
    RAISE EXCEPTION 'sign-up % belongs to another venue', NEW.signup_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- A new sign-up names a person new to the server, or one already at this login's venues.
  IF NOT FOUND AND NOT tongxin.serves_expert(NEW.expert_id)
     AND (EXISTS (SELECT 1 FROM tongxin.expert e WHERE e.id = NEW.expert_id)
          OR EXISTS (SELECT 1 FROM tongxin.signup s WHERE s.expert_id = NEW.expert_id)) THEN
    RAISE EXCEPTION 'expert % is not signed up at a venue of this login', NEW.expert_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM NEW.signup_id || '@' || NEW.updated_at
     OR pg_catalog.length(NEW.updated_at) > 40 OR pg_catalog.length(NEW.desk_id) > 100 THEN
    RAISE EXCEPTION 'sign-up edit % is malformed', NEW.signup_id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.point_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM tongxin.service_point p
       WHERE p.id = NEW.point_id AND p.event_id = NEW.event_id) THEN
    RAISE EXCEPTION 'service point % is not a point of event %', NEW.point_id, NEW.event_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM tongxin.signup_edit x WHERE x.id = NEW.id) THEN
    RETURN NULL;
  END IF;
  NEW.received_at := pg_catalog.clock_timestamp();
  NEW.received_by := session_user;
  NEW.applied := true;
  INSERT INTO tongxin.signup AS s (id, event_id, expert_id, point_id, status, updated_at)
  VALUES (NEW.signup_id, NEW.event_id, NEW.expert_id, NEW.point_id, NEW.status, NEW.updated_at)
  ON CONFLICT (id) DO UPDATE SET point_id = excluded.point_id, status = excluded.status,
    updated_at = excluded.updated_at
  WHERE s.event_id = excluded.event_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sign-up % belongs to another venue', NEW.signup_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;

-- Service points created or edited on a desk, for its own venues (with the theme's name, so a
-- theme made on the laptop comes along).
CREATE TABLE IF NOT EXISTS tongxin.point_edit (
  id             text PRIMARY KEY,           -- point id '@' the laptop's digest of its fields
  event_id       text NOT NULL REFERENCES tongxin.event(id),
  point_id       text NOT NULL,
  theme_id       text,
  theme_name     text NOT NULL DEFAULT '',
  name           text NOT NULL,
  short_name     text NOT NULL DEFAULT '',
  address        text NOT NULL DEFAULT '',
  contact        text NOT NULL DEFAULT '',
  contact_phone  text NOT NULL DEFAULT '',
  capacity       bigint NOT NULL DEFAULT 0,
  depart_time    text NOT NULL DEFAULT '',
  bus            text NOT NULL DEFAULT '',
  sort_order     bigint NOT NULL DEFAULT 0,
  desk_id        text NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
  received_by    name NOT NULL DEFAULT session_user
);

CREATE OR REPLACE FUNCTION tongxin.apply_point_edit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
BEGIN
  IF NEW.event_id NOT IN (SELECT tongxin.my_events())
     OR EXISTS (SELECT 1 FROM tongxin.service_point p
                WHERE p.id = NEW.point_id AND p.event_id <> NEW.event_id) THEN
    RAISE EXCEPTION 'service point % is not at a venue of this login', NEW.point_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF pg_catalog.left(NEW.id, pg_catalog.length(NEW.point_id) + 1) IS DISTINCT FROM NEW.point_id || '@'
     OR pg_catalog.length(NEW.id) > 200 OR pg_catalog.length(NEW.theme_id) > 100
     OR pg_catalog.length(NEW.theme_name) > 200 OR pg_catalog.length(NEW.name) > 200
     OR pg_catalog.length(NEW.short_name) > 200 OR pg_catalog.length(NEW.address) > 500
     OR pg_catalog.length(NEW.contact) > 200 OR pg_catalog.length(NEW.contact_phone) > 50
     OR pg_catalog.length(NEW.depart_time) > 20 OR pg_catalog.length(NEW.bus) > 200
     OR pg_catalog.length(NEW.desk_id) > 100 THEN
    RAISE EXCEPTION 'service point edit % is malformed', NEW.point_id USING ERRCODE = 'check_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM tongxin.point_edit x WHERE x.id = NEW.id) THEN
    RETURN NULL;
  END IF;
  NEW.received_at := pg_catalog.clock_timestamp();
  NEW.received_by := session_user;
  -- A theme made on the laptop comes along; an existing one keeps its name. Themes are seen
  -- only by the venues whose points name them.
  IF NEW.theme_id IS NOT NULL THEN
    INSERT INTO tongxin.theme (id, name) VALUES (NEW.theme_id, NEW.theme_name)
      ON CONFLICT (id) DO NOTHING;
  END IF;
  INSERT INTO tongxin.service_point AS t (id, event_id, theme_id, name, short_name, address,
      contact, contact_phone, capacity, depart_time, bus, sort_order)
  VALUES (NEW.point_id, NEW.event_id, NEW.theme_id, NEW.name, NEW.short_name, NEW.address,
      NEW.contact, NEW.contact_phone, NEW.capacity, NEW.depart_time, NEW.bus, NEW.sort_order)
  ON CONFLICT (id) DO UPDATE SET theme_id = excluded.theme_id, name = excluded.name,
    short_name = excluded.short_name, address = excluded.address, contact = excluded.contact,
    contact_phone = excluded.contact_phone, capacity = excluded.capacity,
    depart_time = excluded.depart_time, bus = excluded.bus, sort_order = excluded.sort_order
  WHERE t.event_id = excluded.event_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'service point % is not at a venue of this login', NEW.point_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS point_edit_apply ON tongxin.point_edit;
CREATE TRIGGER point_edit_apply BEFORE INSERT ON tongxin.point_edit
  FOR EACH ROW EXECUTE FUNCTION tongxin.apply_point_edit();
ALTER TABLE tongxin.point_edit ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS venue_write ON tongxin.point_edit;
CREATE POLICY venue_write ON tongxin.point_edit FOR INSERT
  WITH CHECK (event_id IN (SELECT tongxin.my_events()));
DROP POLICY IF EXISTS own_read ON tongxin.point_edit;
CREATE POLICY own_read ON tongxin.point_edit FOR SELECT USING (received_by = session_user);

-- Notifications leave the write path (see the top of this file).
DROP TRIGGER IF EXISTS checkin_notify ON tongxin.checkin;
DROP TRIGGER IF EXISTS revocation_notify ON tongxin.revocation;
DROP FUNCTION IF EXISTS tongxin.notify_log();

-- Rows that become visible to a desk without being written again are touched, so that the
-- desks that can now see them pull them: a person when signed up somewhere new, a theme when
-- a point names it.
CREATE OR REPLACE FUNCTION tongxin.touch_expert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
BEGIN
  UPDATE tongxin.expert e SET updated_at = e.updated_at WHERE e.id = NEW.expert_id;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS signup_touch_expert ON tongxin.signup;
CREATE TRIGGER signup_touch_expert AFTER INSERT ON tongxin.signup
  FOR EACH ROW EXECUTE FUNCTION tongxin.touch_expert();
CREATE OR REPLACE FUNCTION tongxin.touch_theme() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tongxin, pg_temp AS $$
BEGIN
  IF NEW.theme_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.theme_id IS DISTINCT FROM OLD.theme_id) THEN
    UPDATE tongxin.theme t SET name = t.name WHERE t.id = NEW.theme_id;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS point_touch_theme ON tongxin.service_point;
CREATE TRIGGER point_touch_theme AFTER INSERT OR UPDATE ON tongxin.service_point
  FOR EACH ROW EXECUTE FUNCTION tongxin.touch_theme();

-- What a desk writes directly has bounds too (the log: check-ins and revocations).
ALTER TABLE tongxin.checkin DROP CONSTRAINT IF EXISTS checkin_sizes;
ALTER TABLE tongxin.checkin ADD CONSTRAINT checkin_sizes CHECK (
  length(id) <= 100 AND length(expert_id) <= 100 AND length(coalesce(point_id, '')) <= 100
  AND length(at) <= 40 AND length(desk_id) <= 100 AND length(desk_name) <= 100
  AND length(method) <= 20) NOT VALID;
ALTER TABLE tongxin.revocation DROP CONSTRAINT IF EXISTS revocation_sizes;
ALTER TABLE tongxin.revocation ADD CONSTRAINT revocation_sizes CHECK (
  length(id) <= 100 AND length(at) <= 40 AND length(desk_id) <= 100
  AND length(desk_name) <= 100 AND length(reason) <= 500) NOT VALID;

-- A desk says it is alive through this function only; it names its own desks only.
CREATE OR REPLACE FUNCTION tongxin.hello(p_desk_id text, p_desk_name text, p_unsent bigint)
RETURNS SETOF text LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, tongxin, pg_temp AS $$
  INSERT INTO tongxin.desk AS d (desk_id, desk_name, role, event_ids, last_seen, unsent)
  -- The venues it serves: a desk login's own; the city office's laptop (which may sync every
  -- venue) counts for those it checks people in at, so it does not make every venue look alive.
  VALUES (p_desk_id, p_desk_name, session_user,
          ARRAY(SELECT a.event_id FROM tongxin.access a WHERE a.role = session_user
                UNION
                SELECT e FROM tongxin.my_events() AS e
                WHERE EXISTS (SELECT 1 FROM tongxin.checkin c
                              WHERE c.event_id = e AND c.desk_id = p_desk_id)
                ORDER BY 1),
          pg_catalog.now(), p_unsent)
  ON CONFLICT (desk_id) DO UPDATE SET desk_name = excluded.desk_name,
    event_ids = excluded.event_ids, last_seen = excluded.last_seen, unsent = excluded.unsent
  WHERE d.role = session_user;
  SELECT tongxin.my_events();
$$;

-- Reading: a venue's people only through its sign-ups; its themes only through its points; a
-- revocation only of a check-in of the same venue.
ALTER TABLE tongxin.theme ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS venue ON tongxin.theme;
CREATE POLICY venue ON tongxin.theme FOR SELECT USING (
  id IN (SELECT p.theme_id FROM tongxin.service_point p
         WHERE p.event_id IN (SELECT tongxin.my_events())));
DROP POLICY IF EXISTS venue ON tongxin.expert;
CREATE POLICY venue ON tongxin.expert FOR SELECT USING (
  id IN (SELECT s.expert_id FROM tongxin.signup s WHERE s.event_id IN (SELECT tongxin.my_events())));
DROP POLICY IF EXISTS venue_write ON tongxin.revocation;
CREATE POLICY venue_write ON tongxin.revocation FOR INSERT WITH CHECK (
  event_id IN (SELECT tongxin.my_events())
  AND EXISTS (SELECT 1 FROM tongxin.checkin c
              WHERE c.id = revocation.checkin_id AND c.event_id = revocation.event_id));

-- The city's picture: 应到 counts those waiting for a service point's place too (they are
-- expected at the venue all the same), as the desks do.
CREATE OR REPLACE VIEW tongxin.dashboard AS
  SELECT e.id AS event_id, e.name, e.short_name, e.kind, e.district, e.date,
    (SELECT count(DISTINCT s.expert_id) FROM tongxin.signup s
      WHERE s.event_id = e.id AND s.status IN ('registered', 'waiting')) AS expected,
    (SELECT count(DISTINCT c.expert_id) FROM tongxin.checkin c
      WHERE c.event_id = e.id AND c.point_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM tongxin.revocation r WHERE r.checkin_id = c.id)) AS arrived,
    (SELECT count(DISTINCT c.expert_id) FROM tongxin.checkin c
      WHERE c.event_id = e.id AND c.method = 'walkin'
        AND NOT EXISTS (SELECT 1 FROM tongxin.revocation r WHERE r.checkin_id = c.id)) AS walkins,
    (SELECT max(d.last_seen) FROM tongxin.desk d WHERE e.id = ANY (d.event_ids)) AS last_sync,
    (SELECT count(*) FROM tongxin.desk d WHERE e.id = ANY (d.event_ids)) AS desks,
    (SELECT coalesce(sum(d.unsent), 0) FROM tongxin.desk d WHERE e.id = ANY (d.event_ids)) AS unsent
  FROM tongxin.event e;

-- Privileges, from nothing.
REVOKE ALL ON ALL TABLES IN SCHEMA tongxin FROM PUBLIC, tongxin_desk, tongxin_city;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA tongxin FROM PUBLIC, tongxin_desk, tongxin_city;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA tongxin FROM PUBLIC, tongxin_desk, tongxin_city;
-- (Per schema, default privileges can only add: this one is the owner's, everywhere.)
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA tongxin TO tongxin_desk, tongxin_city;
GRANT USAGE ON SEQUENCE tongxin.rev TO tongxin_desk;
GRANT SELECT ON tongxin.event, tongxin.theme, tongxin.service_point, tongxin.expert,
  tongxin.signup, tongxin.checkin, tongxin.revocation TO tongxin_desk;
GRANT INSERT (id, event_id, expert_id, point_id, at, desk_id, desk_name, method)
  ON tongxin.checkin TO tongxin_desk;
GRANT INSERT (id, checkin_id, event_id, at, desk_id, desk_name, reason)
  ON tongxin.revocation TO tongxin_desk;
GRANT INSERT (id, event_id, expert_id, code, name, party, organisation, title, phone, archived,
              updated_at, desk_id)
  ON tongxin.expert_edit TO tongxin_desk;
GRANT INSERT (id, event_id, signup_id, expert_id, point_id, status, updated_at, desk_id)
  ON tongxin.signup_edit TO tongxin_desk;
GRANT INSERT (id, event_id, point_id, theme_id, theme_name, name, short_name, address, contact,
              contact_phone, capacity, depart_time, bus, sort_order, desk_id)
  ON tongxin.point_edit TO tongxin_desk;
-- Reading its own edits back: which of them the server took.
GRANT SELECT (id) ON tongxin.expert_edit, tongxin.signup_edit, tongxin.point_edit TO tongxin_desk;
GRANT SELECT ON tongxin.dashboard, tongxin.meta TO tongxin_desk, tongxin_city;
GRANT EXECUTE ON FUNCTION tongxin.hello(text, text, bigint), tongxin.my_events() TO tongxin_desk;

UPDATE tongxin.meta SET value = '2' WHERE key = 'schema_version';
