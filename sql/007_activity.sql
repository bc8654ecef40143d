-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 007_activity: usage of the service, counted per day for the yearly report
-- (QĐ 05/2023/QĐ-UBND Điều 23.3) without personal data (Điều 6): no IP
-- address, user agent, cookie, token or session is ever stored, only daily
-- counters.  vanband buffers the counts in memory and adds them here every
-- few seconds with upserts (daemon/activity.c, lib/store_activity.c).
--
-- The query text is the only thing a citizen typed that is kept, normalised
-- (lower case, NFC, words joined by one space, at most 200 bytes), in
-- activity_queries only; rows older than the configured retention are
-- deleted (activity_query_days, `vanban report --purge` and the daemon's
-- flusher) while the totals in activity_searches stay.  The report only
-- shows a query seen at least activity_min_count times in its period.

-- Searches per day, portal and language, with or without query text.
CREATE TABLE activity_searches (
	day date NOT NULL,
	portal text NOT NULL DEFAULT '',      -- '' = no portal chosen
	language text NOT NULL DEFAULT 'vi',
	searches bigint NOT NULL DEFAULT 0,
	zero_results bigint NOT NULL DEFAULT 0, -- searches that found nothing
	results bigint NOT NULL DEFAULT 0,     -- sum of the result counts
	PRIMARY KEY (day, portal, language),
	CONSTRAINT activity_searches_counts_valid CHECK (searches >= 0 AND
		zero_results >= 0 AND zero_results <= searches AND results >= 0)
);

-- Normalised query texts per day (retention-limited, see above).  Browsing
-- with filters only (no query text) is not recorded here.
CREATE TABLE activity_queries (
	day date NOT NULL,
	portal text NOT NULL DEFAULT '',
	language text NOT NULL DEFAULT 'vi',
	query text NOT NULL,
	searches bigint NOT NULL DEFAULT 0,
	zero_results bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (day, portal, language, query),
	CONSTRAINT activity_queries_query_valid CHECK (query <> '' AND octet_length(query) <= 200),
	CONSTRAINT activity_queries_counts_valid CHECK (searches >= 0 AND
		zero_results >= 0 AND zero_results <= searches)
);
CREATE INDEX activity_queries_day_idx ON activity_queries (day);

-- Document page views (HTML page and API record) and file downloads per
-- day, portal and document.  No foreign key: the counts of a document stay
-- in the history when the document goes.
CREATE TABLE activity_documents (
	day date NOT NULL,
	portal text NOT NULL DEFAULT '',
	document_id bigint NOT NULL,
	views bigint NOT NULL DEFAULT 0,
	downloads bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (day, portal, document_id),
	CONSTRAINT activity_documents_counts_valid CHECK (views >= 0 AND downloads >= 0)
);
