-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 006_portals: the portal registry (lib/portal.c, lib/store_portal.c,
-- docs/portals.md).  Every government portal of the province that offers
-- document search through vanban has a row here: the province portal, the
-- departments', the districts' (historical since 2025), the communes' and
-- the topic pages.  A portal is never deleted: merging, splitting or
-- retiring it (QĐ 05/2023/QĐ-UBND Điều 11.5, the 2025 commune merger)
-- changes its state and names its successors, so its old id and domains
-- keep resolving to the portal that took it over.
--
--  - portals: one row per portal id.  The whole record (names in vi/en/zh,
--    place name, parent, languages, own issuers, extra issuers, former
--    names, successors) is the jsonb "record", written only by
--    lib/portal.c through vb_store_portal_commit; kind, state and name_vi
--    are copied out of it into columns for the constraints and for SQL
--    readers.
--  - portal_domains: which portal a host name (lower case, no port) opens;
--    a domain belongs to one portal, also after that portal was merged.
--  - portal_events: the history of every change (op and its arguments).
--
-- Idempotent.

CREATE TABLE IF NOT EXISTS portals (
	id text PRIMARY KEY,
	kind text NOT NULL,
	state text NOT NULL DEFAULT 'active',
	name_vi text NOT NULL,
	record jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	-- slugs: lower-case ASCII labels separated by dots ("hongha.halong")
	CONSTRAINT portals_id_valid CHECK (id ~ '^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?){0,3}$'),
	CONSTRAINT portals_kind_valid CHECK (kind IN ('province', 'department', 'district',
		'commune', 'topic')),
	CONSTRAINT portals_state_valid CHECK (state IN ('active', 'merged', 'split', 'retired')),
	CONSTRAINT portals_record_id CHECK (record ->> 'id' = id)
);

CREATE TABLE IF NOT EXISTS portal_domains (
	domain text PRIMARY KEY,
	portal_id text NOT NULL REFERENCES portals (id),
	CONSTRAINT portal_domains_domain_valid CHECK (domain ~ '^[a-z0-9.-]{1,253}$')
);
CREATE INDEX IF NOT EXISTS portal_domains_portal_idx ON portal_domains (portal_id);

CREATE TABLE IF NOT EXISTS portal_events (
	id bigserial PRIMARY KEY,
	portal_id text NOT NULL REFERENCES portals (id),
	op text NOT NULL,
	detail jsonb NOT NULL DEFAULT '{}',
	at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT portal_events_op_valid CHECK (op IN ('create', 'update', 'rename', 'scope',
		'domain', 'merge', 'split', 'retire'))
);
CREATE INDEX IF NOT EXISTS portal_events_portal_idx ON portal_events (portal_id, id);
