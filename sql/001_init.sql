-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 001_init: the initial vanban schema.  PostgreSQL is the system of record
-- for documents, their signers, fields and original files; the Xapian index
-- is derived from it through the index_outbox table, which a trigger fills
-- in the same transaction as every change, so a committed change can never
-- be missed by the indexer.
--
-- Applied by vb_store_migrate inside one transaction (do not add BEGIN or
-- COMMIT here); the migration runner records it in schema_migrations.

-- Which migrations have been applied (one row per sql/NNN_name.sql file).
CREATE TABLE IF NOT EXISTS schema_migrations (
	version integer PRIMARY KEY,          -- NNN of the file name
	name text NOT NULL,                   -- the file name
	applied_at timestamptz NOT NULL DEFAULT now()
);

-- One legal or administrative document.  Identity is (source, source_id);
-- the number (số ký hiệu) is NOT unique: different issuers reuse numbers,
-- so number + issuer + issue date is only used for matching.
CREATE TABLE documents (
	id bigserial PRIMARY KEY,
	source text NOT NULL,                 -- importer: "manifest", "vbpl", "upload", ...
	source_id text NOT NULL,              -- identity within the source
	number text,                          -- số ký hiệu as written
	number_canonical text,                -- normalised for matching and search
	form text,                            -- hình thức: Quyết định, Nghị quyết, ...
	issuer text,                          -- cơ quan ban hành
	issue_date date,                      -- ngày ban hành
	effective_date date,                  -- ngày có hiệu lực
	expiry_date date,                     -- ngày hết hiệu lực
	abstract text,                        -- trích yếu
	status text NOT NULL DEFAULT 'unknown',
	category text,
	language text NOT NULL DEFAULT 'vi',  -- BCP 47 tag
	fields text[] NOT NULL DEFAULT '{}',  -- lĩnh vực, in source order
	body text,                            -- full text, NFC
	content_hash text NOT NULL,           -- SHA-256 over metadata, text and file hashes:
	                                      -- an identical re-import changes nothing
	version integer NOT NULL DEFAULT 1,   -- 1 on insert, +1 per change
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT documents_source_key UNIQUE (source, source_id),
	CONSTRAINT documents_source_valid CHECK (source <> ''),
	CONSTRAINT documents_source_id_valid CHECK (source_id <> ''),
	-- Validity codes (see lib/document.h VB_STATUS_*).
	CONSTRAINT documents_status_valid CHECK (status IN ('in_force', 'expired',
		'partly_expired', 'not_yet_in_force', 'suspended', 'unknown')),
	CONSTRAINT documents_category_valid CHECK (category IS NULL OR
		category IN ('normative', 'administrative', 'treaty')),
	CONSTRAINT documents_language_valid CHECK (language ~ '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$'),
	-- A document cannot stop applying before it starts applying.  Nothing is
	-- said about issue_date: retroactive effect (effective before issue) is
	-- legal in some cases, and sources get dates wrong often enough that
	-- rejecting those would lose documents.
	CONSTRAINT documents_expiry_after_effective CHECK (expiry_date IS NULL OR
		effective_date IS NULL OR expiry_date >= effective_date),
	CONSTRAINT documents_version_valid CHECK (version >= 1)
);

-- Matching an imported record against stored ones by number, and by
-- number + issuer + issue date (numbers repeat across issuers).
CREATE INDEX documents_number_idx ON documents (number_canonical);
CREATE INDEX documents_number_issuer_date_idx ON documents (number_canonical, issuer, issue_date);

-- Người ký: signers in the order they appear on the document.
CREATE TABLE signers (
	document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	position integer NOT NULL,            -- 1, 2, ...
	name text NOT NULL,
	title text,                           -- chức vụ, may be unknown
	PRIMARY KEY (document_id, position)
);

-- Original files, content-addressed: the bytes live in
-- DATA/files/ab/cd/<sha256>; one row per distinct content.
CREATE TABLE files (
	sha256 text PRIMARY KEY,
	size bigint NOT NULL,
	media_type text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT files_sha256_valid CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	CONSTRAINT files_size_valid CHECK (size >= 0)
);

-- Which files a document has, under which name, in order.  The same
-- content may belong to several documents.
CREATE TABLE document_files (
	document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	position integer NOT NULL,            -- 1, 2, ...
	name text NOT NULL,                   -- file name shown to users
	sha256 text NOT NULL REFERENCES files (sha256),
	media_type text NOT NULL,
	PRIMARY KEY (document_id, position),
	CONSTRAINT document_files_name_valid CHECK (name <> '')
);
CREATE INDEX document_files_sha256_idx ON document_files (sha256);

-- Index jobs.  No foreign key to documents: a deleted document needs a job
-- too (to remove it from the index).  version is NULL for a deletion.  The
-- indexer reads the oldest jobs, applies them, commits the index, then
-- deletes the jobs (at-least-once; applying a job twice is harmless).
CREATE TABLE index_outbox (
	id bigserial PRIMARY KEY,
	document_id bigint NOT NULL,
	version integer,
	enqueued_at timestamptz NOT NULL DEFAULT now()
);

-- Every change of a documents row enqueues a job in the same transaction
-- and wakes listeners (NOTIFY is delivered at commit, not before).
CREATE FUNCTION documents_enqueue_index_job() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	doc_id bigint;
	doc_version integer;
BEGIN
	IF TG_OP = 'DELETE' THEN
		doc_id := OLD.id;
		doc_version := NULL;
	ELSE
		doc_id := NEW.id;
		doc_version := NEW.version;
	END IF;
	INSERT INTO index_outbox (document_id, version) VALUES (doc_id, doc_version);
	PERFORM pg_notify('vanban_outbox', doc_id::text);
	RETURN NULL;
END;
$$;

CREATE TRIGGER documents_index_outbox
	AFTER INSERT OR UPDATE OR DELETE ON documents
	FOR EACH ROW EXECUTE FUNCTION documents_enqueue_index_job();
