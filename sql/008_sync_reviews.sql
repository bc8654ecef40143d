-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 008_sync_reviews: staff resolve the review list of the upstream sync
-- (`vanban sync review`, POST /api/v1/sync/reviews/{id}/accept|reject,
-- lib/store_sync.c, docs/sync.md).
--
--  - reason: why staff accepted (optional) or rejected (required) an item;
--    resolved_at (004) is when.
--  - field may also be 'status_computed': the upstream status disagrees
--    with the status vanban computed from dates and relations (no staff
--    override), listed apart from 'status' (upstream vs what the local
--    source declared).
--  - a pending-first index for the list.

ALTER TABLE sync_reviews ADD COLUMN IF NOT EXISTS reason text;

DO $do$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sync_reviews_reason_valid') THEN
		-- NOT VALID: items rejected by hand in SQL before this migration
		-- may have no reason; every new resolution is checked.
		ALTER TABLE sync_reviews ADD CONSTRAINT sync_reviews_reason_valid
			CHECK (status <> 'rejected' OR coalesce(reason, '') <> '') NOT VALID;
	END IF;
END
$do$;

CREATE INDEX IF NOT EXISTS sync_reviews_status_idx ON sync_reviews (status, id);
