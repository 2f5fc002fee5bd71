/*
 * site_render: renders posts and pages to HTML, resolving each relative
 * link and media reference against the model (see md.h for the resolver
 * contract): a link to another post's .md becomes that post's page, a
 * media file is recorded for copying (with the pixel size of pictures,
 * the byte size of files and the transcript of recordings handed back to
 * md), and what leads nowhere is reported at its line.
 *
 * Transcripts are Markdown files named by a media reference's title
 * (`![Notre chanson](chanson.mp3 "chanson-transcription.md")`) or by the
 * front matter key `transcript` (for the post's first recording). They
 * are kept next to the media (media/, a notebook's folder): only posts/
 * and pages/ hold posts, so they never become pages of their own. A
 * transcript placed in posts/ would be published as a post as well.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xxh.h"

#include "diag.h"
#include "gitsrc.h"
#include "image.h"
#include "md.h"
#include "media.h"
#include "mediaproc.h"
#include "mp4clean.h"
#include "postcache.h"
#include "site.h"
#include "util.h"
#include "yml.h"

struct resolve_ctx {
	struct site *site;
	struct gitsrc *src;
	struct post *post;
	struct post **post_at;	/* by the index of its source file (gitsrc_index), or NULL */
	struct buf *texts;	/* transcripts of the post being rendered */
	size_t ntexts, texts_cap;
	int fm_used;		/* its front matter transcript went to a recording */
	struct buf file;	/* scratch: the bytes of a picture */
	struct image_opts img;	/* how pictures are published */
	struct picture *pics;	/* by source file index: each picture read once */
};

/* What a picture's header said, for its next references. */
struct picture {
	int state;		/* 0 not read yet, 1 planned, -1 unreadable */
	struct image_plan plan;
	char *err;		/* why unreadable */
};


/* Appends path percent-encoded for an href, keeping '/'. */
static void
add_url_path(struct buf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			buf_putc(out, *p);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[*p >> 4]);
			buf_putc(out, hex[*p & 15]);
		}
	}
}

/* Appends the shortest relative URL from the page at from (a path from the
 * site root) to the file at to: "suite.html" between two posts,
 * "../media/x.png" from a post to a medium. */
static void
add_rel_url(struct buf *out, const char *from, const char *to)
{
	size_t common = 0, i;

	/* the longest shared run of whole directories */
	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	for (i = common; from[i]; i++)
		if (from[i] == '/')
			buf_puts(out, "../");
	add_url_path(out, to + common);
}

/* The post or page read from path, or NULL. */
static struct post *
find_post(const struct resolve_ctx *c, const char *path)
{
	const struct gitsrc_file *f = gitsrc_find(c->src, path);

	return f ? c->post_at[gitsrc_index(c->src, f)] : NULL;
}

static void
add_media(struct site *s, const struct gitsrc_file *f)
{
	s->media = xgrow(s->media, &s->media_cap, s->nmedia + 1, sizeof *s->media);
	s->media[s->nmedia++] = f;
}

/* Whether path resolves now to what token recorded (dep_token), without
 * writing the token out; *file: the file it names, if any. */
static int
dep_holds(const struct resolve_ctx *c, int kind, const char *path, const char *token,
    const struct gitsrc_file **file)
{
	const struct gitsrc_file *f;
	const struct post *p;

	*file = NULL;
	if (kind == POSTCACHE_DEP_POST) {
		p = find_post(c, path);
		if (!p)
			return strcmp(token, "-") == 0;
		if (!p->published)
			return strcmp(token, "d") == 0;
		return token[0] == 'u' && token[1] == ':' && strcmp(token + 2, p->url) == 0;
	}
	f = gitsrc_find(c->src, path);
	if (!f)
		return strcmp(token, "-") == 0;
	*file = f;
	return token[0] == 'o' && token[1] == ':' && strcmp(token + 2, f->oid) == 0;
}

/* What path resolves to now, as post.deps records it: a post's address
 * ("u:" url, "d" when it is not published), a file's blob ("o:" oid), or
 * "-" when there is nothing there. */
static void
dep_token(const struct resolve_ctx *c, int kind, const char *path, struct buf *out)
{
	const struct gitsrc_file *f;
	const struct post *p;

	buf_reset(out);
	if (kind == POSTCACHE_DEP_POST) {
		p = find_post(c, path);
		if (!p)
			buf_puts(out, "-");
		else if (!p->published)
			buf_puts(out, "d");
		else
			buf_printf(out, "u:%s", p->url);
	} else {
		f = gitsrc_find(c->src, path);
		if (f)
			buf_printf(out, "o:%s", f->oid);
		else
			buf_puts(out, "-");
	}
}

/* Records that the post being rendered depends on what path resolves to. */
static void
add_dep(struct resolve_ctx *c, int kind, const char *path)
{
	struct buf *deps = &c->post->deps;
	struct buf tok = BUF_INIT;

	dep_token(c, kind, path, &tok);
	buf_putc(deps, kind);
	buf_puts(deps, path);
	buf_putc(deps, '\0');
	buf_add(deps, tok.p, tok.len + 1);
	buf_release(&tok);
}

/* Reads the transcript ref (relative to the post) into a buffer that
 * lives until the post is rendered, and hands it to m. */
static int
read_transcript(struct resolve_ctx *c, const char *ref, int from_fm, int line,
    int col, struct md_media *m, struct diag *d)
{
	const char *path = c->post->src->path;
	struct buf target = BUF_INIT, *t;
	const struct gitsrc_file *f = NULL;
	int rc = -1;

	if (path_resolve(path, ref, strlen(ref), &target) == 0 && target.len) {
		f = gitsrc_find(c->src, target.p);
		add_dep(c, POSTCACHE_DEP_FILE, target.p);
	}
	if (!f) {
		if (from_fm)
			diag_error(d, path, line, col,
			    _("transcript \"%s\" (front matter) not found: check its name, relative to the post, and that it is committed"),
			    ref);
		else
			diag_error(d, path, line, col,
			    _("transcript \"%s\" not found: check its name and that it is committed"),
			    ref);
		goto out;
	}
	c->texts = xgrow(c->texts, &c->texts_cap, c->ntexts + 1, sizeof *c->texts);
	t = &c->texts[c->ntexts++];
	buf_init(t);
	if (f->size > c->site->cfg.limits.text_bytes) {
		diag_error(d, path, line, col, _("transcript \"%s\" is larger than %llu KB: shorten it (or raise limits: text_kb in ardoise.yml)"),
		    ref, (unsigned long long)(c->site->cfg.limits.text_bytes >> 10));
		goto out;
	}
	if (gitsrc_read(c->src, f, t, d) < 0)
		goto out;
	m->transcript = t->p;
	m->transcript_len = t->len;
	rc = 0;
out:
	buf_release(&target);
	return rc;
}

/* Keeps s until the post is rendered (with its transcripts); returns it. */
static const char *
keep_text(struct resolve_ctx *c, const char *s)
{
	struct buf *t;

	c->texts = xgrow(c->texts, &c->texts_cap, c->ntexts + 1, sizeof *c->texts);
	t = &c->texts[c->ntexts++];
	buf_init(t);
	buf_puts(t, s);
	return t->p;
}

/*
 * The size of the picture actually served (upright, fitted to
 * images.max_width) and its thumbnail, from the header alone: pictures
 * are processed later, in parallel, to exactly these sizes.
 */
static int
picture_info(struct resolve_ctx *c, const struct gitsrc_file *f, int line, int col,
    struct md_media *m, struct diag *d)
{
	const char *path = c->post->src->path;
	struct picture *pic = &c->pics[gitsrc_index(c->src, f)];
	struct buf pub = BUF_INIT, thumb = BUF_INIT;
	char err[256];

	if (pic->state == 0) {
		buf_reset(&c->file);
		if (gitsrc_read(c->src, f, &c->file, d) < 0)
			return -1;
		if (image_plan(c->file.p, c->file.len, f->path, &c->img, &pic->plan,
		    err, sizeof err) < 0) {
			pic->state = -1;
			pic->err = xstrdup(err);
		} else {
			pic->state = 1;
		}
	}
	if (pic->state < 0) {
		diag_error(d, path, line, col,
		    _("picture \"%s\" cannot be read (%s): check that it opens in an image viewer, or export it again as JPEG"),
		    f->path, pic->err);
		return -1;
	}
	m->image = 1;
	m->width = pic->plan.width;
	m->height = pic->plan.height;
	if (pic->plan.thumb_width > 0) {
		image_out_path(f->path, &pub);
		image_thumb_path(pub.p, pic->plan.thumb_width, &thumb);
		buf_reset(&pub);
		add_rel_url(&pub, c->post->url, thumb.p);
		m->thumb = keep_text(c, pub.p);
		m->thumb_width = pic->plan.thumb_width;
	}
	buf_release(&pub);
	buf_release(&thumb);
	return 0;
}

/* ardoise check: a video that some browsers cannot play. Reads the boxes
 * (no ffprobe), so only when checking, not on every build. */
static void
check_video(struct resolve_ctx *c, const struct gitsrc_file *f, int line, int col,
    struct diag *d)
{
	const char *path = c->post->src->path;
	struct mp4_info info;
	char err[256];

	if (str_ends_ci(f->path, ".webm"))
		return;
	buf_reset(&c->file);
	if (gitsrc_read(c->src, f, &c->file, d) < 0)
		return;
	if (mp4_clean((unsigned char *)c->file.p, c->file.len, 0, &info, err, sizeof err) < 0)
		diag_error(d, path, line, col,
		    _("video \"%s\" cannot be read (%s): it would not be published; export it again as MP4 (H.264/AAC)"),
		    f->path, err);
	else if (!mp4_plays_everywhere(&info))
		diag_warn(d, path, line, col,
		    _("video \"%s\" (%s%s%s) does not play everywhere (ce format ne se lit pas partout): export it as MP4 with H.264 video and AAC sound, or WebM"),
		    f->path, info.video[0] ? info.video : "no video",
		    info.audio[0] ? "/" : "", info.audio);
}

/*
 * Fills m for the file f an image reference names: the byte size (known
 * without reading), a picture's pixel size (read from its header), and
 * the transcript: the title when it names a .md file, else the front
 * matter's for the post's first recording.
 */
static int
media_info(struct resolve_ctx *c, const struct gitsrc_file *f, const char *title,
    int line, int col, struct md_media *m, struct diag *d)
{
	enum media_kind k = media_kind_of(f->path);
	const char *path = c->post->src->path, *fm = c->post->meta.transcript;
	char ext[8];

	m->size = f->size;
	/* never load what the build refuses anyway (names.c reports it) */
	if (f->size > (uint64_t)c->site->cfg.media_max_mb * 1000000)
		return 0;
	if (image_handles(f->path) && f->size > (uint64_t)MEDIAPROC_PHOTO_WARN_MB * 1000000)
		diag_warn(d, path, line, col,
		    _("photo \"%s\" is over %d MB: make it smaller before adding it (it is slow to send and to build)"),
		    f->path, MEDIAPROC_PHOTO_WARN_MB);
	if (k == MEDIA_VIDEO && f->size > (uint64_t)MEDIAPROC_VIDEO_WARN_MB * 1000000)
		diag_warn(d, path, line, col,
		    _("video \"%s\" is over %d MB: make it shorter or of a lower resolution, it will not fit on small USB sticks"),
		    f->path, MEDIAPROC_VIDEO_WARN_MB);
	if (k == MEDIA_VIDEO && c->site->opts.no_history)
		check_video(c, f, line, col, d);
	if (image_handles(f->path)) {
		if (picture_info(c, f, line, col, m, d) < 0)
			return -1;
	} else if (k == MEDIA_IMAGE) {
		buf_reset(&c->file);
		if (gitsrc_read(c->src, f, &c->file, d) < 0)
			return -1;
		path_ext(f->path, ext, sizeof ext);
		/* AVIF's header is not read: no size, no complaint */
		if (media_image_size(c->file.p, c->file.len, f->path, &m->width,
		    &m->height) < 0 && strcmp(ext, "avif") != 0)
			diag_warn(d, path, line, col,
			    _("cannot read the size of picture \"%s\": check that it is a valid PNG, JPEG, GIF, WebP or SVG file"),
			    f->path);
	}
	if (str_ends_ci(title, ".md"))
		return read_transcript(c, title, 0, line, col, m, d);
	if ((k == MEDIA_AUDIO || k == MEDIA_VIDEO) && fm && fm[0] && !c->fm_used) {
		c->fm_used = 1;
		return read_transcript(c, fm, 1, line, col, m, d);
	}
	return 0;
}

static int
resolve(void *data, enum md_ref kind, const char *url, const char *title,
    int line, int col, struct buf *out, struct md_media *media, struct diag *d)
{
	struct resolve_ctx *c = data;
	const char *path = c->post->src->path;
	size_t plen = strcspn(url, "?#");
	struct buf target = BUF_INIT;
	const struct gitsrc_file *f;
	struct post *p;
	int rc = 0;

	buf_reset(out);
	if (plen == 0) {
		buf_puts(out, url);
		return 0;
	}
	if (path_resolve(path, url, plen, &target) < 0) {
		diag_error(d, path, line, col,
		    _("\"%s\" leads outside the repository: link to files inside it"), url);
		buf_release(&target);
		return -1;
	}
	if (target.len && (str_ends_ci(target.p, ".md") || str_ends_ci(target.p, ".markdown"))) {
		p = find_post(c, target.p);
		add_dep(c, POSTCACHE_DEP_POST, target.p);
		if (!p) {
			diag_error(d, path, line, col,
			    _("link to \"%s\", which does not exist: check the file name"), url);
			rc = -1;
		} else if (!p->published) {
			diag_warn(d, path, line, col,
			    _("link to \"%s\", which is not published (draft, future date or class only): the link leads nowhere"), url);
		} else {
			add_rel_url(out, c->post->url, p->url);
			buf_puts(out, url + plen);
		}
		buf_release(&target);
		return rc;
	}
	f = target.len ? gitsrc_find(c->src, target.p) : NULL;
	if (target.len)
		add_dep(c, f ? POSTCACHE_DEP_MEDIA : POSTCACHE_DEP_FILE, target.p);
	if (f) {
		add_media(c->site, f);
		if (image_handles(f->path)) {
			/* HEIC is served as JPEG: links follow the new name */
			image_out_path(f->path, &target);
			add_rel_url(out, c->post->url, target.p);
		} else {
			add_rel_url(out, c->post->url, f->path);
		}
		buf_puts(out, url + plen);
		if (media && media_info(c, f, title, line, col, media, d) < 0)
			rc = -1;
	} else if (kind == MD_REF_IMAGE) {
		diag_error(d, path, line, col,
		    _("media file \"%s\" not found: check its name and that it is committed"), url);
		rc = -1;
	} else {
		diag_warn(d, path, line, col, _("link \"%s\" leads nowhere"), url);
		buf_puts(out, url);
	}
	buf_release(&target);
	return rc;
}

#define RESTORE_MEDIA 8
/* The previous build's rendering of a post, when it holds. */
struct restore {
	const struct postcache_entry *e;
	struct postcache_render r;
	int ok;
	/* the media its dependencies name, found while checking them (the
	 * first RESTORE_MEDIA; more: looked up again when applied) */
	const struct gitsrc_file *media[RESTORE_MEDIA];
	size_t nmedia;
	struct diag diags;	/* the warnings rendering gave, replayed */
};

/*
 * Finds p's rendering in the previous build's cache and checks that it
 * holds: same blob (the entry exists), same address, and every dependency
 * resolving as it did. Touches nothing shared: posts are checked on
 * several threads at once (find_restores).
 */
static void
find_restore(const struct resolve_ctx *c, const struct post *p, struct restore *x)
{
	const struct gitsrc_file *f;
	const char *path, *token;
	size_t at;
	int kind;

	if (!p->published || p->kind == POST_CAHIER || !(x->e = p->entry) ||
	    postcache_render(x->e, &x->r) != 1)
		return;
	x->ok = strcmp(x->r.url, p->url) == 0;
	for (at = 0; x->ok && postcache_dep_next(x->r.deps, x->r.deps_len, &at, &kind, &path, &token); ) {
		x->ok = dep_holds(c, kind, path, token, &f);
		if (x->ok && kind == POSTCACHE_DEP_MEDIA && f && x->nmedia++ < RESTORE_MEDIA)
			x->media[x->nmedia - 1] = f;
	}
	/* its warnings copied here, on several threads, rather than when the
	 * rendering is taken, on one */
	if (x->ok)
		postcache_render_diags(&x->r, &x->diags);
}

struct restore_job {
	const struct resolve_ctx *c;
	struct restore *found;
};

/* find_restore for posts [from, to) (run_parts). */
static void
restore_part(void *arg, size_t from, size_t to)
{
	struct restore_job *j = arg;
	size_t i;

	for (i = from; i < to; i++)
		find_restore(j->c, &j->c->site->all[i], &j->found[i]);
}

/* find_restore for every post and page, into found[], on every core. */
static void
find_restores(const struct resolve_ctx *c, struct restore *found)
{
	struct restore_job j = { c, found };
	long ncpu = c->site->opts.jobs > 0 ? c->site->opts.jobs : sysconf(_SC_NPROCESSORS_ONLN);

	if (c->site->opts.post_cache)
		run_parts(c->site->nall, ncpu < 1 ? 1 : ncpu > 8 ? 8 : (size_t)ncpu, 200, restore_part, &j);
}

/* Takes p's rendering found by find_restore: 1 when there is one (its
 * warnings replayed), 0 when p must be rendered. */
static int
apply_restore(struct resolve_ctx *c, struct post *p, struct restore *x, struct diag *d)
{
	const struct gitsrc_file *f;
	const char *path, *token;
	size_t at;
	int kind;

	if (!x->ok)
		return 0;
	if (x->nmedia <= RESTORE_MEDIA) {
		for (at = 0; at < x->nmedia; at++)
			add_media(c->site, x->media[at]);
	} else {
		for (at = 0; postcache_dep_next(x->r.deps, x->r.deps_len, &at, &kind, &path, &token); )
			if (kind == POSTCACHE_DEP_MEDIA && dep_holds(c, kind, path, token, &f) && f)
				add_media(c->site, f);
	}
	if (p->from_cache) {
		/* the whole entry as it was: nothing copied */
		p->cached = x->e;
		p->html = (char *)x->r.html;
		p->html_len = x->r.html_len;
		memcpy(p->html_hash, x->r.html_hash, sizeof p->html_hash);
		p->summary = (char *)x->r.summary;
	} else {
		p->html = xstrdup(x->r.html);
		p->html_len = x->r.html_len;
		memcpy(p->html_hash, x->r.html_hash, sizeof p->html_hash);
		p->summary = xstrdup(x->r.summary);
	}
	/* a whole entry is written again as it is: its parts are not needed */
	buf_reset(&p->deps);
	diag_release(&p->render_diags);
	diag_init(&p->render_diags);
	if (!p->cached) {
		buf_add(&p->deps, x->r.deps, x->r.deps_len);
		diag_copy(&p->render_diags, &x->diags, 0);
	}
	diag_merge(d, &x->diags);
	p->rendered = 1;
	return 1;
}

/* A post left out of this build (draft, future, class only) whose front
 * matter came from the cache, left out of the build cached too: its
 * entry stays as it was. */
static void
keep_unrendered(struct post *p)
{
	const struct postcache_entry *e;
	struct postcache_render r;

	if (p->from_cache && p->kind != POST_CAHIER && (e = p->entry) && postcache_render(e, &r) == 0)
		p->cached = e;
}

/* The front matter's summary, else the body's, cut to size. */
static void
finish_summary(struct post *p)
{
	char *sum;

	if (p->kind == POST_CAHIER)
		return;
	if (p->meta.summary && *p->meta.summary)
		sum = site_summary_of(p->meta.summary);
	else if (p->summary)
		sum = site_summary_of(p->summary);
	else
		sum = xstrdup("");
	free(p->summary);
	p->summary = sum;
}

/* Reads a post whose front matter came from the cache, for its body. */
static int
read_body(struct resolve_ctx *c, struct post *p)
{
	struct yml_limits lim = { c->site->cfg.limits.yaml_depth,
	    c->site->cfg.limits.front_matter_bytes };
	struct diag quiet;
	int rc;

	/* its warnings were replayed from the cache already */
	diag_init(&quiet);
	fm_meta_release(&p->meta);
	buf_reset(&p->text);
	rc = gitsrc_read(c->src, p->src, &p->text, &quiet) < 0 ||
	    fm_parse(p->src->path, p->text.p, p->text.len, &lim, &p->meta, &quiet) < 0 ? -1 : 0;
	diag_release(&quiet);
	p->from_cache = 0;
	return rc;
}

int
site_render_all(struct site *s, struct gitsrc *src, struct diag *d)
{
	struct resolve_ctx c;
	struct restore *found;
	size_t i, j;
	int rc = 0;

	memset(&c, 0, sizeof c);
	c.site = s;
	c.src = src;
	buf_init(&c.file);
	mediaproc_opts(&s->cfg, s->opts.audience == AUDIENCE_CLASS, &c.img);
	c.pics = xcalloc(gitsrc_count(src) + 1, sizeof *c.pics);
	c.post_at = xcalloc(gitsrc_count(src) + 1, sizeof *c.post_at);
	for (i = 0; i < s->nall; i++)
		c.post_at[gitsrc_index(src, s->all[i].src)] = &s->all[i];
	found = xcalloc(s->nall + 1, sizeof *found);
	find_restores(&c, found);
	/* published posts, pages and notebook pages, in source order */
	for (i = 0; i < s->nall; i++) {
		struct post *p = &s->all[i];
		struct buf html = BUF_INIT, sum = BUF_INIT;
		struct md_opts o = { 0 };
		size_t n, d0, errors0;

		if (!p->published) {
			keep_unrendered(p);
			continue;
		}
		c.post = p;
		if (apply_restore(&c, p, &found[i], d))
			continue;
		if (p->from_cache && read_body(&c, p) < 0) {
			diag_error(d, p->src->path, 0, 0, _("cannot read the blob of \"%s\": run git fsck"),
			    p->src->path);
			rc = -1;
			continue;
		}
		c.fm_used = 0;
		d0 = d->len;
		errors0 = d->nerrors;
		buf_reset(&p->deps);
		o.path = p->src->path;
		o.line_offset = p->meta.body_line - 1;
		o.resolve = resolve;
		o.resolve_data = &c;
		o.max_nesting = s->cfg.limits.markdown_depth;
		o.lang = s->cfg.language;
		o.no_html = s->opts.no_history;	/* ardoise check: no page is made */
		if (md_render(p->meta.body ? p->meta.body : "", p->meta.body_len, &o, &html, &sum, d) < 0)
			rc = -1;
		if (p->meta.transcript && p->meta.transcript[0] && !c.fm_used)
			diag_warn(d, p->src->path, 1, 1,
			    _("front matter transcript \"%s\" unused: it goes with the first audio or video naming no transcript in its title, and the post has none"),
			    p->meta.transcript);
		for (j = 0; j < c.ntexts; j++)
			buf_release(&c.texts[j]);
		c.ntexts = 0;
		/* keep only what is used: the HTML is kept until the pages are
		 * written, the Markdown is not needed any more */
		p->html = buf_detach(&html, &n);
		p->html = xrealloc(p->html, n + 1);
		p->html_len = n;
		{
			XXH128_hash_t h = XXH3_128bits(p->html, n);

			p->html_hash[0] = h.high64;
			p->html_hash[1] = h.low64;
		}
		p->summary = buf_detach(&sum, NULL);
		finish_summary(p);
		p->meta.body = NULL;
		p->meta.body_len = 0;
		buf_release(&p->text);
		diag_copy(&p->render_diags, d, d0);
		p->rendered = d->nerrors == errors0;
	}
	for (i = 0; i < gitsrc_count(src); i++)
		free(c.pics[i].err);
	for (i = 0; i < s->nall; i++)
		diag_release(&found[i].diags);	/* those not taken */
	free(c.pics);
	free(c.post_at);
	free(found);
	free(c.texts);
	buf_release(&c.file);
	/* each media file once, in path order: the order of the source's
	 * entries (marked, not sorted: a medium is named by every post
	 * showing it) */
	{
		unsigned char *named = xcalloc(gitsrc_count(src) + 1, 1);

		for (i = 0; i < s->nmedia; i++)
			named[gitsrc_index(src, s->media[i])] = 1;
		for (i = 0, j = 0; i < gitsrc_count(src); i++)
			if (named[i])
				s->media[j++] = gitsrc_at(src, i);
		s->nmedia = j;
		free(named);
	}
	return rc;
}
