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
	char title[64];
	int line, col;
	int has_media;
};

struct rec {
	struct call calls[16];
	int n;
};

/*
 * Records every call; "bad..." URLs fail, others become "res/URL".
 * Pictures named "big..." are 640x480, files whose name holds "-NNN."
 * are NNN bytes long, and a title ending in .md is a transcript whose
 * text is "Texte de *TITLE*." (TITLE "self.md" names itself again).
 */
static int
resolver(void *data, enum md_ref kind, const char *url, const char *title,
    int line, int col, struct buf *out, struct md_media *media, struct diag *d)
{
	static char transcript[128];
	struct rec *r = data;
	const char *dash;

	if (r->n < 16) {
		r->calls[r->n].kind = kind;
		snprintf(r->calls[r->n].url, sizeof r->calls[r->n].url, "%s", url);
		snprintf(r->calls[r->n].title, sizeof r->calls[r->n].title, "%s", title);
		r->calls[r->n].line = line;
		r->calls[r->n].col = col;
		r->calls[r->n].has_media = media != NULL;
		r->n++;
	}
	if (media && strncmp(url, "big", 3) == 0) {
		media->width = 640;
		media->height = 480;
	}
	if (media && (dash = strrchr(url, '-')) != NULL)
		media->size = strtoull(dash + 1, NULL, 10);
	if (media && strlen(title) > 3 && strcmp(title + strlen(title) - 3, ".md") == 0) {
		if (strcmp(title, "self.md") == 0)
			snprintf(transcript, sizeof transcript,
			    "Moi : ![encore](x.mp3 \"self.md\")\n");
		else
			snprintf(transcript, sizeof transcript, "Texte de *%s*.\n", title);
		media->transcript = transcript;
		media->transcript_len = strlen(transcript);
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
	const char *lang;
	struct rec rec;
	struct buf html, sum;
	struct diag d;
	int rc;
};

static void
render(struct run *r, const char *md, size_t len, int line_offset, int use_resolver)
{
	struct md_opts o = { .path = "p.md", .line_offset = line_offset, .lang = r->lang };

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
	struct run r = { 0 };
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
	struct run r = { 0 };
	const char *md = "text\n\n![Le potager](../media/potager.JPG)\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.rec.n, 1);
	CHECK_INT(r.rec.calls[0].kind, MD_REF_IMAGE);
	CHECK_INT(r.rec.calls[0].line, 3);
	CHECK_INT(r.rec.calls[0].col, 1);
	CHECK_STR(r.html.p, "<p>text</p>\n<figure class=\"media media-image\">\n"
	    "<img src=\"res/../media/potager.JPG\" alt=\"Le potager\" loading=\"lazy\" "
	    "decoding=\"async\" />\n<figcaption>Le potager</figcaption>\n</figure>\n");
	CHECK_INT(r.rec.calls[0].has_media, 1);
	CHECK_INT(r.d.len, 0);
	done(&r);
}

TEST(absolute_links_untouched)
{
	struct run r = { 0 };
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
	struct run r = { 0 };
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
	struct run r = { 0 };
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
	struct run r = { 0 };
	const char *md = "![Le *chant*](chant.mp3)\n\n![Film](v/film.webm?t=1)\n\n"
	    "![La fiche](fiche.pdf)\n\n![](m/son.OGG)\n\n"
	    "[![Vidéo](https://ex.org/x.mp4)](page.md)\n\n![p](http://ex.org)\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p,
	    "<figure class=\"media media-audio\">\n"
	    "<audio controls=\"\" preload=\"metadata\" src=\"res/chant.mp3\">"
	    "<a href=\"res/chant.mp3\">Télécharger (MP3)</a></audio>\n"
	    "<figcaption>Le <em>chant</em></figcaption>\n</figure>\n"
	    "<figure class=\"media media-video\">\n"
	    "<video controls=\"\" preload=\"metadata\" src=\"res/v/film.webm?t=1\">"
	    "<a href=\"res/v/film.webm?t=1\">Télécharger (WEBM)</a></video>\n"
	    "<figcaption>Film</figcaption>\n</figure>\n"
	    "<figure class=\"media media-download\">\n"
	    "<a href=\"res/fiche.pdf\" download=\"\">La fiche (PDF)</a>\n"
	    "<figcaption>La fiche</figcaption>\n</figure>\n"
	    "<figure class=\"media media-audio\">\n"
	    "<audio controls=\"\" preload=\"metadata\" src=\"res/m/son.OGG\">"
	    "<a href=\"res/m/son.OGG\">Télécharger (OGG)</a></audio>\n</figure>\n"
	    "<p><a href=\"res/page.md\"><video controls=\"\" preload=\"metadata\" "
	    "src=\"https://ex.org/x.mp4\">Vidéo (MP4)</video></a></p>\n"
	    "<figure class=\"media media-image\">\n"
	    "<img src=\"http://ex.org\" alt=\"p\" loading=\"lazy\" decoding=\"async\" />\n"
	    "<figcaption>p</figcaption>\n</figure>\n");
	CHECK(well_formed(r.html.p));
	/* four recordings without transcript */
	CHECK_INT(r.d.nwarnings, 4);
	CHECK_INT(r.d.nerrors, 0);
	done(&r);
}

TEST(attribute_escaping)
{
	struct run r = { 0 };
	const char *md = "![a](<x\"y&z w.mp3>)\n\n![b](<q\"'.pdf> \"t\\\"<\")\n\n"
	    "x ![c<](<i\"mg.png> \"<t'\")\n";

	render(&r, md, strlen(md), 0, 0);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p,
	    "<figure class=\"media media-audio\">\n"
	    "<audio controls=\"\" preload=\"metadata\" src=\"x&quot;y&amp;z%20w.mp3\">"
	    "<a href=\"x&quot;y&amp;z%20w.mp3\">Télécharger (MP3)</a></audio>\n"
	    "<figcaption>a</figcaption>\n</figure>\n"
	    "<figure class=\"media media-download\">\n"
	    "<a href=\"q&quot;&#39;.pdf\" download=\"\">b (PDF)</a>\n"
	    "<figcaption>b</figcaption>\n</figure>\n"
	    "<p>x <img src=\"i&quot;mg.png\" alt=\"c&lt;\" title=\"&lt;t&#39;\" "
	    "loading=\"lazy\" decoding=\"async\" /></p>\n");
	CHECK(well_formed(r.html.p));
	done(&r);
}

TEST(figure_with_size_and_inline_image)
{
	struct run r = { 0 };
	const char *md = "Le potager :\n\n![Le *grand* potager](big.png \"Vue du haut\")\n\n"
	    "Un radis ![radis](big.jpg) et une fiche ![la fiche](f-2048.odt).\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p,
	    "<p>Le potager :</p>\n"
	    "<figure class=\"media media-image\">\n"
	    "<img src=\"res/big.png\" alt=\"Le grand potager\" title=\"Vue du haut\" "
	    "width=\"640\" height=\"480\" loading=\"lazy\" decoding=\"async\" />\n"
	    "<figcaption>Le <em>grand</em> potager</figcaption>\n</figure>\n"
	    "<p>Un radis <img src=\"res/big.jpg\" alt=\"radis\" width=\"640\" "
	    "height=\"480\" loading=\"lazy\" decoding=\"async\" /> et une fiche "
	    "<a href=\"res/f-2048.odt\" download=\"\">la fiche (ODT, 2\xc2\xa0ko)</a>.</p>\n");
	CHECK_INT(r.d.len, 0);
	CHECK_STR(r.rec.calls[0].title, "Vue du haut");
	CHECK(well_formed(r.html.p));
	done(&r);
}

TEST(audio_with_transcript)
{
	struct run r = { 0 };
	const char *md = "![Notre chanson](chanson-1500000.mp3 \"chanson.md\")\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p,
	    "<figure class=\"media media-audio\">\n"
	    "<audio controls=\"\" preload=\"metadata\" src=\"res/chanson-1500000.mp3\">"
	    "<a href=\"res/chanson-1500000.mp3\">Télécharger (MP3, 1,5\xc2\xa0Mo)</a></audio>\n"
	    "<details class=\"transcription\"><summary>Transcription</summary>\n"
	    "<p>Texte de <em>chanson.md</em>.</p>\n</details>\n"
	    "<figcaption>Notre chanson</figcaption>\n</figure>\n");
	CHECK_INT(r.d.len, 0);
	CHECK(well_formed(r.html.p));
	done(&r);

	/* English words and sizes; a video */
	r.lang = "en";
	md = "![Our song](song-1234567.webm \"t.md\")\n\n![The sheet](f-999999.pdf)\n";
	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.html.p,
	    "<figure class=\"media media-video\">\n"
	    "<video controls=\"\" preload=\"metadata\" src=\"res/song-1234567.webm\">"
	    "<a href=\"res/song-1234567.webm\">Download (WEBM, 1.2\xc2\xa0MB)</a></video>\n"
	    "<details class=\"transcription\"><summary>Transcript</summary>\n"
	    "<p>Texte de <em>t.md</em>.</p>\n</details>\n"
	    "<figcaption>Our song</figcaption>\n</figure>\n"
	    "<figure class=\"media media-download\">\n"
	    "<a href=\"res/f-999999.pdf\" download=\"\">The sheet (PDF, 1\xc2\xa0MB)</a>\n"
	    "<figcaption>The sheet</figcaption>\n</figure>\n");
	CHECK_INT(r.d.len, 0);
	CHECK(well_formed(r.html.p));
	done(&r);
}

TEST(transcript_no_recursion)
{
	struct run r = { 0 };
	const char *md = "![Moi](moi.mp3 \"self.md\")\n";
	const char *p;
	int n = 0;

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	for (p = r.html.p; (p = strstr(p, "<details")) != NULL; p++)
		n++;
	CHECK_INT(n, 1);
	/* the transcript's own recording is shown, without resolver */
	CHECK(strstr(r.html.p, "<p>Moi : <audio controls=\"\" preload=\"metadata\" "
	    "src=\"x.mp3\"><a href=\"x.mp3\">encore (MP3)</a></audio></p>") != NULL);
	CHECK_INT(r.rec.n, 1);
	CHECK_INT(r.d.len, 0);
	CHECK(well_formed(r.html.p));
	done(&r);
}

TEST(media_warnings_with_lines)
{
	struct run r = { 0 };
	const char *md = "Titre\n\n![](big.png)\n\nvoir ![  ](x.gif) ici\n\n"
	    "![Chant](c.mp3)\n\ntexte ![V](v.mp4 \"v.md\") suite\n\n![Doc]()\n";

	render(&r, md, strlen(md), 10, 1);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.d.nerrors, 0);
	CHECK_INT(r.d.nwarnings, 4);
	if (r.d.len == 4) {
		CHECK_INT(r.d.items[0].line, 13);
		CHECK_INT(r.d.items[0].col, 1);
		CHECK_STR(r.d.items[0].msg, "image without a description (alt text): "
		    "describe it between the brackets, e.g. ![Les élèves au musée](photo.jpg)");
		CHECK_INT(r.d.items[1].line, 15);
		CHECK_INT(r.d.items[1].col, 6);
		CHECK_INT(r.d.items[2].line, 17);
		CHECK_STR(r.d.items[2].msg, "audio or video without a transcript: name one "
		    "in the title, e.g. ![Notre chanson](chanson.mp3 \"chanson-transcription.md\")");
		CHECK_INT(r.d.items[3].line, 19);
		CHECK_INT(r.d.items[3].col, 7);
		CHECK(strstr(r.d.items[3].msg, "not shown") != NULL);
	}
	/* an empty picture: no caption, alt="" */
	CHECK(strstr(r.html.p, "<figure class=\"media media-image\">\n<img src=\"res/big.png\" "
	    "alt=\"\" width=\"640\" height=\"480\" loading=\"lazy\" decoding=\"async\" />\n"
	    "</figure>\n") != NULL);
	CHECK(well_formed(r.html.p));
	done(&r);
}

/* A figure only where flow content may go. */
TEST(figure_placement)
{
	struct run r = { 0 };
	const char *md =
	    "- ![Un](a.png)\n- texte\n\n"			/* list item: figure */
	    "> ![Deux](b.png)\n\n"				/* block quote: figure */
	    "# ![Trois](c.png)\n\n"				/* heading: inline */
	    "| ![Quatre](d.png) |\n|---|\n| ![Cinq](e.pdf) |\n\n"	/* cell: inline */
	    "[![Six](f.png)](g.md)\n\n"				/* link: inline */
	    "Note[^1].\n\n[^1]: ![Sept](h.png)\n";		/* footnote: inline */

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK(strstr(r.html.p, "<li>\n<figure class=\"media media-image\">\n<img src=\"res/a.png\"") != NULL);
	CHECK(strstr(r.html.p, "<blockquote>\n<figure class=\"media media-image\">\n<img src=\"res/b.png\"") != NULL);
	CHECK(strstr(r.html.p, "<h1><img src=\"res/c.png\" alt=\"Trois\"") != NULL);
	CHECK(strstr(r.html.p, "<th scope=\"col\"><img src=\"res/d.png\"") != NULL);
	CHECK(strstr(r.html.p, "<td><a href=\"res/e.pdf\" download=\"\">Cinq (PDF)</a></td>") != NULL);
	CHECK(strstr(r.html.p, "<p><a href=\"res/g.md\"><img src=\"res/f.png\" alt=\"Six\"") != NULL);
	CHECK(strstr(r.html.p, "<p><img src=\"res/h.png\" alt=\"Sept\" loading=\"lazy\" "
	    "decoding=\"async\" /> <a href=\"#fnref-1\"") != NULL);
	CHECK(strstr(r.html.p, "<p><figure") == NULL);
	CHECK(well_formed(r.html.p));
	if (!well_formed(r.html.p))
		fprintf(stderr, "%s\n", r.html.p);
	done(&r);
}

TEST(summary_skips_figures)
{
	struct run r = { 0 };
	const char *md = "![Photo de la classe](big.png)\n\nNous sommes *allés* au musée.\n";

	render(&r, md, strlen(md), 0, 1);
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.sum.p, "Nous sommes allés au musée.");
	done(&r);
}

TEST(resolver_errors_all_reported)
{
	struct run r = { 0 };
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
	struct run r = { 0 };
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
	struct run r = { 0 };
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
	struct run r = { 0 };
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
	struct run r = { 0 };
	struct buf b = BUF_INIT;
	struct md_opts o = { .path = "p.md", .max_nesting = 3 };
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
	struct run r = { 0 };
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
	struct run r = { 0 };
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
	struct run r = { 0 };
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

/* ardoise check: no HTML is made, the summary and the errors are. */
TEST(no_html_for_checking)
{
	struct md_opts o = { .path = "p.md", .max_nesting = 2, .no_html = 1 };
	struct buf html = BUF_INIT, sum = BUF_INIT;
	struct diag d;
	const char *ok = "Un *petit* texte.\n";
	const char *deep = "> > > trop profond\n";

	diag_init(&d);
	CHECK_INT(md_render(ok, strlen(ok), &o, &html, &sum, &d), 0);
	CHECK_INT((int)html.len, 0);
	CHECK_STR(sum.p, "Un petit texte.");
	CHECK_INT(md_render(deep, strlen(deep), &o, &html, NULL, &d), -1);
	CHECK(d.nerrors > 0);
	diag_release(&d);
	buf_release(&html);
	buf_release(&sum);
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
	RUN(figure_with_size_and_inline_image);
	RUN(audio_with_transcript);
	RUN(transcript_no_recursion);
	RUN(media_warnings_with_lines);
	RUN(figure_placement);
	RUN(summary_skips_figures);
	RUN(resolver_errors_all_reported);
	RUN(summary_text);
	RUN(invalid_utf8_and_nul);
	RUN(control_characters);
	RUN(nesting_limit);
	RUN(hostile_input);
	RUN(table_cells_accessible);
	RUN(well_formed_output);
	RUN(no_html_for_checking);
	xmlCleanupParser();
	return t_summary();
}
