#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fm.h"
#include "t.h"
#include "val.h"
#include "yml.h"

static int
split(const char *s, struct fm_split *sp)
{
	return fm_split(s, strlen(s), sp);
}

TEST(split_basic)
{
	struct fm_split sp;
	const char *s = "---\ntitle: a\n---\n# Body\n";

	CHECK_INT(split(s, &sp), 1);
	CHECK(sp.yaml == s + 4);
	CHECK_INT(sp.yaml_len, 9);
	CHECK_INT(sp.yaml_line, 2);
	CHECK(sp.body == s + 17);
	CHECK_INT(sp.body_len, 7);
	CHECK_INT(sp.body_line, 4);
}

TEST(split_variants)
{
	struct fm_split sp;
	const char *s;

	/* BOM and CRLF */
	s = "\xef\xbb\xbf---\r\ntitle: a\r\n---\r\nBody\r\n";
	CHECK_INT(split(s, &sp), 1);
	CHECK(sp.yaml == s + 3 + 5);
	CHECK_INT(sp.yaml_len, 10);
	CHECK_INT(sp.body_line, 4);
	CHECK(sp.body_len == 6 && memcmp(sp.body, "Body\r\n", 6) == 0);
	/* trailing spaces on fences, `...` close, close at end of file */
	s = "---  \na: 1\nb: 2\n...\t";
	CHECK_INT(split(s, &sp), 1);
	CHECK_INT(sp.yaml_len, 10);
	CHECK_INT(sp.body_len, 0);
	CHECK_INT(sp.body_line, 5);
	/* empty front matter */
	s = "---\n---\nx";
	CHECK_INT(split(s, &sp), 1);
	CHECK_INT(sp.yaml_len, 0);
	CHECK_STR(sp.body, "x");
	CHECK_INT(sp.body_line, 3);
	/* a `----` line or `--- x` is not a fence */
	s = "---\na: 1\n----\n--- x\n---\nbody";
	CHECK_INT(split(s, &sp), 1);
	CHECK_INT(sp.body_line, 6);
	/* no front matter */
	s = "# Title\n---\n";
	CHECK_INT(split(s, &sp), 0);
	CHECK(sp.yaml == NULL);
	CHECK(sp.body == s);
	CHECK_INT(sp.body_line, 1);
	s = "---x\n---\n";
	CHECK_INT(split(s, &sp), 0);
	s = "\xef\xbb\xbfHello";
	CHECK_INT(split(s, &sp), 0);
	CHECK_STR(sp.body, "Hello");
	CHECK_INT(split("", &sp), 0);
	/* never closed */
	CHECK_INT(split("---\ntitle: a\nbody\n", &sp), -1);
	CHECK_INT(sp.yaml_line, 2);
	CHECK_INT(split("---", &sp), -1);
	CHECK_INT(split("---\n", &sp), -1);
	CHECK_INT(split("---\na: 1\n--", &sp), -1);
}

/* Parses s; the number of diagnostics goes to *nd, the first to msg. */
static int
parse(const char *s, struct fm_meta *m, struct diag *d)
{
	diag_init(d);
	return fm_parse("posts/a.md", s, strlen(s), NULL, m, d);
}

static int
has_diag(const struct diag *d, int line, int col, const char *text)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (d->items[i].line == line && d->items[i].col == col &&
		    strstr(d->items[i].msg, text) != NULL &&
		    strcmp(d->items[i].path, "posts/a.md") == 0)
			return 1;
	for (i = 0; i < d->len; i++)
		fprintf(stderr, "  have %d:%d: %s\n", d->items[i].line,
		    d->items[i].col, d->items[i].msg);
	return 0;
}

TEST(parse_full)
{
	struct fm_meta m;
	struct diag d;
	const char *s =
	    "---\n"
	    "title: \"Au potager\"\n"
	    "date: 2020-03-16 10:30\n"
	    "author: Mme Martin\n"
	    "tags: [sortie, musée, sortie, ' jardin ']\n"
	    "draft: false\n"
	    "summary: On a planté des radis.\n"
	    "visibility: class\n"
	    "cover: media/radis.jpg\n"
	    "transcript: media/radis.txt\n"
	    "weather: sunny\n"
	    "links:\n"
	    "  - name: a\n"
	    "    url: http://x\n"
	    "  - name: b\n"
	    "---\n"
	    "Le texte.\n";
	const struct val *l;

	CHECK_INT(parse(s, &m, &d), 0);
	CHECK_INT(d.len, 0);
	CHECK_STR(m.title, "Au potager");
	CHECK_INT(m.has_date, 1);
	CHECK_INT(m.date.year, 2020);
	CHECK_INT(m.date.hour, 10);
	CHECK_STR(m.author, "Mme Martin");
	CHECK_INT(m.ntags, 3);
	if (m.ntags == 3) {
		CHECK_STR(m.tags[0], "sortie");
		CHECK_STR(m.tags[1], "musée");
		CHECK_STR(m.tags[2], "jardin");
	}
	CHECK_INT(m.draft, 0);
	CHECK_STR(m.summary, "On a planté des radis.");
	CHECK_INT(m.class_only, 1);
	CHECK_STR(m.cover, "media/radis.jpg");
	CHECK_STR(m.transcript, "media/radis.txt");
	CHECK_INT(val_len(m.params), 2);
	CHECK_STR(val_str(val_get(m.params, "weather")), "sunny");
	CHECK_INT(val_get(m.params, "weather")->line, 11);
	l = val_get(m.params, "links");
	CHECK_INT(val_len(l), 2);
	CHECK_STR(val_str(val_get(val_at(l, 0), "url")), "http://x");
	CHECK_INT(val_get(val_at(l, 1), "name")->line, 15);
	CHECK_INT(m.line[FM_TITLE], 2);
	CHECK_INT(m.line[FM_DATE], 3);
	CHECK_INT(m.line[FM_TAGS], 5);
	CHECK_INT(m.line[FM_COVER], 9);
	CHECK_INT(m.line[FM_VISIBILITY], 8);
	CHECK_STR(m.body, "Le texte.\n");
	CHECK_INT(m.body_line, 17);
	fm_meta_release(&m);
	CHECK(m.params == NULL && m.title == NULL && m.ntags == 0);
	diag_release(&d);
}

TEST(parse_simple_forms)
{
	struct fm_meta m;
	struct diag d;

	CHECK_INT(parse("---\r\ntitle: 2020\r\ntags: sortie, musée,, jardin , sortie\r\n"
	    "draft: yes\r\nvisibility: public\r\n---\r\nx", &m, &d), 0);
	CHECK_STR(m.title, "2020");
	CHECK_INT(m.ntags, 3);
	if (m.ntags == 3) {
		CHECK_STR(m.tags[0], "sortie");
		CHECK_STR(m.tags[1], "musée");
		CHECK_STR(m.tags[2], "jardin");
	}
	CHECK_INT(m.draft, 1);
	CHECK_INT(m.class_only, 0);
	CHECK_INT(m.has_date, 0);
	CHECK_INT(m.line[FM_DATE], 0);
	CHECK_STR(m.body, "x");
	fm_meta_release(&m);
	diag_release(&d);

	CHECK_INT(parse("---\ntags: jardin\ndraft: No\ntitle: 'Le jardin'\n---\n", &m, &d), 0);
	CHECK_INT(m.ntags, 1);
	CHECK_INT(m.draft, 0);
	CHECK_STR(m.title, "Le jardin");
	fm_meta_release(&m);
	diag_release(&d);

	/* no front matter at all: params is an empty map, body whole */
	CHECK_INT(parse("# Hello\n", &m, &d), 0);
	CHECK(m.params != NULL);
	CHECK_INT(val_len(m.params), 0);
	CHECK(m.title == NULL);
	CHECK_STR(m.body, "# Hello\n");
	fm_meta_release(&m);
	diag_release(&d);

	/* empty front matter and BOM */
	CHECK_INT(parse("\xef\xbb\xbf---\n---\nBody", &m, &d), 0);
	CHECK(m.params != NULL && val_len(m.params) == 0);
	CHECK_STR(m.body, "Body");
	CHECK_INT(m.body_line, 3);
	fm_meta_release(&m);
	diag_release(&d);
}

TEST(type_errors_positions)
{
	struct fm_meta m;
	struct diag d;
	const char *s =
	    "---\n"
	    "title: [a, b]\n"			/* 2:8 */
	    "tags: 3\n"				/* 3:7 */
	    "draft: peut-être\n"		/* 4:8 */
	    "visibility: everyone\n"		/* 5:13 */
	    "date: 2020-02-30\n"		/* 6:7 */
	    "author:\n"
	    "  name: x\n"			/* 8:3 */
	    "summary: true\n"			/* 9:10 */
	    "cover: ok.jpg\n"
	    "---\n";

	CHECK_INT(parse(s, &m, &d), -1);
	CHECK_INT(d.nerrors, 7);
	CHECK(has_diag(&d, 2, 8, "key \"title\" must be text"));
	CHECK(has_diag(&d, 2, 8, "got a list"));
	CHECK(has_diag(&d, 3, 7, "key \"tags\" must be a list of words, like "
	    "[sortie, musée]: got \"3\""));
	CHECK(has_diag(&d, 4, 8, "key \"draft\" must be true or false: got \"peut-être\""));
	CHECK(has_diag(&d, 5, 13, "key \"visibility\" must be public or class: got \"everyone\""));
	CHECK(has_diag(&d, 6, 7, "date \"2020-02-30\" does not exist"));
	CHECK(has_diag(&d, 8, 3, "key \"author\" must be text"));
	CHECK(has_diag(&d, 9, 10, "key \"summary\" must be text"));
	/* the good keys are still read; release is safe */
	CHECK_STR(m.cover, "ok.jpg");
	fm_meta_release(&m);
	diag_release(&d);
}

TEST(date_errors)
{
	struct fm_meta m;
	struct diag d;

	CHECK_INT(parse("---\ndate: 16/03/2020\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 2, 7, "date \"16/03/2020\" is not a date: write it "
	    "YYYY-MM-DD, e.g. 2020-03-16"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\n\ndate: \"2019-02-29\"\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 3, 7, "date \"2019-02-29\" does not exist"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\ndate: [2020-01-01]\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 2, 7, "key \"date\" must be a date"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\ndate: 2020-02-29T08:00:00+01:00\n---\n", &m, &d), 0);
	CHECK_INT(date_epoch(&m.date), 1582959600);
	fm_meta_release(&m);
	diag_release(&d);
}

TEST(tags_errors)
{
	struct fm_meta m;
	struct diag d;

	CHECK_INT(parse("---\ntags:\n  - a\n  - [b]\n  - {c: d}\n  - true\n---\n", &m, &d), -1);
	CHECK_INT(d.nerrors, 3);
	CHECK(has_diag(&d, 4, 5, "key \"tags\" must be a list of words"));
	CHECK(has_diag(&d, 5, 5, "got a map"));
	CHECK(has_diag(&d, 6, 5, "got \"true\""));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\ntags: {a: b}\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 2, 7, "key \"tags\""));
	fm_meta_release(&m);
	diag_release(&d);
	/* numbers inside a list and a quoted number are words */
	CHECK_INT(parse("---\ntags: [2020, CM1]\n---\n", &m, &d), 0);
	CHECK_INT(m.ntags, 2);
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\ntags: \"2020\"\n---\n", &m, &d), 0);
	CHECK_INT(m.ntags, 1);
	fm_meta_release(&m);
	diag_release(&d);
}

TEST(root_and_yaml_errors)
{
	struct fm_meta m;
	struct diag d;

	CHECK_INT(parse("---\n- a\n- b\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 2, 1, "front matter must be a list of `key: value` lines"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\nJust a sentence\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 2, 1, "front matter must be a list"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\ntitle: a\ntitle: b\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 3, 1, "on lines 2 and 3"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\ntitle: a\nx: [\n---\n", &m, &d), -1);
	CHECK_INT(d.nerrors, 1);
	CHECK(d.len == 1 && d.items[0].line >= 3);
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\na: &x 1\nb: *x\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 3, 4, "YAML aliases (*x) are not allowed"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("---\ntitle: a\nNo closing line\n", &m, &d), -1);
	CHECK(has_diag(&d, 1, 1, "never closed"));
	fm_meta_release(&m);
	diag_release(&d);
}

TEST(invalid_utf8)
{
	struct fm_meta m;
	struct diag d;

	/* Latin-1 é on line 3, after "ab" */
	CHECK_INT(parse("---\ntitle: x\n---\nab\xe9t\xe9\n", &m, &d), -1);
	CHECK_INT(d.nerrors, 1);
	CHECK(has_diag(&d, 4, 3, "invalid UTF-8 (byte 0xe9): save the file as UTF-8"));
	fm_meta_release(&m);
	diag_release(&d);
	/* inside the front matter, after a valid é */
	CHECK_INT(parse("---\ntitle: é\xc3\n---\n", &m, &d), -1);
	CHECK(has_diag(&d, 2, 9, "byte 0xc3"));
	fm_meta_release(&m);
	diag_release(&d);
	/* overlong and surrogate encodings */
	CHECK_INT(parse("a\n\xc0\xaf", &m, &d), -1);
	CHECK(has_diag(&d, 2, 1, "byte 0xc0"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(parse("\xed\xa0\x80", &m, &d), -1);
	CHECK(has_diag(&d, 1, 1, "byte 0xed"));
	fm_meta_release(&m);
	diag_release(&d);
}

TEST(limits_passed)
{
	struct yml_limits lim = { 2, 65536 };
	struct fm_meta m;
	struct diag d;
	const char *s = "---\na:\n  b:\n    c: 1\n---\n";

	diag_init(&d);
	CHECK_INT(fm_parse("posts/a.md", s, strlen(s), &lim, &m, &d), -1);
	CHECK(has_diag(&d, 4, 5, "more than 2 levels"));
	fm_meta_release(&m);
	diag_release(&d);
	CHECK_INT(fm_parse("posts/a.md", s, strlen(s), NULL, &m, &d), 0);
	CHECK_STR(val_str(val_get(val_get(val_get(m.params, "a"), "b"), "c")), "1");
	fm_meta_release(&m);
	diag_release(&d);
}

TEST(release_safe)
{
	struct fm_meta m;

	memset(&m, 0, sizeof m);
	fm_meta_release(&m);
	fm_meta_release(&m);
	fm_meta_release(NULL);
	m.title = strdup("x");
	fm_meta_release(&m);
	CHECK(m.title == NULL);
}

/* Every prefix of a post parses or fails cleanly, without leaks. */
TEST(truncations)
{
	static const char doc[] =
	    "\xef\xbb\xbf---\r\n"
	    "title: \"Au potager\"\r\n"
	    "date: 2020-03-16\r\n"
	    "tags: [sortie, musée]\r\n"
	    "draft: no\r\n"
	    "extra:\r\n"
	    "  - {a: [1, 2], b: c}\r\n"
	    "---\r\n"
	    "Body é\r\n";
	size_t i, ok = 0;

	for (i = 0; i <= sizeof doc - 1; i++) {
		struct fm_meta m;
		struct diag d;
		int rc;

		diag_init(&d);
		rc = fm_parse("p.md", doc, i, NULL, &m, &d);
		CHECK(rc == 0 ? d.nerrors == 0 : d.nerrors > 0);
		CHECK(m.params != NULL);
		ok += rc == 0;
		fm_meta_release(&m);
		diag_release(&d);
	}
	CHECK(ok > 10);
}

int
main(void)
{
	RUN(split_basic);
	RUN(split_variants);
	RUN(parse_full);
	RUN(parse_simple_forms);
	RUN(type_errors_positions);
	RUN(date_errors);
	RUN(tags_errors);
	RUN(root_and_yaml_errors);
	RUN(invalid_utf8);
	RUN(limits_passed);
	RUN(release_safe);
	RUN(truncations);
	return t_summary();
}
