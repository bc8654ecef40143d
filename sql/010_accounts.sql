-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 010_accounts: accounts, roles, sessions, API tokens and the audit log
-- (lib/account.h, lib/audit.h, lib/store_account.c, docs/accounts.md).
--
--  - users: one row per person; password_hash is an argon2id encoded hash
--    (NULL: no password login); failed_logins / locked_until implement the
--    per-account lockout.  Users are disabled, never deleted.
--  - user_roles: role per portal (uploader, editor, portal_admin).
--  - sessions: one row per logged-in browser, keyed by the SHA-256 of the
--    cookie value; logout and expiry delete the row (sessions are not
--    history).
--  - api_tokens: only the SHA-256 of the token is kept; scopes narrow what
--    it may do, portals (NULL = all of the user's) where.
--  - audit_log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE,
--    except the retention scrub that sets ip to NULL).  Written by the
--    generic row trigger vb_audit_row() attached to the audited tables: who
--    (the session setting vanban.actor, a compact JSON set by
--    vb_audit_begin; 'system'/'unknown' when unset), the action
--    (vanban.action, else "<table>.<op>"), the changed keys before/after
--    (never body, text, password_hash, token_hash or csrf: a change of one
--    of those shows as "<key>_changed": true) and the reason
--    (vanban.reason).
--
-- Idempotent.

CREATE TABLE IF NOT EXISTS users (
	id bigserial PRIMARY KEY,
	login text NOT NULL UNIQUE,
	display_name text NOT NULL DEFAULT '',
	password_hash text,
	sysadmin boolean NOT NULL DEFAULT false,
	disabled_at timestamptz,
	failed_logins integer NOT NULL DEFAULT 0,
	locked_until timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT users_login_valid CHECK (login ~ '^[a-z0-9._-]{2,64}$'),
	CONSTRAINT users_display_name_valid CHECK (char_length(display_name) <= 200),
	CONSTRAINT users_password_hash_valid CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%')
);

CREATE TABLE IF NOT EXISTS user_roles (
	user_id bigint NOT NULL REFERENCES users (id),
	portal_id text NOT NULL REFERENCES portals (id),
	role text NOT NULL,
	granted_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, portal_id, role),
	CONSTRAINT user_roles_role_valid CHECK (role IN ('uploader', 'editor', 'portal_admin'))
);
CREATE INDEX IF NOT EXISTS user_roles_portal_idx ON user_roles (portal_id);

CREATE TABLE IF NOT EXISTS sessions (
	token_hash text PRIMARY KEY,          -- sha256 hex of the cookie value
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT sessions_token_hash_valid CHECK (token_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX IF NOT EXISTS sessions_user_idx ON sessions (user_id);

CREATE TABLE IF NOT EXISTS api_tokens (
	id bigserial PRIMARY KEY,
	user_id bigint NOT NULL REFERENCES users (id),
	name text NOT NULL,
	token_hash text NOT NULL UNIQUE,      -- sha256 hex of the token
	scopes text[] NOT NULL,
	portals text[],                       -- NULL = all the user's portals
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz,
	revoked_at timestamptz,
	last_used_at timestamptz,
	CONSTRAINT api_tokens_name_valid CHECK (char_length(name) BETWEEN 1 AND 100),
	CONSTRAINT api_tokens_token_hash_valid CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	CONSTRAINT api_tokens_scopes_valid CHECK (scopes <@ ARRAY['upload', 'publish', 'sync',
		'report', 'admin']::text[])
);
CREATE INDEX IF NOT EXISTS api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE IF NOT EXISTS audit_log (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor_kind text NOT NULL,
	actor_user_id bigint,
	actor_token_id bigint,
	actor_label text,                     -- login, "cli:<unix user>", "system:sync"
	ip inet,                              -- personal data: scrubbed after audit_ip_days
	action text NOT NULL,
	object_type text NOT NULL,
	object_id text NOT NULL,
	portal_id text,
	document_id bigint,
	before jsonb,
	after jsonb,
	reason text,
	request_id text,
	CONSTRAINT audit_log_actor_kind_valid CHECK (actor_kind IN ('user', 'token',
		'config_token', 'cli', 'system', 'anonymous'))
);
CREATE INDEX IF NOT EXISTS audit_log_document_idx ON audit_log (document_id, id)
	WHERE document_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_actor_idx ON audit_log (actor_user_id, id)
	WHERE actor_user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_object_idx ON audit_log (object_type, object_id, id);
CREATE INDEX IF NOT EXISTS audit_log_portal_idx ON audit_log (portal_id, id)
	WHERE portal_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_at_idx ON audit_log (at);

-- Append-only: only the retention scrub (ip -> NULL, nothing else) may
-- update a row; nothing may delete one.
CREATE OR REPLACE FUNCTION vb_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.ip IS NULL
	   AND (to_jsonb(NEW) - 'ip') = (to_jsonb(OLD) - 'ip') THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP
		USING ERRCODE = 'restrict_violation';
END;
$$;

DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only
	BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION vb_audit_append_only();
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
CREATE TRIGGER audit_log_no_truncate
	BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION vb_audit_append_only();

-- The generic audit trigger.  TG_ARGV[0] is the object type.  Keys never
-- recorded: secrets and document content.  Keys whose change alone is not
-- worth a row: bookkeeping timestamps and the failed-login counter.
CREATE OR REPLACE FUNCTION vb_audit_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	secret text[] := ARRAY['body', 'text', 'password_hash', 'token_hash', 'csrf'];
	noise text[] := ARRAY['updated_at', 'last_used_at', 'last_seen_at', 'failed_logins',
		'abstract_folded'];
	o jsonb;
	n jsonb;
	b jsonb := NULL;
	a jsonb := NULL;
	k text;
	actor jsonb := '{}';
	s text;
	act text;
	ip inet := NULL;
	obj_id text;
	portal text;
	doc bigint;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		o := to_jsonb(OLD);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		n := to_jsonb(NEW);
	END IF;
	IF TG_OP = 'UPDATE' THEN
		b := '{}';
		a := '{}';
		FOR k IN SELECT jsonb_object_keys(n) LOOP
			CONTINUE WHEN (o -> k) IS NOT DISTINCT FROM (n -> k) OR k = ANY (noise);
			IF k = ANY (secret) THEN
				a := a || jsonb_build_object(k || '_changed', true);
			ELSE
				b := b || jsonb_build_object(k, o -> k);
				a := a || jsonb_build_object(k, n -> k);
			END IF;
		END LOOP;
		IF a = '{}' THEN
			RETURN NULL;
		END IF;
	ELSIF TG_OP = 'INSERT' THEN
		a := n - secret - noise;
	ELSE
		b := o - secret - noise;
	END IF;

	s := current_setting('vanban.actor', true);
	IF s IS NOT NULL AND s <> '' THEN
		BEGIN
			actor := s::jsonb;
		EXCEPTION WHEN others THEN
			actor := '{}';
		END;
	END IF;
	IF actor ->> 'ip' IS NOT NULL THEN
		BEGIN
			ip := (actor ->> 'ip')::inet;
		EXCEPTION WHEN others THEN
			ip := NULL;
		END;
	END IF;
	act := nullif(current_setting('vanban.action', true), '');
	IF act IS NULL THEN
		act := TG_TABLE_NAME || '.' || lower(TG_OP);
	END IF;

	n := coalesce(n, o);
	IF TG_TABLE_NAME = 'user_roles' THEN
		obj_id := (n ->> 'user_id') || ':' || (n ->> 'portal_id') || ':' || (n ->> 'role');
	ELSE
		obj_id := coalesce(n ->> 'id', n ->> 'document_id', '');
	END IF;
	IF TG_TABLE_NAME = 'documents' THEN
		doc := (n ->> 'id')::bigint;
	ELSE
		doc := (n ->> 'document_id')::bigint;
	END IF;
	IF TG_TABLE_NAME = 'portals' THEN
		portal := n ->> 'id';
	ELSE
		portal := n ->> 'portal_id';
	END IF;
	IF portal IS NULL AND doc IS NOT NULL AND TG_TABLE_NAME <> 'documents' THEN
		SELECT to_jsonb(d) ->> 'portal_id' INTO portal FROM documents d WHERE d.id = doc;
	END IF;

	INSERT INTO audit_log (actor_kind, actor_user_id, actor_token_id, actor_label, ip,
		action, object_type, object_id, portal_id, document_id, before, after, reason,
		request_id)
	VALUES (coalesce(nullif(actor ->> 'kind', ''), 'system'),
		(actor ->> 'user_id')::bigint, (actor ->> 'token_id')::bigint,
		coalesce(nullif(actor ->> 'label', ''), CASE WHEN actor ->> 'kind' IS NULL
			THEN 'unknown' END),
		ip, act, TG_ARGV[0], obj_id, portal, doc, b, a,
		nullif(current_setting('vanban.reason', true), ''),
		nullif(actor ->> 'request_id', ''));
	RETURN NULL;
END;
$$;

DO $do$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('documents', 'document'), ('uploads', 'upload'),
		('users', 'user'), ('user_roles', 'user_role'), ('api_tokens', 'api_token'),
		('portals', 'portal'), ('sync_reviews', 'sync_review'),
		('status_overrides', 'status_override')) AS v (tab, obj)
	LOOP
		EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t.tab || '_audit', t.tab);
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I'
			' FOR EACH ROW EXECUTE FUNCTION vb_audit_row(%L)',
			t.tab || '_audit', t.tab, t.obj);
	END LOOP;
END
$do$;
