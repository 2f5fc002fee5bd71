#include "cahier.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "gitsrc.h"
#include "image.h"
#include "media.h"
#include "mediaproc.h"
#include "site.h"
#include "slug.h"
#include "util.h"
#include "val.h"
#include "yml.h"

/* Files a notebook folder may hold besides its pages: what a page can
 * show or offer for download. */
static const char *const notebook_media[] = {
	"jpg", "jpeg", "png", "gif", "webp", "svg", "avif",
	"mp3", "m4a", "ogg", "opus", "wav", "mp4", "webm", "mov",
	"pdf", "odt", "ods", "odp", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
	"zip", "epub",
};

/* Pages whose names the notebook itself uses. */
static const char *const reserved[] = { "index", "imprimer" };

/* The length of "cahiers/<name>/" when path lies directly in a notebook
 * folder, else 0. */
static size_t
notebook_prefix(const struct site *s, const char *path)
{
	size_t n = strlen(s->cfg.cahiers_dir);
	const char *name, *slash;

	if (strncmp(path, s->cfg.cahiers_dir, n) != 0 || path[n] != '/')
		return 0;
	name = path + n + 1;
	slash = strchr(name, '/');
	if (!slash || slash == name || strchr(slash + 1, '/'))
		return 0;
	return (size_t)(slash - path) + 1;
}

int
cahier_file_kind(const struct site *s, const char *path)
{
	size_t pre = notebook_prefix(s, path), i;
	const char *base = path + pre;
	char ext[16];

	if (!pre || base[0] == '.' || strcmp(base, "cahier.yml") == 0)
		return 0;
	if (str_ends_ci(base, ".md") || str_ends_ci(base, ".markdown"))
		return 1;
	path_ext(base, ext, sizeof ext);
	for (i = 0; i < ARRAY_LEN(notebook_media); i++)
		if (strcmp(ext, notebook_media[i]) == 0)
			return 0;
	return -2;
}

/* "01-la-rentree.md" -> "La rentree": the title of last resort. */
static char *
title_from_name(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot ? (size_t)(dot - base) : strlen(base), i = 0;
	struct buf b = BUF_INIT;

	while (i < n && ((base[i] >= '0' && base[i] <= '9') || base[i] == '-' ||
	    base[i] == '_' || base[i] == ' '))
		i++;
	if (i == n)
		i = 0;		/* a name made only of digits: keep it */
	for (; i < n; i++)
		buf_putc(&b, base[i] == '-' || base[i] == '_' ? ' ' : base[i]);
	if (b.len && b.p[0] >= 'a' && b.p[0] <= 'z')
		b.p[0] = (char)(b.p[0] - 'a' + 'A');
	return buf_detach(&b, NULL);
}

/* The text of the first ATX heading ("# Titre") of a Markdown body, or NULL. */
static char *
first_heading(const char *body, size_t len)
{
	const char *p = body, *end = body + len;
	int fenced = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *e;
		size_t indent = 0;

		if (!eol)
			eol = end;
		while (q < eol && *q == ' ' && indent < 4) {
			q++;
			indent++;
		}
		if (indent < 4 && eol - q >= 3 && (strncmp(q, "```", 3) == 0 || strncmp(q, "~~~", 3) == 0))
			fenced = !fenced;
		if (!fenced && indent < 4 && q < eol && *q == '#') {
			int level = 0;

			while (q < eol && *q == '#') {
				q++;
				level++;
			}
			if (level <= 6 && (q == eol || *q == ' ' || *q == '\t')) {
				e = eol;
				while (e > q && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
					e--;
				while (e > q && e[-1] == '#')	/* closing sequence */
					e--;
				while (q < e && (*q == ' ' || *q == '\t'))
					q++;
				while (e > q && (e[-1] == ' ' || e[-1] == '\t'))
					e--;
				if (e > q)
					return xstrndup(q, (size_t)(e - q));
			}
		}
		p = eol + 1;
	}
	return NULL;
}

static void
cahier_init(struct cahier *c, const char *dir, size_t dirlen)
{
	struct buf b = BUF_INIT;
	const char *name = memrchr(dir, '/', dirlen);

	name = name ? name + 1 : dir;
	memset(c, 0, sizeof *c);
	c->dir = xstrndup(dir, dirlen);
	slugify(name, dirlen - (size_t)(name - dir), &b);
	c->slug = buf_detach(&b, NULL);
	c->params = val_new_map();
	c->published = 1;
}

static int
expect_str(const struct val *v, const char *path, const char *key, struct diag *d)
{
	if (v->type == VAL_STR)
		return 0;
	diag_error(d, path, v->line, v->col, _("key \"%s\" must be text"), key);
	return -1;
}

/* Reads cahier.yml into c. */
static int
read_config(const struct site *s, struct cahier *c, struct gitsrc *src, struct diag *d)
{
	struct yml_limits lim = YML_LIMITS_DEFAULT;
	struct buf path = BUF_INIT, text = BUF_INIT;
	const struct gitsrc_file *f;
	struct val *root = NULL;
	size_t i;
	int rc = 0;

	buf_printf(&path, "%s/cahier.yml", c->dir);
	f = gitsrc_find(src, path.p);
	if (!f) {
		diag_warn(d, path.p, 0, 0, _("no cahier.yml: the notebook is named after its folder; add one with a title"));
		goto out;
	}
	lim.max_depth = s->cfg.limits.yaml_depth;
	if (f->size > s->cfg.limits.text_bytes) {
		diag_error(d, path.p, 0, 0, _("cahier.yml is larger than %llu KB: it should hold only settings"),
		    (unsigned long long)(s->cfg.limits.text_bytes >> 10));
		rc = -1;
		goto out;
	}
	if (gitsrc_read(src, f, &text, d) < 0 ||
	    yml_parse(text.p, text.len, path.p, 0, &lim, &root, d) < 0) {
		rc = -1;
		goto out;
	}
	if (root->type != VAL_MAP) {
		diag_error(d, path.p, root->line, root->col, _("cahier.yml must be a list of `key: value` lines"));
		rc = -1;
		goto out;
	}
	for (i = 0; i < root->u.map.len; i++) {
		const char *key = root->u.map.items[i].key;
		struct val *v = root->u.map.items[i].v;

		if (strcmp(key, "title") == 0 || strcmp(key, "summary") == 0 || strcmp(key, "cover") == 0) {
			char **slot = key[0] == 't' ? &c->title : key[0] == 's' ? &c->summary : &c->cover;

			if (expect_str(v, path.p, key, d) < 0)
				rc = -1;
			else if (*v->u.s.p)
				*slot = xstrdup(v->u.s.p);
		} else if (strcmp(key, "authors") == 0 || strcmp(key, "author") == 0) {
			if (v->type == VAL_STR) {
				c->authors = xrealloc(c->authors, (c->nauthors + 1) * sizeof *c->authors);
				c->authors[c->nauthors++] = xstrdup(v->u.s.p);
			} else if (v->type == VAL_LIST) {
				for (size_t k = 0; k < v->u.list.len; k++) {
					const struct val *a = v->u.list.items[k];

					if (expect_str(a, path.p, key, d) < 0) {
						rc = -1;
						continue;
					}
					c->authors = xrealloc(c->authors, (c->nauthors + 1) * sizeof *c->authors);
					c->authors[c->nauthors++] = xstrdup(a->u.s.p);
				}
			} else {
				diag_error(d, path.p, v->line, v->col, _("authors must be a list of names, like [Mme Martin, les MS]"));
				rc = -1;
			}
		} else if (strcmp(key, "visibility") == 0) {
			if (v->type == VAL_STR && strcmp(v->u.s.p, "class") == 0)
				c->class_only = 1;
			else if (!(v->type == VAL_STR && strcmp(v->u.s.p, "public") == 0)) {
				diag_error(d, path.p, v->line, v->col, _("visibility must be public or class"));
				rc = -1;
			}
		} else if (strcmp(key, "order") == 0) {
			char *end = NULL;

			if (v->type == VAL_STR)
				c->order = strtol(v->u.s.p, &end, 10);
			if (v->type != VAL_STR || !*v->u.s.p || *end) {
				diag_error(d, path.p, v->line, v->col, _("order must be a whole number, like 1"));
				rc = -1;
			}
		} else {
			val_map_set(c->params, key, v);
			root->u.map.items[i].v = NULL;
		}
	}
out:
	if (!c->title) {
		const char *name = strrchr(c->dir, '/');

		c->title = title_from_name(name ? name + 1 : c->dir);
	}
	val_free(root);
	buf_release(&path);
	buf_release(&text);
	return rc;
}

/* Resolves the cover (relative to the notebook folder, or to the
 * repository root when it starts with '/'), checks it exists, reads its
 * size and lists it among the media to copy. */
static int
resolve_cover(struct site *s, struct cahier *c, struct gitsrc *src, struct diag *d)
{
	struct buf path = BUF_INIT, yml = BUF_INIT, data = BUF_INIT;
	const struct gitsrc_file *f;
	const char *p = c->cover;
	int rc = 0;

	if (p[0] == '/')
		buf_puts(&path, p + 1);
	else
		buf_printf(&path, "%s/%s", c->dir, p);
	buf_printf(&yml, "%s/cahier.yml", c->dir);
	if (strstr(path.p, "..") || !(f = gitsrc_find(src, path.p))) {
		diag_error(d, yml.p, 0, 0, _("cover \"%s\" not found: give the name of a picture of the notebook folder"), p);
		free(c->cover);
		c->cover = NULL;
		rc = -1;
		goto out;
	}
	if (f->size > (uint64_t)s->cfg.media_max_mb * 1000000) {
		rc = 0;		/* names.c reports it; never load it */
	} else if (image_handles(f->path)) {
		/* a photo is published resized, upright and without metadata
		 * (mediaproc): the cover shows that copy and its thumbnail */
		struct image_opts io;
		struct image_plan plan;
		char err[256];

		mediaproc_opts(&s->cfg, s->opts.audience == AUDIENCE_CLASS, &io);
		if (gitsrc_read(src, f, &data, d) < 0 ||
		    image_plan(data.p, data.len, f->path, &io, &plan, err, sizeof err) < 0) {
			diag_error(d, yml.p, 0, 0, _("cover \"%s\" cannot be read: check that it opens in an image viewer"), p);
			rc = -1;
			goto out;
		}
		c->cover_width = plan.width;
		c->cover_height = plan.height;
		image_out_path(f->path, &path);
		c->cover_url = xstrdup(path.p);
		if (plan.thumb_width > 0) {
			image_thumb_path(c->cover_url, plan.thumb_width, &path);
			c->cover_thumb = xstrdup(path.p);
			c->cover_thumb_width = plan.thumb_width;
			c->cover_thumb_height = plan.thumb_height;
		}
	} else if (media_kind_of(f->path) != MEDIA_IMAGE || gitsrc_read(src, f, &data, d) < 0 ||
	    media_image_size(data.p, data.len, f->path, &c->cover_width, &c->cover_height) < 0) {
		diag_warn(d, yml.p, 0, 0, _("cover \"%s\" is not a picture ardoise can read (PNG, JPEG, GIF, WebP or SVG)"), p);
		c->cover_width = c->cover_height = 0;
	}
	if (!c->cover_url)
		c->cover_url = xstrdup(f->path);
	free(c->cover);
	c->cover = xstrdup(f->path);
	s->media = xgrow(s->media, &s->media_cap, s->nmedia + 1, sizeof *s->media);
	s->media[s->nmedia++] = f;
out:
	buf_release(&path);
	buf_release(&yml);
	buf_release(&data);
	return rc;
}

static int
cmp_shown(const void *a, const void *b)
{
	const struct cahier *x = *(struct cahier *const *)a, *y = *(struct cahier *const *)b;
	int c;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	c = strcmp(x->title, y->title);
	return c ? c : strcmp(x->dir, y->dir);
}

/* Names, titles and publication of one notebook's pages (in file order). */
static int
set_pages(struct site *s, struct cahier *c, struct diag *d)
{
	struct buf b = BUF_INIT;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < s->nall; i++) {
		struct post *p = &s->all[i];
		const char *base;

		if (p->kind != POST_CAHIER || strncmp(p->src->path, c->dir, strlen(c->dir)) != 0 ||
		    p->src->path[strlen(c->dir)] != '/')
			continue;
		p->cahier = c;
		base = p->src->path + strlen(c->dir) + 1;
		buf_reset(&b);
		slugify(base, strcspn(base, "."), &b);
		if (b.len == 0)
			buf_puts(&b, "page");
		p->slug = strpool_dup(&s->strings, b.p);
		buf_reset(&b);
		buf_printf(&b, "%s/%s/%s.html", s->cfg.cahiers_dir, c->slug, p->slug);
		p->url = strpool_dup(&s->strings, b.p);
		for (k = 0; k < ARRAY_LEN(reserved); k++) {
			if (strcmp(p->slug, reserved[k]) == 0) {
				diag_error(d, p->src->path, 0, 0,
				    _("the page name \"%s\" is used by the notebook itself: rename the file"), p->slug);
				rc = -1;
			}
		}
		if (!p->broken && (!p->meta.title || !*p->meta.title)) {
			char *h = first_heading(p->meta.body ? p->meta.body : "", p->meta.body_len);

			free(p->meta.title);
			p->meta.title = h ? h : title_from_name(p->src->path);
			p->heading_in_content = h != NULL;
		}
		p->published = !p->broken && !p->meta.draft && c->published &&
		    !(p->meta.class_only && s->opts.audience == AUDIENCE_PUBLIC);
		for (k = 0; k < c->npages; k++) {
			if (strcmp(c->pages[k]->slug, p->slug) == 0) {
				diag_error(d, p->src->path, 0, 0,
				    _("same address \"%s\" as %s: rename one of the two files"),
				    p->slug, c->pages[k]->src->path);
				rc = -1;
			}
		}
		if (p->published) {
			c->pages = xrealloc(c->pages, (c->npages + 1) * sizeof *c->pages);
			c->pages[c->npages++] = p;
		}
	}
	buf_release(&b);
	return rc;
}

int
cahier_load(struct site *s, struct gitsrc *src, struct diag *d)
{
	size_t i, n = gitsrc_count(src), cap = 0;
	int rc = 0;

	/* every folder right under cahiers/ that holds a file is a notebook */
	for (i = 0; i < n; i++) {
		const char *path = gitsrc_at(src, i)->path;
		size_t dn = strlen(s->cfg.cahiers_dir), len;
		const char *slash;

		if (strncmp(path, s->cfg.cahiers_dir, dn) != 0 || path[dn] != '/' ||
		    !(slash = strchr(path + dn + 1, '/')))
			continue;
		len = (size_t)(slash - path);
		if (s->ncahiers && strlen(s->cahiers[s->ncahiers - 1].dir) == len &&
		    strncmp(s->cahiers[s->ncahiers - 1].dir, path, len) == 0)
			continue;	/* sorted paths: the same notebook as the last */
		if (path[dn + 1] == '.')
			continue;
		s->cahiers = xgrow(s->cahiers, &cap, s->ncahiers + 1, sizeof *s->cahiers);
		cahier_init(&s->cahiers[s->ncahiers++], path, len);
	}
	for (i = 0; i < n; i++) {
		const char *path = gitsrc_at(src, i)->path;

		if (cahier_file_kind(s, path) == -2) {
			diag_error(d, path, 0, 0,
			    _("not a notebook page: write pages in Markdown (.md); photos, sounds, videos and documents may stay next to them"));
			rc = -1;
		}
	}
	s->shown = xcalloc(s->ncahiers + 1, sizeof *s->shown);
	for (i = 0; i < s->ncahiers; i++) {
		struct cahier *c = &s->cahiers[i];

		if (read_config(s, c, src, d) < 0)
			rc = -1;
		if (c->slug[0] == '\0') {
			diag_error(d, c->dir, 0, 0, _("a notebook folder needs a name with letters or digits"));
			rc = -1;
		}
		for (size_t k = 0; k < i; k++) {
			if (strcmp(s->cahiers[k].slug, c->slug) == 0) {
				diag_error(d, c->dir, 0, 0, _("same address \"%s\" as %s: rename one of the two folders"),
				    c->slug, s->cahiers[k].dir);
				rc = -1;
			}
		}
		c->published = !(c->class_only && s->opts.audience == AUDIENCE_PUBLIC);
		if (set_pages(s, c, d) < 0)
			rc = -1;
		if (c->published && c->cover && resolve_cover(s, c, src, d) < 0)
			rc = -1;
		if (c->published)
			s->shown[s->nshown++] = c;
	}
	sort_array(s->shown, s->nshown, sizeof *s->shown, cmp_shown);
	return rc;
}

void
cahier_release(struct site *s)
{
	size_t i, k;

	for (i = 0; i < s->ncahiers; i++) {
		struct cahier *c = &s->cahiers[i];

		free(c->dir);
		free(c->slug);
		free(c->title);
		free(c->summary);
		for (k = 0; k < c->nauthors; k++)
			free(c->authors[k]);
		free(c->authors);
		free(c->cover);
		free(c->cover_url);
		free(c->cover_thumb);
		val_free(c->params);
		free(c->pages);
	}
	free(s->cahiers);
	free(s->shown);
	s->cahiers = NULL;
	s->shown = NULL;
	s->ncahiers = s->nshown = 0;
}
