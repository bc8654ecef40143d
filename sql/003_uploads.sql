-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 003_uploads: staff uploads (lib/upload.c, lib/store_upload.c).  An
-- upload is a proposal, not a document: its files are in the file store,
-- its text and the metadata proposed by vb_meta_extract are here, and
-- nothing reaches documents (so nothing is indexed or searchable) until a
-- member of staff confirms it.  A confirmed upload points at the document
-- it became, or at the existing document it was linked to as a duplicate.
--
--  - uploads: one row per POST /api/v1/uploads.
--  - upload_files: the files of an upload, in order; sha256 is NULL when a
--    file could not even be stored, error says why a file gave no text.
--    No foreign key to files: a files row is written when a document
--    takes the file (vb_store_put_document).
--  - document_simhash: a 64-bit simhash of the folded word shingles of a
--    document's text, for near-duplicate detection.  A table of its own
--    rather than a column of documents, so that computing it later never
--    touches documents (whose trigger would queue an index job).
--
-- Idempotent.

CREATE TABLE IF NOT EXISTS uploads (
	id bigserial PRIMARY KEY,
	status text NOT NULL DEFAULT 'pending',
	text text,                            -- extracted (or OCR'd) text, NFC
	text_source text NOT NULL DEFAULT 'none',
	simhash bigint,                       -- NULL when the text is too short
	proposal jsonb NOT NULL DEFAULT '{}', -- vb_meta fields, form overrides applied
	warnings jsonb NOT NULL DEFAULT '[]',
	duplicates jsonb NOT NULL DEFAULT '[]',
	number_canonical text,                -- of the proposal, for matching
	issuer text,
	issue_date date,
	document_id bigint REFERENCES documents (id) ON DELETE SET NULL,
	linked boolean NOT NULL DEFAULT false, -- confirmed as a new version of document_id
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT uploads_status_valid CHECK (status IN ('pending', 'confirmed', 'rejected')),
	CONSTRAINT uploads_text_source_valid CHECK (text_source IN ('text', 'ocr', 'none'))
);
CREATE INDEX IF NOT EXISTS uploads_number_idx ON uploads (number_canonical) WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS upload_files (
	upload_id bigint NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
	position integer NOT NULL,            -- 1, 2, ...
	name text NOT NULL,
	sha256 text,
	size bigint NOT NULL DEFAULT 0,
	media_type text NOT NULL DEFAULT 'application/octet-stream',
	text_length bigint NOT NULL DEFAULT 0,
	pages integer,                        -- PDF pages, when known
	error text,                           -- why no text came from this file
	PRIMARY KEY (upload_id, position),
	CONSTRAINT upload_files_sha256_valid CHECK (sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'),
	CONSTRAINT upload_files_name_valid CHECK (name <> '')
);
CREATE INDEX IF NOT EXISTS upload_files_sha256_idx ON upload_files (sha256);

CREATE TABLE IF NOT EXISTS document_simhash (
	document_id bigint PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
	simhash bigint                        -- NULL: text too short to hash
);
