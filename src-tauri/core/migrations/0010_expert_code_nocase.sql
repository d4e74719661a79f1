-- A badge is looked up by its code as the scanner types it, in either case: an index in that
-- collation makes the lookup a search of the index, not a read of every expert.
CREATE INDEX expert_code_nocase ON expert(code COLLATE NOCASE);
