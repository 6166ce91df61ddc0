-- The entries still lacking the derived query columns of migration 03 (local_day IS NULL), by
-- id: the backfill at every open reads them off this index instead of walking every entry
-- (about 4 s per 500,000 entries, at each start). Every write sets local_day, so the index is
-- empty once the backfill has run and costs a write nothing.
CREATE INDEX entries_lacking_query_columns ON entries (id) WHERE local_day IS NULL;
