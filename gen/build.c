#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/stat.h>
#include "xxh.h"

#include "buf.h"
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "gitsrc.h"
#include "hashfeed.h"
#include "layout.h"
#include "manifest.h"
#include "mediaproc.h"
#include "names.h"
#include "out.h"
#include "postcache.h"
#include "selfid.h"
#include "site.h"
#include "theme.h"
#include "tpl.h"
#include "util.h"
#include "xmlib.h"

/* Files of a source by address: by path (gitsrc keeps them sorted). */
static int
cmp_file(const void *a, const void *b)
{
	const struct gitsrc_file *x = *(const struct gitsrc_file *const *)a;
	const struct gitsrc_file *y = *(const struct gitsrc_file *const *)b;

	return x < y ? -1 : x > y;
}

/* The key of the file names of src, for .ardoise/names: a tree whose
 * paths are those the previous build checked needs only its sizes
 * checked again. */
static void
names_key(struct gitsrc *src, char key[33])
{
	struct hashfeed st;
	size_t i;
	XXH128_hash_t h;

	hashfeed_init(&st);
	hashfeed_add(&st, "names 1", 8);
	for (i = 0; i < gitsrc_count(src); i++) {
		const char *path = gitsrc_at(src, i)->path;

		hashfeed_add(&st, path, strlen(path) + 1);
	}
	h = hashfeed_digest(&st);
	hashfeed_release(&st);
	hashfeed_hex(h, key);
}

/* Every file of the source must fit on a USB stick (FAT32) and open on
 * Windows; the published media must stay under the size limit. checked:
 * the names key (names_key) of the paths a previous build checked, or
 * NULL. */
static void
check_names(struct gitsrc *src, const struct site *site, const char *checked, const char *key,
    struct diag *d)
{
	size_t n = gitsrc_count(src), i, m = 0;
	struct names_file *f = xcalloc(n ? n : 1, sizeof *f);
	const struct gitsrc_file **media = xcalloc(site->nmedia ? site->nmedia : 1, sizeof *media);
	uint64_t max = (uint64_t)site->cfg.media_max_mb * 1000000;

	/* a sorted copy (in order already, unless site_load stopped before
	 * sorting on errors); both lists in path order, walked together */
	if (site->nmedia)
		memcpy(media, site->media, site->nmedia * sizeof *media);
	sort_nearly_sorted(media, site->nmedia, sizeof *media, cmp_file);
	for (i = 0; i < n; i++) {
		const struct gitsrc_file *g = gitsrc_at(src, i);

		f[i].path = g->path;
		f[i].size = g->size;
		while (m < site->nmedia && media[m] < g)
			m++;
		f[i].media = m < site->nmedia && media[m] == g;
	}
	if (checked && strcmp(checked, key) == 0)
		names_check_sizes(f, n, max, d);
	else
		names_check_tree(f, n, max, d);
	free(media);
	free(f);
}

/* Appends s as a JSON string. */
static void
json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_putc(b, c);
	}
	buf_putc(b, '"');
}

/* .ardoise/build.json: what this site was built from and for whom; the
 * packages copy it to their root as ardoise-build.json. */
static int
write_build_info(struct out *o, const struct build_opts *bo, struct gitsrc *src,
    const struct layout_opts *lo, struct diag *d)
{
	struct buf b = BUF_INIT, date = BUF_INIT;
	struct date when;
	int rc;

	date_from_epoch(lo->build_time, lo->build_offset, &when);
	date_rfc3339(&when, &date);
	buf_puts(&b, "{\n  \"commit\": ");
	json_str(&b, gitsrc_commit(src)->id);
	buf_puts(&b, ",\n  \"ref\": ");
	json_str(&b, bo->worktree ? "(worktree)" : bo->ref ? bo->ref : "HEAD");
	buf_puts(&b, ",\n  \"date\": ");
	json_str(&b, date.p);
	buf_printf(&b, ",\n  \"audience\": \"%s\",\n  \"version\": \"%s\"\n}\n",
	    bo->audience == AUDIENCE_CLASS ? "class" : "public", ARDOISE_VERSION);
	rc = out_write(o, ".ardoise/build.json", b.p, b.len, d);
	buf_release(&b);
	buf_release(&date);
	return rc;
}

/* .ardoise/sizes, for the next build's listing (gitsrc_use_sizes). */
static int
write_sizes(struct out *o, const struct gitsrc *src, struct diag *d)
{
	struct buf b = BUF_INIT;
	int rc;

	if (!gitsrc_commit(src)->id[0])
		return 0;	/* a folder: nothing to keep */
	gitsrc_sizes(src, &b);
	rc = out_write(o, ".ardoise/sizes", b.p, b.len, d);
	buf_release(&b);
	return rc;
}

/* Hashes every file under dir, in path order, into st. */
static void
hash_tree(XXH3_state_t *st, const char *dir)
{
	struct dirent **names = NULL;
	struct buf path = BUF_INIT, data = BUF_INIT;
	int n = scandir(dir, &names, NULL, alphasort), i;

	for (i = 0; i < n; i++) {
		struct stat sb;

		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && lstat(path.p, &sb) == 0) {
			XXH3_128bits_update(st, path.p, path.len + 1);
			if (S_ISDIR(sb.st_mode)) {
				hash_tree(st, path.p);
			} else if (S_ISREG(sb.st_mode)) {
				buf_reset(&data);
				if (file_read(path.p, &data) == 0)
					XXH3_128bits_update(st, data.p, data.len);
			}
		}
		free(names[i]);
	}
	free(names);
	buf_release(&path);
	buf_release(&data);
}

/*
 * What every page depends on besides its data: this program (its code,
 * selfid.h: a rebuilt ardoise of the same version may write other pages), the
 * themes folder, the audience. Pages are keyed by it and their data
 * (layout_opts.render_key).
 */
static void
context_key(const struct build_opts *bo, const char *themes, struct buf *out)
{
	XXH3_state_t *st = XXH3_createState();
	XXH128_hash_t h;
	char hex[33];

	if (!st)
		die_oom();
	XXH3_128bits_reset(st);
	XXH3_128bits_update(st, ARDOISE_VERSION, sizeof ARDOISE_VERSION);
	selfid_feed(st);
	XXH3_128bits_update(st, bo->audience == AUDIENCE_CLASS ? "class" : "public", 6);
	hash_tree(st, themes);
	h = XXH3_128bits_digest(st);
	XXH3_freeState(st);
	hashfeed_hex(h, hex);
	buf_puts(out, hex);
}

/* A build's inputs: the context and the commit. Recorded in
 * .ardoise/inputs, so that building the same inputs again into the same
 * folder can stop at once. */
static void
inputs_key(const char *context, struct gitsrc *src, struct buf *out)
{
	XXH128_hash_t h;
	struct buf b = BUF_INIT;
	char hex[33];

	buf_printf(&b, "%s %s", context, gitsrc_commit(src)->id);
	h = XXH3_128bits(b.p, b.len);
	hashfeed_hex(h, hex);
	buf_puts(out, hex);
	buf_release(&b);
}

static int
write_inputs(struct out *o, const char *key, int64_t next_change, struct diag *d)
{
	struct buf b = BUF_INIT;
	int rc;

	buf_printf(&b, "%s %lld\n", key, (long long)next_change);
	rc = out_write(o, ".ardoise/inputs", b.p, b.len, d);
	buf_release(&b);
	return rc;
}

/* 1 when outdir already holds the build of these inputs, whole: same key,
 * no post has come of age since, and its record of files is sound. */
static int
up_to_date(const struct build_opts *bo, const char *key)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct manifest m;
	const char *why;
	long long next = 0;
	char old[64];
	int ok = 0;

	buf_printf(&path, "%s/.ardoise/inputs", bo->outdir);
	if (file_read(path.p, &text) < 0 || sscanf(text.p, "%63s %lld", old, &next) != 2 ||
	    strcmp(old, key) != 0 || (next && bo->now >= next))
		goto out;
	buf_reset(&path);
	buf_reset(&text);
	buf_printf(&path, "%s/.ardoise/manifest", bo->outdir);
	if (file_read(path.p, &text) == 0 && manifest_take(&m, &text, &why) == 0) {
		manifest_release(&m);
		ok = 1;
	}
out:
	buf_release(&path);
	buf_release(&text);
	return ok;
}

/* Whether the model read many posts from their blobs (not the cache). */
static int
read_many(const struct site *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nall; i++)
		n += !s->all[i].from_cache && !s->all[i].cached;
	return n > 64 && n * 8 > s->nall;
}

/*
 * What a build into a folder prepares on a thread of its own, neither
 * depending on the commit: the previous post cache, mapped and checked
 * (wanted once the commit is listed), then the new tree (out_begin: the
 * spare claimed, the records read; wanted only to publish, so it goes on
 * while the posts are read).
 */
struct prologue {
	const struct build_opts *bo;
	pthread_t thread;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int pc_ready;		/* pc and why are set (under lock) */
	struct postcache *pc;
	const char *why;	/* postcache_open's */
	struct out *o;
	int out_rc;
	struct diag d;		/* merged into the build's at the join */
};

static void *
prologue_main(void *arg)
{
	struct prologue *p = arg;
	const struct build_opts *bo = p->bo;
	struct postcache *pc = NULL;
	const char *why = NULL;

	if (!bo->force)
		pc = postcache_open(bo->previous ? bo->previous : bo->outdir, &why);
	pthread_mutex_lock(&p->lock);
	p->pc = pc;
	p->why = why;
	p->pc_ready = 1;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	p->out_rc = out_begin(&p->o, bo->outdir, bo->previous, bo->recycle, bo->force, &p->d);
	/* libxml2, which the feed needs, loaded while the posts are read
	 * (a few milliseconds of relocations, ICU's and libstdc++'s); a
	 * failure is the feed's to report */
	xmlib_ready(NULL, 0);
	return NULL;
}

static void
prologue_start(struct prologue *p, const struct build_opts *bo)
{
	memset(p, 0, sizeof *p);
	p->bo = bo;
	diag_init(&p->d);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->started = pthread_create(&p->thread, NULL, prologue_main, p) == 0;
	if (!p->started)
		prologue_main(p);
}

/* Waits for the post cache of p and hands it (and why it is NULL) over. */
static struct postcache *
prologue_cache(struct prologue *p, const char **why)
{
	struct postcache *pc;

	pthread_mutex_lock(&p->lock);
	while (!p->pc_ready)
		pthread_cond_wait(&p->cond, &p->lock);
	pc = p->pc;
	*why = p->why;
	p->pc = NULL;
	pthread_mutex_unlock(&p->lock);
	return pc;
}

/* Waits for p (once, if started) and merges its diagnostics into d. */
static void
prologue_join(struct prologue *p, struct diag *d)
{
	if (!p->bo)
		return;
	if (p->started)
		pthread_join(p->thread, NULL);
	diag_merge(d, &p->d);
	diag_release(&p->d);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	p->bo = NULL;
}

/* Joins p and hands its new tree over: 0, or -1 when out_begin failed
 * (reported to d). */
static int
take_output(struct prologue *p, struct out **o, struct diag *d)
{
	prologue_join(p, d);
	*o = p->o;
	p->o = NULL;
	return p->out_rc;
}

/*
 * What needs neither dates nor the order of posts: publishing the media,
 * the post cache and the record of sizes; loading the theme; checking the
 * names of the files. It runs on a thread of its own while site_load
 * finishes the model (site_opts.while_walking: dates, order, tags), else
 * on the build's, the checks first and publishing once they passed.
 */
struct side_job {
	const struct build_opts *bo;
	struct gitsrc *src;	/* used by nothing else meanwhile */
	struct out *o;		/* NULL until the prologue is joined */
	struct prologue *pro;
	const char *themes;
	const char *cache_context;	/* the post cache's */
	struct diag *d;		/* where it reports: own while on its thread */
	int done, rc;		/* published (rc: how it went) */
	int checked;		/* theme loaded and names checked */
	struct theme *theme;	/* loaded here */
	char names_key[33];	/* names_key of the source */
	struct site *site;
	pthread_t thread;
	int started;		/* on its thread, to be joined (side_wait) */
	struct diag *build_d;	/* the build's, while d is own */
	struct diag own;
};

/* The post cache's context: the build's, the configuration, and the
 * language of the messages it replays. */
static void
post_cache_context(const char *context, struct gitsrc *src, struct buf *out)
{
	const struct gitsrc_file *f = gitsrc_find(src, "ardoise.yml");
	const char *lang = getenv("LANGUAGE"), *msgs = setlocale(LC_MESSAGES, NULL);

	buf_printf(out, "%s %s %s %s", context, f ? f->oid : "-", lang ? lang : "",
	    msgs ? msgs : "");
}

/* Writes the post cache for the next build: every post and page read
 * without error (notebook pages are always read). A cache that cannot be
 * written is only a slower next build. */
static void
write_post_cache(const struct site *s, struct side_job *m)
{
	struct postcache_writer w;
	struct diag quiet;
	size_t i;

	diag_init(&quiet);
	postcache_write_begin(&w, m->o, s->opts.post_cache, m->cache_context, &quiet);
	for (i = 0; i < s->nall; i++)
		if (s->all[i].kind != POST_CAHIER && !s->all[i].broken)
			postcache_write_post(&w, &s->all[i]);
	if (postcache_write_end(&w) < 0)
		for (i = 0; i < quiet.len; i++)
			diag_warn(m->d, quiet.items[i].path, 0, 0, _("cannot write the post cache: %s"),
			    quiet.items[i].msg);
	diag_release(&quiet);
}

/* The media, the post cache and the record of sizes, into m's output
 * (taken from the prologue when m has none yet); once. */
static int
publish_media(const struct site *s, struct side_job *m)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (m->done)
		return m->rc;
	m->done = 1;
	if (!m->o && (m->rc = take_output(m->pro, &m->o, m->d)) < 0)
		return m->rc;
	out_set_max_bytes(m->o, s->cfg.limits.output_bytes);
	m->rc = mediaproc_publish(s, m->src, m->o,
	    m->bo->jobs > 0 ? m->bo->jobs : ncpu > 0 ? (int)ncpu : 1, m->d);
	if (m->rc == 0 && m->cache_context)
		write_post_cache(s, m);
	if (m->rc == 0 && write_sizes(m->o, m->src, m->d) < 0)
		m->rc = -1;
	return m->rc;
}

/* The theme, and the names of the source's files (check_names). */
static void
check_side(const struct site *s, struct side_job *m)
{
	const struct build_opts *bo = m->bo;
	struct buf path = BUF_INIT, prev = BUF_INIT;

	m->checked = 1;
	theme_load(m->theme, m->themes, s->cfg.theme, s->cfg.language, m->src, m->d);
	tpl_set_max_depth(m->theme->tpl, s->cfg.limits.template_depth);
	names_key(m->src, m->names_key);
	if (bo->outdir && !bo->force)
		buf_printf(&path, "%s/.ardoise/names", bo->previous ? bo->previous : bo->outdir);
	check_names(m->src, s, path.len && file_read(path.p, &prev) == 0 ? prev.p : NULL,
	    m->names_key, m->d);
	buf_release(&prev);
	buf_release(&path);
}

static void *
side_main(void *arg)
{
	struct side_job *m = arg;

	publish_media(m->site, m);
	check_side(m->site, m);
	return NULL;
}

/* site_opts.while_walking: publish_media and check_side on a thread of
 * their own, joined by side_wait once site_load returns (here, when none
 * can be made: the checks then come later, as without the callback). */
static int
side_start(struct site *s, void *arg)
{
	struct side_job *m = arg;

	m->site = s;
	m->build_d = m->d;
	diag_init(&m->own);
	m->d = &m->own;
	if (pthread_create(&m->thread, NULL, side_main, m) == 0) {
		m->started = 1;
		return 0;
	}
	m->d = m->build_d;
	diag_release(&m->own);
	return publish_media(s, m);
}

/* Joins m's thread, if started, and hands its reports to the build. */
static void
side_wait(struct side_job *m)
{
	if (!m->started)
		return;
	pthread_join(m->thread, NULL);
	m->started = 0;
	m->d = m->build_d;
	diag_merge(m->d, &m->own);
	diag_release(&m->own);
}

/*
 * Hands the previous build's post cache over to site_load when it reads
 * the posts: the prologue's thread may still be opening it, and the
 * history walk need not wait to start.
 */
struct cache_take {
	struct prologue *pro;
	const struct build_opts *bo;
	const char *context;	/* the cache must have been made for it */
	struct diag *d;
	struct postcache *pc;	/* the cache handed over, or NULL */
};

static const struct postcache *
take_post_cache(void *arg)
{
	struct cache_take *t = arg;
	const char *why = NULL;
	struct postcache *pc = prologue_cache(t->pro, &why);

	/* one made for other inputs is ignored quietly, a damaged one with
	 * a warning */
	if (pc && !postcache_made_for(pc, t->context)) {
		postcache_free(pc);
		pc = NULL;
	}
	if (!pc && why && strcmp(why, "damaged") == 0) {
		struct buf path = BUF_INIT;

		buf_printf(&path, "%s/.ardoise/posts", t->bo->previous ? t->bo->previous : t->bo->outdir);
		diag_warn(t->d, path.p, 0, 0, _("post cache ignored: %s"), _(why));
		buf_release(&path);
	}
	t->pc = pc;
	return pc;
}

/*
 * What the pages were made from (theme, model, post cache, source),
 * released on a thread of its own while the new tree is made durable and
 * published: some 20,000 blocks to free at 10,000 posts, and out_commit
 * mostly waits for the disk meanwhile.
 */
struct release_job {
	struct theme *theme;
	struct site *site;
	struct postcache *pc;
	struct gitsrc *src;
	pthread_t thread;
	int started;
};

static void *
release_main(void *arg)
{
	struct release_job *r = arg;

	theme_release(r->theme);
	site_release(r->site);	/* before the post cache it borrows from */
	postcache_free(r->pc);
	gitsrc_free(r->src);
	/* and the pages of the heaps handed back now, rather than unmapped
	 * one by one when the process exits: the threads' heaps are not in
	 * huge pages (heap.c) */
	malloc_trim(0);
	return NULL;
}

/* Starts r; 1 when it runs (its four are then its own to release). */
static int
release_start(struct release_job *r, struct theme *theme, struct site *site,
    struct postcache *pc, struct gitsrc *src)
{
	r->theme = theme;
	r->site = site;
	r->pc = pc;
	r->src = src;
	r->started = pthread_create(&r->thread, NULL, release_main, r) == 0;
	return r->started;
}

int
build_run(const struct build_opts *bo, struct diag *d)
{
	struct gitsrc *src = NULL;
	struct site site;
	struct theme theme;
	struct site_opts so = { .audience = bo->audience, .now = bo->now,
	    .timing = bo->timing, .jobs = bo->jobs, .no_history = bo->outdir == NULL };
	struct layout_opts lo = { .jobs = bo->jobs, .progress = bo->progress };
	struct out *o = NULL;
	char *themes = NULL;
	int status = BUILD_OK;
	size_t written = 0, reused = 0;
	struct buf cache = BUF_INIT, cache_path = BUF_INIT, key = BUF_INIT, context = BUF_INIT;
	size_t errors_before;
	struct side_job side = { 0 };
	struct postcache *pc = NULL;
	struct buf pc_context = BUF_INIT, names = BUF_INIT;
	struct prologue pro = { 0 };
	struct cache_take take = { 0 };
	struct release_job rel = { 0 };

	memset(&site, 0, sizeof site);
	memset(&theme, 0, sizeof theme);
	double t0 = clock_seconds(), t1, t2, t3;

	if (gitsrc_open_commit(&src, bo->repo ? bo->repo : ".", bo->ref, bo->worktree, d) < 0)
		return BUILD_USAGE;
	if (!(themes = theme_find_dir())) {
		diag_error(d, NULL, 0, 0, _("cannot find the themes directory: set ARDOISE_THEMES to it"));
		status = BUILD_SYSTEM;
		goto out;
	}
	if (bo->outdir)
		context_key(bo, themes, &context);
	if (bo->outdir && !bo->force && !bo->worktree && gitsrc_commit(src)->id[0] &&
	    (!bo->previous || strcmp(bo->previous, bo->outdir) == 0)) {
		inputs_key(context.p, src, &key);
		if (up_to_date(bo, key.p)) {
			if (bo->timing)
				fprintf(stderr, "timing: the output already holds this build (%.3f s)\n",
				    clock_seconds() - t0);
			goto out;
		}
	}
	if (bo->outdir)
		prologue_start(&pro, bo);
	/* the blob sizes the previous build listed */
	if (bo->outdir && !bo->force) {
		buf_printf(&cache_path, "%s/.ardoise/sizes", bo->previous ? bo->previous : bo->outdir);
		if (file_read(cache_path.p, &cache) == 0)
			gitsrc_use_sizes(src, cache.p, cache.len);
	}
	if (gitsrc_list(src, d) < 0) {
		status = BUILD_USAGE;
		goto out;
	}
	/* the previous output's history cache, if any: a corrupt or foreign
	 * one is detected and ignored by history */
	if (bo->outdir) {
		buf_reset(&cache);
		buf_reset(&cache_path);
		buf_printf(&cache_path, "%s/.ardoise/history", bo->previous ? bo->previous : bo->outdir);
		if (file_read(cache_path.p, &cache) == 0) {
			so.history_cache = cache.p;
			so.history_cache_len = cache.len;
		}
		/* and its posts as read and rendered */
		post_cache_context(context.p, src, &pc_context);
		take.pro = &pro;
		take.bo = bo;
		take.context = pc_context.p;
		take.d = d;
		so.take_post_cache = take_post_cache;
		so.take_post_cache_arg = &take;
	}
	errors_before = d->nerrors;
	t1 = clock_seconds();
	side.bo = bo;
	side.src = src;
	side.pro = &pro;
	side.themes = themes;
	side.theme = &theme;
	side.d = d;
	if (bo->outdir) {
		side.cache_context = pc_context.p;
		so.while_walking = side_start;
		so.while_walking_arg = &side;
	}
	site_load(&site, src, &so, d);
	side_wait(&side);
	pc = take.pc;
	/* the new tree: taken while the walk finished, else now (an output
	 * that cannot be used stops the build before any content error) */
	if (bo->outdir && !side.o && (side.done || take_output(&pro, &side.o, d) < 0)) {
		status = BUILD_SYSTEM;
		goto out;
	}
	o = side.o;
	/* what the model needed and the pages do not: libgit2's caches,
	 * and the heap pages freed (the Markdown of every post read); a
	 * rebuild that read a few posts keeps them, to use them again */
	if (read_many(&site)) {
		if (gitsrc_trim(src, d) < 0) {
			status = BUILD_SYSTEM;
			goto out;
		}
		malloc_trim(0);
	}
	if (!side.checked)
		check_side(&site, &side);
	/* the themes folder is in the context; the class's overrides are not */
	if (bo->outdir) {
		buf_printf(&context, " %s", theme.digest);
		lo.render_key = context.p;
	}
	buf_puts(&names, side.names_key);
	if (d->nerrors > errors_before) {
		status = BUILD_CONTENT;
		goto out;
	}
	if (!bo->outdir)
		goto out;	/* check only */
	if (gitsrc_commit(src)->id[0]) {
		lo.build_time = gitsrc_commit(src)->time;
		lo.build_offset = gitsrc_commit(src)->offset;
	} else {
		lo.build_time = bo->now;
	}
	if ((side.done ? side.rc : publish_media(&site, &side)) < 0) {
		status = out_io_failed(o) ? BUILD_SYSTEM : BUILD_CONTENT;
		goto out;
	}
	t2 = clock_seconds();
	if ((site.history_cache.len &&
	    out_write(o, ".ardoise/history", site.history_cache.p, site.history_cache.len, d) < 0) ||
	    out_write(o, ".ardoise/names", names.p, names.len, d) < 0 ||
	    write_build_info(o, bo, src, &lo, d) < 0 ||
	    (key.len && write_inputs(o, key.p, site.next_change, d) < 0)) {
		status = BUILD_SYSTEM;
		goto out;
	}
	if (layout_write(&site, &theme, o, &lo, d) < 0) {
		/* template errors are the theme author's to fix; I/O errors are ours */
		status = out_io_failed(o) ? BUILD_SYSTEM : BUILD_CONTENT;
		goto out;
	}
	t3 = clock_seconds();
	if (release_start(&rel, &theme, &site, pc, src)) {
		pc = NULL;
		src = NULL;
	}
	out_counts(o, &written, &reused);
	if (out_commit(o, d) < 0)
		status = BUILD_SYSTEM;
	o = side.o = NULL;	/* freed by out_commit */
	if (bo->timing)
		fprintf(stderr, "timing: source %.3f s, model %.3f s, layout %.3f s, publish %.3f s; files written %zu, reused %zu; peak %ld MB\n",
		    t1 - t0, t2 - t1, t3 - t2, clock_seconds() - t3, written, reused, peak_rss_mb());
out:
	prologue_join(&pro, d);
	if (!o)
		o = side.o ? side.o : pro.o;	/* the build stopped before publishing */
	if (!pc)
		pc = pro.pc;
	out_abort(o);	/* a build stopped on the way: the target stays as it was */
	if (rel.started) {
		pthread_join(rel.thread, NULL);
	} else {
		theme_release(&theme);
		site_release(&site);	/* before the post cache it borrows from */
	}
	buf_release(&cache);
	buf_release(&cache_path);
	buf_release(&key);
	buf_release(&context);
	postcache_free(pc);
	buf_release(&pc_context);
	buf_release(&names);
	gitsrc_free(src);
	free(themes);
	return status;
}
