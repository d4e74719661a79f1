-- Sync with a central PostgreSQL (the city office's server, optional). The rows that travel are
-- those of the append-only log (check-ins, revocations) and the experts and sign-ups a desk
-- creates or edits; each is known to the server once pushed or pulled. A row is listed here
-- with the version the server has (an expert's or a sign-up's `updated_at`, '' for a log row),
-- so what is still to upload is what is not here, or here with an older version.
CREATE TABLE central_known (
  id       TEXT PRIMARY KEY,
  version  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
