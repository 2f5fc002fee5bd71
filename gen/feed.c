#include "feed.h"

#include <string.h>

#include "buf.h"
#include "util.h"
#include "xmlib.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"

/*
 * The writer with a sticky error: after the first failing call every
 * later one is skipped, and the caller checks err once at the end
 * instead of after each of the dozens of calls.
 */
struct xw {
	xmlBufferPtr mem;
	xmlTextWriterPtr w;
	struct buf tmp;		/* sanitized text of the current call */
	int err;
};

/*
 * Copies s into b keeping only characters XML 1.0 allows (tab, LF, CR,
 * U+0020-D7FF, U+E000-FFFD, U+10000-10FFFF, well-formed UTF-8): the writer
 * escapes markup but passes controls and invalid UTF-8 through, which
 * makes the document unreadable for feed readers. A bad byte is dropped
 * alone, so the rest of a mis-encoded string survives.
 */
static const char *
xml_clean(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	unsigned c, cp;
	size_t k, j;

	buf_reset(b);
	while (*p) {
		c = *p;
		if (c < 0x80) {
			if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
				buf_putc(b, (int)c);
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			k = 1; cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2; cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3; cp = c & 0x07;
		} else {
			p++;
			continue;
		}
		for (j = 1; j <= k; j++) {
			if ((p[j] & 0xc0) != 0x80)	/* also stops at the NUL */
				break;
			cp = (cp << 6) | (p[j] & 0x3f);
		}
		if (j <= k || (k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff) {
			p++;
			continue;
		}
		buf_add(b, p, k + 1);
		p += k + 1;
	}
	return b->p;
}

static void
xw_check(struct xw *x, int rc)
{
	if (rc < 0)
		x->err = 1;
}

static void
xw_start(struct xw *x, const char *name)
{
	if (!x->err)
		xw_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void
xw_end(struct xw *x)
{
	if (!x->err)
		xw_check(x, xmlTextWriterEndElement(x->w));
}

static void
xw_attr(struct xw *x, const char *name, const char *val)
{
	if (!x->err)
		xw_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
		    BAD_CAST xml_clean(&x->tmp, val)));
}

static void
xw_text(struct xw *x, const char *val)
{
	if (!x->err)
		xw_check(x, xmlTextWriterWriteString(x->w,
		    BAD_CAST xml_clean(&x->tmp, val)));
}

/* <name>val</name>; an element with no text is still written, empty. */
static void
xw_elem(struct xw *x, const char *name, const char *val)
{
	xw_start(x, name);
	xw_text(x, val);
	xw_end(x);
}

static int
xw_open(struct xw *x)
{
	memset(x, 0, sizeof *x);
	buf_init(&x->tmp);
	if (xmlib_ready(NULL, 0) < 0 || (x->mem = xmlBufferCreate()) == NULL)
		return -1;
	if ((x->w = xmlNewTextWriterMemory(x->mem, 0)) == NULL) {
		xmlBufferFree(x->mem);
		return -1;
	}
	xw_check(x, xmlTextWriterSetIndent(x->w, 1));
	xw_check(x, xmlTextWriterSetIndentString(x->w, BAD_CAST "  "));
	if (!x->err)
		xw_check(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	return 0;
}

/* Ends the document, frees everything and appends it to out on success. */
static int
xw_close(struct xw *x, struct buf *out)
{
	int rc;

	if (!x->err)
		xw_check(x, xmlTextWriterEndDocument(x->w));
	if (!x->err)
		xw_check(x, xmlTextWriterFlush(x->w));
	xmlFreeTextWriter(x->w);
	rc = x->err ? -1 : 0;
	if (rc == 0)
		buf_add(out, xmlBufferContent(x->mem), (size_t)xmlBufferLength(x->mem));
	xmlBufferFree(x->mem);
	buf_release(&x->tmp);
	return rc;
}

static void
atom_link(struct xw *x, const char *rel, const char *href, const char *type)
{
	xw_start(x, "link");
	xw_attr(x, "rel", rel);
	xw_attr(x, "type", type);
	xw_attr(x, "href", href);
	xw_end(x);
}

/* <author><name>…</name></author>, left out when there is no name. */
static void
atom_author(struct xw *x, const char *name)
{
	if (!name || !*name)
		return;
	xw_start(x, "author");
	xw_elem(x, "name", name);
	xw_end(x);
}

static void
atom_entry(struct xw *x, const struct feed_entry *e)
{
	size_t i;

	xw_start(x, "entry");
	xw_elem(x, "title", e->title);
	atom_link(x, "alternate", e->url, "text/html");
	xw_elem(x, "id", e->id);
	if (e->published && *e->published)
		xw_elem(x, "published", e->published);
	xw_elem(x, "updated", e->updated && *e->updated ? e->updated : e->published);
	atom_author(x, e->author);
	for (i = 0; i < e->ntags; i++) {
		xw_start(x, "category");
		xw_attr(x, "term", e->tags[i]);
		xw_end(x);
	}
	if (e->summary) {
		xw_start(x, "summary");
		xw_attr(x, "type", "text");
		xw_text(x, e->summary);
		xw_end(x);
	}
	if (e->content) {
		/* escaped by the writer: an Atom reader unescapes type="html" */
		xw_start(x, "content");
		xw_attr(x, "type", "html");
		xw_text(x, e->content);
		xw_end(x);
	}
	xw_end(x);
}

int
feed_atom(const struct feed_info *info, const struct feed_entry *entries,
    size_t n, struct buf *out)
{
	struct xw x;
	size_t i;

	if (xw_open(&x) < 0)
		return -1;
	xw_start(&x, "feed");
	xw_attr(&x, "xmlns", ATOM_NS);
	if (info->lang && *info->lang)
		xw_attr(&x, "xml:lang", info->lang);
	xw_elem(&x, "title", info->title);
	if (info->subtitle && *info->subtitle)
		xw_elem(&x, "subtitle", info->subtitle);
	xw_elem(&x, "id", info->id);
	xw_elem(&x, "updated", info->updated);
	atom_link(&x, "alternate", info->site_url, "text/html");
	if (info->self_url && *info->self_url)
		atom_link(&x, "self", info->self_url, "application/atom+xml");
	atom_author(&x, info->author);
	xw_start(&x, "generator");
	if (info->generator_version && *info->generator_version)
		xw_attr(&x, "version", info->generator_version);
	xw_text(&x, "ardoise");
	xw_end(&x);
	for (i = 0; i < n; i++)
		atom_entry(&x, &entries[i]);
	xw_end(&x);
	return xw_close(&x, out);
}

/* Appends text as the XML writer writes element content: cleaned
 * (xml_clean), then escaped by libxml2. */
static void
put_text(struct buf *out, struct buf *tmp, const char *text)
{
	const char *p;
	xmlChar *esc;

	/* printable ASCII with nothing to escape, as addresses and dates are:
	 * as it is (plain[c]: c is such a byte; the NUL is not) */
	static const unsigned char plain[256] = {
		[' '] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['\''] = 1,
		['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1,
		['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
		['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		[':'] = 1, [';'] = 1, ['='] = 1, ['?'] = 1, ['@'] = 1,
		['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
		['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
		['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
		['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
		['Y'] = 1, ['Z'] = 1, ['['] = 1, ['\\'] = 1, [']'] = 1, ['^'] = 1,
		['_'] = 1, ['`'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
		['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
		['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
		['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
		['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1,
		['}'] = 1, ['~'] = 1,
	};

	for (p = text; plain[(unsigned char)*p]; p++)
		;
	if (!*p) {
		buf_add(out, text, (size_t)(p - text));
		return;
	}
	esc = xmlEncodeSpecialChars(NULL, BAD_CAST xml_clean(tmp, text));

	if (!esc)
		die_oom();
	buf_puts(out, (const char *)esc);
	xmlFree(esc);
}

/*
 * The sitemap is laid out here rather than through the XML writer: ten
 * thousand addresses through it took ten milliseconds of every push.
 * Its three elements hold only text, escaped by libxml2 as the writer
 * would; the bytes are the writer's (tests/unit/test_feed.c compares).
 */
int
feed_sitemap(const char *const *urls, const char *const *lastmods, size_t n,
    struct buf *out)
{
	struct buf tmp = BUF_INIT;
	size_t i;

	if (xmlib_ready(NULL, 0) < 0)
		return -1;	/* put_text escapes with libxml2 */
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"" SITEMAP_NS "\"");
	buf_puts(out, n ? ">\n" : "/>\n");
	for (i = 0; i < n; i++) {
		buf_puts(out, "  <url>\n    <loc>");
		put_text(out, &tmp, urls[i]);
		buf_puts(out, "</loc>\n");
		if (lastmods && lastmods[i] && *lastmods[i]) {
			buf_puts(out, "    <lastmod>");
			put_text(out, &tmp, lastmods[i]);
			buf_puts(out, "</lastmod>\n");
		}
		buf_puts(out, "  </url>\n");
	}
	if (n)
		buf_puts(out, "</urlset>\n");
	buf_release(&tmp);
	return 0;
}
