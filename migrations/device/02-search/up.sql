-- Full-text search that works for Chinese: FTS5's trigram tokenizer matches any substring of
-- three or more characters (shorter queries fall back to LIKE on entries.search_text).
CREATE VIRTUAL TABLE entries_search USING fts5 (
    search_text,
    content = 'entries',
    content_rowid = 'entry_rowid',
    tokenize = 'trigram'
);

CREATE TRIGGER entries_search_after_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_search (rowid, search_text) VALUES (new.entry_rowid, new.search_text);
END;

CREATE TRIGGER entries_search_after_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_search (entries_search, rowid, search_text)
    VALUES ('delete', old.entry_rowid, old.search_text);
END;

CREATE TRIGGER entries_search_after_update AFTER UPDATE OF search_text ON entries BEGIN
    INSERT INTO entries_search (entries_search, rowid, search_text)
    VALUES ('delete', old.entry_rowid, old.search_text);
    INSERT INTO entries_search (rowid, search_text) VALUES (new.entry_rowid, new.search_text);
END;

-- Entries written before this version become searchable too.
INSERT INTO entries_search (entries_search) VALUES ('rebuild');
