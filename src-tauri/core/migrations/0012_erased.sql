-- People whose personal information was erased on request (PIPL art. 47): their record stays,
-- with a placeholder name, so the day's and the year's counts stand; a package or a pull that
-- still carries their details never writes them back.
CREATE TABLE erased (
  expert_id  TEXT PRIMARY KEY REFERENCES expert(id),
  erased_at  TEXT NOT NULL
) WITHOUT ROWID;
