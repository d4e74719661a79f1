-- Rows pulled from the city server that could not be applied: waiting for what they refer to
-- (an expert, a service point, an event or a check-in not on this desk yet), retried after
-- every pull and applied when it arrives; or refused for breaking the rules every way in obeys
-- (`waiting = 0`, kept to show what and why). One such row never holds up the others.
CREATE TABLE central_parked (
  kind       TEXT NOT NULL,     -- point | expert | signup | checkin | revocation
  id         TEXT NOT NULL,
  body       TEXT NOT NULL,     -- the row as pulled, JSON
  reason     TEXT NOT NULL,
  waiting    INTEGER NOT NULL,
  parked_at  TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
