-- Photos sized for the link. From this version the file a photo's sha256 names (photos/ab/<sha256>,
-- the one the sync uploads and entries reference) is the send version: long edge at most 1600 px,
-- JPEG, EXIF orientation applied. The camera's own file is kept apart, under
-- photos/originals/ab/<original_sha256>, described here; original_sha256 = sha256 when the camera
-- file is itself what is sent (a small JPEG, or every photo stored before this version).
-- The capture time and position the camera wrote into EXIF are kept here, since the send version
-- carries no EXIF. An original is pruned (file deleted, original_pruned_at_ms set) 180 days after
-- its send version was uploaded, or once the member deleted the entries that show it.
ALTER TABLE photos ADD COLUMN original_sha256 TEXT;
ALTER TABLE photos ADD COLUMN original_byte_len INTEGER CHECK (original_byte_len >= 0);
ALTER TABLE photos ADD COLUMN original_media_type TEXT;
ALTER TABLE photos ADD COLUMN original_width INTEGER;
ALTER TABLE photos ADD COLUMN original_height INTEGER;
ALTER TABLE photos ADD COLUMN original_pruned_at_ms INTEGER;
-- As the camera wrote it: '2024-03-02T09:00:00' (no offset recorded) or '2024-03-02T09:00:00+08:00'.
ALTER TABLE photos ADD COLUMN captured_at TEXT;
ALTER TABLE photos ADD COLUMN captured_lat REAL CHECK (captured_lat BETWEEN -90 AND 90);
ALTER TABLE photos ADD COLUMN captured_lon REAL CHECK (captured_lon BETWEEN -180 AND 180);
ALTER TABLE photos ADD COLUMN captured_altitude_m REAL;
ALTER TABLE photos ADD COLUMN captured_accuracy_m REAL CHECK (captured_accuracy_m >= 0);
-- When the server confirmed the whole send version: the originals' 180 days count from here.
ALTER TABLE photos ADD COLUMN send_uploaded_at_ms INTEGER;

-- Photos stored before this version: the file sent is the camera's own.
UPDATE photos SET original_sha256 = sha256, original_byte_len = byte_len,
                  original_media_type = media_type, original_width = width,
                  original_height = height;

-- Importing the same camera file again finds its photo without encoding it again.
CREATE INDEX photos_by_original ON photos (original_sha256);
