-- The patrol an entry was recorded during (a hazard found, a repair made on the way), as a
-- query column derived from the document on every write, so a patrol lists its entries from an
-- index. The partial index holds only entries recorded during a patrol.
ALTER TABLE entries ADD COLUMN patrol_id TEXT;
UPDATE entries SET patrol_id = document ->> '$.patrol_id';
CREATE INDEX entries_during_patrol ON entries (patrol_id, occurred_at_ms DESC)
    WHERE patrol_id IS NOT NULL;
