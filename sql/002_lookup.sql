-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 002_lookup: what the citation resolver and the completion of titles and
-- numbers need (lib/store_lookup.c).
--
--  - vb_fold_words(text): the SQL twin of folding in lib/text.h for
--    Vietnamese: lower case, diacritics removed (NFC letters and the NFD
--    combining marks), đ/Đ/Ð -> d, then every run of characters other than
--    a-z and 0-9 becomes one space, trimmed.  Immutable, so it can feed a
--    generated column and indexes.  lib/store_lookup.c folds the user's
--    input the same way in C before comparing.
--  - documents.abstract_folded: vb_fold_words(abstract), a stored generated
--    column, so every existing row is backfilled when the column is added
--    (a table rewrite, which fires no row trigger: no index jobs are queued)
--    and every later insert or update keeps it current without the writers
--    knowing about it.
--  - text_pattern_ops indexes on number_canonical and abstract_folded, for
--    LIKE 'prefix%' whatever the database collation.
--  - a pg_trgm GIN index on abstract_folded, for completing a word inside a
--    title (LIKE '% word%'), when the pg_trgm extension can be created (it
--    ships with the server; it is a trusted extension, so the database
--    owner may create it).  Without it, that part of completion scans.
--
-- Idempotent: every statement may run again on a database that has its
-- effect already.

CREATE OR REPLACE FUNCTION vb_fold_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $fold$
	SELECT btrim(regexp_replace(lower(translate(t,
		'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐÐ̛̣̀́̃̉̂̆',
		'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydaaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydd')),
		'[^a-z0-9]+', ' ', 'g'))
$fold$;

ALTER TABLE documents ADD COLUMN IF NOT EXISTS abstract_folded text
	GENERATED ALWAYS AS (vb_fold_words(abstract)) STORED;

-- Exact number look-ups use documents_number_idx (001); these serve prefixes.
CREATE INDEX IF NOT EXISTS documents_number_prefix_idx
	ON documents (number_canonical text_pattern_ops);
CREATE INDEX IF NOT EXISTS documents_abstract_prefix_idx
	ON documents (abstract_folded text_pattern_ops);

DO $trgm$
BEGIN
	BEGIN
		CREATE EXTENSION IF NOT EXISTS pg_trgm;
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'pg_trgm is not available (%): completing words inside titles will scan', SQLERRM;
	END;
	IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
		EXECUTE 'CREATE INDEX IF NOT EXISTS documents_abstract_trgm_idx '
			'ON documents USING gin (abstract_folded gin_trgm_ops)';
	END IF;
END
$trgm$;
