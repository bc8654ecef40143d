-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 012_text_lz4: the full texts (documents.body, uploads.text) are
-- compressed with LZ4 instead of PostgreSQL's default pglz when they go
-- to TOAST.  Every search reads the texts of its page of hits for the
-- snippets (lib/store_doc.c, vb_store_get_texts): ten texts of ~48 KB
-- each, decompressed by the backend.  Measured on 10,000 documents
-- (docs/benchmarks.md, session 4): PostgreSQL's CPU per search 1.30 ms
-- with pglz, 0.92 ms with LZ4; the table is ~8 % larger (229 against
-- 211 MB).
--
-- Only rows written from now on are compressed with LZ4 (PostgreSQL
-- keeps a value's compression until the value itself is rewritten; a
-- reindex or VACUUM FULL does not recompress).  A PostgreSQL built
-- without LZ4 (Debian's has it) keeps pglz: the migration then changes
-- nothing.
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_settings
		   WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
		ALTER TABLE documents ALTER COLUMN body SET COMPRESSION lz4;
		ALTER TABLE uploads ALTER COLUMN text SET COMPRESSION lz4;
	END IF;
END
$$;
