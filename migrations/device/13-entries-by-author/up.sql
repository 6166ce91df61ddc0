-- The post leader's log filter by member: the entries a member wrote, newest first, from an
-- index (the author column is kept from the document on every write since migration 01).
CREATE INDEX entries_by_author ON entries (author, occurred_at_ms DESC) WHERE author IS NOT NULL;
