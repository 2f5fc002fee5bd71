/*
 * layout_int.h: what layout.c shares with the files that lay out other
 * kinds of pages (layout_cahier.c). Not for other modules.
 */
#ifndef ARDOISE_LAYOUT_INT_H
#define ARDOISE_LAYOUT_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include "xxh.h"

#include "hashfeed.h"

#include "buf.h"
#include "diag.h"

struct layout_opts;
struct out;
struct site;
struct theme;
struct val;

/* A list of posts shown on one or more pages: the home page, a tag, a month. */
struct list_def {
	const char *kind;	/* page.kind */
	char *heading;		/* "" on the home page */
	char *month;		/* a month's label ("mars 2020"), NULL for other lists */
	char *first_url;	/* page 1 */
	char *base;		/* page n is base/n.html */
	size_t *ranks;		/* posts shown (ranks in site.posts), owned */
	size_t n;
	size_t per;		/* posts per page */
	size_t pages;
};

enum job_kind {
	JOB_POST, JOB_PAGE, JOB_LIST, JOB_TAGS, JOB_ARCHIVES, JOB_A11Y, JOB_FEEDS, JOB_ASSET,
	JOB_CAHIERS, JOB_CAHIER, JOB_CAHIER_PAGE, JOB_CAHIER_PRINT,
	JOB_SEARCH,
};

struct job {
	enum job_kind kind;
	size_t a, b;		/* post/page/asset index; list index and page number */
};

/* A shared data tree's hash, computed once for every page showing it. */
struct val_digest {
	const struct val *v;
	XXH128_hash_t h;
};

/* Everything shared, read-only, by the pages of one build. */
struct ctx {
	const struct site *site;
	const struct theme *theme;
	const struct layout_opts *opts;
	struct out *out;
	struct val *sitev;	/* site.* */
	/* data of each published post, by rank: made by the first page
	 * rendered that shows it (layout_post_value) */
	_Atomic(struct val *) *postv;
	XXH128_hash_t *postd;	/* digest of each post's data (see post_digest) */
	XXH128_hash_t *linkd;	/* digest of what a link to it shows (hash_link) */
	XXH128_hash_t common;	/* digest of what layout_new_page_root adds besides kind, url, title */
	struct val **tagv;	/* {name, url} of each tag, shared by its posts */
	struct list_def *lists;
	size_t nlists;
	struct job *jobs;
	size_t njobs;
	atomic_size_t next;	/* the next job to take */
	struct val **cahierv;	/* data of each shown notebook (site.shown order) */
	struct val_digest *digests;	/* of the shared trees above, by address */
	size_t ndigests;
	struct val ***itemv;	/* data of each page of each shown notebook */
};

/* What one thread owns while rendering. */
struct worker {
	struct ctx *c;
	pthread_t thread;
	struct buf html;
	struct buf tmp;
	struct hashfeed hash;	/* page keys */
	struct diag d;
	int rc;
};


/* Sets key only when s is not empty (templates test presence). */
void layout_put(struct val *map, const char *key, const char *s);
/* The UI string `key` of the theme, or key itself. */
const char *layout_tstr(const struct ctx *c, const char *key);
/* The data every page gets (root, site, nav, t, page...). */
struct val *layout_new_page_root(const struct ctx *c, const char *kind, const char *url,
    const char *title);
/* Renders root with template tpl into url, then frees root. */
void layout_render(struct worker *w, const char *tpl, const char *url, struct val *root);
/* The data of published post `rank`, shared by every page showing it. */
struct val *layout_post_value(struct ctx *c, size_t rank);

/* layout_cahier.c */
void layout_cahier_data(struct ctx *c);
void layout_cahier_free(struct ctx *c);
void layout_cahier_jobs(struct ctx *c, void (*add)(struct ctx *, size_t *, enum job_kind, size_t, size_t),
    size_t *cap);
void layout_cahier_job(struct worker *w, enum job_kind kind, size_t a, size_t b);

#endif
