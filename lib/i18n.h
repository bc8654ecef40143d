/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The three portal languages of QĐ 05/2023/QĐ-UBND (Vietnamese, English,
 * Chinese) for everything vanban shows to citizens: a message catalogue
 * (one entry per message id, all three languages present, checked by
 * tests/test_i18n.c), the choice of language (lang= parameter, then
 * Accept-Language, then the portal's default) and dates and numbers
 * formatted per language.  Log lines stay in English and do not use this.
 *
 * Everything here is pure and thread-safe: static tables, no allocation.
 */
#ifndef VB_I18N_H
#define VB_I18N_H

#include <stddef.h>

typedef enum vb_lang {
	VB_LANG_VI = 0,
	VB_LANG_EN,
	VB_LANG_ZH,
	VB_LANG_COUNT
} vb_lang;

/* Longest Accept-Language header looked at, and most entries read. */
#define VB_I18N_ACCEPT_MAX 1024
#define VB_I18N_ACCEPT_ENTRIES 32

/* Message ids of the catalogue.  Texts with a %s say so (at most two;
 * fill them with vb_i18n_format, never with printf). */
typedef enum vb_msg {
	VB_MSG_SITE_NAME,
	VB_MSG_SKIP,
	VB_MSG_NAV_MAIN,
	VB_MSG_NAV_SEARCH,
	VB_MSG_NAV_API,
	VB_MSG_LANG_SWITCH,        /* label of the language switcher */
	VB_MSG_FOOTER,
	VB_MSG_SOURCE_LINE,        /* "Theo Cổng thông tin điện tử tỉnh Quảng Ninh" */
	VB_MSG_SEARCH_TITLE,
	VB_MSG_SEARCH_LABEL,
	VB_MSG_SEARCH_BUTTON,
	VB_MSG_ISSUED_FROM,
	VB_MSG_ISSUED_TO,
	VB_MSG_IN_FORCE_ON,        /* the in_force_on= date of the search form */
	VB_MSG_SORT,
	VB_MSG_SORT_RELEVANCE,
	VB_MSG_SORT_NEWEST,
	VB_MSG_SORT_OLDEST,
	VB_MSG_ACTIVE_FILTERS,
	VB_MSG_FILTER_RESULTS,
	VB_MSG_REMOVE_FILTER,
	VB_MSG_FACET_FORM,
	VB_MSG_FACET_ISSUER,
	VB_MSG_FACET_YEAR,
	VB_MSG_FACET_STATUS,
	VB_MSG_RESULTS,
	VB_MSG_FOUND,              /* %s: the number of documents */
	VB_MSG_SHOWING,            /* %s, %s: first and last shown */
	VB_MSG_RELAXED,
	VB_MSG_DID_YOU_MEAN,
	VB_MSG_N_DOCUMENTS,        /* %s: a number */
	VB_MSG_PAGING,
	VB_MSG_PREV,
	VB_MSG_NEXT,
	VB_MSG_QUERY_ADJUSTED,     /* a query warning in general */
	VB_MSG_QUERY_SYNTAX,       /* a syntax warning: searched as words */
	VB_MSG_QUERY_TRUNCATED,
	VB_MSG_NO_NUMBER,
	VB_MSG_FORM,
	VB_MSG_ISSUER,
	VB_MSG_NUMBER,
	VB_MSG_ISSUE_DATE,
	VB_MSG_EFFECTIVE_DATE,
	VB_MSG_EXPIRY_DATE,
	VB_MSG_ABSTRACT,
	VB_MSG_SIGNER,
	VB_MSG_FIELDS,
	VB_MSG_STATUS,
	VB_MSG_PROPERTIES,
	VB_MSG_FILES,
	VB_MSG_NO_FILES,
	VB_MSG_DOWNLOAD,           /* %s: file name */
	VB_MSG_FULLTEXT,
	VB_MSG_NO_FULLTEXT,
	VB_MSG_BACK,
	VB_MSG_TRANSLATION,        /* "this document in another language" */
	VB_MSG_ERROR,              /* %s: the status */
	VB_MSG_NOT_FOUND_PAGE,
	VB_MSG_NOT_FOUND_DOC,
	VB_MSG_DOC_UNAVAILABLE,
	VB_MSG_INDEX_NOT_READY,
	VB_MSG_SEARCH_FAILED,
	VB_MSG_BAD_PARAMETER,      /* %s: parameter name, %s: English reason */
	VB_MSG_URL_TOO_LONG,
	VB_MSG_FEED,
	VB_MSG_OPENSEARCH,
	/* ---- withdrawn documents (daemon/pages.c, owned by workflow) ---- */
	VB_MSG_WITHDRAWN_TITLE,
	VB_MSG_WITHDRAWN,
	/* ---- staff admin UI (daemon/admin*.c, owned by admin) ---- */
	VB_MSG_ADMIN_TITLE,
	VB_MSG_ADMIN_NAV,
	VB_MSG_ADMIN_QUEUE,
	VB_MSG_ADMIN_AUDIT,
	VB_MSG_ADMIN_USERS,
	VB_MSG_ADMIN_TOKENS,
	VB_MSG_ADMIN_REPORT,
	VB_MSG_ADMIN_LOGIN,
	VB_MSG_ADMIN_LOGOUT,
	VB_MSG_ADMIN_LOGIN_NAME,
	VB_MSG_ADMIN_PASSWORD,
	VB_MSG_ADMIN_LOGIN_FAILED,
	VB_MSG_ADMIN_LOGIN_LIMITED,
	VB_MSG_ADMIN_LOGGED_OUT,
	VB_MSG_ADMIN_SIGNED_IN_AS,
	VB_MSG_ADMIN_ERRORS,
	VB_MSG_ADMIN_REQUIRED,
	VB_MSG_ADMIN_CSRF,
	VB_MSG_ADMIN_FORBIDDEN,
	VB_MSG_ADMIN_COUNTS,
	VB_MSG_ADMIN_DRAFT,
	VB_MSG_ADMIN_SUBMITTED,
	VB_MSG_ADMIN_PUBLISHED,
	VB_MSG_ADMIN_REJECTED,
	VB_MSG_ADMIN_WITHDRAWN,
	VB_MSG_ADMIN_QUEUE_EMPTY,
	VB_MSG_ADMIN_UPLOAD,
	VB_MSG_ADMIN_DOCUMENT,
	VB_MSG_ADMIN_CREATED,
	VB_MSG_ADMIN_PORTAL,
	VB_MSG_ADMIN_NO_PORTAL,
	VB_MSG_ADMIN_STATE,
	VB_MSG_ADMIN_DUPLICATES,
	VB_MSG_ADMIN_WARNINGS,
	VB_MSG_ADMIN_METADATA,
	VB_MSG_ADMIN_FIELD,
	VB_MSG_ADMIN_VALUE,
	VB_MSG_ADMIN_CONFIDENCE,
	VB_MSG_ADMIN_ORIGINAL,
	VB_MSG_ADMIN_OPEN_FILE,
	VB_MSG_ADMIN_SAVE,
	VB_MSG_ADMIN_SUBMIT,
	VB_MSG_ADMIN_PUBLISH,
	VB_MSG_ADMIN_RETURN,
	VB_MSG_ADMIN_REJECT,
	VB_MSG_ADMIN_REASON,
	VB_MSG_ADMIN_WITHDRAW,
	VB_MSG_ADMIN_CORRECT,
	VB_MSG_ADMIN_HISTORY,
	VB_MSG_ADMIN_PUBLIC_PAGE,
	VB_MSG_ADMIN_DONE,
	VB_MSG_ADMIN_WHEN,
	VB_MSG_ADMIN_WHO,
	VB_MSG_ADMIN_ACTION,
	VB_MSG_ADMIN_OBJECT,
	VB_MSG_ADMIN_CHANGES,
	VB_MSG_ADMIN_EXPORT_CSV,
	VB_MSG_ADMIN_NO_ROWS,
	VB_MSG_ADMIN_FILTER,
	VB_MSG_ADMIN_DOCUMENT_ID,
	VB_MSG_ADMIN_USER_ID,
	VB_MSG_ADMIN_ROLE,
	VB_MSG_ADMIN_ROLE_UPLOADER,
	VB_MSG_ADMIN_ROLE_EDITOR,
	VB_MSG_ADMIN_ROLE_PORTAL_ADMIN,
	VB_MSG_ADMIN_GRANT,
	VB_MSG_ADMIN_REVOKE,
	VB_MSG_ADMIN_CREATE_USER,
	VB_MSG_ADMIN_DISPLAY_NAME,
	VB_MSG_ADMIN_SYSADMIN,
	VB_MSG_ADMIN_TOKEN_NAME,
	VB_MSG_ADMIN_SCOPES,
	VB_MSG_ADMIN_CREATE_TOKEN,
	VB_MSG_ADMIN_TOKEN_SECRET,
	VB_MSG_ADMIN_REVOKED,
	VB_MSG_ADMIN_YEAR,
	VB_MSG_ADMIN_SHOW_REPORT,
	VB_MSG_ADMIN_ALL_PORTALS,
	VB_MSG_ADMIN_WITHDRAWN_NOTICE,
	VB_MSG_ADMIN_LOGIN_REQUIRED,
	VB_MSG_ADMIN_NONE,
	VB_MSG_ADMIN_DUP_NEW,
	VB_MSG_ADMIN_DUP_LINK,
	VB_MSG_ADMIN_VERSION,
	/* ---- end of admin ---- */
	VB_MSG_COUNT
} vb_msg;

/* "vi", "en" or "zh". */
const char *vb_lang_code(vb_lang lang);
/* The name of the language in itself ("Tiếng Việt", "English", "中文"). */
const char *vb_lang_name(vb_lang lang);

/* A language tag ("vi", "en-GB", "zh-Hans-CN", "ZH") -> its language, by
 * primary subtag, case-insensitive.  0, or -1 when it is none of the
 * three (out untouched). */
int vb_lang_parse(const char *tag, vb_lang *out);

/* The best of the three languages for an Accept-Language header (RFC 9110
 * 12.5.4: ranges with q-values, "*", q=0 excluded; a tie goes to the
 * earlier range).  Only the first VB_I18N_ACCEPT_MAX bytes and
 * VB_I18N_ACCEPT_ENTRIES ranges are read; malformed ranges are skipped.
 * Returns fallback when header is NULL or names none of them. */
vb_lang vb_lang_negotiate(const char *header, vb_lang fallback);

/* The language of a page: the lang= parameter when given and known, else
 * Accept-Language, else the portal's default (param, header may be
 * NULL). */
vb_lang vb_lang_choose(const char *param, const char *accept_language, vb_lang portal_default);

/* The text of a message in lang (static; never NULL). */
const char *vb_i18n(vb_lang lang, vb_msg msg);

/* The text of msg with its first and second "%s" replaced by a and b
 * (NULL: empty), into out (cap bytes, cut to fit, always terminated).
 * Returns out. */
char *vb_i18n_format(vb_lang lang, vb_msg msg, char *out, size_t cap, const char *a,
		     const char *b);

/* An ISO date "YYYY-MM-DD" written for lang into out (cap bytes, always
 * terminated): vi "16/02/2023", en "16 February 2023", zh "2023年2月16日".
 * "YYYY-MM" and "YYYY" are written likewise; anything else is copied as it
 * is.  Returns out. */
char *vb_i18n_date(vb_lang lang, const char *iso, char *out, size_t cap);

/* A count written for lang into out: vi "1.234.567", en and zh
 * "1,234,567".  Returns out. */
char *vb_i18n_number(vb_lang lang, long long n, char *out, size_t cap);

#endif
