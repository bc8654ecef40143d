-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 011_workflow: the editorial workflow (lib/workflow.c,
-- lib/store_workflow.c, docs/workflow.md).  Runs after 010_accounts (users).
--
--  - uploads: statuses renamed and extended: draft (was pending) ->
--    submitted -> published (was confirmed: the document exists) or
--    rejected; an editor may return a submitted upload to draft.  Each
--    upload belongs to a portal (portal_id; NULL for uploads older than
--    this migration: only a system administrator acts on those) and
--    records who created it (created_by), when it was submitted and the
--    reason of the last reject / return (reason).
--  - documents: state published | withdrawn, with withdrawn_reason and
--    withdrawn_at (a withdrawn document leaves the index, feeds, sitemap
--    and suggestions; its URIs answer 410 with the reason); portal_id is
--    the portal of the upload it came from (NULL for imported and synced
--    documents).
--  - document_versions: every previous version of a document, written by
--    a BEFORE UPDATE trigger whenever documents.version changes (a
--    correction, a re-import that changed something): the old row as
--    jsonb with its signers and files at that moment.
--  - Nothing is ever deleted: DELETE and TRUNCATE on documents and uploads
--    raise.  A document leaves public view by being withdrawn.
--
-- Idempotent.

ALTER TABLE uploads DROP CONSTRAINT IF EXISTS uploads_status_valid;
UPDATE uploads SET status = 'draft' WHERE status = 'pending';
UPDATE uploads SET status = 'published' WHERE status = 'confirmed';
ALTER TABLE uploads ALTER COLUMN status SET DEFAULT 'draft';
ALTER TABLE uploads ADD CONSTRAINT uploads_status_valid
	CHECK (status IN ('draft', 'submitted', 'published', 'rejected'));
ALTER TABLE uploads
	ADD COLUMN IF NOT EXISTS portal_id text REFERENCES portals (id),
	ADD COLUMN IF NOT EXISTS created_by bigint REFERENCES users (id),
	ADD COLUMN IF NOT EXISTS submitted_at timestamptz,
	ADD COLUMN IF NOT EXISTS reason text;      -- of the last reject / return
ALTER TABLE uploads DROP CONSTRAINT IF EXISTS uploads_reason_valid;
ALTER TABLE uploads ADD CONSTRAINT uploads_reason_valid
	CHECK (reason IS NULL OR char_length(reason) BETWEEN 1 AND 2000);
DROP INDEX IF EXISTS uploads_number_idx;
CREATE INDEX IF NOT EXISTS uploads_open_number_idx ON uploads (number_canonical)
	WHERE status IN ('draft', 'submitted');
CREATE INDEX IF NOT EXISTS uploads_portal_status_idx ON uploads (portal_id, status, id DESC);

ALTER TABLE documents
	ADD COLUMN IF NOT EXISTS state text NOT NULL DEFAULT 'published',
	ADD COLUMN IF NOT EXISTS withdrawn_reason text,
	ADD COLUMN IF NOT EXISTS withdrawn_at timestamptz,
	ADD COLUMN IF NOT EXISTS portal_id text REFERENCES portals (id);
ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_state_valid;
ALTER TABLE documents ADD CONSTRAINT documents_state_valid CHECK (
	(state = 'published' AND withdrawn_at IS NULL AND withdrawn_reason IS NULL) OR
	(state = 'withdrawn' AND withdrawn_at IS NOT NULL AND
	 char_length(withdrawn_reason) BETWEEN 1 AND 2000));
CREATE INDEX IF NOT EXISTS documents_withdrawn_idx ON documents (id) WHERE state <> 'published';
CREATE INDEX IF NOT EXISTS documents_portal_idx ON documents (portal_id) WHERE portal_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS document_versions (
	document_id bigint NOT NULL REFERENCES documents (id),
	version integer NOT NULL,             -- the version this row was
	row jsonb NOT NULL,                   -- the documents row, plus "signers" and "files"
	superseded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	PRIMARY KEY (document_id, version)
);

CREATE OR REPLACE FUNCTION vb_document_keep_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.version IS DISTINCT FROM OLD.version THEN
		INSERT INTO document_versions (document_id, version, row)
		VALUES (OLD.id, OLD.version, to_jsonb(OLD) - 'abstract_folded'
			|| jsonb_build_object(
				'signers', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', s.name,
					'title', s.title) ORDER BY s.position), '[]') FROM signers s
					WHERE s.document_id = OLD.id),
				'files', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', f.name,
					'sha256', f.sha256, 'media_type', f.media_type) ORDER BY f.position), '[]')
					FROM document_files f WHERE f.document_id = OLD.id)))
		ON CONFLICT (document_id, version) DO NOTHING;
	END IF;
	RETURN NEW;
END;
$$;

DROP TRIGGER IF EXISTS documents_keep_version ON documents;
CREATE TRIGGER documents_keep_version
	BEFORE UPDATE ON documents
	FOR EACH ROW EXECUTE FUNCTION vb_document_keep_version();

-- Nothing is ever deleted (issue 6): withdraw a document, reject an upload.
CREATE OR REPLACE FUNCTION vb_refuse_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'rows of % are never deleted', TG_TABLE_NAME
		USING ERRCODE = 'restrict_violation',
		      HINT = 'withdraw a document or reject an upload instead';
END;
$$;

DROP TRIGGER IF EXISTS documents_no_delete ON documents;
CREATE TRIGGER documents_no_delete
	BEFORE DELETE ON documents
	FOR EACH ROW EXECUTE FUNCTION vb_refuse_delete();
DROP TRIGGER IF EXISTS documents_no_truncate ON documents;
CREATE TRIGGER documents_no_truncate
	BEFORE TRUNCATE ON documents
	FOR EACH STATEMENT EXECUTE FUNCTION vb_refuse_delete();
DROP TRIGGER IF EXISTS uploads_no_delete ON uploads;
CREATE TRIGGER uploads_no_delete
	BEFORE DELETE ON uploads
	FOR EACH ROW EXECUTE FUNCTION vb_refuse_delete();
DROP TRIGGER IF EXISTS uploads_no_truncate ON uploads;
CREATE TRIGGER uploads_no_truncate
	BEFORE TRUNCATE ON uploads
	FOR EACH STATEMENT EXECUTE FUNCTION vb_refuse_delete();
