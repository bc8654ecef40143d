-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 009_feed_index: the Atom feed of new and changed documents
-- (/feeds/documents.atom, lib/store_feed.c) asks for the most recently
-- changed documents, ORDER BY updated_at DESC, id DESC LIMIT n.  Without an
-- index PostgreSQL reads and sorts every document for each feed request;
-- with this one it reads the first n entries of the index (the filters of a
-- search feed are checked on the rows as they come, stopping at n).
-- The column order and directions are exactly those of the ORDER BY, so
-- the planner uses a forward index scan and no sort step.

CREATE INDEX IF NOT EXISTS documents_updated_idx ON documents (updated_at DESC, id DESC);
