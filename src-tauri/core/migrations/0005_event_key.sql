-- Each event's secret key: packages of the event are sealed under it (see seal.rs). It lives
-- in its own table, which no export, list or package query reads; copies of the database carry
-- it, so laptops set up from one database recognise each other's packages. Events from before
-- this version get a key now (SQLite's randomblob draws from the OS's randomness on open).
CREATE TABLE event_key (
    event_id TEXT PRIMARY KEY REFERENCES event(id) ON DELETE CASCADE,
    key BLOB NOT NULL CHECK (length(key) = 32)
);
INSERT INTO event_key (event_id, key) SELECT id, randomblob(32) FROM event;
