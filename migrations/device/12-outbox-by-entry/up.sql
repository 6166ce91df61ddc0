-- Each entry's latest outbox record, for whether the county has it (待发送 / 已发送 / 被拒) on
-- every log row and entry page: without it each row would walk the whole outbox.
CREATE INDEX outbox_by_entry ON outbox (entry_id, seq);
