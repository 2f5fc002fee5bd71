/*
 * pack_epub: one notebook as an EPUB 3, for iPads, where a site opened
 * from the Files app cannot follow relative links but Books reads EPUBs.
 *
 * The built pages are polyglot XHTML already, so each is parsed with
 * libxml2's XML parser (no network, no DTD, no entity expansion) and
 * trimmed: its <article> becomes the body, scripts go, links to pages of
 * the book point at their .xhtml, links that would leave the book become
 * plain text. The book mirrors the site's layout under EPUB/, so every
 * other relative link stays as it is. Order: the notebook's cover page,
 * then its pages in the order of its table of contents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "pack_epub.h"
#include "pack_int.h"
#include "util.h"
#include "xmlib.h"

#define X(s) ((const xmlChar *)(s))

static const struct mtype {
	const char *ext, *type;
	int core;		/* an EPUB core media type: no fallback needed */
} mtypes[] = {
	{ "png", "image/png", 1 }, { "jpg", "image/jpeg", 1 }, { "jpeg", "image/jpeg", 1 },
	{ "gif", "image/gif", 1 }, { "svg", "image/svg+xml", 1 }, { "webp", "image/webp", 0 },
	{ "mp3", "audio/mpeg", 1 }, { "m4a", "audio/mp4", 1 }, { "ogg", "audio/ogg", 0 },
	{ "oga", "audio/ogg", 0 }, { "opus", "audio/ogg", 0 }, { "wav", "audio/wav", 0 },
	{ "mp4", "video/mp4", 1 }, { "m4v", "video/mp4", 1 }, { "webm", "video/webm", 1 },
	{ "mov", "video/quicktime", 1 }, { "vtt", "text/vtt", 1 }, { "css", "text/css", 1 },
	{ "pdf", "application/pdf", 0 }, { "woff", "font/woff", 1 }, { "woff2", "font/woff2", 1 },
};

static const struct mtype *
mtype_of(const char *path)
{
	char ext[16];
	size_t i;

	path_ext(path, ext, sizeof ext);
	for (i = 0; i < ARRAY_LEN(mtypes); i++)
		if (strcmp(ext, mtypes[i].ext) == 0)
			return &mtypes[i];
	return NULL;
}

/*
 * The site path a relative reference from folder `base` ("cahiers/x/")
 * leads to, percent-decoded, without query or fragment, into out.
 * Returns 1, or 0 when it leaves the site, is absolute or is only a
 * fragment.
 */
static int
resolve(const char *base, const char *href, struct buf *out)
{
	size_t n = strcspn(href, "?#");

	if (n == 0 || href[0] == '/' || strcspn(href, ":") < strcspn(href, "/?#"))
		return 0;
	return path_resolve(base, href, n, out) == 0 && out->len > 0;
}

static xmlNode *
find_elem(xmlNode *n, const char *name)
{
	xmlNode *r;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, name) == 0)
			return n;
		if ((r = find_elem(n->children, name)))
			return r;
	}
	return NULL;
}

/* Replaces n by its children (a link that cannot be followed keeps its text). */
static void
unwrap(xmlNode *n)
{
	xmlNode *c, *next;

	for (c = n->children; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlAddPrevSibling(n, c);
	}
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

static size_t
book_find(const struct epub_book *bk, const char *path)
{
	size_t i;

	for (i = 0; i < bk->npages; i++)
		if (strcmp(bk->pages[i].path, path) == 0)
			return i;
	return (size_t)-1;
}

static void
add_resource(struct epub_book *bk, const char *path)
{
	size_t i;

	for (i = 0; i < bk->nres; i++)
		if (strcmp(bk->res[i], path) == 0)
			return;
	bk->res = xgrow(bk->res, &bk->res_cap, bk->nres + 1, sizeof *bk->res);
	bk->res[bk->nres++] = xstrdup(path);
}

/* Rewrites one page's links and media references (see the top comment). */
static void
fix_tree(struct epub_book *bk, const struct pack_site *s, xmlNode *n, const char *base)
{
	struct buf path = BUF_INIT, nh = BUF_INIT;
	xmlNode *next;

	for (; n; n = next) {
		const char *name = (const char *)n->name;
		const char *attr;
		xmlChar *v;

		next = n->next;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(name, "script") == 0) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			continue;
		}
		attr = strcmp(name, "a") == 0 ? "href" : xmlHasProp(n, X("src")) ? "src" : NULL;
		if (xmlHasProp(n, X("poster")))
			xmlUnsetProp(n, X("poster"));
		fix_tree(bk, s, n->children, base);
		if (!attr || !(v = xmlGetProp(n, X(attr))))
			continue;
		if (strcmp(name, "a") == 0) {
			size_t pg;

			if (v[0] == '#' || strcspn((char *)v, ":") < strcspn((char *)v, "/?#")) {
				/* in-page or remote: fine as it is */
			} else if (resolve(base, (char *)v, &path) &&
			    (pg = book_find(bk, path.p)) != (size_t)-1) {
				const char *frag = strchr((char *)v, '#');
				size_t plen = strcspn((char *)v, "?#");

				buf_reset(&nh);
				buf_add(&nh, v, plen >= 5 && memcmp(v + plen - 5, ".html", 5) == 0 ? plen - 5 : plen);
				buf_printf(&nh, ".xhtml%s", frag ? frag : "");
				xmlSetProp(n, X("href"), X(nh.p));
			} else {
				/* EPUB links may only reach the book's own pages. */
				unwrap(n);
			}
		} else {
			const struct mtype *mt;

			if (resolve(base, (char *)v, &path) && pack_site_find(s, path.p) >= 0 &&
			    (mt = mtype_of(path.p)) && mt->core) {
				add_resource(bk, path.p);
			} else {
				/* Not in the site, or a format readers need not
				 * play: the element's fallback content stays. */
				unwrap(n);
			}
		}
		xmlFree(v);
	}
	buf_release(&path);
	buf_release(&nh);
}

static char *
text_of(xmlNode *n)
{
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	char *r = xstrdup(t ? (char *)t : "");

	xmlFree(t);
	return r;
}

/*
 * Reads the built page at site path `path` and turns it into the XHTML
 * content document of the book (into out). Sets *title to its first h1.
 * Returns 0 or -1 (message printed).
 */
static int
convert(struct epub_book *bk, const struct pack_site *s, const char *path,
    struct buf *out, char **title)
{
	struct buf full = BUF_INIT, base = BUF_INIT, up = BUF_INIT;
	xmlDoc *doc;
	xmlNode *root, *head, *body, *main, *art, *c, *next, *t;
	xmlChar *mem = NULL;
	const char *p;
	int len, rc = -1;

	pack_full(&full, s, path);
	doc = xmlReadFile(full.p, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc || !(root = xmlDocGetRootElement(doc)) ||
	    !(head = find_elem(root->children, "head")) || !(body = find_elem(root->children, "body"))) {
		fprintf(stderr, _("ardoise: \"%s\" is not a page made by ardoise (not well-formed XHTML): "
		    "build the site again\n"), full.p);
		goto out;
	}
	buf_add(&base, path, strrchr(path, '/') ? (size_t)(strrchr(path, '/') - path) + 1 : 0);
	for (p = path; (p = strchr(p, '/')); p++)
		buf_puts(&up, "../");
	main = find_elem(body->children, "main");
	art = main ? find_elem(main->children, "article") : NULL;
	if (!art)
		art = main ? main : body;
	xmlUnlinkNode(art);
	for (c = body->children; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	xmlAddChild(body, art);
	xmlUnsetProp(art, X("tabindex"));
	*title = text_of(find_elem(art, "h1"));
	if (!**title) {
		free(*title);
		*title = text_of(find_elem(head->children, "title"));
	}
	/* A new head: the title and the theme's style sheet. */
	t = find_elem(head->children, "title");
	for (c = head->children; c; c = next) {
		next = c->next;
		if (c != t) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
	c = xmlNewChild(head, root->ns, X("meta"), NULL);
	xmlNewProp(c, X("charset"), X("utf-8"));
	if (t) {
		xmlUnlinkNode(t);
		xmlAddChild(head, t);
	}
	/* The site's style sheet uses CSS that reading systems (and
	 * epubcheck) do not parse: the book has its own, from the theme. */
	if (bk->css.len) {
		buf_puts(&up, EPUB_CSS);
		c = xmlNewChild(head, root->ns, X("link"), NULL);
		xmlNewProp(c, X("rel"), X("stylesheet"));
		xmlNewProp(c, X("href"), X(up.p));
	}
	fix_tree(bk, s, body->children, base.p);
	xmlDocDumpMemoryEnc(doc, &mem, &len, "UTF-8");
	if (!mem) {
		fprintf(stderr, _("ardoise: cannot write the EPUB page for \"%s\"\n"), full.p);
		goto out;
	}
	buf_add(out, mem, (size_t)len);
	rc = 0;
out:
	xmlFree(mem);
	xmlFreeDoc(doc);
	buf_release(&full);
	buf_release(&base);
	buf_release(&up);
	return rc;
}

/* The notebook's pages, in the order of the cover page's links. */
static int
page_order(struct epub_book *bk, const struct pack_site *s)
{
	struct buf full = BUF_INIT, path = BUF_INIT, skip = BUF_INIT;
	xmlDoc *doc;
	xmlNode *n, *main;
	int rc = -1;

	pack_full(&full, s, bk->pages[0].path);
	doc = xmlReadFile(full.p, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	main = doc ? find_elem(xmlDocGetRootElement(doc), "main") : NULL;
	if (!main) {
		fprintf(stderr, _("ardoise: \"%s\" is not a notebook page made by ardoise: build the site again\n"),
		    full.p);
		goto out;
	}
	bk->lang = NULL;
	if (xmlDocGetRootElement(doc)) {
		xmlChar *l = xmlGetProp(xmlDocGetRootElement(doc), X("lang"));

		bk->lang = xstrdup(l ? (char *)l : "fr");
		xmlFree(l);
	}
	buf_printf(&skip, "%simprimer.html", bk->dir);
	/* Document order, every element: a walk that goes down first. */
	for (n = main; n; ) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "a") == 0) {
			xmlChar *h = xmlGetProp(n, X("href"));

			if (h && resolve(bk->dir, (char *)h, &path) && str_starts(path.p, bk->dir) &&
			    str_ends(path.p, ".html") && strcmp(path.p, skip.p) != 0 &&
			    !strchr(path.p + strlen(bk->dir), '/') && pack_site_find(s, path.p) >= 0 &&
			    book_find(bk, path.p) == (size_t)-1) {
				bk->pages = xgrow(bk->pages, &bk->pages_cap, bk->npages + 1, sizeof *bk->pages);
				memset(&bk->pages[bk->npages], 0, sizeof *bk->pages);
				bk->pages[bk->npages++].path = xstrdup(path.p);
			}
			xmlFree(h);
		}
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n && n != main && !n->next)
			n = n->parent;
		n = (n && n != main) ? n->next : NULL;
	}
	rc = 0;
out:
	xmlFreeDoc(doc);
	buf_release(&full);
	buf_release(&path);
	buf_release(&skip);
	return rc;
}

void
epub_book_release(struct epub_book *bk)
{
	size_t i;

	for (i = 0; i < bk->npages; i++) {
		free(bk->pages[i].path);
		free(bk->pages[i].title);
		buf_release(&bk->pages[i].xhtml);
	}
	for (i = 0; i < bk->nres; i++)
		free(bk->res[i]);
	free(bk->pages);
	free(bk->res);
	free(bk->dir);
	free(bk->lang);
	buf_release(&bk->css);
	memset(bk, 0, sizeof *bk);
}

int
pack_epub(const struct pack_site *s, const char *cahier, const char *target, const char *themes)
{
	struct epub_book bk = { 0 };
	struct buf index = BUF_INIT, css = BUF_INIT;
	const char *name = cahier;
	size_t i;
	int status = BUILD_CONTENT;

	if (str_starts(name, "cahiers/"))
		name += strlen("cahiers/");
	buf_printf(&index, "cahiers/%.*s/", (int)strcspn(name, "/"), name);
	bk.dir = xstrdup(index.p);
	buf_puts(&index, "index.html");
	if (!*name || (strchr(name, '/') && name[strcspn(name, "/") + 1]) ||
	    pack_site_find(s, index.p) < 0) {
		fprintf(stderr, _("ardoise: the site \"%s\" has no notebook \"%s\" (no %s): "
		    "give a folder of its cahiers/, as in cahiers/les-saisons\n"), s->dir, cahier, index.p);
		goto done;
	}
	buf_printf(&css, "%s/default/pack/epub.css", themes);
	if (file_read(css.p, &bk.css) < 0) {
		fprintf(stderr, _("ardoise: cannot read \"%s\": reinstall ardoise or set ARDOISE_THEMES\n"),
		    css.p);
		status = BUILD_SYSTEM;
		goto done;
	}
	bk.pages = xcalloc(1, sizeof *bk.pages);
	bk.pages_cap = bk.npages = 1;
	bk.pages[0].path = xstrdup(index.p);
	status = BUILD_SYSTEM;
	if (pack_xml_ready() < 0 || page_order(&bk, s) < 0)
		goto done;
	for (i = 0; i < bk.npages; i++) {
		size_t r, before = bk.nres;

		if (convert(&bk, s, bk.pages[i].path, &bk.pages[i].xhtml, &bk.pages[i].title) < 0)
			goto done;
		/* The cover page's first picture is the book's cover. */
		for (r = before; i == 0 && r < bk.nres && !bk.cover; r++)
			if (str_starts(mtype_of(bk.res[r])->type, "image/"))
				bk.cover = bk.res[r];
	}
	status = epub_write(&bk, s, target);
done:
	epub_book_release(&bk);
	buf_release(&index);
	buf_release(&css);
	return status;
}

const char *
epub_media_type(const char *path)
{
	const struct mtype *mt = mtype_of(path);

	return mt ? mt->type : NULL;
}
