#include "md.h"

#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "buf.h"
#include "diag.h"
#include "md_text.h"
#include "util.h"

/*
 * Safe mode (no CMARK_OPT_UNSAFE): raw HTML becomes a comment and cmark
 * empties javascript:/vbscript:/file:/data: URLs on its own. Our own
 * allow-list below is stricter still, because CUSTOM_INLINE nodes are
 * written verbatim whatever the options.
 */
#define MD_CMARK_OPTS (CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES | \
	CMARK_OPT_VALIDATE_UTF8)
#define MD_DEFAULT_NESTING 64

enum media { MEDIA_PICTURE, MEDIA_AUDIO, MEDIA_VIDEO, MEDIA_FILE };

struct walk {
	const struct md_opts *o;
	struct diag *d;
	int max;
	int err;
	struct buf out;		/* the resolver's answer */
	struct buf sum;		/* raw summary text, collapsed at the end */
	int sum_state;		/* 0 before the first paragraph, 1 inside, 2 done */
	cmark_node *sum_para;
	int in_image;
};

void
md_global_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/*
 * Copies the lower-cased scheme of url into scheme and returns 1 when url
 * starts with one (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
 * then ':'); returns 0 for a relative reference.
 */
static int
url_scheme(const char *url, char *scheme, size_t n)
{
	size_t i;

	if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
		return 0;
	for (i = 0; url[i] && url[i] != ':'; i++) {
		char c = url[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
			return 0;
		if (i + 1 < n)
			scheme[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	if (url[i] != ':')
		return 0;
	scheme[i + 1 < n ? i : n - 1] = '\0';
	return 1;
}

/* The media kind of a URL by the extension of its path (query, fragment
 * and, for absolute URLs, the host left out). */
static enum media
url_media(const char *url)
{
	static const char *const audio[] = { "mp3", "m4a", "ogg", "opus", "wav" };
	static const char *const video[] = { "mp4", "webm", "mov" };
	static const char *const picture[] = { "jpg", "jpeg", "png", "gif",
	    "webp", "svg", "avif", "" };
	const char *p = url, *colon;
	char *path, ext[16];
	size_t i;

	colon = strchr(url, ':');
	if (colon && colon < url + strcspn(url, "/?#"))
		p = colon + 1;
	if (p[0] == '/' && p[1] == '/')
		p += 2 + strcspn(p + 2, "/?#");
	path = xstrndup(p, strcspn(p, "?#"));
	path_ext(path, ext, sizeof ext);
	free(path);
	for (i = 0; i < ARRAY_LEN(audio); i++)
		if (strcmp(ext, audio[i]) == 0)
			return MEDIA_AUDIO;
	for (i = 0; i < ARRAY_LEN(video); i++)
		if (strcmp(ext, video[i]) == 0)
			return MEDIA_VIDEO;
	/* no extension: most likely a picture served by some web site */
	for (i = 0; i < ARRAY_LEN(picture); i++)
		if (strcmp(ext, picture[i]) == 0)
			return MEDIA_PICTURE;
	return MEDIA_FILE;
}

/*
 * Appends url as an attribute value. Spaces and controls are
 * percent-encoded as cmark does for its own href/src (a raw space is
 * not a valid URL character), then the result is HTML-escaped.
 */
static void
add_url_attr(struct buf *b, const char *url)
{
	const char *s = url, *run = url;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c != 0x7f)
			continue;
		buf_add_html(b, run, (size_t)(s - run));
		buf_printf(b, "%%%02X", c);
		run = s + 1;
	}
	buf_add_html(b, run, (size_t)(s - run));
}

static int
inside_link(cmark_node *n)
{
	for (n = cmark_node_parent(n); n; n = cmark_node_parent(n))
		if (cmark_node_get_type(n) == CMARK_NODE_LINK)
			return 1;
	return 0;
}

/*
 * Replaces n (a LINK or IMAGE at its EXIT event) by a CUSTOM_INLINE node
 * holding n's children between on_enter and on_exit (either may be NULL:
 * the children are then rendered as plain inline text). When fallback is
 * not NULL and n has no children, a text node with it is added so that a
 * link never ends up empty. The iterator is moved onto the new node,
 * whose children were already visited.
 */
static void
wrap_children(cmark_iter *it, cmark_node *n, const char *on_enter,
    const char *on_exit, const char *fallback)
{
	cmark_node *c = cmark_node_new(CMARK_NODE_CUSTOM_INLINE), *ch;

	if (!cmark_node_replace(n, c)) {
		cmark_node_free(c);	/* parent refused it: keep n as it is */
		return;
	}
	while ((ch = cmark_node_first_child(n)) != NULL)
		cmark_node_append_child(c, ch);
	if (fallback && !cmark_node_first_child(c)) {
		ch = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(ch, fallback);
		cmark_node_append_child(c, ch);
	}
	cmark_node_set_on_enter(c, on_enter ? on_enter : "");
	cmark_node_set_on_exit(c, on_exit ? on_exit : "");
	cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
	cmark_node_free(n);
}

/* Turns an IMAGE with a sound, video or other file into its element. */
static void
media_node(cmark_iter *it, cmark_node *img, enum media kind, const char *orig)
{
	const char *url = cmark_node_get_url(img);
	struct buf enter = BUF_INIT, exit_ = BUF_INIT;
	int in_link = inside_link(img);
	const char *base;
	char *name;

	if (kind == MEDIA_AUDIO || kind == MEDIA_VIDEO) {
		buf_puts(&enter, kind == MEDIA_AUDIO ? "<audio controls=\"\" src=\"" :
		    "<video controls=\"\" preload=\"metadata\" src=\"");
		add_url_attr(&enter, url);
		buf_puts(&enter, "\">");
	}
	/* a link inside a link is invalid HTML: keep the outer one */
	if (!in_link) {
		buf_puts(&enter, "<a href=\"");
		add_url_attr(&enter, url);
		buf_puts(&enter, kind == MEDIA_FILE ? "\" download=\"\">" : "\">");
		buf_puts(&exit_, "</a>");
	}
	if (kind == MEDIA_AUDIO)
		buf_puts(&exit_, "</audio>");
	else if (kind == MEDIA_VIDEO)
		buf_puts(&exit_, "</video>");
	name = xstrndup(orig, strcspn(orig, "?#"));
	base = strrchr(name, '/');
	wrap_children(it, img, enter.p, exit_.p, base && base[1] ? base + 1 : name);
	free(name);
	buf_release(&enter);
	buf_release(&exit_);
}

/* Checks, resolves and rewrites the URL of a LINK or IMAGE at EXIT. */
static void
fix_ref(struct walk *w, cmark_iter *it, cmark_node *n)
{
	int image = cmark_node_get_type(n) == CMARK_NODE_IMAGE;
	const char *u = cmark_node_get_url(n);
	char *orig = xstrdup(u ? u : "");
	char scheme[33];
	int line = cmark_node_get_start_line(n) + w->o->line_offset;
	int col = cmark_node_get_start_column(n);
	enum media kind;

	if (orig[0] == '\0' || orig[0] == '#' || (orig[0] == '/' && orig[1] == '/')) {
		/* in-page or network-path reference: nothing to resolve */
	} else if (url_scheme(orig, scheme, sizeof scheme)) {
		int ok = strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
		    (!image && (strcmp(scheme, "mailto") == 0 ||
		    strcmp(scheme, "tel") == 0));

		if (!ok) {
			if (image)
				diag_warn(w->d, w->o->path, line, col,
				    _("image with scheme \"%s:\" removed: use a file of the repository or an http(s) address"),
				    scheme);
			else
				diag_warn(w->d, w->o->path, line, col,
				    _("link with scheme \"%s:\" removed: use an http, https, mailto or tel address"),
				    scheme);
			wrap_children(it, n, NULL, NULL, NULL);
			goto out;
		}
	} else if (w->o->resolve) {
		buf_reset(&w->out);
		if (w->o->resolve(w->o->resolve_data, image ? MD_REF_IMAGE : MD_REF_LINK,
		    orig, line, col, &w->out, w->d) < 0) {
			w->err = 1;
			wrap_children(it, n, NULL, NULL, NULL);
			goto out;
		}
		cmark_node_set_url(n, w->out.p);
	}
	if (image && (kind = url_media(orig)) != MEDIA_PICTURE)
		media_node(it, n, kind, orig);
out:
	free(orig);
}

/*
 * Refuses block quotes/lists nested deeper than the limit, and inline
 * containers (emphasis, links…) likewise: the output would otherwise break
 * the depth limits of browsers' and libxml2's parsers. Entered nodes are
 * checked in document order, so every ancestor already passed and the
 * walk up is bounded by the limits.
 */
static int
check_depth(struct walk *w, cmark_node *n)
{
	int blocks = 0, inlines = 0;
	cmark_node *p;

	for (p = n; p; p = cmark_node_parent(p)) {
		cmark_node_type t = cmark_node_get_type(p);

		if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST ||
		    t == CMARK_NODE_ITEM)
			blocks++;
		else if (p != n && (t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE)
			inlines++;
	}
	if (blocks > w->max) {
		diag_error(w->d, w->o->path,
		    cmark_node_get_start_line(n) + w->o->line_offset,
		    cmark_node_get_start_column(n),
		    _("block quotes and lists nested more than %d deep: nest them less"),
		    w->max);
		return -1;
	}
	if (inlines > w->max) {
		diag_error(w->d, w->o->path,
		    cmark_node_get_start_line(n) + w->o->line_offset,
		    cmark_node_get_start_column(n),
		    _("emphasis and links nested more than %d deep: nest them less"),
		    w->max);
		return -1;
	}
	return 0;
}

/* Collects the plain text of the first paragraph (not image alt text). */
static void
summary_event(struct walk *w, cmark_event_type ev, cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	const char *lit;

	if (w->sum_state == 0 && ev == CMARK_EVENT_ENTER &&
	    t == CMARK_NODE_PARAGRAPH) {
		w->sum_state = 1;
		w->sum_para = n;
		return;
	}
	if (w->sum_state != 1)
		return;
	if (ev == CMARK_EVENT_EXIT && n == w->sum_para) {
		w->sum_state = 2;
		return;
	}
	if (ev != CMARK_EVENT_ENTER || w->in_image)
		return;
	if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
		if ((lit = cmark_node_get_literal(n)) != NULL)
			buf_puts(&w->sum, lit);
	} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
		buf_putc(&w->sum, ' ');
	}
}

static void
summary_put(struct buf *out, const struct buf *raw)
{
	size_t i;
	int space = 0, any = 0;

	for (i = 0; i < raw->len; i++) {
		char c = raw->p[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			continue;
		}
		if (space && any)
			buf_putc(out, ' ');
		space = 0;
		any = 1;
		buf_putc(out, c);
	}
}

static int
walk_tree(struct walk *w, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int rc = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if (ev == CMARK_EVENT_ENTER && check_depth(w, n) < 0) {
			rc = -1;
			break;
		}
		if (t == CMARK_NODE_IMAGE)
			w->in_image += ev == CMARK_EVENT_ENTER ? 1 : -1;
		summary_event(w, ev, n);
		if (ev == CMARK_EVENT_EXIT &&
		    (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE))
			fix_ref(w, it, n);
	}
	cmark_iter_free(it);
	return rc;
}

static int
attach(cmark_parser *p, const char *name)
{
	cmark_syntax_extension *e = cmark_find_syntax_extension(name);

	return e && cmark_parser_attach_syntax_extension(p, e) ? 0 : -1;
}

int
md_render(const char *text, size_t len, const struct md_opts *o,
    struct buf *html, struct buf *summary, struct diag *d)
{
	static const char *const exts[] = { "table", "strikethrough",
	    "autolink", "tagfilter", "tasklist" };
	struct buf copy = BUF_INIT;
	struct walk w;
	cmark_parser *p = NULL;
	cmark_node *doc = NULL;
	char *out;
	size_t i;
	int rc = -1;

	memset(&w, 0, sizeof w);
	w.o = o;
	w.d = d;
	w.max = o->max_nesting > 0 ? o->max_nesting : MD_DEFAULT_NESTING;
	if (md_text_check(text, len, o, w.max, &copy, &text, d) < 0) {
		buf_release(&copy);
		return -1;
	}
	buf_init(&w.out);
	buf_init(&w.sum);

	p = cmark_parser_new(MD_CMARK_OPTS);
	for (i = 0; i < ARRAY_LEN(exts); i++) {
		if (attach(p, exts[i]) < 0) {
			/* md_global_init() was not called: a programming error */
			diag_error(d, o->path, 0, 0,
			    _("cmark-gfm extension \"%s\" not found: check the cmark-gfm installation"),
			    exts[i]);
			goto out;
		}
	}
	cmark_parser_feed(p, text, len);
	doc = cmark_parser_finish(p);
	if (!doc) {
		diag_error(d, o->path, 0, 0, _("cmark-gfm failed to parse the file: report this bug"));
		goto out;
	}
	if (walk_tree(&w, doc) < 0)
		goto out;
	out = cmark_render_html(doc, MD_CMARK_OPTS, cmark_parser_get_syntax_extensions(p));
	md_text_xhtml(out, strlen(out), html);
	free(out);
	if (summary)
		summary_put(summary, &w.sum);
	rc = w.err ? -1 : 0;
out:
	if (doc)
		cmark_node_free(doc);
	if (p)
		cmark_parser_free(p);
	buf_release(&w.out);
	buf_release(&w.sum);
	buf_release(&copy);
	return rc;
}
