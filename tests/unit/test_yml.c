#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "t.h"
#include "val.h"
#include "yml.h"

/* Parses s with default limits; *d receives the diagnostics. */
static struct val *
parse(const char *s, int off, struct diag *d)
{
	struct val *v = NULL;
	int rc;

	diag_init(d);
	rc = yml_parse(s, strlen(s), "f.yml", off, NULL, &v, d);
	if (rc == 0 && v == NULL)
		return (struct val *)-1;
	if (rc == -1 && v != NULL)
		return (struct val *)-1;
	return v;
}

static const char *
first_msg(const struct diag *d)
{
	return d->len ? d->items[0].msg : "(none)";
}

TEST(scalars)
{
	struct diag d;
	struct val *v = parse("a: hello\nb: \"true\"\nc: TRUE\nd: false\n"
	    "e: ~\nf:\ng: null\nh: 2020\ni: 'x y'\nj: \"\"\n", 0, &d);
	const struct val *x;

	CHECK(v != NULL && v != (struct val *)-1);
	if (!v || v == (struct val *)-1)
		return;
	CHECK_INT(v->type, VAL_MAP);
	CHECK_INT(val_len(v), 10);
	x = val_get(v, "a");
	CHECK_STR(val_str(x), "hello");
	CHECK_INT(x->u.s.plain, 1);
	CHECK_INT(x->line, 1);
	CHECK_INT(x->col, 4);
	x = val_get(v, "b");
	CHECK_INT(x->type, VAL_STR);
	CHECK_STR(val_str(x), "true");
	CHECK_INT(x->u.s.plain, 0);
	CHECK_INT(val_get(v, "c")->type, VAL_BOOL);
	CHECK_INT(val_get(v, "c")->u.b, 1);
	CHECK_INT(val_get(v, "d")->type, VAL_BOOL);
	CHECK_INT(val_get(v, "d")->u.b, 0);
	CHECK_INT(val_get(v, "e")->type, VAL_NULL);
	CHECK_INT(val_get(v, "f")->type, VAL_NULL);
	CHECK_INT(val_get(v, "g")->type, VAL_NULL);
	CHECK_STR(val_str(val_get(v, "h")), "2020");
	CHECK_STR(val_str(val_get(v, "i")), "x y");
	CHECK_INT(val_get(v, "j")->type, VAL_STR);
	CHECK_INT(val_get(v, "j")->u.s.len, 0);
	/* insertion order kept */
	CHECK_STR(v->u.map.items[0].key, "a");
	CHECK_STR(v->u.map.items[9].key, "j");
	CHECK_INT(d.len, 0);
	val_free(v);
	diag_release(&d);
}

TEST(empty_is_map)
{
	const char *in[] = { "", "\n\n", "# only a comment\n", "~\n", "---\n" };
	size_t i;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		struct diag d;
		struct val *v = parse(in[i], 0, &d);

		CHECK(v != NULL && v != (struct val *)-1);
		if (v && v != (struct val *)-1) {
			CHECK_INT(v->type, VAL_MAP);
			CHECK_INT(val_len(v), 0);
		}
		val_free(v == (struct val *)-1 ? NULL : v);
		diag_release(&d);
	}
}

TEST(list_of_maps)
{
	struct diag d;
	struct val *v = parse("title: x\nlinks:\n  - name: a\n    url: b\n"
	    "  - name: c\n    url: [1, 2]\n", 0, &d);
	const struct val *l, *m;

	CHECK(v != NULL);
	if (!v)
		return;
	l = val_get(v, "links");
	CHECK_INT(l->type, VAL_LIST);
	CHECK_INT(val_len(l), 2);
	m = val_at(l, 1);
	CHECK_INT(m->type, VAL_MAP);
	CHECK_STR(val_str(val_get(m, "name")), "c");
	CHECK_INT(val_get(m, "name")->line, 5);
	CHECK_INT(val_get(m, "url")->type, VAL_LIST);
	CHECK_STR(val_str(val_at(val_get(m, "url"), 1)), "2");
	CHECK_INT(val_at(val_get(m, "url"), 1)->line, 6);
	CHECK_INT(val_at(val_get(m, "url"), 1)->col, 14);
	val_free(v);
	diag_release(&d);
}

TEST(root_any_type)
{
	struct diag d;
	struct val *v = parse("- a\n- b\n", 0, &d);

	CHECK(v != NULL);
	if (v) {
		CHECK_INT(v->type, VAL_LIST);
		CHECK_INT(val_len(v), 2);
	}
	val_free(v);
	diag_release(&d);
	v = parse("just text\n", 0, &d);
	CHECK(v != NULL);
	if (v)
		CHECK_STR(val_str(v), "just text");
	val_free(v);
	diag_release(&d);
}

TEST(line_offset)
{
	struct diag d;
	struct val *v = parse("a: 1\n\nb:\n  - x\n", 1, &d);

	CHECK(v != NULL);
	if (v) {
		CHECK_INT(val_get(v, "a")->line, 2);
		CHECK_INT(val_at(val_get(v, "b"), 0)->line, 5);
		CHECK_INT(val_at(val_get(v, "b"), 0)->col, 5);
	}
	val_free(v);
	diag_release(&d);
	v = parse("a: 1\nb: [\n", 10, &d);
	CHECK(v == NULL);
	CHECK_INT(d.nerrors, 1);
	CHECK(d.len && d.items[0].line >= 12);
	CHECK(strstr(first_msg(&d), "invalid YAML") != NULL);
	CHECK_STR(d.len ? d.items[0].path : NULL, "f.yml");
	diag_release(&d);
}

TEST(parse_error_position)
{
	struct diag d;
	struct val *v = parse("title: a\nx: b: c\n", 1, &d);

	CHECK(v == NULL);
	CHECK_INT(d.len, 1);
	if (d.len) {
		CHECK_INT(d.items[0].line, 3);
		CHECK_INT(d.items[0].col, 5);
		CHECK(strstr(d.items[0].msg, "mapping values are not allowed") != NULL);
	}
	diag_release(&d);
}

TEST(aliases_refused)
{
	struct diag d;
	struct val *v = parse("a: &x [1, 2]\nb: *x\n", 0, &d);

	CHECK(v == NULL);
	CHECK_INT(d.len, 1);
	CHECK(strstr(first_msg(&d), "YAML aliases (*x) are not allowed") != NULL);
	if (d.len) {
		CHECK_INT(d.items[0].line, 2);
		CHECK_INT(d.items[0].col, 4);
	}
	diag_release(&d);
	/* an anchor alone is fine */
	v = parse("a: &x [1, 2]\n", 0, &d);
	CHECK(v != NULL);
	if (v)
		CHECK_INT(val_len(val_get(v, "a")), 2);
	val_free(v);
	diag_release(&d);
	/* billion laughs */
	v = parse("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n", 0, &d);
	CHECK(v == NULL);
	diag_release(&d);
}

TEST(depth_limit)
{
	struct yml_limits lim = { 3, 65536 };
	struct val *v = NULL;
	struct diag d;
	struct buf b = BUF_INIT;
	int i;

	diag_init(&d);
	CHECK_INT(yml_parse("a:\n  b:\n    c: [x]\n", 19, "f", 0, &lim, &v, &d), -1);
	CHECK(v == NULL);
	CHECK(strstr(first_msg(&d), "more than 3 levels") != NULL);
	if (d.len)
		CHECK_INT(d.items[0].line, 3);
	diag_release(&d);
	CHECK_INT(yml_parse("a:\n  b:\n    c: x\n", 17, "f", 0, &lim, &v, &d), 0);
	val_free(v);
	diag_release(&d);
	/* deep flow nesting is refused fast (default limit 32) */
	for (i = 0; i < 30000; i++)
		buf_putc(&b, '[');
	CHECK_INT(yml_parse(b.p, b.len, "f", 0, NULL, &v, &d), -1);
	CHECK(strstr(first_msg(&d), "more than 32 levels") != NULL);
	diag_release(&d);
	buf_reset(&b);
	for (i = 0; i < 32; i++)
		buf_putc(&b, '[');
	for (i = 0; i < 32; i++)
		buf_putc(&b, ']');
	CHECK_INT(yml_parse(b.p, b.len, "f", 0, NULL, &v, &d), 0);
	val_free(v);
	diag_release(&d);
	buf_release(&b);
}

TEST(size_limit)
{
	struct yml_limits lim = { 32, 10 };
	struct val *v = NULL;
	struct diag d;

	diag_init(&d);
	CHECK_INT(yml_parse("title: abcdef\n", 14, "f", 4, &lim, &v, &d), -1);
	CHECK(strstr(first_msg(&d), "too long (14 bytes, at most 10)") != NULL);
	if (d.len)
		CHECK_INT(d.items[0].line, 5);
	diag_release(&d);
	CHECK_INT(yml_parse("a: b\n", 5, "f", 4, &lim, &v, &d), 0);
	val_free(v);
	diag_release(&d);
}

TEST(duplicate_keys)
{
	struct diag d;
	struct val *v = parse("title: a\ndate: x\ntitle: b\n", 1, &d);

	CHECK(v == NULL);
	CHECK_INT(d.len, 1);
	CHECK(strstr(first_msg(&d), "key \"title\" is written twice, on lines 2 and 4") != NULL);
	if (d.len) {
		CHECK_INT(d.items[0].line, 4);
		CHECK_INT(d.items[0].col, 1);
	}
	diag_release(&d);
	/* same key in two different maps is fine */
	v = parse("a: {x: 1}\nb: {x: 2}\n", 0, &d);
	CHECK(v != NULL);
	val_free(v);
	diag_release(&d);
	v = parse("a: {x: 1, x: 2}\n", 0, &d);
	CHECK(v == NULL);
	diag_release(&d);
}

TEST(complex_key_refused)
{
	struct diag d;
	struct val *v = parse("? [a, b]\n: c\n", 0, &d);

	CHECK(v == NULL);
	CHECK(strstr(first_msg(&d), "a key is a list or a map") != NULL);
	diag_release(&d);
	v = parse("{a: 1}: 2\n", 0, &d);
	CHECK(v == NULL);
	diag_release(&d);
}

TEST(tags_ignored)
{
	struct diag d;
	struct val *v = parse("a: !foo x\nb: !!str 3\nc: !bar [1]\n", 0, &d);

	CHECK(v != NULL);
	if (v) {
		CHECK_STR(val_str(val_get(v, "a")), "x");
		CHECK_STR(val_str(val_get(v, "b")), "3");
		CHECK_INT(val_get(v, "c")->type, VAL_LIST);
	}
	val_free(v);
	diag_release(&d);
}

TEST(multi_document)
{
	struct diag d;
	struct val *v = parse("a: 1\n---\nb: 2\n", 0, &d);

	CHECK(v == NULL);
	CHECK(strstr(first_msg(&d), "second YAML document") != NULL);
	if (d.len)
		CHECK_INT(d.items[0].line, 2);
	diag_release(&d);
	/* an explicit end marker alone is fine */
	v = parse("a: 1\n...\n", 0, &d);
	CHECK(v != NULL);
	val_free(v);
	diag_release(&d);
}

TEST(nul_and_bad_utf8)
{
	struct diag d;
	struct val *v = NULL;

	diag_init(&d);
	CHECK_INT(yml_parse("a: \"x\\0y\"\n", 10, "f", 0, NULL, &v, &d), -1);
	CHECK(strstr(first_msg(&d), "NUL") != NULL);
	diag_release(&d);
	CHECK_INT(yml_parse("a: b\nc: \xff\n", 9, "f", 0, NULL, &v, &d), -1);
	if (d.len)
		CHECK_INT(d.items[0].line, 2);
	diag_release(&d);
	CHECK_INT(yml_parse("a: b\0c", 6, "f", 0, NULL, &v, &d), -1);
	diag_release(&d);
}

/* Every prefix and every one-byte corruption of a rich document must
 * either parse or fail cleanly (ASan checks for leaks). */
TEST(truncations)
{
	static const char doc[] =
	    "title: \"Au potager\"\n"
	    "date: 2020-03-16\n"
	    "tags: [sortie, 'musée', \"jardin\"]\n"
	    "links:\n"
	    "  - name: a\n"
	    "    url: &u http://x\n"
	    "  - {name: b, url: c}\n"
	    "ref: *u\n"
	    "text: |\n"
	    "  deux lignes\n"
	    "  de texte\n"
	    "x: { a: [1, {b: c}], d: ~ }\n";
	size_t n = sizeof doc - 1, i, ok = 0, fail = 0;
	char *cp = malloc(n + 1);
	const char bad[] = "[]{}:,&*\n-'\"";

	for (i = 0; i <= n; i++) {
		struct val *v = NULL;
		struct diag d;
		int rc;

		diag_init(&d);
		rc = yml_parse(doc, i, "f", 0, NULL, &v, &d);
		CHECK(rc == 0 ? v != NULL && d.len == 0 : v == NULL && d.len == 1);
		rc == 0 ? ok++ : fail++;
		val_free(v);
		diag_release(&d);
	}
	CHECK(ok > 0 && fail > 0);
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < sizeof bad - 1; k++) {
			struct val *v = NULL;
			struct diag d;
			int rc;

			memcpy(cp, doc, n);
			cp[i] = bad[k];
			diag_init(&d);
			rc = yml_parse(cp, n, "f", 0, NULL, &v, &d);
			CHECK(rc == 0 ? v != NULL : v == NULL && d.len == 1);
			val_free(v);
			diag_release(&d);
		}
	}
	free(cp);
}

int
main(void)
{
	RUN(scalars);
	RUN(empty_is_map);
	RUN(list_of_maps);
	RUN(root_any_type);
	RUN(line_offset);
	RUN(parse_error_position);
	RUN(aliases_refused);
	RUN(depth_limit);
	RUN(size_limit);
	RUN(duplicate_keys);
	RUN(complex_key_refused);
	RUN(tags_ignored);
	RUN(multi_document);
	RUN(nul_and_bad_utf8);
	RUN(truncations);
	return t_summary();
}
