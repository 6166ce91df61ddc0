-- The entries still lacking the derived query columns (local_day IS NULL), by id; see
-- migrations/county-sqlite/08-backfill-probe.
CREATE INDEX entries_lacking_query_columns ON entries (id) WHERE local_day IS NULL;
