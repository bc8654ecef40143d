/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Settings shared by the programs: where the database and the data
 * directory are, where the daemon listens.  Read, later sources winning:
 * built-in defaults, a config file (--config FILE or VANBAN_CONFIG; lines
 * "key = value", '#' comments), environment (VANBAN_DB, VANBAN_DATA_DIR,
 * VANBAN_LISTEN, VANBAN_SYNONYMS ...), then command-line options.
 *
 * Data directory layout:
 *   DATA/files/ab/cd/<sha256>   original files, content-addressed
 *   DATA/index -> index.<N>     the live Xapian index (symlink, swapped
 *                               atomically by `vanban reindex`)
 */
#ifndef VB_CONFIG_H
#define VB_CONFIG_H

#include "error.h"

#define VB_CONFIG_STR 1024

typedef struct vb_config {
	char db[VB_CONFIG_STR];        /* libpq conninfo; "" = libpq defaults */
	char data_dir[VB_CONFIG_STR];  /* default "./var/data" */
	char listen[VB_CONFIG_STR];    /* "ADDR:PORT", default "127.0.0.1:8080" */
	char web_dir[VB_CONFIG_STR];   /* static assets (openapi.json, css) */
	char sql_dir[VB_CONFIG_STR];   /* migrations; "" = built-in default */
	int threads;                   /* HTTP workers, default: the cores, 2 to 16 */
	char synonyms[VB_CONFIG_STR];  /* synonym file (synonyms.h), default
					  $(pkgdatadir)/synonyms.tsv;
					  env VANBAN_SYNONYMS */
	int prefer_in_force;           /* relevance ties: in force first
					  (default 1; "prefer_in_force = no") */
	char api_token[VB_CONFIG_STR]; /* bearer token for writes (uploads);
					  "" = writes disabled; env
					  VANBAN_API_TOKEN, or api_token_file /
					  VANBAN_API_TOKEN_FILE (first line) */
	/* ---- usage counters (daemon/activity.c, owned by report) ---- */
	int activity_flush_seconds;    /* buffer flush interval, default 5;
					  0 = record nothing */
	int activity_query_days;       /* keep query texts this many days,
					  default 90 */
	int activity_min_count;        /* the report lists a query seen at
					  least this often, default 3 */
	/* ---- replicas / logs (owned by replicas) ---- */
	int read_only;                 /* "read_only = true": a replica server:
					  no migrations, no indexer, writes
					  answered 503 (env VANBAN_READ_ONLY) */
	int log_json;                  /* "log_format = json": one JSON object
					  per log line; default text */
	char log_file[VB_CONFIG_STR];  /* append log lines to this file instead
					  of stderr, reopened on SIGHUP; "" =
					  stderr (journald) */
	/* ---- upstream sync (importers/sync.c, owned by sync) ---- */
	char sync_vbpl_url[VB_CONFIG_STR];  /* base URL of vbpl.vn for the
					      daemon's schedule; "" = no
					      scheduled sync */
	char sync_vbpl_list[VB_CONFIG_STR]; /* list page path with {page};
					      "" = the built-in default */
	int sync_interval;             /* seconds between scheduled syncs,
					  default 86400 */
	int sync_window;               /* days re-scanned before the
					  checkpoint, default 30 */
	int sync_rate_ms;              /* least milliseconds between two
					  upstream requests, default 1000 */
	char sync_congbao_url[VB_CONFIG_STR];   /* base URL of the provincial
						   gazette for the schedule;
						   "" = not scheduled */
	char sync_congbao_list[VB_CONFIG_STR];  /* issues of a year ({year});
						   "" = the built-in default */
	char sync_congbao_issue[VB_CONFIG_STR]; /* documents of an issue
						   ({unid}); "" = default */
	int validity_interval;         /* seconds between the daemon's validity
					  recomputes (and one at start), default
					  86400 */
	int http_timeout;              /* hardening: seconds a connection may stay
					  idle or half-sent, default 30 */
	/* ---- accounts (lib/account.c, daemon/auth.c, owned by accounts) ---- */
	int argon2_memory_kib;         /* argon2id memory cost of new password
					  hashes, default 65536 */
	int argon2_time;               /* argon2id passes, default 3 */
	int session_idle_minutes;      /* session ends after this idle time,
					  default 30 */
	int session_max_hours;         /* and this long after login, default 12 */
	int behind_tls;                /* "behind_tls = yes": clients reach the
					  service over HTTPS (session cookie
					  gets Secure) */
	char trusted_proxy[64];        /* address of the reverse proxy whose
					  X-Forwarded-For / -Proto are believed;
					  "" = none */
	int audit_ip_days;             /* keep client addresses in the audit log
					  this many days, default 90 */
} vb_config;

/* Fill cfg with defaults, then the config file named by VANBAN_CONFIG (if
 * any), then the environment. */
int vb_config_init(vb_config *cfg, vb_error *err);

/* Read a config file over cfg.  Unknown keys and malformed lines are
 * errors naming the file and line. */
int vb_config_load_file(vb_config *cfg, const char *path, vb_error *err);

/* Set one key ("db", "data_dir", "listen", "web_dir", "sql_dir",
 * "threads", "synonyms", "prefer_in_force", "api_token", "api_token_file":
 * the token is read from the first line of that file; "read_only",
 * "log_format" (text or json), "log_file"; "activity_flush_seconds",
 * "activity_query_days", "activity_min_count").  VB_EINVAL for an unknown key
 * or bad value. */
int vb_config_set(vb_config *cfg, const char *key, const char *value, vb_error *err);

/* Consume the common options from argv: --db X, --data-dir X, --listen X,
 * --web-dir X, --sql-dir X, --threads N, --config FILE (also --opt=X
 * forms).  Other arguments are moved to the front of argv in order and
 * their count is returned in *rest.  VB_EINVAL on a missing value. */
int vb_config_parse_args(vb_config *cfg, int argc, char **argv, int *rest, vb_error *err);

/* Path helpers into the data directory; snprintf semantics, 0 or
 * VB_ETOOBIG when out is too small. */
int vb_config_index_path(const vb_config *cfg, char *out, size_t outsz);
int vb_config_files_path(const vb_config *cfg, char *out, size_t outsz);

#endif
