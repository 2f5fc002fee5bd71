#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "buf.h"
#include "diag.h"
#include "md.h"
#include "t.h"
#include "util.h"

struct call {
	enum md_ref kind;
	char url[64];
	int line, col;
};

struct rec {
	struct call calls[16];
	int n;
};

/* Records every call; "bad..." URLs fail, others become "res/URL". */
static int
resolver(void *data, enum md_ref kind, const char *url, int line, int col,
    struct buf *out, struct diag *d)
{
	struct rec *r = data;

	if (r->n < 16) {
		r->calls[r->n].kind = kind;
		snprintf(r->calls[r->n].url, sizeof r->calls[r->n].url, "%s", url);
		r->calls[r->n].line = line;
		r->calls[r->n].col = col;
		r->n++;
	}
	if (strncmp(url, "bad", 3) == 0) {
		diag_error(d, "p.md", line, col, "no such file \"%s\"", url);
		return -1;
	}
	buf_puts(out, "res/");
	buf_puts(out, url);
	return 0;
}

struct run {
	struct rec rec;
	struct buf html, sum;
	struct diag d;
	int rc;
};

static void
render(struct run *r, const char *md, size_t len, int line_offset, int use_resolver)
{
	struct md_opts o = { "p.md", line_offset, NULL, NULL, 0 };

	memset(&r->rec, 0, sizeof r->rec);
	buf_init(&r->html);
	buf_init(&r->sum);
	diag_init(&r->d);
	if (use_resolver) {
		o.resolve = resolver;
		o.resolve_data = &r->rec;
	}
	r->rc = md_render(md, len, &o, &r->html, &r->sum, &r->d);
}

static void
done(struct run *r)
{
	buf_release(&r->html);
	buf_release(&r->sum);
	diag_release(&r->d);
}

/* 1 when "<div>" html "</div>" is well-formed XML. */
static int
well_formed(const char *html)
{
	struct buf b = BUF_INIT;
	xmlDocPtr doc;

	buf_puts(&b, "<div>");
	buf_puts(&b, html);
	buf_puts(&b, "</div>");
	doc = xmlReadMemory(b.p, (int)b.len, "md.xml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	buf_release(&b);
	if (!doc)
		return 0;
	xmlFreeDoc(doc);
	return 1;
}

TEST(links_rewritten_with_lines)
{
	struct run r;
	const char *md = "Intro\n\nSee [a](a.md) and [b](sub/b.md#x).\n";

	render(&r, md, strlen(md), 5, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p, "<p>Intro</p>\n<p>See <a href=\"res/a.md\">a</a> and "
	    "<a href=\"res/sub/b.md#x\">b</a>.</p>\n");
	CHECK_INT(r.rec.n, 2);
	CHECK_INT(r.rec.calls[0].kind, MD_REF_LINK);
	CHECK_STR(r.rec.calls[0].url, "a.md");
	CHECK_INT(r.rec.calls[0].line, 8);
	CHECK_INT(r.rec.calls[0].col, 5);
	CHECK_INT(r.rec.calls[1].line, 8);
	CHECK_INT(r.rec.calls[1].col, 19);
	CHECK_STR(r.sum.p, "Intro");
	done(&r);
}

TEST(relative_image)
{
	struct run r;
	const char *md = "text\n\n![Le potager](../media/potager.JPG)\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.rec.n, 1);
	CHECK_INT(r.rec.calls[0].kind, MD_REF_IMAGE);
	CHECK_INT(r.rec.calls[0].line, 3);
	CHECK_INT(r.rec.calls[0].col, 1);
	CHECK_STR(r.html.p, "<p>text</p>\n<p><img src=\"res/../media/potager.JPG\" "
	    "alt=\"Le potager\" /></p>\n");
	done(&r);
}

TEST(absolute_links_untouched)
{
	struct run r;
	const char *md = "[a](https://ex.org/a.md) [b](http://ex.org/) "
	    "[c](mailto:x@ex.org) [d](#top) [e](//ex.org/p) [f](tel:+33100)\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.rec.n, 0);
	CHECK(strstr(r.html.p, "href=\"https://ex.org/a.md\"") != NULL);
	CHECK(strstr(r.html.p, "href=\"http://ex.org/\"") != NULL);
	CHECK(strstr(r.html.p, "href=\"mailto:x@ex.org\"") != NULL);
	CHECK(strstr(r.html.p, "href=\"#top\"") != NULL);
	CHECK(strstr(r.html.p, "href=\"//ex.org/p\"") != NULL);
	CHECK(strstr(r.html.p, "href=\"tel:+33100\"") != NULL);
	CHECK_INT(r.d.len, 0);
	done(&r);
}

TEST(bad_schemes_removed)
{
	struct run r;
	const char *md = "[clic](javascript:alert(1)) [f](ftp://ex.org/f)\n\n"
	    "![img](data:image/png;base64,AAAA)\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.rec.n, 0);
	CHECK_STR(r.html.p, "<p>clic f</p>\n<p>img</p>\n");
	CHECK_INT(r.d.nwarnings, 3);
	CHECK_INT(r.d.nerrors, 0);
	CHECK(r.d.len > 0 && strstr(r.d.items[0].msg, "\"javascript:\"") != NULL);
	done(&r);
}

TEST(raw_html_omitted)
{
	struct run r;
	const char *md = "a <script>alert(1)</script> b\n\n<iframe src=x></iframe>\n";

	render(&r, md, strlen(md), 0, 0);
	CHECK_INT(r.rc, 0);
	CHECK(strstr(r.html.p, "<script") == NULL);
	CHECK(strstr(r.html.p, "<iframe") == NULL);
	CHECK(strstr(r.html.p, "<!-- raw HTML omitted -->") != NULL);
	CHECK_STR(r.sum.p, "a alert(1) b");
	done(&r);
}

TEST(media_rendering)
{
	struct run r;
	const char *md = "![Le *chant*](chant.mp3)\n\n![Film](v/film.webm?t=1)\n\n"
	    "![La fiche](fiche.pdf)\n\n![](m/son.OGG)\n\n"
	    "[![Vidéo](https://ex.org/x.mp4)](page.md)\n\n![p](http://ex.org)\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p,
	    "<p><audio controls=\"\" src=\"res/chant.mp3\"><a href=\"res/chant.mp3\">"
	    "Le <em>chant</em></a></audio></p>\n"
	    "<p><video controls=\"\" preload=\"metadata\" src=\"res/v/film.webm?t=1\">"
	    "<a href=\"res/v/film.webm?t=1\">Film</a></video></p>\n"
	    "<p><a href=\"res/fiche.pdf\" download=\"\">La fiche</a></p>\n"
	    "<p><audio controls=\"\" src=\"res/m/son.OGG\"><a href=\"res/m/son.OGG\">"
	    "son.OGG</a></audio></p>\n"
	    "<p><a href=\"res/page.md\"><video controls=\"\" preload=\"metadata\" "
	    "src=\"https://ex.org/x.mp4\">Vidéo</video></a></p>\n"
	    "<p><img src=\"http://ex.org\" alt=\"p\" /></p>\n");
	CHECK(well_formed(r.html.p));
	done(&r);
}

TEST(attribute_escaping)
{
	struct run r;
	const char *md = "![a](<x\"y&z w.mp3>)\n\n![b](<q\"'.pdf>)\n";

	render(&r, md, strlen(md), 0, 0);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p,
	    "<p><audio controls=\"\" src=\"x&quot;y&amp;z%20w.mp3\">"
	    "<a href=\"x&quot;y&amp;z%20w.mp3\">a</a></audio></p>\n"
	    "<p><a href=\"q&quot;&#39;.pdf\" download=\"\">b</a></p>\n");
	CHECK(well_formed(r.html.p));
	done(&r);
}

TEST(resolver_errors_all_reported)
{
	struct run r;
	const char *md = "[un](bad1.md) [deux](ok.md)\n\n![trois](bad2.png)\n"
	    "\n![quatre](bad3.mp3)\n";

	render(&r, md, strlen(md), 2, 1);
	CHECK_INT(r.rc, -1);
	CHECK_INT(r.rec.n, 4);
	CHECK_INT(r.d.nerrors, 3);
	CHECK_INT(r.d.len, 3);
	if (r.d.len == 3) {
		CHECK_INT(r.d.items[0].line, 3);
		CHECK_INT(r.d.items[1].line, 5);
		CHECK_INT(r.d.items[2].line, 7);
	}
	CHECK_STR(r.html.p, "<p>un <a href=\"res/ok.md\">deux</a></p>\n<p>trois</p>\n"
	    "<p>quatre</p>\n");
	CHECK(strstr(r.html.p, "bad") == NULL);
	done(&r);
}

TEST(summary_text)
{
	struct run r;
	const char *md = "# Titre\n\nLe   *potager* de la [classe](a.md),\n"
	    "avec `code` ![photo](p.png) et &amp;  \nfin[^1].\n\nDeuxième.\n\n[^1]: note\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.sum.p, "Le potager de la classe, avec code et & fin.");
	done(&r);

	render(&r, "", 0, 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.sum.p, "");
	CHECK_STR(r.html.p, "");
	done(&r);
}

TEST(invalid_utf8_and_nul)
{
	struct run r;
	const char bad[] = "ok\nab\xff" "c\n";
	const char nul[] = "one\ntwo\nx\0y\n";
	const char overlong[] = "\xc0\xaf";

	render(&r, bad, sizeof bad - 1, 10, 0);
	CHECK_INT(r.rc, -1);
	CHECK_INT(r.d.nerrors, 1);
	if (r.d.len == 1) {
		CHECK_INT(r.d.items[0].line, 12);
		CHECK_INT(r.d.items[0].col, 3);
		CHECK(strstr(r.d.items[0].msg, "0xff") != NULL);
	}
	CHECK_STR(r.html.p, "");
	done(&r);

	render(&r, nul, sizeof nul - 1, 0, 0);
	CHECK_INT(r.rc, -1);
	CHECK_INT(r.d.nerrors, 1);
	if (r.d.len == 1) {
		CHECK_INT(r.d.items[0].line, 3);
		CHECK_INT(r.d.items[0].col, 2);
		CHECK(strstr(r.d.items[0].msg, "NUL") != NULL);
	}
	done(&r);

	render(&r, overlong, sizeof overlong - 1, 0, 0);
	CHECK_INT(r.rc, -1);
	CHECK(r.d.len == 1 && strstr(r.d.items[0].msg, "0xc0") != NULL);
	done(&r);
}

TEST(control_characters)
{
	struct run r;
	const char md[] = "a\x0b" "b \x0c" "c\n\nd\xef\xbf\xbe" "e\n";

	render(&r, md, sizeof md - 1, 0, 0);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.d.nwarnings, 1);
	CHECK(r.d.len == 1 && r.d.items[0].line == 1 && r.d.items[0].col == 2);
	CHECK(strchr(r.html.p, '\x0b') == NULL);
	CHECK(strchr(r.html.p, '\x0c') == NULL);
	CHECK(strstr(r.html.p, "\xef\xbf\xbe") == NULL);
	CHECK(well_formed(r.html.p));
	done(&r);
}

TEST(nesting_limit)
{
	struct run r;
	struct buf b = BUF_INIT;
	struct md_opts o = { "p.md", 0, NULL, NULL, 3 };
	int i;

	for (i = 0; i < 200; i++)
		buf_putc(&b, '>');
	buf_puts(&b, " deep\n");
	render(&r, b.p, b.len, 4, 0);
	CHECK_INT(r.rc, -1);
	CHECK_INT(r.d.nerrors, 1);
	CHECK(r.d.len == 1 && r.d.items[0].line == 5 && r.d.items[0].col == 65);
	CHECK(r.d.len == 1 && strstr(r.d.items[0].msg, "64") != NULL);
	CHECK_STR(r.html.p, "");
	done(&r);

	/* inline containers too */
	buf_reset(&b);
	for (i = 0; i < 300; i++)
		buf_puts(&b, "*a ");
	for (i = 0; i < 300; i++)
		buf_puts(&b, " a*");
	render(&r, b.p, b.len, 0, 0);
	CHECK_INT(r.rc, -1);
	CHECK_INT(r.d.nerrors, 1);
	done(&r);

	/* a custom limit, and lists count */
	buf_reset(&b);
	buf_puts(&b, "- a\n  - b\n    - c\n");
	buf_init(&r.html);
	diag_init(&r.d);
	o.max_nesting = 6;
	CHECK_INT(md_render(b.p, b.len, &o, &r.html, NULL, &r.d), 0);
	buf_reset(&r.html);
	o.max_nesting = 5;
	CHECK_INT(md_render(b.p, b.len, &o, &r.html, NULL, &r.d), -1);
	CHECK(r.d.len == 1 && r.d.items[0].line == 3);
	buf_release(&r.html);
	diag_release(&r.d);
	buf_release(&b);
}

TEST(hostile_input)
{
	struct run r;
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 100000; i++)
		buf_puts(&b, "> ");
	for (i = 0; i < 100000; i++)
		buf_puts(&b, "[");
	for (i = 0; i < 200000; i++)
		buf_puts(&b, "x");
	buf_putc(&b, '\n');
	render(&r, b.p, b.len, 0, 1);
	CHECK_INT(r.rc, -1);
	CHECK(r.d.len == 1 && r.d.items[0].line == 1 && r.d.items[0].col == 2 * 256 + 1);
	done(&r);

	/* refused before parsing, lists too */
	buf_reset(&b);
	buf_puts(&b, "ok\n\n");
	for (i = 0; i < 100000; i++)
		buf_puts(&b, i % 2 ? "- " : "1. ");
	buf_puts(&b, "[[[[x\n");
	render(&r, b.p, b.len, 0, 1);
	CHECK_INT(r.rc, -1);
	CHECK(r.d.len == 1 && r.d.items[0].line == 3);
	done(&r);

	/* but a long thematic break is not nesting */
	buf_reset(&b);
	for (i = 0; i < 300; i++)
		buf_puts(&b, "* ");
	buf_puts(&b, "\n");
	render(&r, b.p, b.len, 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p, "<hr />\n");
	done(&r);

	buf_reset(&b);
	for (i = 0; i < 50000; i++)
		buf_puts(&b, "[a](b.md)![c](d.mp3)");
	render(&r, b.p, b.len, 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK(well_formed(r.html.p));
	done(&r);
	buf_release(&b);
}

TEST(table_cells_accessible)
{
	struct run r;
	const char *md = "| Jour | Nombre |\n|:-:|--:|\n| lundi | 3 |\n";

	render(&r, md, strlen(md), 0, 0);
	CHECK_INT(r.rc, 0);
	CHECK(strstr(r.html.p, "<th scope=\"col\" class=\"align-center\">Jour</th>") != NULL);
	CHECK(strstr(r.html.p, "<td class=\"align-right\">3</td>") != NULL);
	CHECK(strstr(r.html.p, "align=") == NULL);
	done(&r);
}

TEST(well_formed_output)
{
	struct run r;
	const char *md =
	    "# Le *potager* & \"nous\"\n\n"
	    "| Légume | Date |\n|:--|--:|\n| `carotte` | 3 <mars> |\n| ~~chou~~ | |\n\n"
	    "- [x] semer\n- [ ] récolter\n\n"
	    "Voici une note[^n] et une autre[^n] et www.example.org.\n\n"
	    "![Photo](p.png \"titre 'x'\") ![Son](s.mp3) ![Doc](d.odt)\n\n"
	    "```c\nint a < b;\n```\n\n---\n\nligne  \nsuite <br> <b>gras</b>\n\n"
	    "1. un\n2. deux\n\n> cité\n\n[^n]: La note.\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK(strstr(r.html.p, "<table>") != NULL);
	CHECK(strstr(r.html.p, "type=\"checkbox\"") != NULL);
	CHECK(strstr(r.html.p, "footnote") != NULL);
	CHECK(strstr(r.html.p, "data-footnotes=\"\"") != NULL);
	CHECK(strstr(r.html.p, "<del>chou</del>") != NULL);
	CHECK(strstr(r.html.p, "<img src=\"res/p.png\"") != NULL);
	CHECK(well_formed(r.html.p));
	if (!well_formed(r.html.p))
		fprintf(stderr, "%s\n", r.html.p);
	done(&r);
}

int
main(void)
{
	md_global_init();
	xmlInitParser();
	RUN(links_rewritten_with_lines);
	RUN(relative_image);
	RUN(absolute_links_untouched);
	RUN(bad_schemes_removed);
	RUN(raw_html_omitted);
	RUN(media_rendering);
	RUN(attribute_escaping);
	RUN(resolver_errors_all_reported);
	RUN(summary_text);
	RUN(invalid_utf8_and_nul);
	RUN(control_characters);
	RUN(nesting_limit);
	RUN(hostile_input);
	RUN(table_cells_accessible);
	RUN(well_formed_output);
	xmlCleanupParser();
	return t_summary();
}
