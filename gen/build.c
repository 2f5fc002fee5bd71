#include "build.h"

#include <dirent.h>
#include <malloc.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "buf.h"
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "gitsrc.h"
#include "layout.h"
#include "manifest.h"
#include "mediaproc.h"
#include "names.h"
#include "out.h"
#include "site.h"
#include "theme.h"
#include "tpl.h"
#include "util.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of the source must fit on a USB stick (FAT32) and open on
 * Windows; the published media must stay under the size limit. */
static void
check_names(struct gitsrc *src, const struct site *site, struct diag *d)
{
	size_t n = gitsrc_count(src), i;
	struct names_file *f = xcalloc(n ? n : 1, sizeof *f);
	char **media = xcalloc(site->nmedia ? site->nmedia : 1, sizeof *media);

	/* a sorted copy: site_load may stop before sorting on errors */
	if (site->nmedia)
		memcpy(media, site->media, site->nmedia * sizeof *media);
	sort_array(media, site->nmedia, sizeof *media, cmp_str);
	for (i = 0; i < n; i++) {
		const struct gitsrc_file *g = gitsrc_at(src, i);

		f[i].path = g->path;
		f[i].size = g->size;
		f[i].media = site->nmedia && bsearch(&g->path, media, site->nmedia,
		    sizeof *media, cmp_str) != NULL;
	}
	names_check_tree(f, n, (uint64_t)site->cfg.media_max_mb * 1000000, d);
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
 * What a build of a commit depends on besides the commit: this program
 * (its bytes: a rebuilt ardoise of the same version may write other
 * pages), the themes folder, the audience. With the commit id it names a
 * build's inputs, recorded in .ardoise/inputs, so that building the same
 * inputs again into the same folder can stop at once.
 */
static void
inputs_key(const struct build_opts *bo, struct gitsrc *src, const char *themes, struct buf *out)
{
	XXH3_state_t *st = XXH3_createState();
	struct buf exe = BUF_INIT;
	XXH128_hash_t h;

	if (!st)
		die_oom();
	XXH3_128bits_reset(st);
	XXH3_128bits_update(st, ARDOISE_VERSION, sizeof ARDOISE_VERSION);
	if (file_read("/proc/self/exe", &exe) == 0)
		XXH3_128bits_update(st, exe.p, exe.len);
	XXH3_128bits_update(st, gitsrc_commit(src)->id, strlen(gitsrc_commit(src)->id) + 1);
	XXH3_128bits_update(st, bo->audience == AUDIENCE_CLASS ? "class" : "public", 6);
	hash_tree(st, themes);
	h = XXH3_128bits_digest(st);
	XXH3_freeState(st);
	buf_printf(out, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
	buf_release(&exe);
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
	if (file_read(path.p, &text) == 0 && manifest_parse(&m, text.p, text.len, &why) == 0) {
		manifest_release(&m);
		ok = 1;
	}
out:
	buf_release(&path);
	buf_release(&text);
	return ok;
}

/* Publishing the media needs neither dates nor pages: it runs while the
 * history walk finishes (site_opts.while_walking), else before the pages. */
struct media_job {
	struct gitsrc *src;
	struct out *o;
	int jobs;
	struct diag *d;
	int done, rc;
};

static int
publish_media(struct site *s, void *arg)
{
	struct media_job *m = arg;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (m->done)
		return m->rc;
	m->done = 1;
	out_set_max_bytes(m->o, s->cfg.limits.output_bytes);
	m->rc = mediaproc_publish(s, m->src, m->o, m->jobs > 0 ? m->jobs : ncpu > 0 ? (int)ncpu : 1,
	    m->d);
	return m->rc;
}

int
build_run(const struct build_opts *bo, struct diag *d)
{
	struct gitsrc *src = NULL;
	struct site site;
	struct theme theme;
	struct site_opts so = { .audience = bo->audience, .now = bo->now,
	    .timing = bo->timing, .no_history = bo->outdir == NULL };
	struct layout_opts lo = { 0, 0, bo->jobs, bo->progress };
	struct out *o = NULL;
	char *themes = NULL;
	int status = BUILD_OK;
	size_t written = 0, reused = 0;
	struct buf cache = BUF_INIT, cache_path = BUF_INIT, key = BUF_INIT;
	size_t errors_before;
	struct media_job media = { 0 };

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
	if (bo->outdir && !bo->force && !bo->worktree && gitsrc_commit(src)->id[0] &&
	    (!bo->previous || strcmp(bo->previous, bo->outdir) == 0)) {
		inputs_key(bo, src, themes, &key);
		if (up_to_date(bo, key.p)) {
			if (bo->timing)
				fprintf(stderr, "timing: the output already holds this build (%.3f s)\n",
				    clock_seconds() - t0);
			goto out;
		}
	}
	if (gitsrc_list(src, d) < 0) {
		status = BUILD_USAGE;
		goto out;
	}
	/* the previous output's history cache, if any: a corrupt or foreign
	 * one is detected and ignored by history */
	if (bo->outdir) {
		buf_printf(&cache_path, "%s/.ardoise/history", bo->previous ? bo->previous : bo->outdir);
		if (file_read(cache_path.p, &cache) == 0) {
			so.history_cache = cache.p;
			so.history_cache_len = cache.len;
		}
	}
	errors_before = d->nerrors;
	t1 = clock_seconds();
	if (bo->outdir) {
		if (out_begin(&o, bo->outdir, bo->previous, bo->force, d) < 0) {
			status = BUILD_SYSTEM;
			goto out;
		}
		media.src = src;
		media.o = o;
		media.jobs = bo->jobs;
		media.d = d;
		so.while_walking = publish_media;
		so.while_walking_arg = &media;
	}
	site_load(&site, src, &so, d);
	/* what the model needed and the pages do not: libgit2's caches,
	 * and the heap pages freed (the Markdown of every post) */
	if (gitsrc_trim(src, d) < 0) {
		status = BUILD_SYSTEM;
		goto out;
	}
	malloc_trim(0);
	theme_load(&theme, themes, site.cfg.theme, site.cfg.language, src, d);
	tpl_set_max_depth(theme.tpl, site.cfg.limits.template_depth);
	check_names(src, &site, d);
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
	if (!media.done && publish_media(&site, &media) < 0) {
		status = out_io_failed(o) ? BUILD_SYSTEM : BUILD_CONTENT;
		goto out;
	}
	t2 = clock_seconds();
	if ((site.history_cache.len &&
	    out_write(o, ".ardoise/history", site.history_cache.p, site.history_cache.len, d) < 0) ||
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
	out_counts(o, &written, &reused);
	if (out_commit(o, d) < 0)
		status = BUILD_SYSTEM;
	o = NULL;	/* freed by out_commit */
	if (bo->timing)
		fprintf(stderr, "timing: source %.3f s, model %.3f s, layout %.3f s, publish %.3f s; files written %zu, reused %zu; peak %ld MB\n",
		    t1 - t0, t2 - t1, t3 - t2, clock_seconds() - t3, written, reused, peak_rss_mb());
out:
	out_abort(o);	/* a build stopped on the way: the target stays as it was */
	theme_release(&theme);
	site_release(&site);
	buf_release(&cache);
	buf_release(&cache_path);
	buf_release(&key);
	gitsrc_free(src);
	free(themes);
	return status;
}
