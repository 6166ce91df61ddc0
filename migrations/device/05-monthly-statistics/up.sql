-- The post's statistics kept up to date as entries are written, so the month's summary reads
-- a few hundred rows instead of grouping every entry. Maintained in the same transaction as
-- each entry write (patrol-device store/entries.rs); rebuilt here from the entries.
CREATE TABLE monthly_statistics (
    kind     TEXT NOT NULL,
    category TEXT NOT NULL,
    month    TEXT NOT NULL,
    unit     TEXT,
    entries  INTEGER NOT NULL,
    quantity REAL,
    fixed    INTEGER NOT NULL,
    PRIMARY KEY (kind, category, month)
) WITHOUT ROWID;

INSERT INTO monthly_statistics (kind, category, month, unit, entries, quantity, fixed)
SELECT kind, category, substr(local_date, 1, 7), MAX(unit), COUNT(*), SUM(quantity),
       SUM(IFNULL(status, '') = 'fixed')
FROM entries WHERE deleted = 0
GROUP BY kind, category, substr(local_date, 1, 7);
