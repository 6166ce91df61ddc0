-- The photo variants whose upload has begun: the server may hold part of them, so the sync asks
-- it how far it got (HEAD) before going on. A variant not listed was never sent, and its first
-- chunk goes at offset 0 without that round trip (a third of a second each on 2G). A row is
-- written before the first chunk and removed when the variant is uploaded.
CREATE TABLE photo_uploads_begun (
    sha256 TEXT NOT NULL,
    variant TEXT NOT NULL CHECK (variant IN ('thumbnail', 'original')),
    PRIMARY KEY (sha256, variant)
) WITHOUT ROWID;

-- A store from before this table cannot tell: every variant not yet uploaded may have begun.
INSERT INTO photo_uploads_begun (sha256, variant)
    SELECT sha256, 'thumbnail' FROM photos WHERE thumbnail_uploaded = 0
    UNION ALL
    SELECT sha256, 'original' FROM photos WHERE original_uploaded = 0;
