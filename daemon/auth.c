/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who is asking (contract in daemon.h, "auth.c" section; roles and scopes
 * in lib/account.h).  A request carries at most one credential:
 *
 *   Authorization: Bearer vbt_...   an API token of a user (its hash is
 *                                   looked up; revoked, expired or of a
 *                                   disabled user: 401 invalid_token)
 *   Authorization: Bearer <other>   the configured api_token: the bootstrap
 *                                   / break-glass credential, sysadmin
 *   Cookie: vb_session=...          a browser session (POST /api/v1/session);
 *                                   writes also need its CSRF value
 *
 * vb_auth_require is the one check every write endpoint makes: logged in,
 * CSRF for cookies, the role in the portal and the credential's scope.
 * Client addresses go into the principal for the audit log only; they are
 * never logged.
 */
#include "daemon.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "account.h"
#include "log.h"

#define IP_FAIL_MAX 10
#define IP_FAIL_WINDOW 600      /* seconds */
#define IP_SLOTS 4096

/* ---- per-address login failures (in memory; see daemon.h) -------------- */

static struct ip_slot {
	char ip[48];
	time_t start;
	int failures;
} ip_slots[IP_SLOTS];
static pthread_mutex_t ip_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned ip_hash(const char *ip)
{
	unsigned h = 2166136261u;

	for (; *ip; ip++)
		h = (h ^ (unsigned char)*ip) * 16777619u;
	return h % IP_SLOTS;
}

int vb_auth_ip_blocked(const char *ip)
{
	struct ip_slot *s = &ip_slots[ip_hash(ip)];
	time_t now = time(NULL);
	int wait = 0;

	pthread_mutex_lock(&ip_lock);
	if (!strcmp(s->ip, ip) && now - s->start < IP_FAIL_WINDOW && s->failures >= IP_FAIL_MAX)
		wait = (int)(IP_FAIL_WINDOW - (now - s->start));
	pthread_mutex_unlock(&ip_lock);
	return wait;
}

void vb_auth_ip_failed(const char *ip)
{
	struct ip_slot *s = &ip_slots[ip_hash(ip)];
	time_t now = time(NULL);

	pthread_mutex_lock(&ip_lock);
	/* a colliding address or an old window starts over */
	if (strcmp(s->ip, ip) || now - s->start >= IP_FAIL_WINDOW) {
		snprintf(s->ip, sizeof(s->ip), "%s", ip);
		s->start = now;
		s->failures = 0;
	}
	s->failures++;
	pthread_mutex_unlock(&ip_lock);
}

/* The hash verified against when the login is unknown: made once, at the
 * configured cost, so that the answer takes as long as for a wrong
 * password. */
static char dummy_hash[VB_PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	if (vb_password_hash("not-a-password-of-anyone", dummy_hash, sizeof(dummy_hash), NULL))
		dummy_hash[0] = '\0';
}

void vb_auth_verify_dummy(const char *password)
{
	pthread_once(&dummy_once, dummy_make);
	if (dummy_hash[0])
		(void)vb_password_verify(dummy_hash, password);
}

static void peer_ip(vb_request *rq, char *out, size_t outsz)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	out[0] = '\0';
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)outsz);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)outsz);
}

static int from_trusted_proxy(vb_request *rq, const char *peer)
{
	return rq->d->cfg.trusted_proxy[0] && peer[0] && !strcmp(peer, rq->d->cfg.trusted_proxy);
}

void vb_auth_client_ip(vb_request *rq, char *out, size_t outsz)
{
	char peer[INET6_ADDRSTRLEN];
	const char *xff, *last;
	unsigned char probe[sizeof(struct in6_addr)];
	char hop[INET6_ADDRSTRLEN];
	size_t n;

	peer_ip(rq, peer, sizeof(peer));
	snprintf(out, outsz, "%s", peer);
	if (!from_trusted_proxy(rq, peer))
		return;
	xff = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	/* the last hop is the one the trusted proxy added */
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	n = strcspn(last, " ");
	if (!n || n >= sizeof(hop))
		return;
	memcpy(hop, last, n);
	hop[n] = '\0';
	if (inet_pton(AF_INET, hop, probe) == 1 || inet_pton(AF_INET6, hop, probe) == 1)
		snprintf(out, outsz, "%s", hop);
}

int vb_auth_request_tls(vb_request *rq)
{
	char peer[INET6_ADDRSTRLEN];
	const char *proto;

	if (rq->d->cfg.behind_tls)
		return 1;
	peer_ip(rq, peer, sizeof(peer));
	if (!from_trusted_proxy(rq, peer))
		return 0;
	proto = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	return proto && !strcasecmp(proto, "https");
}

static enum MHD_Result send_invalid_token(vb_request *rq, const char *message)
{
	return vb_http_send_error_hdr(rq, MHD_HTTP_UNAUTHORIZED, "invalid_token", message,
				      MHD_HTTP_HEADER_WWW_AUTHENTICATE,
				      "Bearer realm=\"vanban\", error=\"invalid_token\"");
}

static enum MHD_Result send_store_error(vb_request *rq, int rc, const vb_error *err)
{
	if (rc == VB_EDB)
		vb_worker_store_failed();
	vb_warn("authentication: %s", err->msg);
	return vb_http_send_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL,
				  "could not check the credentials: the database is not available");
}

/* Narrow p's roles to the portals of a token (a JSON array): a sysadmin
 * token limited to portals holds every role in those and nothing else. */
static void narrow_to_portals(vb_principal *p, const json_t *portals)
{
	vb_principal q = *p;
	size_t i, n = 0;
	json_t *v;

	json_array_foreach(portals, i, v) {
		const char *id = json_string_value(v);
		unsigned r;

		if (!id || n == VB_PRINCIPAL_MAX_ROLES)
			continue;
		r = q.sysadmin ? VB_ROLE_UPLOADER | VB_ROLE_EDITOR | VB_ROLE_PORTAL_ADMIN
			       : vb_principal_roles(&q, id);
		if (!r)
			continue;
		snprintf(p->roles[n].portal, sizeof(p->roles[n].portal), "%s", id);
		p->roles[n++].roles = r;
	}
	p->n_roles = n;
	p->sysadmin = 0;
}

static int bearer(vb_request *rq, const char *tok, vb_principal *p, enum MHD_Result *ret)
{
	const char *cfg_token = rq->d->cfg.api_token;
	char hash[65];
	int64_t token_id = 0, user_id = 0;
	unsigned scopes = 0;
	json_t *portals = NULL;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (vb_token_well_formed(tok)) {
		vb_secret_hash(tok, hash);
		if ((rc = vb_worker_store(rq->d, &st, &err)))
			goto store_fail;
		rc = vb_store_token_lookup(st, hash, &token_id, &user_id, &scopes, &portals, &err);
		if (rc == VB_ENOTFOUND) {
			*ret = send_invalid_token(rq, "the API token is not valid (unknown, revoked or expired)");
			return 1;
		}
		if (rc)
			goto store_fail;
		rc = vb_store_principal_load(st, user_id, p, &err);
		if (rc == VB_ENOTFOUND) {
			json_decref(portals);
			*ret = send_invalid_token(rq, "the API token is not valid (unknown, revoked or expired)");
			return 1;
		}
		if (rc) {
			json_decref(portals);
			goto store_fail;
		}
		p->kind = VB_ACTOR_TOKEN;
		p->token_id = token_id;
		p->scopes = scopes;
		if (portals)
			narrow_to_portals(p, portals);
		json_decref(portals);
		return 0;
	}
	if (cfg_token[0] && vb_secret_equal(tok, cfg_token)) {
		p->kind = VB_ACTOR_CONFIG_TOKEN;
		p->sysadmin = 1;
		p->scopes = VB_SCOPE_ALL;
		snprintf(p->label, sizeof(p->label), "config-token");
		return 0;
	}
	*ret = send_invalid_token(rq, "the API token is not valid");
	return 1;
store_fail:
	*ret = send_store_error(rq, rc, &err);
	return 1;
}

static int session(vb_request *rq, const char *cookie, vb_principal *p, enum MHD_Result *ret)
{
	char hash[65], csrf[48];
	int64_t user_id = 0;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (strlen(cookie) != VB_SECRET_LEN)
		return 0; /* not one of ours: anonymous */
	vb_secret_hash(cookie, hash);
	if ((rc = vb_worker_store(rq->d, &st, &err)))
		goto fail;
	rc = vb_store_session_lookup(st, hash, rq->d->cfg.session_idle_minutes, &user_id, csrf, &err);
	if (rc == VB_ENOTFOUND)
		return 0; /* expired or logged out: anonymous, so pages can offer the login */
	if (rc)
		goto fail;
	rc = vb_store_principal_load(st, user_id, p, &err);
	if (rc == VB_ENOTFOUND) {
		vb_store_session_delete(st, hash, NULL);
		vb_principal_init(p);
		return 0; /* disabled meanwhile */
	}
	if (rc)
		goto fail;
	p->kind = VB_ACTOR_USER;
	p->scopes = VB_SCOPE_ALL;
	snprintf(p->csrf, sizeof(p->csrf), "%s", csrf);
	return 0;
fail:
	*ret = send_store_error(rq, rc, &err);
	return 1;
}

int vb_auth_principal(vb_request *rq, vb_principal *p, enum MHD_Result *ret)
{
	const char *h, *cookie;
	char ip[sizeof(p->ip)];

	vb_principal_init(p);
	vb_auth_client_ip(rq, ip, sizeof(ip));
	vb_http_request_id(rq);
	h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (h) {
		int r;

		if (strncasecmp(h, "Bearer ", 7)) {
			*ret = send_invalid_token(rq, "only \"Authorization: Bearer <token>\" is understood");
			return 1;
		}
		h += 7;
		while (*h == ' ')
			h++;
		r = bearer(rq, h, p, ret);
		if (r)
			return r;
	} else if ((cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "vb_session"))) {
		int r = session(rq, cookie, p, ret);

		if (r)
			return r;
	}
	snprintf(p->ip, sizeof(p->ip), "%s", ip);
	snprintf(p->request_id, sizeof(p->request_id), "%016llx", (unsigned long long)rq->id);
	return 0;
}

enum MHD_Result vb_auth_send_forbidden(vb_request *rq, const char *portal, unsigned role)
{
	char m[VB_ERROR_MSG_MAX], names[64] = "";

	/* several bits: any of them ("editor or portal_admin") */
	for (unsigned r = 1; r <= VB_ROLE_PORTAL_ADMIN; r <<= 1)
		if (role & r)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 names[0] ? " or " : "", vb_role_name(r));
	if (role && portal)
		snprintf(m, sizeof(m), "this needs the role %s in portal \"%.64s\"", names, portal);
	else if (role)
		snprintf(m, sizeof(m), "this needs the role %s in some portal", names);
	else
		snprintf(m, sizeof(m), "this needs a system administrator");
	return vb_http_send_error(rq, MHD_HTTP_FORBIDDEN, "forbidden", NULL, m);
}

static enum MHD_Result send_scope(vb_request *rq, unsigned need, unsigned have)
{
	char m[VB_ERROR_MSG_MAX];
	unsigned missing = need & ~have;
	unsigned bit = missing & -missing;

	snprintf(m, sizeof(m), "this API token lacks the scope \"%s\"", vb_scope_name(bit));
	return vb_http_send_error(rq, MHD_HTTP_FORBIDDEN, "forbidden", NULL, m);
}

/* Authenticated and, for a session cookie, the CSRF value matches.  0 or
 * a response was queued. */
static int authenticated(vb_request *rq, vb_principal *p, const char *csrf_value,
			 enum MHD_Result *ret)
{
	if (vb_auth_principal(rq, p, ret))
		return 1;
	if (p->kind == VB_ACTOR_ANONYMOUS) {
		*ret = vb_http_send_error_hdr(rq, MHD_HTTP_UNAUTHORIZED, "unauthorized",
					      "this request needs a login (session cookie) or an API token"
					      " (Authorization: Bearer ...)",
					      MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"vanban\"");
		return 1;
	}
	/* GET and HEAD change nothing: no CSRF value needed */
	if (p->kind == VB_ACTOR_USER && strcmp(rq->method, MHD_HTTP_METHOD_GET) &&
	    strcmp(rq->method, MHD_HTTP_METHOD_HEAD)) {
		const char *given = csrf_value && csrf_value[0] ? csrf_value
			: MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");

		if (!given || !p->csrf[0] || !vb_secret_equal(given, p->csrf)) {
			*ret = vb_http_send_error(rq, MHD_HTTP_FORBIDDEN, "csrf", NULL,
						  "the CSRF token is missing or wrong (form field csrf"
						  " or header X-CSRF-Token)");
			return 1;
		}
	}
	return 0;
}

int vb_auth_require(vb_request *rq, vb_principal *p, const char *portal, unsigned role,
		    unsigned scope, const char *csrf_value, enum MHD_Result *ret)
{
	if (authenticated(rq, p, csrf_value, ret))
		return 1;
	if ((p->scopes & scope) != scope) {
		*ret = send_scope(rq, scope, p->scopes);
		return 1;
	}
	if (!vb_principal_can(p, portal, role, scope)) {
		*ret = vb_auth_send_forbidden(rq, portal, role);
		return 1;
	}
	return 0;
}

int vb_auth_require_sysadmin(vb_request *rq, vb_principal *p, unsigned scope,
			     const char *csrf_value, enum MHD_Result *ret)
{
	if (authenticated(rq, p, csrf_value, ret))
		return 1;
	if ((p->scopes & scope) != scope) {
		*ret = send_scope(rq, scope, p->scopes);
		return 1;
	}
	if (!p->sysadmin) {
		*ret = vb_auth_send_forbidden(rq, NULL, 0);
		return 1;
	}
	return 0;
}
