/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Xapian wrapper (see xap.h): the only C++ in the project.  Every entry
 * point runs its body inside one try block and converts any exception into
 * a vb_error (VB_ENOMEM for std::bad_alloc, VB_EAGAIN for a locked writable
 * database, VB_EINDEX for everything else), so no exception ever crosses
 * into C.  Knows nothing about Vietnamese or the document model.
 */
extern "C" {
#include "error.h"
}
#include "xap.h"

#include <xapian.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>
#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <stdlib.h>
#include <sys/stat.h>

struct vb_xdoc {
	Xapian::Document doc;
};

struct vb_xquery {
	Xapian::Query q;
};

struct vb_xap_writer {
	Xapian::WritableDatabase db;
	unsigned flush_min, flush_max, flush_div; /* vb_xap_writer_set_flush */
	unsigned flush_every; /* commit after this many writes (0: never) */
	unsigned pending;     /* writes since the last commit */
};

struct vb_xap_reader {
	Xapian::Database db;
	std::string path;     /* as given (may be a symlink) */
	std::string resolved; /* what it resolved to when opened */
	/* path/iamglass as it was just before the last open or reopen (all
	 * zero when it could not be read): a commit renames a new version
	 * file over it (a new inode and times), a reindex swaps the symlink;
	 * while it is the same file the reader is up to date
	 * (vb_xap_reader_refresh) */
	struct stat version;
};

/* path/iamglass as it is now, all zero when it cannot be read. */
static struct stat version_of(const std::string &path)
{
	struct stat st;

	if (stat((path + "/iamglass").c_str(), &st) != 0)
		memset(&st, 0, sizeof(st));
	return st;
}

/* Whether two version_of()s are the same readable file. */
static bool same_version(const struct stat &a, const struct stat &b)
{
	return a.st_ino != 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
	       a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
	       a.st_mtim.tv_nsec == b.st_mtim.tv_nsec && a.st_ctim.tv_sec == b.st_ctim.tv_sec &&
	       a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

/* Run body, turning exceptions into error codes. */
#define XAP_TRY try {
#define XAP_CATCH(err, ctx_) \
	} catch (const Xapian::DatabaseLockError &e_) { \
		return vb_error_set((err), VB_EAGAIN, "%s: %s", (ctx_), \
				    e_.get_description().c_str()); \
	} catch (const Xapian::Error &e_) { \
		return vb_error_set((err), VB_EINDEX, "%s: %s", (ctx_), \
				    e_.get_description().c_str()); \
	} catch (const std::bad_alloc &) { \
		return vb_error_set((err), VB_ENOMEM, "%s: out of memory", (ctx_)); \
	} catch (const std::exception &e_) { \
		return vb_error_set((err), VB_EINDEX, "%s: %s", (ctx_), e_.what()); \
	} catch (...) { \
		return vb_error_set((err), VB_EINDEX, "%s: unknown exception", (ctx_)); \
	}

/* Same for constructors returning a pointer (NULL on error). */
#define XAP_CATCH_PTR(err, ctx_) \
	} catch (const Xapian::Error &e_) { \
		vb_error_set((err), VB_EINDEX, "%s: %s", (ctx_), \
			     e_.get_description().c_str()); \
	} catch (const std::bad_alloc &) { \
		vb_error_set((err), VB_ENOMEM, "%s: out of memory", (ctx_)); \
	} catch (const std::exception &e_) { \
		vb_error_set((err), VB_EINDEX, "%s: %s", (ctx_), e_.what()); \
	} catch (...) { \
		vb_error_set((err), VB_EINDEX, "%s: unknown exception", (ctx_)); \
	} \
	return NULL;

static std::string resolve_path(const std::string &path)
{
	char *rp = realpath(path.c_str(), NULL);
	std::string out;

	if (!rp)
		return path;
	out = rp;
	free(rp);
	return out;
}

static char *dup_string(const std::string &s)
{
	char *p = static_cast<char *>(malloc(s.size() + 1));

	if (!p)
		throw std::bad_alloc();
	memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

/* ------------------------------------------------------------------ */
/* Documents */

extern "C" vb_xdoc *vb_xdoc_new(vb_error *err)
{
	XAP_TRY
		return new vb_xdoc();
	XAP_CATCH_PTR(err, "could not create index document")
}

extern "C" void vb_xdoc_free(vb_xdoc *doc)
{
	try {
		delete doc;
	} catch (...) {
	}
}

extern "C" int vb_xdoc_add_posting(vb_xdoc *doc, const char *term, unsigned pos,
				   unsigned wdf_inc, vb_error *err)
{
	XAP_TRY
		doc->doc.add_posting(term, pos, wdf_inc);
		return 0;
	XAP_CATCH(err, "could not add posting")
}

extern "C" int vb_xdoc_add_term(vb_xdoc *doc, const char *term, unsigned wdf,
				vb_error *err)
{
	XAP_TRY
		doc->doc.add_term(term, wdf);
		return 0;
	XAP_CATCH(err, "could not add term")
}

extern "C" int vb_xdoc_add_term_positions(vb_xdoc *doc, const char *term, size_t len,
				       unsigned wdf, const unsigned *pos, size_t npos,
				       vb_error *err)
{
	XAP_TRY
		const std::string t(term, len);

		/* the wdf once, then the positions without wdf: what Xapian's
		 * own unserialise_document does */
		doc->doc.add_term(t, wdf);
		for (size_t i = 0; i < npos; i++)
			doc->doc.add_posting(t, pos[i], 0);
		return 0;
	XAP_CATCH(err, "could not add term")
}

extern "C" int vb_xdoc_add_boolean(vb_xdoc *doc, const char *term, vb_error *err)
{
	XAP_TRY
		doc->doc.add_boolean_term(term);
		return 0;
	XAP_CATCH(err, "could not add boolean term")
}

extern "C" int vb_xdoc_set_value(vb_xdoc *doc, unsigned slot, const char *bytes,
				 size_t len, vb_error *err)
{
	XAP_TRY
		doc->doc.add_value(slot, std::string(bytes, len));
		return 0;
	XAP_CATCH(err, "could not set value")
}

extern "C" int vb_xdoc_set_data(vb_xdoc *doc, const char *bytes, size_t len,
				vb_error *err)
{
	XAP_TRY
		doc->doc.set_data(std::string(bytes, len));
		return 0;
	XAP_CATCH(err, "could not set document data")
}

/* ------------------------------------------------------------------ */
/* Queries */

extern "C" vb_xquery *vb_xquery_term(const char *term, unsigned wqf, vb_error *err)
{
	XAP_TRY
		return new vb_xquery{Xapian::Query(term, wqf ? wqf : 1)};
	XAP_CATCH_PTR(err, "could not build term query")
}

extern "C" vb_xquery *vb_xquery_combine(enum vb_xop op, vb_xquery *const *subs,
					size_t n, unsigned window, vb_error *err)
{
	XAP_TRY
		std::vector<Xapian::Query> v;
		Xapian::Query::op xop;

		for (size_t i = 0; i < n; i++)
			if (subs[i])
				v.push_back(subs[i]->q);
		if (v.empty())
			return new vb_xquery{Xapian::Query::MatchNothing};
		switch (op) {
		case VB_XOP_AND: xop = Xapian::Query::OP_AND; break;
		case VB_XOP_OR: xop = Xapian::Query::OP_OR; break;
		case VB_XOP_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
		case VB_XOP_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
		case VB_XOP_FILTER: xop = Xapian::Query::OP_FILTER; break;
		case VB_XOP_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
		case VB_XOP_NEAR: xop = Xapian::Query::OP_NEAR; break;
		default:
			vb_error_set(err, VB_EINVAL, "unknown query operator %d", (int)op);
			return NULL;
		}
		if (v.size() == 1 && op != VB_XOP_PHRASE && op != VB_XOP_NEAR)
			return new vb_xquery{v[0]};
		/* Binary-style operators take the first subquery as the left side
		 * and the OR of the others as the right side. */
		if ((op == VB_XOP_AND_NOT || op == VB_XOP_AND_MAYBE ||
		     op == VB_XOP_FILTER) && v.size() > 2) {
			Xapian::Query right(op == VB_XOP_FILTER ? Xapian::Query::OP_AND
								: Xapian::Query::OP_OR,
					    v.begin() + 1, v.end());
			return new vb_xquery{Xapian::Query(xop, v[0], right)};
		}
		if (op == VB_XOP_PHRASE || op == VB_XOP_NEAR)
			return new vb_xquery{Xapian::Query(xop, v.begin(), v.end(),
							   window ? window
								  : (Xapian::termcount)v.size())};
		return new vb_xquery{Xapian::Query(xop, v.begin(), v.end())};
	XAP_CATCH_PTR(err, "could not combine queries")
}

extern "C" vb_xquery *vb_xquery_value_range(unsigned slot, const char *lo,
					    const char *hi, vb_error *err)
{
	XAP_TRY
		if (lo && hi)
			return new vb_xquery{Xapian::Query(Xapian::Query::OP_VALUE_RANGE,
							   slot, lo, hi)};
		if (lo)
			return new vb_xquery{Xapian::Query(Xapian::Query::OP_VALUE_GE,
							   slot, lo)};
		if (hi)
			return new vb_xquery{Xapian::Query(Xapian::Query::OP_VALUE_LE,
							   slot, hi)};
		vb_error_set(err, VB_EINVAL, "value range needs at least one bound");
		return NULL;
	XAP_CATCH_PTR(err, "could not build value range query")
}

extern "C" vb_xquery *vb_xquery_scale(const vb_xquery *q, double factor, vb_error *err)
{
	XAP_TRY
		return new vb_xquery{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
						   q->q, factor)};
	XAP_CATCH_PTR(err, "could not scale query")
}

extern "C" vb_xquery *vb_xquery_match_all(vb_error *err)
{
	XAP_TRY
		return new vb_xquery{Xapian::Query::MatchAll};
	XAP_CATCH_PTR(err, "could not build query")
}

extern "C" vb_xquery *vb_xquery_match_nothing(vb_error *err)
{
	XAP_TRY
		return new vb_xquery{Xapian::Query::MatchNothing};
	XAP_CATCH_PTR(err, "could not build query")
}

/* The documents whose ids are in [lo, hi]: a posting source that walks
 * the range (ids of deleted documents included: they match nothing
 * else).  Used as a filter, to bound the work of a count by sampling a
 * window of documents. */
class docid_range : public Xapian::PostingSource {
	Xapian::docid lo, hi, cur = 0;

public:
	docid_range(Xapian::docid l, Xapian::docid h) : lo(l), hi(h) {}
	Xapian::doccount get_termfreq_min() const override { return 0; }
	Xapian::doccount get_termfreq_est() const override { return hi - lo + 1; }
	Xapian::doccount get_termfreq_max() const override { return hi - lo + 1; }
	void next(double) override { cur = cur ? cur + 1 : lo; }
	void skip_to(Xapian::docid did, double) override
	{
		if (!cur)
			cur = lo;
		if (did > cur)
			cur = did;
	}
	bool at_end() const override { return cur > hi; }
	Xapian::docid get_docid() const override { return cur; }
	void init(const Xapian::Database &) override { cur = 0; }
	Xapian::PostingSource *clone() const override { return new docid_range(lo, hi); }
	std::string name() const override { return std::string(); }
};

extern "C" vb_xquery *vb_xquery_docid_range(unsigned lo, unsigned hi, vb_error *err)
{
	if (lo == 0)
		lo = 1;
	if (hi < lo)
		return vb_xquery_match_nothing(err);
	XAP_TRY
		return new vb_xquery{Xapian::Query((new docid_range(lo, hi))->release())};
	XAP_CATCH_PTR(err, "could not build query")
}

extern "C" void vb_xquery_free(vb_xquery *q)
{
	try {
		delete q;
	} catch (...) {
	}
}

extern "C" char *vb_xquery_describe(const vb_xquery *q)
{
	if (!q)
		return NULL;
	try {
		return dup_string(q->q.get_description());
	} catch (...) {
		return NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Writer */

extern "C" int vb_xap_writer_open(vb_xap_writer **out, const char *path,
				  enum vb_xap_open mode, vb_error *err)
{
	*out = NULL;
	XAP_TRY
		int flags = mode == VB_XAP_OVERWRITE ? Xapian::DB_CREATE_OR_OVERWRITE
			  : mode == VB_XAP_CREATE_OR_OPEN ? Xapian::DB_CREATE_OR_OPEN
			  : Xapian::DB_OPEN;
		*out = new vb_xap_writer{Xapian::WritableDatabase(path, flags), 0, 0, 1, 0, 0};
		return 0;
	} catch (const Xapian::DatabaseLockError &e) {
		return vb_error_set(err, VB_EAGAIN, "could not lock index \"%s\": %s",
				    path, e.get_description().c_str());
	} catch (const Xapian::Error &e) {
		return vb_error_set(err, VB_EINDEX, "could not open index \"%s\" for writing: %s",
				    path, e.get_description().c_str());
	} catch (const std::bad_alloc &) {
		return vb_error_set(err, VB_ENOMEM, "could not open index \"%s\": out of memory",
				    path);
	} catch (const std::exception &e) {
		return vb_error_set(err, VB_EINDEX, "could not open index \"%s\": %s",
				    path, e.what());
	} catch (...) {
		return vb_error_set(err, VB_EINDEX, "could not open index \"%s\": unknown exception",
				    path);
	}
}

extern "C" int vb_xap_writer_close(vb_xap_writer *w, vb_error *err)
{
	int rc = 0;

	if (!w)
		return 0;
	try {
		w->db.commit();
		w->db.close();
	} catch (const Xapian::Error &e) {
		rc = vb_error_set(err, VB_EINDEX, "could not close index: %s",
				  e.get_description().c_str());
	} catch (const std::bad_alloc &) {
		rc = vb_error_set(err, VB_ENOMEM, "could not close index: out of memory");
	} catch (...) {
		rc = vb_error_set(err, VB_EINDEX, "could not close index: unknown exception");
	}
	vb_xap_writer_free(w);
	return rc;
}

extern "C" void vb_xap_writer_free(vb_xap_writer *w)
{
	try {
		delete w;
	} catch (...) {
	}
}

static Xapian::docid find_docid(Xapian::Database &db, const char *idterm)
{
	Xapian::PostingIterator p = db.postlist_begin(idterm);

	return p == db.postlist_end(idterm) ? 0 : *p;
}

/* The commit cadence for the index's present size. */
static void plan_flush(vb_xap_writer *w)
{
	unsigned long n = w->db.get_doccount() / w->flush_div;

	w->flush_every = n < w->flush_min ? w->flush_min : n > w->flush_max ? w->flush_max
									      : (unsigned)n;
	w->pending = 0;
}

extern "C" int vb_xap_writer_set_flush(vb_xap_writer *w, unsigned min, unsigned max,
				       unsigned div, vb_error *err)
{
	XAP_TRY
		w->flush_min = min;
		w->flush_max = max < min ? min : max;
		w->flush_div = div ? div : 1;
		plan_flush(w);
		return 0;
	XAP_CATCH(err, "could not read the index's document count")
}

/* One more write: commit when flush_every of them are pending. */
static void count_write(vb_xap_writer *w)
{
	if (w->flush_every && ++w->pending >= w->flush_every) {
		w->db.commit();
		plan_flush(w);
	}
}

extern "C" int vb_xap_writer_replace(vb_xap_writer *w, const char *idterm,
				     const vb_xdoc *doc, vb_error *err)
{
	XAP_TRY
		w->db.replace_document(idterm, doc->doc);
		count_write(w);
		return 0;
	XAP_CATCH(err, "could not replace document in index")
}

extern "C" int vb_xap_writer_delete(vb_xap_writer *w, const char *idterm, vb_error *err)
{
	XAP_TRY
		w->db.delete_document(idterm);
		count_write(w);
		return 0;
	XAP_CATCH(err, "could not delete document from index")
}

extern "C" int vb_xap_writer_get_value(vb_xap_writer *w, const char *idterm,
				       unsigned slot, char **out, vb_error *err)
{
	*out = NULL;
	XAP_TRY
		Xapian::docid id = find_docid(w->db, idterm);

		if (id)
			*out = dup_string(w->db.get_document(id).get_value(slot));
		return 0;
	XAP_CATCH(err, "could not read index document")
}

extern "C" int vb_xap_writer_get_metadata(vb_xap_writer *w, const char *key,
					  char **out, vb_error *err)
{
	*out = NULL;
	XAP_TRY
		*out = dup_string(w->db.get_metadata(key));
		return 0;
	XAP_CATCH(err, "could not read index metadata")
}

extern "C" int vb_xap_writer_set_metadata(vb_xap_writer *w, const char *key,
					  const char *value, vb_error *err)
{
	XAP_TRY
		w->db.set_metadata(key, value);
		return 0;
	XAP_CATCH(err, "could not write index metadata")
}

extern "C" int vb_xap_writer_commit(vb_xap_writer *w, vb_error *err)
{
	XAP_TRY
		w->db.commit();
		w->pending = 0;
		return 0;
	XAP_CATCH(err, "could not commit index")
}

extern "C" int vb_xap_writer_doccount(vb_xap_writer *w, size_t *count, vb_error *err)
{
	XAP_TRY
		*count = w->db.get_doccount();
		return 0;
	XAP_CATCH(err, "could not count index documents")
}

extern "C" int vb_xap_compact(const char *src, const char *dst, vb_error *err)
{
	XAP_TRY
		Xapian::Database db(src);

		/* FULL, not FULLER: the index keeps being updated; 16 KB blocks
		 * (the default is 8 KB) pack postings and positions ~1% tighter */
		db.compact(dst, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::FULL, 16384);
		return 0;
	XAP_CATCH(err, "could not compact index")
}

/* ------------------------------------------------------------------ */
/* Reader */

extern "C" int vb_xap_reader_open(vb_xap_reader **out, const char *path, vb_error *err)
{
	*out = NULL;
	try {
		vb_xap_reader *r = new vb_xap_reader();

		try {
			r->path = path;
			r->version = version_of(r->path);
			r->resolved = resolve_path(r->path);
			r->db = Xapian::Database(r->resolved);
		} catch (...) {
			delete r;
			throw;
		}
		*out = r;
		return 0;
	} catch (const Xapian::Error &e) {
		return vb_error_set(err, VB_EINDEX, "could not open index \"%s\": %s",
				    path, e.get_description().c_str());
	} catch (const std::bad_alloc &) {
		return vb_error_set(err, VB_ENOMEM, "could not open index \"%s\": out of memory",
				    path);
	} catch (const std::exception &e) {
		return vb_error_set(err, VB_EINDEX, "could not open index \"%s\": %s",
				    path, e.what());
	} catch (...) {
		return vb_error_set(err, VB_EINDEX, "could not open index \"%s\": unknown exception",
				    path);
	}
}

extern "C" void vb_xap_reader_free(vb_xap_reader *r)
{
	try {
		delete r;
	} catch (...) {
	}
}

extern "C" int vb_xap_reader_refresh(vb_xap_reader *r, vb_error *err)
{
	XAP_TRY
		struct stat version = version_of(r->path);

		if (same_version(version, r->version))
			return 0; /* one stat() instead of realpath() and reopen() */
		std::string now = resolve_path(r->path);

		if (now != r->resolved) {
			Xapian::Database fresh(now);

			r->db = fresh;
			r->resolved = now;
		} else {
			r->db.reopen();
		}
		r->version = version;
		return 0;
	XAP_CATCH(err, "could not refresh index")
}

extern "C" int vb_xap_reader_doccount(vb_xap_reader *r, size_t *count, vb_error *err)
{
	XAP_TRY
		*count = r->db.get_doccount();
		return 0;
	XAP_CATCH(err, "could not count index documents")
}

extern "C" int vb_xap_reader_lastdocid(vb_xap_reader *r, unsigned *last, vb_error *err)
{
	XAP_TRY
		*last = r->db.get_lastdocid();
		return 0;
	XAP_CATCH(err, "could not read the index's last document id")
}

extern "C" int vb_xap_reader_get_metadata(vb_xap_reader *r, const char *key,
					  char **out, vb_error *err)
{
	*out = NULL;
	XAP_TRY
		*out = dup_string(r->db.get_metadata(key));
		return 0;
	XAP_CATCH(err, "could not read index metadata")
}

extern "C" int vb_xap_reader_termfreq(vb_xap_reader *r, const char *term,
				      size_t *freq, vb_error *err)
{
	*freq = 0;
	XAP_TRY
		*freq = r->db.get_termfreq(term);
		return 0;
	XAP_CATCH(err, "could not read term frequency")
}

extern "C" int vb_xap_reader_terms(vb_xap_reader *r, const char *prefix, size_t max,
				   vb_xap_term_cb cb, void *ud, vb_error *err)
{
	XAP_TRY
		size_t seen = 0;

		for (Xapian::TermIterator t = r->db.allterms_begin(prefix);
		     t != r->db.allterms_end(prefix); ++t) {
			std::string term = *t;

			if (max && seen++ >= max)
				break;
			if (cb(term.c_str(), term.size(), t.get_termfreq(), ud))
				break;
		}
		return 0;
	XAP_CATCH(err, "could not read index vocabulary")
}

extern "C" int vb_xap_reader_value(vb_xap_reader *r, unsigned docid, unsigned slot,
				   char **out, size_t *len, vb_error *err)
{
	*out = NULL;
	*len = 0;
	XAP_TRY
		std::string v = r->db.get_document(docid).get_value(slot);

		*out = dup_string(v);
		*len = v.size();
		return 0;
	} catch (const Xapian::DocNotFoundError &) {
		return vb_error_set(err, VB_ENOTFOUND, "document %u is not in the index", docid);
	XAP_CATCH(err, "could not read a document value")
}

extern "C" int vb_xap_reader_each_posting(vb_xap_reader *r, const char *prefix,
					  unsigned slot, vb_xap_posting_cb cb, void *ud,
					  vb_error *err)
{
	if (!prefix || !*prefix)
		return vb_error_set(err, VB_EINVAL, "a term prefix is required");
	XAP_TRY
		for (Xapian::TermIterator t = r->db.allterms_begin(prefix);
		     t != r->db.allterms_end(prefix); ++t) {
			std::string term = *t;

			for (Xapian::PostingIterator p = r->db.postlist_begin(term);
			     p != r->db.postlist_end(term); ++p) {
				std::string v = r->db.get_document(*p).get_value(slot);

				if (cb(term.c_str(), term.size(), v.c_str(), v.size(), ud))
					return 0;
			}
		}
		return 0;
	XAP_CATCH(err, "could not read index documents")
}

extern "C" void vb_xap_result_init(vb_xap_result *res)
{
	memset(res, 0, sizeof(*res));
}

extern "C" void vb_xap_result_dispose(vb_xap_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n_hits; i++)
		free(res->hits[i].data);
	free(res->hits);
	for (size_t f = 0; f < VB_XAP_MAX_FACETS; f++) {
		for (size_t i = 0; i < res->n_facet_values[f]; i++)
			free(res->facets[f][i].value);
		free(res->facets[f]);
	}
	vb_xap_result_init(res);
}

/* Facet counting.  Xapian's ValueCountMatchSpy reads a document's value
 * from the value streams for every match and facet and counts it in a
 * string map.  Instead, each facet slot is read once per index revision
 * into an array docid -> value id, shared by every reader at that
 * revision, and a match costs one array load and one increment. */
struct facet_table {
	std::string uuid;
	Xapian::rev rev;
	unsigned slot;
	std::vector<std::string> names;   /* value id - 1 -> value */
	std::vector<uint32_t> ids;        /* docid -> value id (0: no value) */
};

#define FACET_CACHE_MAX 32 /* tables kept: slots x recent revisions/indexes */

static std::mutex facet_mu;
static std::vector<std::shared_ptr<const facet_table>> facet_cache;

static std::shared_ptr<const facet_table> facet_build(Xapian::Database &db, unsigned slot,
						      const std::string &uuid, Xapian::rev rev)
{
	auto t = std::make_shared<facet_table>();
	std::unordered_map<std::string, uint32_t> idx;

	t->uuid = uuid;
	t->rev = rev;
	t->slot = slot;
	t->ids.assign((size_t)db.get_lastdocid() + 1, 0);
	for (Xapian::ValueIterator v = db.valuestream_begin(slot); v != db.valuestream_end(slot);
	     ++v) {
		Xapian::docid d = v.get_docid();
		std::string val = *v;

		if (val.empty() || d >= t->ids.size())
			continue;
		auto in = idx.emplace(val, (uint32_t)t->names.size() + 1);
		if (in.second)
			t->names.push_back(val);
		t->ids[d] = in.first->second;
	}
	return t;
}

/* The table of slot at db's revision, or NULL when the database cannot
 * say which revision it is (then the caller counts values itself). */
static std::shared_ptr<const facet_table> facet_get(Xapian::Database &db, unsigned slot)
{
	std::string uuid;
	Xapian::rev rev;

	try {
		uuid = db.get_uuid();
		rev = db.get_revision();
	} catch (const Xapian::InvalidOperationError &) {
		return nullptr;
	}
	if (uuid.empty())
		return nullptr;
	{
		std::lock_guard<std::mutex> lock(facet_mu);

		for (const auto &t : facet_cache)
			if (t->slot == slot && t->rev == rev && t->uuid == uuid)
				return t;
	}
	/* built outside the lock: two threads may build the same table once */
	std::shared_ptr<const facet_table> t = facet_build(db, slot, uuid, rev);
	std::lock_guard<std::mutex> lock(facet_mu);

	for (auto &e : facet_cache)
		if (e->slot == slot && e->uuid == uuid) {
			if (e->rev < rev)
				e = t;
			return t;
		}
	if (facet_cache.size() >= FACET_CACHE_MAX)
		facet_cache.erase(facet_cache.begin());
	facet_cache.push_back(t);
	return t;
}

class facet_spy : public Xapian::MatchSpy {
public:
	std::shared_ptr<const facet_table> t;
	std::vector<Xapian::doccount> counts;

	explicit facet_spy(std::shared_ptr<const facet_table> table)
		: t(std::move(table)), counts(t->names.size(), 0) {}
	void operator()(const Xapian::Document &doc, double) override
	{
		Xapian::docid d = doc.get_docid();
		uint32_t id = d < t->ids.size() ? t->ids[d] : 0;

		if (id)
			counts[id - 1]++;
	}
};

static void set_sort(Xapian::Enquire &enq, const vb_xap_search *s)
{
	enq.set_docid_order(Xapian::Enquire::DESCENDING);
	switch (s->sort) {
	case VB_XSORT_RELEVANCE:
		enq.set_sort_by_relevance_then_value(s->sort_slot, true);
		break;
	case VB_XSORT_VALUE_ASC:
		enq.set_sort_by_value_then_relevance(s->sort_slot, false);
		break;
	case VB_XSORT_VALUE_DESC:
		enq.set_sort_by_value_then_relevance(s->sort_slot, true);
		break;
	}
}

static void copy_hits(Xapian::MSet &mset, vb_xap_result *res)
{
	if (!mset.size())
		return;
	res->hits = static_cast<vb_xap_hit *>(calloc(mset.size(), sizeof(vb_xap_hit)));
	if (!res->hits)
		throw std::bad_alloc();
	for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
		vb_xap_hit *h = &res->hits[res->n_hits];
		std::string data = it.get_document().get_data();

		h->docid = *it;
		h->weight = it.get_weight();
		h->data = dup_string(data);
		h->data_len = data.size();
		res->n_hits++;
	}
}

/* One attempt at a search; throws on failure, fills res (which the caller
 * disposes of on error).  One ranked pass over every match: the total is
 * exact, the facets are counted by facet_spy (or ValueCountMatchSpy).
 * (Counting in a weightless pass and ranking only the page in a second,
 * pruned one was tried twice: first Xapian's pruning changed the order of
 * some pages, then, with no positional boost left in the queries, the two
 * passes cost as much CPU as one; docs/benchmarks.md.) */
static void search_once(Xapian::Database &db, const vb_xap_search *s, vb_xap_result *res)
{
	Xapian::Enquire enq(db);
	Xapian::Query q = s->query->q;
	std::vector<std::unique_ptr<facet_spy>> fspies;
	std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> vspies;
	Xapian::doccount dbsize = db.get_doccount();
	size_t nf = s->n_facets < VB_XAP_MAX_FACETS ? s->n_facets : VB_XAP_MAX_FACETS;

	if (s->filter)
		q = Xapian::Query(Xapian::Query::OP_FILTER, q, s->filter->q);
	enq.set_query(q);
	if (s->limit == 0) {
		/* only the total and the facets: no weights to compute */
		enq.set_weighting_scheme(Xapian::BoolWeight());
	}
	set_sort(enq, s);
	for (size_t i = 0; i < nf; i++) {
		std::shared_ptr<const facet_table> t = facet_get(db, s->facet_slots[i]);

		if (t) {
			fspies.emplace_back(new facet_spy(t));
			vspies.emplace_back(nullptr);
			enq.add_matchspy(fspies.back().get());
		} else {
			fspies.emplace_back(nullptr);
			vspies.emplace_back(new Xapian::ValueCountMatchSpy(s->facet_slots[i]));
			enq.add_matchspy(vspies.back().get());
		}
	}

	Xapian::doccount first = s->offset > UINT_MAX ? UINT_MAX : (Xapian::doccount)s->offset;
	Xapian::doccount max = s->limit > UINT_MAX ? UINT_MAX : (Xapian::doccount)s->limit;
	Xapian::MSet mset = enq.get_mset(first, max, dbsize ? dbsize : 1);

	res->total = mset.get_matches_estimated();
	copy_hits(mset, res);
	for (size_t i = 0; i < nf; i++) {
		size_t cap = s->facet_max ? s->facet_max : 50;
		std::vector<std::pair<Xapian::doccount, std::string>> vals;

		if (fspies[i]) {
			const facet_spy &f = *fspies[i];

			for (size_t k = 0; k < f.counts.size(); k++)
				if (f.counts[k])
					vals.emplace_back(f.counts[k], f.t->names[k]);
		} else {
			Xapian::ValueCountMatchSpy *spy = vspies[i].get();

			for (Xapian::TermIterator t = spy->values_begin(); t != spy->values_end();
			     ++t)
				vals.emplace_back(t.get_termfreq(), *t);
		}
		/* Most frequent first, then by value for a stable order. */
		std::sort(vals.begin(), vals.end(),
			  [](const std::pair<Xapian::doccount, std::string> &a,
			     const std::pair<Xapian::doccount, std::string> &b) {
				  if (a.first != b.first)
					  return a.first > b.first;
				  return a.second < b.second;
			  });
		if (vals.size() > cap)
			vals.resize(cap);
		if (vals.empty())
			continue;
		res->facets[i] = static_cast<vb_xap_count *>(calloc(vals.size(), sizeof(vb_xap_count)));
		if (!res->facets[i])
			throw std::bad_alloc();
		for (size_t k = 0; k < vals.size(); k++) {
			res->facets[i][k].value = dup_string(vals[k].second);
			res->facets[i][k].count = vals[k].first;
			res->n_facet_values[i]++;
		}
	}
}

extern "C" int vb_xap_reader_search(vb_xap_reader *r, const vb_xap_search *s,
				    vb_xap_result *res, vb_error *err)
{
	if (!s->query)
		return vb_error_set(err, VB_EINVAL, "search without a query");
	for (int attempt = 0;; attempt++) {
		try {
			search_once(r->db, s, res);
			return 0;
		} catch (const Xapian::DatabaseModifiedError &e) {
			vb_xap_result_dispose(res);
			if (attempt >= 2)
				return vb_error_set(err, VB_EAGAIN, "could not search index: %s",
						    e.get_description().c_str());
			try {
				r->db.reopen();
			} catch (...) {
			}
		} catch (const Xapian::Error &e) {
			vb_xap_result_dispose(res);
			return vb_error_set(err, VB_EINDEX, "could not search index: %s",
					    e.get_description().c_str());
		} catch (const std::bad_alloc &) {
			vb_xap_result_dispose(res);
			return vb_error_set(err, VB_ENOMEM, "could not search index: out of memory");
		} catch (const std::exception &e) {
			vb_xap_result_dispose(res);
			return vb_error_set(err, VB_EINDEX, "could not search index: %s", e.what());
		} catch (...) {
			vb_xap_result_dispose(res);
			return vb_error_set(err, VB_EINDEX, "could not search index: unknown exception");
		}
	}
}
