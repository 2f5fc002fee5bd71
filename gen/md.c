#include "md.h"

#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "buf.h"
#include "diag.h"
#include "md_text.h"
#include "media.h"
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

struct walk {
	const struct md_opts *o;
	struct diag *d;
	int max;
	int depth;		/* 0 the file, 1 a transcript shown inside it */
	int err;
	struct buf out;		/* the resolver's answer */
	struct buf sum;		/* raw summary text, collapsed at the end */
	int sum_state;		/* 0 before the first paragraph, 1 inside, 2 done */
	cmark_node *sum_para;
	int in_image;
	/* Paragraphs replaced by figures. They are freed only after
	 * rendering: cmark's text nodes point into their paragraph's
	 * content, and the caption keeps the image's text nodes. */
	cmark_node **dead;
	size_t ndead, dead_cap;
	char **marks;		/* HTML of the media behind text markers */
	size_t nmark, marks_cap;
};

static int render(const char *text, size_t len, const struct md_opts *o,
    int depth, struct buf *raw, struct buf *summary, struct diag *d);

void
md_global_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
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
 * An image alone in a paragraph becomes a figure replacing the paragraph
 * (a <figure> inside <p> is invalid HTML), but only where flow content
 * is allowed and the paragraph is not needed: in the document, a list
 * item or a block quote. A footnote's last paragraph carries the
 * back-reference, so footnotes keep theirs.
 */
static int
figure_para(cmark_node *para)
{
	cmark_node *img, *up;
	cmark_node_type t;

	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return 0;
	img = cmark_node_first_child(para);
	if (!img || cmark_node_get_type(img) != CMARK_NODE_IMAGE || cmark_node_next(img))
		return 0;
	up = cmark_node_parent(para);
	t = up ? cmark_node_get_type(up) : CMARK_NODE_NONE;
	return t == CMARK_NODE_DOCUMENT || t == CMARK_NODE_BLOCK_QUOTE ||
	    t == CMARK_NODE_ITEM;
}

/* The media kind of a URL by the extension of its path (query, fragment
 * and, for absolute URLs, the host left out); ext gets the extension.
 * With no extension, most likely a picture served by some web site. */
static enum media_kind
url_kind(const char *url, char *ext, size_t n)
{
	const char *p = url, *colon;
	enum media_kind k;
	char *path;

	colon = strchr(url, ':');
	if (colon && colon < url + strcspn(url, "/?#"))
		p = colon + 1;
	if (p[0] == '/' && p[1] == '/')
		p += 2 + strcspn(p + 2, "/?#");
	path = xstrndup(p, strcspn(p, "?#"));
	path_ext(path, ext, n);
	k = ext[0] ? media_kind_of(path) : MEDIA_IMAGE;
	free(path);
	return k;
}

/* Appends the plain text of n's descendants, as cmark writes alt text. */
static void
plain_text(cmark_node *n, struct buf *b)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	const char *lit;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(c);

		if (ev != CMARK_EVENT_ENTER || c == n)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
			if ((lit = cmark_node_get_literal(c)) != NULL)
				buf_puts(b, lit);
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			buf_putc(b, ' ');
		}
	}
	cmark_iter_free(it);
}

static int
blank(const char *s)
{
	return s[strspn(s, " \t\n\r")] == '\0';
}

/*
 * Replaces n (a LINK or IMAGE at its EXIT event) by its children, in a
 * CUSTOM_INLINE node with no markup of its own. GFM table cells accept
 * only some inline types: there n becomes a text node of its plain text.
 * The iterator is moved onto the new node, whose children were already
 * visited.
 */
static void
unwrap(cmark_iter *it, cmark_node *n)
{
	cmark_node *c = cmark_node_new(CMARK_NODE_CUSTOM_INLINE), *ch;
	struct buf text = BUF_INIT;

	if (!cmark_node_replace(n, c)) {
		cmark_node_free(c);
		plain_text(n, &text);
		c = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(c, text.p);
		buf_release(&text);
		if (!cmark_node_replace(n, c)) {
			cmark_node_free(c);
			return;
		}
	} else {
		while ((ch = cmark_node_first_child(n)) != NULL)
			cmark_node_append_child(c, ch);
		cmark_node_set_on_enter(c, "");
		cmark_node_set_on_exit(c, "");
	}
	cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
	cmark_node_free(n);
}

/*
 * Appends the transcript m holds, rendered as Markdown in a <details>.
 * It is rendered with no resolver and at depth 1, where transcripts are
 * never looked for: a transcript naming itself cannot recurse. Its own
 * diagnostics are reported at the media's line, since md does not know
 * the transcript's file.
 */
static void
add_transcript(struct walk *w, const struct md_media *m, int line, int col,
    struct buf *out)
{
	struct md_opts o = *w->o;
	struct diag sub;
	size_t i;

	o.resolve = NULL;
	o.resolve_data = NULL;
	o.line_offset = 0;
	diag_init(&sub);
	buf_printf(out, "<details class=\"transcription\"><summary>%s</summary>\n",
	    md_text_word(w->o->lang, MD_WORD_TRANSCRIPT));
	if (render(m->transcript, m->transcript_len, &o, w->depth + 1, out, NULL, &sub) < 0)
		w->err = 1;
	for (i = 0; i < sub.len; i++)
		diag_add(w->d, sub.items[i].level, w->o->path, line, col,
		    _("transcript, line %d: %s"), sub.items[i].line, sub.items[i].msg);
	diag_release(&sub);
	buf_puts(out, "</details>");
}

/* Replaces para by <figure> holding html and a caption made of img's
 * children; returns -1 when cmark refuses (the caller goes inline). */
static int
figure_node(struct walk *w, cmark_iter *it, cmark_node *img, cmark_node *para,
    enum media_kind kind, const char *html, int caption)
{
	static const char *const cls[] = { "media-image", "media-audio",
	    "media-video", "media-download" };
	cmark_node *fig = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK), *cap, *ch;
	struct buf enter = BUF_INIT;

	if (!cmark_node_replace(para, fig)) {
		cmark_node_free(fig);
		return -1;
	}
	w->dead = xgrow(w->dead, &w->dead_cap, w->ndead + 1, sizeof *w->dead);
	w->dead[w->ndead++] = para;
	buf_printf(&enter, "<figure class=\"media %s\">\n%s", cls[kind], html);
	cmark_node_set_on_enter(fig, enter.p);
	cmark_node_set_on_exit(fig, "</figure>");
	buf_release(&enter);
	if (caption) {
		cap = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
		cmark_node_set_on_enter(cap, "<figcaption>");
		cmark_node_set_on_exit(cap, "</figcaption>");
		while ((ch = cmark_node_first_child(img)) != NULL)
			cmark_node_append_child(cap, ch);
		cmark_node_append_child(fig, cap);
	}
	cmark_iter_reset(it, fig, CMARK_EVENT_EXIT);
	return 0;
}

/*
 * Turns an IMAGE (its URL already resolved) into its element: inline, or
 * a figure replacing para when para is not NULL. orig is the URL as
 * written, m what the resolver said of the file.
 */
static void
media_node(struct walk *w, cmark_iter *it, cmark_node *img, cmark_node *para,
    const char *orig, const char *title, const struct md_media *m, int line,
    int col)
{
	struct md_text_media e;
	struct buf alt = BUF_INIT, html = BUF_INIT;
	char ext[16], *name;
	const char *base;
	cmark_node *c;

	memset(&e, 0, sizeof e);
	e.kind = url_kind(orig, ext, sizeof ext);
	if (m->image)
		e.kind = MEDIA_IMAGE;
	plain_text(img, &alt);
	if (w->depth == 0 && e.kind == MEDIA_IMAGE && blank(alt.p))
		diag_warn(w->d, w->o->path, line, col,
		    _("image without a description (alt text): describe it between the brackets, e.g. ![Les élèves au musée](photo.jpg)"));
	if (w->depth == 0 && (e.kind == MEDIA_AUDIO || e.kind == MEDIA_VIDEO) &&
	    !m->transcript)
		diag_warn(w->d, w->o->path, line, col,
		    _("audio or video without a transcript: name one in the title, e.g. ![Notre chanson](chanson.mp3 \"chanson-transcription.md\")"));
	else if (w->depth == 0 && m->transcript && !para)
		diag_warn(w->d, w->o->path, line, col,
		    _("transcript of \"%s\" not shown: put the media alone in its paragraph"),
		    orig);
	name = xstrndup(orig, strcspn(orig, "?#"));
	base = strrchr(name, '/');
	e.src = cmark_node_get_url(img);
	e.alt = alt.p;
	e.name = base && base[1] ? base + 1 : name;
	e.title = str_ends_ci(title, ".md") ? "" : title;
	e.type = ext;
	e.m = m;
	e.lang = w->o->lang;
	e.figure = para != NULL;
	e.in_link = para == NULL && inside_link(img);
	md_text_media(&html, &e);
	if (para && m->transcript) {
		buf_putc(&html, '\n');
		add_transcript(w, m, line, col, &html);
	}
	if (para && figure_node(w, it, img, para, e.kind, html.p,
	    cmark_node_first_child(img) && !blank(alt.p)) == 0)
		goto out;
	c = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
	cmark_node_set_on_enter(c, html.p);
	cmark_node_set_on_exit(c, "");
	if (!cmark_node_replace(img, c)) {
		/* a table cell refuses custom nodes: a text marker then, put
		 * in place after rendering (md_text_markers) */
		cmark_node_free(c);
		c = cmark_node_new(CMARK_NODE_TEXT);
		buf_reset(&alt);
		buf_printf(&alt, "\xff%zu\xff", w->nmark);
		cmark_node_set_literal(c, alt.p);
		if (!cmark_node_replace(img, c)) {
			cmark_node_free(c);
			goto out;
		}
		w->marks = xgrow(w->marks, &w->marks_cap, w->nmark + 1, sizeof *w->marks);
		w->marks[w->nmark++] = buf_detach(&html, NULL);
	}
	cmark_iter_reset(it, para ? para : c, CMARK_EVENT_EXIT);
	cmark_node_free(img);
out:
	free(name);
	buf_release(&alt);
	buf_release(&html);
}

/* Renders a refused reference as its text alone. */
static void
drop_ref(cmark_iter *it, cmark_node *n, cmark_node *para)
{
	unwrap(it, n);
	if (para)
		cmark_iter_reset(it, para, CMARK_EVENT_EXIT);
}

/* Checks, resolves and rewrites the URL of a LINK or IMAGE at EXIT. para
 * is the paragraph an image alone in it may replace as a figure, or NULL. */
static void
fix_ref(struct walk *w, cmark_iter *it, cmark_node *n, cmark_node *para)
{
	int image = cmark_node_get_type(n) == CMARK_NODE_IMAGE;
	const char *u = cmark_node_get_url(n), *t = cmark_node_get_title(n);
	char *orig = xstrdup(u ? u : ""), *title = xstrdup(t ? t : "");
	char scheme[33];
	int line = cmark_node_get_start_line(n) + w->o->line_offset;
	int col = cmark_node_get_start_column(n);
	struct md_media m;

	memset(&m, 0, sizeof m);
	if (orig[0] == '\0' || orig[0] == '#' || (orig[0] == '/' && orig[1] == '/')) {
		/* in-page or network-path reference: nothing to resolve */
	} else if (md_text_scheme(orig, scheme, sizeof scheme)) {
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
			drop_ref(it, n, para);
			goto out;
		}
	} else if (w->o->resolve) {
		buf_reset(&w->out);
		if (w->o->resolve(w->o->resolve_data, image ? MD_REF_IMAGE : MD_REF_LINK,
		    orig, title, line, col, &w->out, image ? &m : NULL, w->d) < 0) {
			w->err = 1;
			drop_ref(it, n, para);
			goto out;
		}
		cmark_node_set_url(n, w->out.p);
	}
	if (image)
		media_node(w, it, n, para, orig, title, &m, line, col);
out:
	free(orig);
	free(title);
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

/* Collects the plain text of the first paragraph (not image alt text; a
 * figure is not a paragraph). */
static void
summary_event(struct walk *w, cmark_event_type ev, cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	const char *lit;

	if (w->sum_state == 0 && ev == CMARK_EVENT_ENTER &&
	    t == CMARK_NODE_PARAGRAPH && !figure_para(n)) {
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
		if (ev != CMARK_EVENT_EXIT)
			continue;
		/* an image alone in its paragraph waits for the paragraph's
		 * exit, where both are replaced by a figure */
		if (t == CMARK_NODE_LINK ||
		    (t == CMARK_NODE_IMAGE && !figure_para(cmark_node_parent(n))))
			fix_ref(w, it, n, NULL);
		else if (t == CMARK_NODE_PARAGRAPH && figure_para(n))
			fix_ref(w, it, cmark_node_first_child(n), n);
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

/*
 * Renders text as cmark's HTML appended to raw (not yet made XML: the
 * transcripts rendered inside a file go through md_text_xhtml once, with
 * it). depth is 0 for a file, 1 for a transcript inside it.
 */
static int
render(const char *text, size_t len, const struct md_opts *o, int depth,
    struct buf *raw, struct buf *summary, struct diag *d)
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
	w.depth = depth;
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
	if (!o->no_html) {
		out = cmark_render_html(doc, MD_CMARK_OPTS, cmark_parser_get_syntax_extensions(p));
		md_text_markers(out, strlen(out), (const char *const *)w.marks, w.nmark, raw);
		free(out);
	}
	if (summary)
		summary_put(summary, &w.sum);
	rc = w.err ? -1 : 0;
out:
	for (i = 0; i < w.ndead; i++)
		cmark_node_free(w.dead[i]);
	free(w.dead);
	for (i = 0; i < w.nmark; i++)
		free(w.marks[i]);
	free(w.marks);
	if (doc)
		cmark_node_free(doc);
	if (p)
		cmark_parser_free(p);
	buf_release(&w.out);
	buf_release(&w.sum);
	buf_release(&copy);
	return rc;
}

int
md_render(const char *text, size_t len, const struct md_opts *o,
    struct buf *html, struct buf *summary, struct diag *d)
{
	struct buf raw = BUF_INIT;
	int rc;

	rc = render(text, len, o, 0, &raw, summary, d);
	if (!o->no_html)
		md_text_xhtml(raw.p, raw.len, html);
	buf_release(&raw);
	return rc;
}
