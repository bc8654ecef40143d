/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Settings from defaults, a config file, the environment and options; see
 * config.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef VB_PKGDATADIR
#define VB_PKGDATADIR "/usr/local/share/vanban"
#endif

static int copy_value(char *dst, const char *key, const char *value, vb_error *err)
{
	size_t n = strlen(value);

	if (n >= VB_CONFIG_STR)
		return vb_error_set(err, VB_EINVAL, "value of \"%s\" is too long (%zu bytes, at most %d)",
				    key, n, VB_CONFIG_STR - 1);
	memcpy(dst, value, n + 1);
	return 0;
}

/* The API token from the first line of path (surrounding white space
 * dropped); an empty token is an error. */
static int read_token_file(vb_config *cfg, const char *path, vb_error *err)
{
	char line[VB_CONFIG_STR + 2];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return vb_error_set(err, VB_EINVAL, "could not open api_token_file \"%s\": %s", path,
				    strerror(errno));
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
		     line[n - 1] == '\t'))
		line[--n] = '\0';
	if (!n || n >= VB_CONFIG_STR)
		return vb_error_set(err, VB_EINVAL, "api_token_file \"%s\" has no usable token "
				    "on its first line", path);
	memcpy(cfg->api_token, line, n + 1);
	return 0;
}

/* 1 / 0 for the usual spellings of yes and no, -1 for anything else. */
static int parse_bool(const char *value)
{
	if (!strcmp(value, "1") || !strcasecmp(value, "yes") || !strcasecmp(value, "true") ||
	    !strcasecmp(value, "on"))
		return 1;
	if (!strcmp(value, "0") || !strcasecmp(value, "no") || !strcasecmp(value, "false") ||
	    !strcasecmp(value, "off"))
		return 0;
	return -1;
}

/* A decimal integer in [min, max] (usage counter settings). */
static int int_value(int *dst, const char *key, const char *value, long min, long max,
		     vb_error *err)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno || end == value || *end || n < min || n > max)
		return vb_error_set(err, VB_EINVAL,
				    "invalid value for \"%s\": \"%s\" (expected %ld to %ld)", key,
				    value, min, max);
	*dst = (int)n;
	return 0;
}

int vb_config_set(vb_config *cfg, const char *key, const char *value, vb_error *err)
{
	if (!strcmp(key, "api_token"))
		return copy_value(cfg->api_token, key, value, err);
	if (!strcmp(key, "api_token_file"))
		return read_token_file(cfg, value, err);
	if (!strcmp(key, "db"))
		return copy_value(cfg->db, key, value, err);
	if (!strcmp(key, "data_dir"))
		return copy_value(cfg->data_dir, key, value, err);
	if (!strcmp(key, "listen"))
		return copy_value(cfg->listen, key, value, err);
	if (!strcmp(key, "web_dir"))
		return copy_value(cfg->web_dir, key, value, err);
	if (!strcmp(key, "sql_dir"))
		return copy_value(cfg->sql_dir, key, value, err);
	if (!strcmp(key, "synonyms"))
		return copy_value(cfg->synonyms, key, value, err);
	if (!strcmp(key, "prefer_in_force")) {
		if (!strcmp(value, "1") || !strcasecmp(value, "yes") || !strcasecmp(value, "true") ||
		    !strcasecmp(value, "on"))
			cfg->prefer_in_force = 1;
		else if (!strcmp(value, "0") || !strcasecmp(value, "no") ||
			 !strcasecmp(value, "false") || !strcasecmp(value, "off"))
			cfg->prefer_in_force = 0;
		else
			return vb_error_set(err, VB_EINVAL,
					    "invalid value for \"prefer_in_force\": \"%s\" (expected yes or no)",
					    value);
		return 0;
	}
	if (!strcmp(key, "read_only")) {
		int b = parse_bool(value);

		if (b < 0)
			return vb_error_set(err, VB_EINVAL,
					    "invalid value for \"read_only\": \"%s\" (expected yes or no)",
					    value);
		cfg->read_only = b;
		return 0;
	}
	if (!strcmp(key, "log_format")) {
		if (strcmp(value, "text") && strcmp(value, "json"))
			return vb_error_set(err, VB_EINVAL,
					    "invalid value for \"log_format\": \"%s\" (expected text or json)",
					    value);
		cfg->log_json = !strcmp(value, "json");
		return 0;
	}
	if (!strcmp(key, "log_file"))
		return copy_value(cfg->log_file, key, value, err);
	if (!strcmp(key, "sync_vbpl_url"))
		return copy_value(cfg->sync_vbpl_url, key, value, err);
	if (!strcmp(key, "sync_vbpl_list"))
		return copy_value(cfg->sync_vbpl_list, key, value, err);
	if (!strcmp(key, "sync_interval"))
		return int_value(&cfg->sync_interval, key, value, 60, 31 * 86400, err);
	if (!strcmp(key, "sync_window"))
		return int_value(&cfg->sync_window, key, value, 0, 3650, err);
	if (!strcmp(key, "sync_rate_ms"))
		return int_value(&cfg->sync_rate_ms, key, value, 0, 600000, err);
	if (!strcmp(key, "sync_congbao_url"))
		return copy_value(cfg->sync_congbao_url, key, value, err);
	if (!strcmp(key, "sync_congbao_list"))
		return copy_value(cfg->sync_congbao_list, key, value, err);
	if (!strcmp(key, "sync_congbao_issue"))
		return copy_value(cfg->sync_congbao_issue, key, value, err);
	if (!strcmp(key, "validity_interval"))
		return int_value(&cfg->validity_interval, key, value, 1, 31 * 86400, err);
	if (!strcmp(key, "http_timeout"))
		return int_value(&cfg->http_timeout, key, value, 1, 3600, err);
	if (!strcmp(key, "argon2_memory_kib"))
		return int_value(&cfg->argon2_memory_kib, key, value, 8, 4 * 1024 * 1024, err);
	if (!strcmp(key, "argon2_time"))
		return int_value(&cfg->argon2_time, key, value, 1, 100, err);
	if (!strcmp(key, "session_idle_minutes"))
		return int_value(&cfg->session_idle_minutes, key, value, 1, 7 * 24 * 60, err);
	if (!strcmp(key, "session_max_hours"))
		return int_value(&cfg->session_max_hours, key, value, 1, 24 * 31, err);
	if (!strcmp(key, "audit_ip_days"))
		return int_value(&cfg->audit_ip_days, key, value, 1, 100000, err);
	if (!strcmp(key, "behind_tls")) {
		int b = parse_bool(value);

		if (b < 0)
			return vb_error_set(err, VB_EINVAL,
					    "invalid value for \"behind_tls\": \"%s\" (expected yes or no)",
					    value);
		cfg->behind_tls = b;
		return 0;
	}
	if (!strcmp(key, "trusted_proxy")) {
		if (strlen(value) >= sizeof(cfg->trusted_proxy))
			return vb_error_set(err, VB_EINVAL, "value of \"trusted_proxy\" is too long");
		strcpy(cfg->trusted_proxy, value);
		return 0;
	}
	if (!strcmp(key, "activity_flush_seconds"))
		return int_value(&cfg->activity_flush_seconds, key, value, 0, 3600, err);
	if (!strcmp(key, "activity_query_days"))
		return int_value(&cfg->activity_query_days, key, value, 1, 100000, err);
	if (!strcmp(key, "activity_min_count"))
		return int_value(&cfg->activity_min_count, key, value, 1, 1000000, err);
	if (!strcmp(key, "threads")) {
		char *end;
		long n;

		errno = 0;
		n = strtol(value, &end, 10);
		if (errno || end == value || *end || n < 1 || n > 256)
			return vb_error_set(err, VB_EINVAL,
					    "invalid value for \"threads\": \"%s\" (expected 1 to 256)", value);
		cfg->threads = (int)n;
		return 0;
	}
	return vb_error_set(err, VB_EINVAL, "unknown setting \"%s\"", key);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int vb_config_load_file(vb_config *cfg, const char *path, vb_error *err)
{
	char line[4096];
	FILE *f = fopen(path, "r");
	int lineno = 0, rc = 0;

	if (!f)
		return vb_error_set(err, VB_EIO, "could not open config file \"%s\": %s",
				    path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *key, *eq, *value;

		lineno++;
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			rc = vb_error_set(err, VB_EINVAL, "%s:%d: expected \"key = value\"", path, lineno);
			break;
		}
		*eq = '\0';
		value = trim(eq + 1);
		key = trim(key);
		if ((rc = vb_config_set(cfg, key, value, err))) {
			vb_error_prefix(err, "%s:%d", path, lineno);
			break;
		}
	}
	fclose(f);
	return rc;
}

int vb_config_init(vb_config *cfg, vb_error *err)
{
	const char *env;
	long ncpu;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->data_dir, "./var/data");
	strcpy(cfg->listen, "127.0.0.1:8080");
	snprintf(cfg->web_dir, sizeof(cfg->web_dir), "%s/web", VB_PKGDATADIR);
	snprintf(cfg->synonyms, sizeof(cfg->synonyms), "%s/synonyms.tsv", VB_PKGDATADIR);
	cfg->prefer_in_force = 1;
	/* dispatch.c: a request waits for the next free worker, so workers
	 * beyond the cores only preempt one another (bench: at 8 clients on 2
	 * cores, 2 workers answered 10 % more than 4 with a third less p99).
	 * At most 16 by default: each worker holds a PostgreSQL connection,
	 * and several daemons may share one server (docs/scaling.md). */
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->threads = ncpu < 2 ? 2 : ncpu > 16 ? 16 : (int)ncpu;
	cfg->activity_flush_seconds = 5;
	cfg->sync_interval = 86400;
	cfg->sync_window = 30;
	cfg->sync_rate_ms = 1000;
	cfg->validity_interval = 86400;
	cfg->http_timeout = 30;
	cfg->activity_query_days = 90;
	cfg->activity_min_count = 3;
	cfg->argon2_memory_kib = 65536;
	cfg->argon2_time = 3;
	cfg->session_idle_minutes = 30;
	cfg->session_max_hours = 12;
	cfg->audit_ip_days = 90;
	if ((env = getenv("VANBAN_CONFIG")) && *env &&
	    (rc = vb_config_load_file(cfg, env, err)))
		return rc;
	if ((env = getenv("VANBAN_DB")) && (rc = copy_value(cfg->db, "db", env, err)))
		return rc;
	if ((env = getenv("VANBAN_DATA_DIR")) && *env &&
	    (rc = copy_value(cfg->data_dir, "data_dir", env, err)))
		return rc;
	if ((env = getenv("VANBAN_LISTEN")) && *env &&
	    (rc = copy_value(cfg->listen, "listen", env, err)))
		return rc;
	if ((env = getenv("VANBAN_WEB_DIR")) && *env &&
	    (rc = copy_value(cfg->web_dir, "web_dir", env, err)))
		return rc;
	if ((env = getenv("VANBAN_SYNONYMS")) && *env &&
	    (rc = copy_value(cfg->synonyms, "synonyms", env, err)))
		return rc;
	if ((env = getenv("VANBAN_SQL_DIR")) && *env &&
	    (rc = copy_value(cfg->sql_dir, "sql_dir", env, err)))
		return rc;
	if ((env = getenv("VANBAN_READ_ONLY")) && *env &&
	    (rc = vb_config_set(cfg, "read_only", env, err)))
		return rc;
	if ((env = getenv("VANBAN_LOG_FORMAT")) && *env &&
	    (rc = vb_config_set(cfg, "log_format", env, err)))
		return rc;
	if ((env = getenv("VANBAN_LOG_FILE")) && *env &&
	    (rc = copy_value(cfg->log_file, "log_file", env, err)))
		return rc;
	if ((env = getenv("VANBAN_API_TOKEN_FILE")) && *env && (rc = read_token_file(cfg, env, err)))
		return rc;
	if ((env = getenv("VANBAN_API_TOKEN")) && *env &&
	    (rc = copy_value(cfg->api_token, "api_token", env, err)))
		return rc;
	return 0;
}

int vb_config_parse_args(vb_config *cfg, int argc, char **argv, int *rest, vb_error *err)
{
	static const struct { const char *opt, *key; } opts[] = {
		{ "--db", "db" }, { "--data-dir", "data_dir" }, { "--listen", "listen" },
		{ "--web-dir", "web_dir" }, { "--sql-dir", "sql_dir" },
		{ "--threads", "threads" }, { "--config", NULL },
	};
	int i, out = 0, rc;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *value = NULL;
		size_t k, n;
		int matched = 0;

		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			n = strlen(opts[k].opt);
			if (strncmp(arg, opts[k].opt, n))
				continue;
			if (arg[n] == '=') {
				value = arg + n + 1;
			} else if (arg[n] == '\0') {
				if (i + 1 >= argc)
					return vb_error_set(err, VB_EINVAL, "option %s needs a value", opts[k].opt);
				value = argv[++i];
			} else {
				continue;
			}
			matched = 1;
			if (opts[k].key)
				rc = vb_config_set(cfg, opts[k].key, value, err);
			else
				rc = vb_config_load_file(cfg, value, err);
			if (rc)
				return rc;
			break;
		}
		if (!matched)
			argv[out++] = argv[i];
	}
	*rest = out;
	return 0;
}

int vb_config_index_path(const vb_config *cfg, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s/index", cfg->data_dir);

	return n < 0 || (size_t)n >= outsz ? VB_ETOOBIG : 0;
}

int vb_config_files_path(const vb_config *cfg, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s/files", cfg->data_dir);

	return n < 0 || (size_t)n >= outsz ? VB_ETOOBIG : 0;
}
