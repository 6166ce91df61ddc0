-- Revoke and wipe (停用并清除): the county may order a revoked device to delete its store and
-- photos on its next contact. `wipe_ordered_at_ms` is when the county ordered it (the device is
-- revoked at the same time); `wiped_at_ms` is when the device said it had wiped itself, and
-- `wipe_report_json` what it still held unsent then ({"entries": n, "photos": n,
-- "photo_bytes": n}), so nothing is lost without the county knowing.
ALTER TABLE devices ADD COLUMN wipe_ordered_at_ms INTEGER;
ALTER TABLE devices ADD COLUMN wiped_at_ms INTEGER;
ALTER TABLE devices ADD COLUMN wipe_report_json TEXT;
