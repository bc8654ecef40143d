-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 004_sync: the upstream sync (importers/sync.c, lib/store_sync.c): runs
-- and their counts, a checkpoint per source, what each upstream record
-- became (document, link to a local document, last error) with its
-- provenance, and the review list of field disagreements between an
-- upstream record and a local document that staff resolve.

-- One sync run of one source.  A run killed before it finished stays
-- 'running' until the next run of that source marks it 'interrupted'.
CREATE TABLE IF NOT EXISTS sync_runs (
	id bigserial PRIMARY KEY,
	source text NOT NULL,                 -- 'vbpl', 'congbao'
	origin text NOT NULL,                 -- base URL or mirror directory
	started_at timestamptz NOT NULL DEFAULT now(),
	finished_at timestamptz,
	status text NOT NULL DEFAULT 'running',
	new integer NOT NULL DEFAULT 0,
	changed integer NOT NULL DEFAULT 0,
	unchanged integer NOT NULL DEFAULT 0,
	linked integer NOT NULL DEFAULT 0,    -- matched a local document of another source
	failed integer NOT NULL DEFAULT 0,
	conflicts integer NOT NULL DEFAULT 0, -- review items opened by this run
	message text,                         -- first error, for the report
	CONSTRAINT sync_runs_status_valid CHECK (status IN ('running', 'ok', 'partial',
		'failed', 'interrupted'))
);
CREATE INDEX IF NOT EXISTS sync_runs_source_idx ON sync_runs (source, id DESC);

-- Where the next incremental run starts: the newest issue date seen by
-- the last complete walk (a run re-scans a window of days before it).
CREATE TABLE IF NOT EXISTS sync_checkpoints (
	source text PRIMARY KEY,
	checkpoint_date date,
	run_id bigint,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- What each upstream record became.  record: the parsed record with
-- per-field provenance (lib/upstream.h); record_hash: SHA-256 of what was
-- fetched, so an unchanged record is skipped without re-fetching its files.
CREATE TABLE IF NOT EXISTS sync_items (
	source text NOT NULL,
	source_id text NOT NULL,
	document_id bigint REFERENCES documents (id) ON DELETE SET NULL,
	linked boolean NOT NULL DEFAULT false, -- document_id belongs to another source
	record jsonb,
	record_hash text,
	last_run bigint,
	last_error text,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (source, source_id)
);
CREATE INDEX IF NOT EXISTS sync_items_document_idx ON sync_items (document_id);

-- The review list: a field on which an upstream record disagrees with the
-- local document it was linked to.  Never applied automatically; staff
-- accept or reject.  One open item per (document, source record, field,
-- upstream value), so a re-run does not duplicate it.
CREATE TABLE IF NOT EXISTS sync_reviews (
	id bigserial PRIMARY KEY,
	document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	source text NOT NULL,
	source_id text NOT NULL,
	field text NOT NULL,
	local_value text,
	upstream_value text,
	upstream_url text,
	status text NOT NULL DEFAULT 'pending',
	run_id bigint,
	created_at timestamptz NOT NULL DEFAULT now(),
	resolved_at timestamptz,
	CONSTRAINT sync_reviews_status_valid CHECK (status IN ('pending', 'accepted', 'rejected'))
);
CREATE UNIQUE INDEX IF NOT EXISTS sync_reviews_once_idx
	ON sync_reviews (document_id, source, source_id, field, coalesce(upstream_value, ''));
