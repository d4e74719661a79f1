-- Two records of the same person merged: the other one is archived and points at the survivor,
-- so a package from another desk that still names it lands on the survivor.
ALTER TABLE expert ADD COLUMN merged_into TEXT REFERENCES expert(id);
