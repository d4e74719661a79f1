-- Imports and walk-ins look people up by name (同名 warnings, matching rows without a phone):
-- without this index every lookup scans all experts.
CREATE INDEX IF NOT EXISTS expert_name ON expert(name);
