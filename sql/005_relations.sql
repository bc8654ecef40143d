-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 005_relations: relations between documents, computed validity and stable
-- identifiers (lib/store_relation.c, lib/relation.h, lib/validity.h,
-- lib/eli.h).
--
--  - relations: one directed relation (from_id, type, target) said by one
--    origin ("vbpl", "congbao", "text", "staff").  The target is to_id
--    once it is in the store; until then the row is an unresolved
--    citation kept with what identifies it (canonical number key, source
--    and source id, issue date, issuer, title) and is resolved by
--    vb_relation_target() when a matching document arrives.  Both
--    directions are indexed (from_id, to_id).  inverse: said on from_id's
--    page about a document acting on from_id (a right-column lược đồ box),
--    so the row reads (target, type, from_id).
--  - document_validity: what the document's source declared (status,
--    expiry; vb_store_put_document writes them into documents, the store
--    copies them here), the computed validity with its evidence (JSON),
--    and the current ELI.  The computed status and expiry (the first day
--    no longer in force) overwrite documents.status / expiry_date, which
--    the index and every reader see.
--  - status_overrides: a staff decision on a document's status, with the
--    reason, which wins over everything computed.
--  - eli_aliases: every ELI path a document has had (the current one and
--    those from before a rename or merger), so old URIs keep resolving.
--
-- Idempotent.

CREATE TABLE IF NOT EXISTS relations (
	id bigserial PRIMARY KEY,
	from_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	type text NOT NULL,
	origin text NOT NULL,
	position integer NOT NULL,            -- order within (from_id, origin)
	inverse boolean NOT NULL DEFAULT false, -- the target acts on from_id
	to_id bigint REFERENCES documents (id) ON DELETE SET NULL,
	target_number text,                   -- as written
	target_key text,                      -- vb_docnum_canonical(target_number)
	target_source text,
	target_source_id text,
	target_title text,
	target_date date,                     -- the target's issue date
	target_issuer text,
	evidence text,                        -- the box title or sentence
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT relations_type_valid CHECK (type IN ('based_on', 'implements', 'amends',
		'supplements', 'replaces', 'repeals', 'repeals_part', 'suspends', 'suspends_part',
		'corrects', 'consolidates', 'cites', 'translation_of', 'related')),
	CONSTRAINT relations_origin_valid CHECK (origin IN ('vbpl', 'congbao', 'text', 'staff')),
	CONSTRAINT relations_not_self CHECK (to_id IS NULL OR to_id <> from_id)
);
CREATE INDEX IF NOT EXISTS relations_from_idx ON relations (from_id, origin, position);
CREATE INDEX IF NOT EXISTS relations_to_idx ON relations (to_id);
CREATE INDEX IF NOT EXISTS relations_unresolved_key_idx ON relations (target_key) WHERE to_id IS NULL;
CREATE INDEX IF NOT EXISTS relations_unresolved_source_idx
	ON relations (target_source, target_source_id) WHERE to_id IS NULL;

-- A table of its own, not columns of documents: writing it never fires
-- the outbox trigger, so only a change of status or expiry (which the
-- index holds) queues an index job.
CREATE TABLE IF NOT EXISTS document_validity (
	document_id bigint PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
	status_declared text NOT NULL,        -- what the source said
	expiry_declared date,
	validity jsonb,                       -- lib/validity.h vb_validity_to_json
	eli text                              -- current ELI path (lib/eli.h), as built
);

CREATE TABLE IF NOT EXISTS status_overrides (
	document_id bigint PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
	status text NOT NULL,
	reason text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT status_overrides_status_valid CHECK (status IN ('in_force', 'expired',
		'partly_expired', 'not_yet_in_force', 'suspended', 'unknown')),
	CONSTRAINT status_overrides_reason_valid CHECK (reason <> '')
);

CREATE TABLE IF NOT EXISTS eli_aliases (
	eli text NOT NULL,                    -- normalised path, see lib/eli.h
	document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (eli, document_id)
);
CREATE INDEX IF NOT EXISTS eli_aliases_document_idx ON eli_aliases (document_id);
CREATE INDEX IF NOT EXISTS eli_aliases_prefix_idx ON eli_aliases (eli text_pattern_ops);

-- The document a relation points at, or NULL while that is not known for
-- certain: by (source, source_id) first, then by canonical number with a
-- compatible issue date; several candidates are narrowed by the issue date,
-- then by the target's issuer, or by the citing document's issuer when the
-- target's is not known; still several (or none) -> NULL.  Never a guess.
CREATE OR REPLACE FUNCTION vb_relation_target_of(from_id bigint, key text, src text,
	src_id text, issued date, issuer text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
	ids bigint[];
	narrowed bigint[];
BEGIN
	IF src IS NOT NULL AND src_id IS NOT NULL THEN
		SELECT array_agg(d.id) INTO ids FROM documents d
			WHERE d.source = src AND d.source_id = src_id AND d.id <> from_id;
		IF cardinality(ids) = 1 THEN
			RETURN ids[1];
		END IF;
	END IF;
	IF key IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT array_agg(d.id) INTO ids FROM documents d
		WHERE d.number_canonical = key AND d.id <> from_id
		AND (issued IS NULL OR d.issue_date IS NULL OR d.issue_date = issued);
	IF ids IS NULL THEN
		RETURN NULL;
	END IF;
	IF cardinality(ids) = 1 THEN
		RETURN ids[1];
	END IF;
	IF issued IS NOT NULL THEN
		SELECT array_agg(d.id) INTO narrowed FROM documents d
			WHERE d.id = ANY (ids) AND d.issue_date = issued;
		IF cardinality(narrowed) = 1 THEN
			RETURN narrowed[1];
		ELSIF cardinality(narrowed) > 1 THEN
			ids := narrowed;
		END IF;
	END IF;
	IF issuer IS NOT NULL THEN
		SELECT array_agg(d.id) INTO narrowed FROM documents d
			WHERE d.id = ANY (ids) AND vb_fold_words(d.issuer) = vb_fold_words(issuer);
	ELSE
		SELECT array_agg(d.id) INTO narrowed FROM documents d, documents f
			WHERE f.id = from_id AND d.id = ANY (ids)
			AND vb_fold_words(d.issuer) = vb_fold_words(f.issuer);
	END IF;
	IF cardinality(narrowed) = 1 THEN
		RETURN narrowed[1];
	END IF;
	RETURN NULL;
END;
$fn$;

CREATE OR REPLACE FUNCTION vb_relation_target(r relations) RETURNS bigint
LANGUAGE sql STABLE AS $fn$
	SELECT vb_relation_target_of(r.from_id, r.target_key, r.target_source, r.target_source_id,
		r.target_date, r.target_issuer)
$fn$;
