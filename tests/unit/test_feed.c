#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <libxml/tree.h>

#include "buf.h"
#include "feed.h"
#include "t.h"

static xmlDocPtr
parse(const struct buf *b)
{
	return xmlReadMemory(b->p, (int)b->len, "feed.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The first element named name below n (depth first), or NULL. */
static xmlNodePtr
find(xmlNodePtr n, const char *name)
{
	for (; n; n = n->next) {
		xmlNodePtr r;

		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			return n;
		if ((r = find(n->children, name)) != NULL)
			return r;
	}
	return NULL;
}

static int
count(xmlNodePtr n, const char *name)
{
	int c = 0;

	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			c++;
		c += count(n->children, name);
	}
	return c;
}

/* The text of the first element named name, malloc'd ("" when absent). */
static char *
text_of(xmlDocPtr doc, const char *name)
{
	xmlNodePtr n = find(xmlDocGetRootElement(doc), name);
	xmlChar *c = n ? xmlNodeGetContent(n) : NULL;
	char *s = strdup(c ? (const char *)c : "");

	xmlFree(c);
	return s;
}

static const char *const tags[] = { "jardin", "sciences & nature" };

static const struct feed_entry entries[] = {
	{ "Le \x01potager\x1f de la classe", "https://ex.org/posts/potager.html",
	    "https://ex.org/posts/potager.html", "2020-03-16T10:30:00+01:00",
	    "2020-03-17T08:00:00+01:00", "Mme Dupont", "On a semé des \"radis\".",
	    "<p>On a <em>semé</em> &amp; arrosé</p>\n", tags, 2 },
	{ "Bad \xff\xfe utf-8 \xe9t\xc3\xa9 \xc3", "posts/b.html", "tag:ex.org,2020:b",
	    "2020-04-01T09:00:00Z", NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct feed_info info = {
	"CE1 <Jules Ferry>", "Le blog de la classe", "fr", "https://ex.org/",
	"https://ex.org/", "https://ex.org/feed.xml", "2020-04-01T09:00:00Z",
	"Mme Dupont", "0.1.0",
};

TEST(atom_well_formed)
{
	struct buf b = BUF_INIT;
	xmlDocPtr doc;
	xmlNodePtr root;
	char *s;

	CHECK_INT(feed_atom(&info, entries, 2, &b), 0);
	CHECK(strncmp(b.p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed", 44) == 0);
	doc = parse(&b);
	CHECK(doc != NULL);
	if (!doc) {
		fprintf(stderr, "%s\n", b.p);
		buf_release(&b);
		return;
	}
	root = xmlDocGetRootElement(doc);
	CHECK_STR((const char *)root->name, "feed");
	CHECK(root->ns && strcmp((const char *)root->ns->href,
	    "http://www.w3.org/2005/Atom") == 0);
	s = (char *)xmlNodeGetLang(root);
	CHECK_STR(s, "fr");
	xmlFree(s);
	s = text_of(doc, "title");
	CHECK_STR(s, "CE1 <Jules Ferry>");
	free(s);
	s = text_of(doc, "content");
	CHECK_STR(s, "<p>On a <em>semé</em> &amp; arrosé</p>\n");
	free(s);
	CHECK_INT(count(root, "entry"), 2);
	CHECK_INT(count(root, "category"), 2);
	CHECK_INT(count(root, "link"), 4);
	CHECK_INT(count(root, "content"), 1);
	CHECK_INT(count(root, "summary"), 1);
	CHECK_INT(count(root, "author"), 2);
	CHECK(strstr(b.p, "<content type=\"html\">&lt;p&gt;On a &lt;em&gt;semé&lt;/em&gt; "
	    "&amp;amp; arrosé&lt;/p&gt;\n</content>") != NULL);
	CHECK(strstr(b.p, "<category term=\"sciences &amp; nature\"/>") != NULL);
	CHECK(strstr(b.p, "<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"https://ex.org/feed.xml\"/>") != NULL);
	CHECK(strstr(b.p, "<generator version=\"0.1.0\">ardoise</generator>") != NULL);
	CHECK(strstr(b.p, "<summary type=\"text\">On a semé des &quot;radis&quot;.</summary>") != NULL);
	/* second entry: updated falls back to published */
	CHECK(strstr(b.p, "<updated>2020-04-01T09:00:00Z</updated>\n  </entry>") != NULL);
	xmlFreeDoc(doc);
	buf_release(&b);
}

TEST(atom_sanitized)
{
	struct buf b = BUF_INIT;
	xmlDocPtr doc;

	CHECK_INT(feed_atom(&info, entries, 2, &b), 0);
	CHECK(strstr(b.p, "<title>Le potager de la classe</title>") != NULL);
	CHECK(strstr(b.p, "<title>Bad  utf-8 té </title>") != NULL);
	CHECK(strchr(b.p, '\x01') == NULL);
	CHECK(strchr(b.p, '\x1f') == NULL);
	CHECK(strchr(b.p, '\xff') == NULL);
	doc = parse(&b);
	CHECK(doc != NULL);
	xmlFreeDoc(doc);
	buf_release(&b);
}

TEST(atom_deterministic_minimal)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct feed_info min = { "T", NULL, NULL, "urn:x", "index.html", NULL,
	    "2020-01-01T00:00:00Z", NULL, NULL };
	xmlDocPtr doc;

	CHECK_INT(feed_atom(&info, entries, 2, &a), 0);
	CHECK_INT(feed_atom(&info, entries, 2, &b), 0);
	CHECK_STR(a.p, b.p);
	buf_reset(&a);
	buf_puts(&a, "keep:");
	CHECK_INT(feed_atom(&min, NULL, 0, &a), 0);
	CHECK(strncmp(a.p, "keep:<?xml", 10) == 0);
	CHECK(strstr(a.p, "rel=\"self\"") == NULL);
	CHECK(strstr(a.p, "<subtitle") == NULL);
	CHECK(strstr(a.p, "xml:lang") == NULL);
	CHECK(strstr(a.p, "<generator>ardoise</generator>") != NULL);
	doc = xmlReadMemory(a.p + 5, (int)a.len - 5, "f.xml", NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	xmlFreeDoc(doc);
	buf_release(&a);
	buf_release(&b);
}

TEST(sitemap)
{
	const char *urls[] = { "https://ex.org/", "https://ex.org/a?b=1&c=\x02" "2" };
	const char *lastmods[] = { "2020-03-16", NULL };
	struct buf b = BUF_INIT;
	xmlDocPtr doc;
	xmlNodePtr root, u;

	CHECK_INT(feed_sitemap(urls, lastmods, 2, &b), 0);
	CHECK_STR(b.p,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
	    "  <url>\n    <loc>https://ex.org/</loc>\n"
	    "    <lastmod>2020-03-16</lastmod>\n  </url>\n"
	    "  <url>\n    <loc>https://ex.org/a?b=1&amp;c=2</loc>\n  </url>\n"
	    "</urlset>\n");
	doc = parse(&b);
	CHECK(doc != NULL);
	if (doc) {
		root = xmlDocGetRootElement(doc);
		CHECK_STR((const char *)root->name, "urlset");
		CHECK_INT(count(root, "url"), 2);
		CHECK_INT(count(root, "loc"), 2);
		CHECK_INT(count(root, "lastmod"), 1);
		u = find(root, "url");
		CHECK(u && find(u->children, "loc") != NULL);
		xmlFreeDoc(doc);
	}
	buf_reset(&b);
	CHECK_INT(feed_sitemap(NULL, NULL, 0, &b), 0);
	CHECK(strstr(b.p, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>") != NULL);
	buf_release(&b);
}

/* The sitemap is laid out by hand: the same bytes as libxml2's writer,
 * whatever the text holds (markup, quotes, CR, tabs, non-ASCII). */
TEST(sitemap_as_writer)
{
	const char *urls[] = { "https://ex.org/", "x<y>z\"q'r\rs\tt\nu", "é à ü 日本", "&amp;", "",
	    "https://ex.org/it's~(ok)" };
	const char *mods[] = { "2020-03-16", NULL, "<x>", "", "a&b\r", "2020-03-16T10:00:00+01:00" };
	size_t n, i;

	for (n = 0; n <= 6; n++) {
		struct buf b = BUF_INIT;
		xmlBufferPtr mem = xmlBufferCreate();
		xmlTextWriterPtr w = xmlNewTextWriterMemory(mem, 0);

		xmlTextWriterSetIndent(w, 1);
		xmlTextWriterSetIndentString(w, BAD_CAST "  ");
		xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
		xmlTextWriterStartElement(w, BAD_CAST "urlset");
		xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
		for (i = 0; i < n; i++) {
			xmlTextWriterStartElement(w, BAD_CAST "url");
			xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST urls[i]);
			if (mods[i] && *mods[i])
				xmlTextWriterWriteElement(w, BAD_CAST "lastmod", BAD_CAST mods[i]);
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);
		xmlTextWriterEndDocument(w);
		xmlTextWriterFlush(w);
		CHECK_INT(feed_sitemap(urls, mods, n, &b), 0);
		CHECK_STR(b.p, (const char *)xmlBufferContent(mem));
		xmlFreeTextWriter(w);
		xmlBufferFree(mem);
		buf_release(&b);
	}
}

int
main(void)
{
	xmlInitParser();
	RUN(atom_well_formed);
	RUN(atom_sanitized);
	RUN(atom_deterministic_minimal);
	RUN(sitemap);
	RUN(sitemap_as_writer);
	xmlCleanupParser();
	return t_summary();
}
