-- The search index follows an entry only when its search text changes. SQLite fires an
-- `UPDATE OF search_text` trigger whenever the statement sets the column, changed or not, so
-- every new version (a pulled review, a hazard fixed, a status) deleted and re-inserted the
-- entry's trigrams; now a version that keeps the text leaves the index as it is.
DROP TRIGGER entries_search_after_update;

CREATE TRIGGER entries_search_after_update AFTER UPDATE OF search_text ON entries
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO entries_search (entries_search, rowid, search_text)
    VALUES ('delete', old.entry_rowid, old.search_text);
    INSERT INTO entries_search (rowid, search_text) VALUES (new.entry_rowid, new.search_text);
END;
