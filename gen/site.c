#include "site.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cahier.h"
#include "config.h"
#include "diag.h"
#include "gitsrc.h"
#include "history.h"
#include "md.h"
#include "postcache.h"
#include "slug.h"
#include "strindex.h"
#include "util.h"
#include "val.h"
#include "yml.h"

#define SUMMARY_MAX 300

/* Pages whose names the site itself uses at the top level. */
static const char *const reserved_pages[] = {
	"index", "feed", "sitemap", "search", "search-index", "404",
};

static int
is_markdown(const char *path)
{
	return str_ends_ci(path, ".md") || str_ends_ci(path, ".markdown");
}

static const char *
basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* "posts/2020-03-16-potager.md" -> "potager" (short) or "2020-03-16-potager" (full). */
static void
file_slug(const char *path, int full, struct buf *out)
{
	const char *base = basename_of(path);
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	size_t start = out->len;

	if (!full && n > 11 && base[4] == '-' && base[7] == '-' && base[10] == '-' &&
	    strspn(base, "0123456789") == 4)
		slugify(base + 11, n - 11, out);
	if (out->len == start)
		slugify(base, n, out);
}

static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* Newest first, then by path (the source's entries are in path order). */
static int
cmp_post_date_desc(const void *a, const void *b)
{
	const struct post *x = *(struct post *const *)a, *y = *(struct post *const *)b;

	if (x->when != y->when)
		return x->when > y->when ? -1 : 1;
	return x->src < y->src ? -1 : x->src > y->src;
}

static int
cmp_post_slug(const void *a, const void *b)
{
	const struct post *x = *(struct post *const *)a, *y = *(struct post *const *)b;
	int c = strcmp(x->slug, y->slug);

	return c ? c : strcmp(x->src->path, y->src->path);
}

static int
read_config(struct site *s, struct gitsrc *src, struct diag *d)
{
	const struct gitsrc_file *f = gitsrc_find(src, "ardoise.yml");
	struct buf b = BUF_INIT;
	int rc;

	if (f && f->size > config_default_limits().text_bytes) {
		diag_error(d, f->path, 0, 0, _("ardoise.yml is larger than %llu KB: it should hold only settings"),
		    (unsigned long long)(config_default_limits().text_bytes >> 10));
		config_parse(&s->cfg, "ardoise.yml", NULL, 0, d);
		return -1;
	}
	if (f && gitsrc_read(src, f, &b, d) < 0) {
		config_parse(&s->cfg, "ardoise.yml", NULL, 0, d);
		buf_release(&b);
		return -1;
	}
	rc = config_parse(&s->cfg, "ardoise.yml", f ? b.p : NULL, b.len, d);
	buf_release(&b);
	return rc;
}

/* What a source file is to the site: a post, a page, something in the
 * posts or pages directory that should not be there (-2), or none of
 * these (-1). */
static int
file_kind(const struct site *s, const char *path)
{
	int kind = cahier_file_kind(s, path);

	if (kind == 1)
		return POST_CAHIER;
	if (under(path, s->cfg.posts_dir))
		kind = POST_POST;
	else if (under(path, s->cfg.pages_dir))
		kind = POST_PAGE;
	else
		return -1;
	if (basename_of(path)[0] == '.')
		return -1;	/* .gitkeep and the like */
	return is_markdown(path) ? kind : -2;
}

/* Reads and parses post p (its blob, or its front matter from the post
 * cache). Returns 0, or -1 after reporting to d (p is then broken). */
static int
read_post(const struct site *s, struct gitsrc *src, struct post *p, size_t *next,
    struct diag *d)
{
	struct yml_limits lim = { s->cfg.limits.yaml_depth, s->cfg.limits.front_matter_bytes };
	const struct gitsrc_file *f = p->src;
	const struct postcache_entry *e;
	size_t d0 = d->len;

	/* the same blob as last time: its front matter as parsed then
	 * (notebook pages take their title from the body: read them) */
	if (p->kind != POST_CAHIER &&
	    (e = p->entry = postcache_find(s->opts.post_cache, f->path, f->oid, next)) != NULL &&
	    postcache_meta(e, &p->meta, d) == 0) {
		p->from_cache = 1;
	} else if (gitsrc_read(src, f, &p->text, d) < 0 ||
	    fm_parse(f->path, p->text.p, p->text.len, &lim, &p->meta, d) < 0) {
		p->broken = 1;
		return -1;
	}
	diag_copy(&p->read_diags, d, d0);
	if (p->kind != POST_CAHIER && (!p->meta.title || !*p->meta.title)) {
		diag_error(d, f->path, p->meta.line[FM_TITLE] ? p->meta.line[FM_TITLE] : 1, 1,
		    _("no title: add a line `title: \"The title\"` to the front matter, between the two --- lines"));
		p->broken = 1;
		return -1;
	}
	return 0;
}

/* The second half of the posts, read on their own thread with their own
 * repository handle (libgit2 handles are not shared between threads). */
struct read_half {
	pthread_t thread;
	const struct site *s;
	struct gitsrc *src;
	size_t from, to;
	struct diag d;
	int rc;
};

static void *
read_half_main(void *arg)
{
	struct read_half *h = arg;
	size_t i, next = 0;

	for (i = h->from; i < h->to; i++)
		if (!h->s->all[i].broken && read_post(h->s, h->src, &h->s->all[i], &next, &h->d) < 0)
			h->rc = -1;
	return NULL;
}

/* Reads and parses every post and page (kind[i]: file_kind of the source's
 * file i); returns -1 when any failed. */
static int
read_posts(struct site *s, struct gitsrc *src, const signed char *kind_of, struct diag *d)
{
	size_t i, n = gitsrc_count(src), mid, nposts = 0, next = 0;
	struct read_half h;
	int rc = 0, started = 0;

	for (i = 0; i < n; i++)
		nposts += kind_of[i] != -1;
	s->all = xcalloc(nposts + 1, sizeof *s->all);
	for (i = 0; i < n; i++) {
		const struct gitsrc_file *f = gitsrc_at(src, i);
		struct post *p;
		int kind = kind_of[i];

		if (kind == -1)
			continue;
		if (kind == -2) {
			diag_error(d, f->path, 0, 0, under(f->path, s->cfg.posts_dir) ?
			    _("not a Markdown post (.md): put photos, sounds and documents in %s/ and link them from a post") :
			    _("not a Markdown page (.md): put photos, sounds and documents in %s/ and link them from a page"),
			    s->cfg.media_dir);
			rc = -1;
			continue;
		}
		p = &s->all[s->nall++];
		p->kind = (enum post_kind)kind;
		p->src = f;
		buf_init(&p->text);
		diag_init(&p->read_diags);
		diag_init(&p->render_diags);
		buf_init(&p->deps);
		if (f->size > s->cfg.limits.text_bytes) {
			diag_error(d, f->path, 0, 0,
			    _("this file is %.1f MB: Markdown files are limited to %llu KB; split it into several posts (or raise limits: text_kb in ardoise.yml)"),
			    (double)f->size / 1e6, (unsigned long long)(s->cfg.limits.text_bytes >> 10));
			p->broken = 1;
			rc = -1;
		}
	}
	/*
	 * Without a history walk to run beside it (ardoise check), reading
	 * is the longest stage before rendering: two threads share it. With
	 * one, the second processor is the walk's.
	 */
	mid = s->nall;
	memset(&h, 0, sizeof h);
	if (s->opts.no_history && s->nall >= 256 &&
	    (h.src = gitsrc_open_reader(src, d)) != NULL) {
		h.s = s;
		h.from = mid = s->nall / 2;
		h.to = s->nall;
		diag_init(&h.d);
		if (pthread_create(&h.thread, NULL, read_half_main, &h) == 0)
			started = 1;
		else
			mid = s->nall;
	}
	for (i = 0; i < mid; i++)
		if (!s->all[i].broken && read_post(s, src, &s->all[i], &next, d) < 0)
			rc = -1;
	if (h.src) {
		if (started) {
			pthread_join(h.thread, NULL);
			if (h.rc < 0)
				rc = -1;
		}
		diag_merge(d, &h.d);
		diag_release(&h.d);
		gitsrc_free(h.src);
	}
	return rc;
}

/*
 * The history walk runs on its own thread (with its own repository
 * handle, see history.h) while this one reads and renders the posts: it
 * is the longest stage, and only dates, authors and the order of posts
 * depend on it.
 */
struct hist_job {
	pthread_t thread;
	int started;
	const char *gitdir;
	char commit[41];
	const char **paths;	/* the posts and pages, in s->all's order */
	size_t n;
	const char **listed;	/* every file of the commit, in path order */
	const unsigned char **ids;	/* their blob ids and modes, or NULL (a folder) */
	unsigned *modes;
	size_t nlisted;
	struct history_info *info;
	const char *cache;	/* the previous build's cache (not owned) */
	size_t cache_len;
	struct buf cache_out;
	struct diag d;
	int rc;
	double seconds;
};

static void *
hist_main(void *arg)
{
	struct hist_job *j = arg;
	double t0 = clock_seconds();

	j->rc = history_walk_listed(j->gitdir, j->commit, j->paths, j->n, j->info,
	    j->listed, j->ids, j->modes, j->nlisted, j->cache, j->cache_len, &j->cache_out, &j->d);
	j->seconds = clock_seconds() - t0;
	return NULL;
}

static void
hist_start(struct hist_job *j, struct site *s, struct gitsrc *src, const signed char *kind_of)
{
	const struct gitsrc_commit *c = gitsrc_commit(src);
	size_t i, n = gitsrc_count(src);

	memset(j, 0, sizeof *j);
	diag_init(&j->d);
	buf_init(&j->cache_out);
	j->cache = s->opts.history_cache;
	j->cache_len = s->opts.history_cache_len;
	j->paths = xcalloc(n ? n : 1, sizeof *j->paths);
	j->listed = xcalloc(n ? n : 1, sizeof *j->listed);
	if (gitsrc_of_commit(src)) {
		j->ids = xcalloc(n ? n : 1, sizeof *j->ids);
		j->modes = xcalloc(n ? n : 1, sizeof *j->modes);
	}
	for (i = 0; i < n; i++) {
		if (j->ids) {
			j->ids[i] = gitsrc_at(src, i)->id;
			j->modes[i] = gitsrc_at(src, i)->mode;
		}
		j->listed[j->nlisted++] = gitsrc_at(src, i)->path;
		if (kind_of[i] >= 0)
			j->paths[j->n++] = gitsrc_at(src, i)->path;
	}
	j->info = xcalloc(j->n ? j->n : 1, sizeof *j->info);
	j->gitdir = gitsrc_gitdir(src);
	if (!j->gitdir || !c || !c->id[0] || j->n == 0 || s->opts.no_history)
		return;		/* nothing committed, or not needed */
	memcpy(j->commit, c->id, sizeof j->commit);
	if (pthread_create(&j->thread, NULL, hist_main, j) == 0)
		j->started = 1;
	else
		hist_main(j);
}

/* Waits for the walk, then fills dates and authors: front matter first,
 * else git, else defaults. */
static int
hist_finish(struct hist_job *j, struct site *s, struct diag *d)
{
	size_t i;
	int rc;

	if (j->started)
		pthread_join(j->thread, NULL);
	diag_merge(d, &j->d);
	rc = j->rc;
	for (i = 0; i < s->nall; i++) {
		struct post *p = &s->all[i];
		/* s->all and the walk's paths are both in source order */
		struct history_info *h = i < j->n && (j->paths[i] == p->src->path ||
		    strcmp(j->paths[i], p->src->path) == 0) ? &j->info[i] : NULL;

		if (h && !h->found)
			h = NULL;
		if (p->meta.has_date)
			p->date = p->meta.date;
		else if (h)
			date_from_epoch(h->created_time, h->created_offset, &p->date);
		else
			date_from_epoch(s->opts.now, 0, &p->date);	/* not committed yet */
		if (h)
			date_from_epoch(h->updated_time, h->updated_offset, &p->updated);
		else
			p->updated = p->date;
		if (date_cmp(&p->updated, &p->date) < 0)
			p->updated = p->date;
		/* borrowed from the model, or taken from the walk's answer */
		if (p->meta.author && *p->meta.author) {
			p->author = p->meta.author;
		} else if (h && h->created_author) {
			p->author = h->created_author;
			p->author_owned = 1;
			h->created_author = NULL;
		} else {
			p->author = s->cfg.author;
		}
	}
	history_info_release(j->info, j->n);
	free(j->info);
	free(j->paths);
	free(j->listed);
	free(j->ids);
	free(j->modes);
	s->history_cache = j->cache_out;	/* handed over to the site */
	return rc;
}

static void
select_published(struct site *s)
{
	size_t i;

	s->posts = xcalloc(s->nall ? s->nall : 1, sizeof *s->posts);
	s->pages = xcalloc(s->nall ? s->nall : 1, sizeof *s->pages);
	for (i = 0; i < s->nall; i++) {
		struct post *p = &s->all[i];

		if (p->kind == POST_CAHIER)
			continue;	/* decided with their notebook */
		if (!p->broken && !p->meta.draft && p->meta.has_date &&
		    date_epoch(&p->meta.date) > s->opts.now &&
		    (!s->next_change || date_epoch(&p->meta.date) < s->next_change))
			s->next_change = date_epoch(&p->meta.date);
		/* decided before git dates are known: a post dated by its
		 * commit is never in the future */
		p->published = !p->broken && !p->meta.draft &&
		    !(p->meta.class_only && s->opts.audience == AUDIENCE_PUBLIC) &&
		    (p->kind == POST_PAGE || !p->meta.has_date ||
		    date_epoch(&p->meta.date) <= s->opts.now);
		if (!p->published)
			continue;
		if (p->kind == POST_POST)
			s->posts[s->nposts++] = p;
		else
			s->pages[s->npages++] = p;
	}
}

static void
reverse_posts(struct post **v, size_t n)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		struct post *t = v[i];

		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

/* Newest first, once dates are known. */
static void
sort_posts(struct site *s)
{
	size_t i;

	for (i = 0; i < s->nall; i++)
		s->all[i].when = date_epoch(&s->all[i].date);
	/* the posts come in path order, which for dated file names is the
	 * order of their days: reversed, only the posts of one day (by their
	 * time) are out of order */
	reverse_posts(s->posts, s->nposts);
	sort_nearly_sorted(s->posts, s->nposts, sizeof *s->posts, cmp_post_date_desc);
	for (i = 0; i < s->nposts; i++)
		s->posts[i]->rank = i;
}

/* Whether two of v[0..n) have the same slug. */
static int
any_same_slug(struct post **v, size_t n)
{
	struct strindex seen;
	size_t i;
	int same = 0;

	strindex_init(&seen, n);
	for (i = 0; i < n && !same; i++)
		same = strindex_add(&seen, v[i]->slug, i) != i;
	strindex_release(&seen);
	return same;
}

/* Short slugs where unique, the full file name where not; a clash that
 * remains is an error naming both files. */
static int
assign_slugs(struct post **v, size_t n, struct strpool *pool, struct diag *d)
{
	struct buf b = BUF_INIT;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < n; i++) {
		buf_reset(&b);
		file_slug(v[i]->src->path, 0, &b);
		v[i]->slug = strpool_dupn(pool, b.p, b.len);
	}
	if (!any_same_slug(v, n))
		goto urls;	/* the usual case: nothing to sort out */
	sort_array(v, n, sizeof *v, cmp_post_slug);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(v[j]->slug, v[i]->slug) == 0; j++)
			;
		if (j - i == 1)
			continue;
		for (size_t k = i; k < j; k++) {
			buf_reset(&b);
			file_slug(v[k]->src->path, 1, &b);
			v[k]->slug = strpool_dupn(pool, b.p, b.len);
		}
	}
	sort_array(v, n, sizeof *v, cmp_post_slug);
	for (i = 0; i + 1 < n; i++) {
		if (strcmp(v[i]->slug, v[i + 1]->slug) == 0) {
			diag_error(d, v[i + 1]->src->path, 0, 0,
			    _("same address \"%s\" as %s: rename one of the two files"),
			    v[i]->slug, v[i]->src->path);
			rc = -1;
		}
	}
urls:
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		if (v[i]->kind == POST_POST)
			buf_puts(&b, "posts/");
		buf_puts(&b, v[i]->slug);
		buf_puts(&b, ".html");
		v[i]->url = strpool_dupn(pool, b.p, b.len);
		if (v[i]->kind == POST_PAGE) {
			for (j = 0; j < ARRAY_LEN(reserved_pages); j++) {
				if (strcmp(v[i]->slug, reserved_pages[j]) == 0) {
					diag_error(d, v[i]->src->path, 0, 0,
					    _("the page name \"%s\" is used by the site itself: rename the file"),
					    v[i]->slug);
					rc = -1;
				}
			}
		}
	}
	buf_release(&b);
	return rc;
}

/* The tags of the published posts: a class uses a few dozen over
 * thousands of posts, so each distinct name is made a slug once. */
struct tag_names {
	struct strindex names;	/* name -> its slug's id + 1 (0: none) */
	struct strindex ids;	/* slug -> id */
	char **slugs;		/* distinct slugs, in order of first use */
	const char **first;	/* the name each was first written with */
	size_t n, cap;
};

#define NO_TAG SIZE_MAX

/* The id of name's slug (NO_TAG when it has no letter or digit). */
static size_t
tag_id(struct tag_names *tn, const char *name, struct buf *b)
{
	size_t k = strindex_find(&tn->names, name);

	if (k != STRINDEX_NONE)
		return k ? k - 1 : NO_TAG;
	buf_reset(b);
	slugify(name, strlen(name), b);
	k = NO_TAG;
	if (b->len && (k = strindex_find(&tn->ids, b->p)) == STRINDEX_NONE) {
		tn->slugs = xgrow(tn->slugs, &tn->cap, tn->n + 1, sizeof *tn->slugs);
		tn->first = xrealloc(tn->first, tn->cap * sizeof *tn->first);
		tn->slugs[tn->n] = xstrdup(b->p);
		tn->first[tn->n] = name;
		k = strindex_add(&tn->ids, tn->slugs[tn->n], tn->n);
		tn->n++;
	}
	strindex_add(&tn->names, name, k == NO_TAG ? 0 : k + 1);
	return k;
}

static int
cmp_slug_id(const void *a, const void *b, void *names)
{
	const struct tag_names *tn = names;

	return strcmp(tn->slugs[*(const size_t *)a], tn->slugs[*(const size_t *)b]);
}

static void
build_tags(struct site *s, struct diag *d)
{
	struct tag_names tn = { 0 };
	struct buf b = BUF_INIT;
	size_t nnames = 0, i, j, at, *order, *rank, **ids, *flat;

	for (i = 0; i < s->nposts; i++)
		nnames += s->posts[i]->meta.ntags;
	/* a class uses a few dozen tags, written a few thousand times: the
	 * indexes start small (they grow), to stay in the processor's cache */
	strindex_init(&tn.names, 64);
	strindex_init(&tn.ids, 64);
	/* each post's slice of one array, for its tag ids then its tags */
	ids = xcalloc(s->nposts + 1, sizeof *ids);
	flat = xcalloc(nnames + 1, sizeof *flat);
	s->post_tags = xcalloc(nnames + 1, sizeof *s->post_tags);
	for (i = 0, at = 0; i < s->nposts; i++) {
		const struct post *p = s->posts[i];

		ids[i] = flat + at;
		s->posts[i]->tags = s->post_tags + at;
		at += p->meta.ntags;
		for (j = 0; j < p->meta.ntags; j++) {
			ids[i][j] = tag_id(&tn, p->meta.tags[j], &b);
			if (ids[i][j] == NO_TAG)
				diag_warn(d, p->src->path, p->meta.line[FM_TAGS], 0,
				    _("tag \"%s\" has no letter or digit: it is left out"), p->meta.tags[j]);
		}
	}
	/* the tags by slug: rank[id] */
	order = xcalloc(tn.n + 1, sizeof *order);
	rank = xcalloc(tn.n + 1, sizeof *rank);
	for (i = 0; i < tn.n; i++)
		order[i] = i;
	qsort_r(order, tn.n, sizeof *order, cmp_slug_id, &tn);	/* slugs are distinct */
	s->tags = xcalloc(tn.n + 1, sizeof *s->tags);
	s->ntags = tn.n;
	for (i = 0; i < tn.n; i++) {
		rank[order[i]] = i;
		s->tags[i].slug = tn.slugs[order[i]];
		s->tags[i].name = xstrdup(tn.first[order[i]]);
	}
	/* each post's tags in that order, once each (Sortie, sortie); each
	 * tag's posts newest first */
	for (i = 0; i < s->nposts; i++) {
		struct post *p = s->posts[i];
		size_t n = 0, *v = ids[i];

		for (j = 0; j < p->meta.ntags; j++)
			if (v[j] != NO_TAG)
				v[n++] = rank[v[j]];
		/* a post has a few tags: sorted by insertion */
		for (j = 1; j < n; j++) {
			size_t x = v[j], k = j;

			for (; k > 0 && v[k - 1] > x; k--)
				v[k] = v[k - 1];
			v[k] = x;
		}
		for (j = 0; j < n; j++) {
			struct site_tag *t = &s->tags[v[j]];

			if (j && v[j] == v[j - 1])
				continue;
			t->posts = xgrow(t->posts, &t->cap, t->n + 1, sizeof *t->posts);
			t->posts[t->n++] = p;
			p->tags[p->ntags++] = v[j];
		}
	}
	free(flat);
	free(ids);
	free(order);
	free(rank);
	strindex_release(&tn.names);
	strindex_release(&tn.ids);
	free(tn.slugs);
	free(tn.first);
	buf_release(&b);
}

/* Cuts plain text to about SUMMARY_MAX bytes at a space, adding an ellipsis. */
char *
site_summary_of(const char *text)
{
	size_t n = strlen(text), cut;

	if (n <= SUMMARY_MAX)
		return xstrdup(text);
	cut = SUMMARY_MAX;
	while (cut > SUMMARY_MAX / 2 && text[cut] != ' ')
		cut--;
	if (text[cut] != ' ') {
		cut = SUMMARY_MAX;
		while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
			cut--;
	}
	while (cut > 0 && text[cut - 1] == ' ')
		cut--;
	{
		struct buf b = BUF_INIT;

		buf_add(&b, text, cut);
		buf_puts(&b, "…");
		return buf_detach(&b, NULL);
	}
}

int
site_load(struct site *s, struct gitsrc *src, const struct site_opts *opts,
    struct diag *d)
{
	int rc = 0;

	memset(s, 0, sizeof *s);
	buf_init(&s->history_cache);
	s->opts = *opts;
	struct hist_job hist;
	signed char *kind_of;
	double t0, t1, t2, t3;

	if (read_config(s, src, d) < 0)
		rc = -1;
	if (gitsrc_count(src) > s->cfg.limits.files) {
		diag_error(d, NULL, 0, 0,
		    _("the repository holds %zu files, more than the %zu a class site may have: remove what the site does not use (or raise limits: files in ardoise.yml)"),
		    gitsrc_count(src), s->cfg.limits.files);
		return -1;
	}
	t0 = clock_seconds();
	/* what each file is to the site, asked once */
	kind_of = xmalloc(gitsrc_count(src) + 1);
	for (size_t i = 0; i < gitsrc_count(src); i++)
		kind_of[i] = (signed char)file_kind(s, gitsrc_at(src, i)->path);
	hist_start(&hist, s, src, kind_of);
	if (s->opts.take_post_cache)
		s->opts.post_cache = s->opts.take_post_cache(s->opts.take_post_cache_arg);
	if (read_posts(s, src, kind_of, d) < 0)
		rc = -1;
	free(kind_of);
	if (cahier_load(s, src, d) < 0)
		rc = -1;
	t1 = clock_seconds();
	select_published(s);
	{
		struct post **v = xmalloc((s->nposts + 1) * sizeof *v);

		memcpy(v, s->posts, s->nposts * sizeof *v);
		if (assign_slugs(v, s->nposts, &s->strings, d) < 0)
			rc = -1;
		free(v);
		if (assign_slugs(s->pages, s->npages, &s->strings, d) < 0)
			rc = -1;
	}
	if (site_render_all(s, src, d) < 0)
		rc = -1;
	for (size_t i = 0; i < s->nposts + s->npages; i++) {
		struct post *p = i < s->nposts ? s->posts[i] : s->pages[i - s->nposts];

		if (!p->summary)
			p->summary = xstrdup("");
	}
	if (rc == 0 && s->opts.while_walking)
		s->opts.while_walking(s, s->opts.while_walking_arg);
	t2 = clock_seconds();
	if (hist_finish(&hist, s, d) < 0)
		rc = -1;
	t3 = clock_seconds();
	sort_posts(s);
	build_tags(s, d);
	if (s->opts.timing)
		fprintf(stderr, "timing: read %.3f s, history %.3f s, render %.3f s, waited %.3f s; peak %ld MB\n",
		    t1 - t0, hist.seconds, t2 - t1, t3 - t2, peak_rss_mb());
	return rc;
}

void
site_release(struct site *s)
{
	size_t i;

	for (i = 0; i < s->nall; i++) {
		struct post *p = &s->all[i];

		fm_meta_release(&p->meta);
		buf_release(&p->text);
		if (p->author_owned)
			free((char *)p->author);
		if (!p->cached) {
			free(p->html);
			free(p->summary);
		}
		diag_release(&p->read_diags);
		diag_release(&p->render_diags);
		buf_release(&p->deps);
	}
	free(s->all);
	free(s->posts);
	free(s->pages);
	for (i = 0; i < s->ntags; i++) {
		free(s->tags[i].name);
		free(s->tags[i].slug);
		free(s->tags[i].posts);
	}
	free(s->tags);
	free(s->post_tags);
	strpool_release(&s->strings);
	free(s->media);
	cahier_release(s);
	buf_release(&s->history_cache);
	config_release(&s->cfg);
	memset(s, 0, sizeof *s);
}
