-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 013_validity_pass: the daily validity pass touches only the documents
-- whose status can have changed since the last pass (lib/store_relation.c
-- vb_store_validity_pass, docs/relations.md).
--
--  - validity_pass: one row, the day of the last complete pass (full or
--    incremental) and the version of the validity rules it used
--    (VB_VALIDITY_RULES, lib/validity.h).  The day is Việt Nam's calendar
--    day (UTC+7, vb_validity_today), computed by the program, never by
--    the server's time zone.  No row, a day after today (the clock went
--    back) or another rules version: the next pass recomputes every
--    document.  A later migration that changes what the computation reads
--    should `DELETE FROM validity_pass` to force one full pass.
--  - indexes for the pass's selection of the documents with a date the
--    computation compares with today (effective date, declared and
--    computed expiry, the date of a document acting on another: its
--    effective date, else its issue date, else the date the relation
--    cites) in the window (last pass, today]: a few index ranges instead
--    of reading every document.
--
-- Idempotent.

CREATE TABLE IF NOT EXISTS validity_pass (
	one boolean PRIMARY KEY DEFAULT true,  -- a single row
	pass_date date NOT NULL,               -- Việt Nam day the last complete pass computed for
	rules integer NOT NULL,                -- VB_VALIDITY_RULES it used
	full_pass boolean NOT NULL,            -- it recomputed every document
	recomputed bigint NOT NULL DEFAULT 0,  -- documents it recomputed
	changed bigint NOT NULL DEFAULT 0,     -- of them, how many changed
	finished_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT validity_pass_one CHECK (one)
);

CREATE INDEX IF NOT EXISTS documents_effective_date_idx ON documents (effective_date);
CREATE INDEX IF NOT EXISTS documents_expiry_date_idx ON documents (expiry_date);
CREATE INDEX IF NOT EXISTS documents_acting_date_idx
	ON documents ((coalesce(effective_date, issue_date)));
CREATE INDEX IF NOT EXISTS document_validity_expiry_idx ON document_validity (expiry_declared)
	WHERE expiry_declared IS NOT NULL;
CREATE INDEX IF NOT EXISTS relations_inverse_date_idx ON relations (target_date)
	WHERE inverse AND target_date IS NOT NULL;
