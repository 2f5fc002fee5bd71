/*
 * test_tpl: hand-written cases for the Mustache engine, then the official
 * spec suite read from ../shared/mustache-spec (or $ARDOISE_SHARED).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "t.h"
#include "tpl.h"
#include "util.h"
#include "val.h"
#include "yml.h"

/* Renders src (added as "t") with data; returns a malloc'd string or NULL. */
static char *
render_src(const char *src, const struct val *data)
{
	struct tpl_set *s = tpl_set_new();
	struct buf out = BUF_INIT;
	struct diag d;
	char *r = NULL;

	diag_init(&d);
	if (tpl_set_add(s, "t", "t.mustache", src, strlen(src), &d) == 0 &&
	    tpl_render(s, "t", data, &out, &d) == 0)
		r = buf_detach(&out, NULL);
	buf_release(&out);
	diag_release(&d);
	tpl_set_free(s);
	return r;
}

TEST(basic)
{
	struct val *m = val_new_map();
	char *r;

	val_map_str(m, "who", "<Élise & \"Léo\">");
	val_map_bool(m, "yes", 1);
	val_map_set(m, "nil", val_new_null());
	r = render_src("{{who}}|{{{who}}}|{{&who}}|{{yes}}|{{nil}}|{{missing}}", m);
	CHECK_STR(r, "&lt;Élise &amp; &quot;Léo&quot;&gt;|<Élise & \"Léo\">|"
	    "<Élise & \"Léo\">|true||");
	free(r);
	r = render_src("{{#yes}}a{{/yes}}{{^yes}}b{{/yes}}{{^nil}}c{{/nil}}", m);
	CHECK_STR(r, "ac");
	free(r);
	val_free(m);
}

TEST(refs)
{
	struct val *post = val_new_map(), *m = val_new_map(), *l = val_new_list();

	val_map_str(post, "title", "Sortie au musée");
	val_list_push(l, val_new_ref(post));
	val_list_push(l, val_new_ref(post));
	val_map_set(m, "posts", l);
	val_map_ref(m, "first", post);
	char *r = render_src("{{#posts}}[{{title}}]{{/posts}}{{first.title}}"
	    "{{#first}}/{{title}}{{/first}}", m);
	CHECK_STR(r, "[Sortie au musée][Sortie au musée]Sortie au musée"
	    "/Sortie au musée");
	free(r);
	val_free(m);
	val_free(post);
}

TEST(depth_limit)
{
	struct tpl_set *s = tpl_set_new();
	struct buf out = BUF_INIT;
	struct diag d;

	diag_init(&d);
	CHECK_INT(tpl_set_add(s, "loop", "loop.mustache", "x{{>loop}}", 10, &d), 0);
	CHECK_INT(tpl_set_add(s, "top", "top.mustache", "{{<loop}}{{/loop}}",
	    18, &d), 0);
	CHECK_INT(tpl_render(s, "loop", NULL, &out, &d), -1);
	CHECK_INT(d.nerrors, 1);
	CHECK_INT(out.len, 0);
	if (d.len == 1) {
		CHECK_STR(d.items[0].path, "loop.mustache");
		CHECK_INT(d.items[0].line, 1);
		CHECK_INT(d.items[0].col, 2);
		CHECK(strstr(d.items[0].msg, "\"loop\"") != NULL);
		CHECK(strstr(d.items[0].msg, "deeper than 64") != NULL);
	}
	CHECK_INT(tpl_render(s, "top", NULL, &out, &d), -1);
	CHECK_INT(d.nerrors, 2);
	/* a block overriding itself must not recurse forever either */
	CHECK_INT(tpl_set_add(s, "b", "b", "{{$a}}{{/a}}", 12, &d), 0);
	CHECK_INT(tpl_set_add(s, "c", "c", "{{<b}}{{$a}}{{$a}}{{/a}}{{/a}}{{/b}}",
	    36, &d), 0);
	CHECK_INT(tpl_render(s, "c", NULL, &out, &d), -1);
	CHECK_INT(d.nerrors, 3);
	CHECK_INT(tpl_render(s, "nothere", NULL, &out, &d), -1);
	CHECK_INT(d.nerrors, 4);
	buf_release(&out);
	diag_release(&d);
	tpl_set_free(s);
}

static void
check_error(const char *src, int line, int col, const char *part)
{
	struct tpl_set *s = tpl_set_new();
	struct diag d;

	diag_init(&d);
	CHECK_INT(tpl_set_add(s, "e", "theme/e.mustache", src, strlen(src), &d), -1);
	CHECK_INT(d.nerrors, 1);
	CHECK(!tpl_set_has(s, "e"));
	if (d.len == 1) {
		CHECK_STR(d.items[0].path, "theme/e.mustache");
		CHECK_INT(d.items[0].line, line);
		CHECK_INT(d.items[0].col, col);
		if (!strstr(d.items[0].msg, part)) {
			fprintf(stderr, "  message \"%s\" lacks \"%s\"\n",
			    d.items[0].msg, part);
			CHECK(0);
		}
	}
	diag_release(&d);
	tpl_set_free(s);
}

TEST(syntax_errors)
{
	check_error("a\nb {{#x}}\n{{/y}}", 3, 1, "\"{{/y}}\" closes \"{{#x}}\"");
	check_error("é\n  {{#x}}\nabc", 2, 3, "unclosed section \"{{#x}}\"");
	check_error("ab\ncd {{name", 2, 4, "unclosed tag \"{{name\"");
	check_error("\t{{{x}}", 1, 2, "unclosed tag");
	check_error("é {{=<% =}}", 1, 3, "bad delimiter change");
	check_error("{{= a b c =}}", 1, 1, "bad delimiter change");
	check_error("x{{/x}}", 1, 2, "closes no section");
	check_error("x{{ }}", 1, 2, "empty tag");
	{
		struct buf b = BUF_INIT;
		int i;

		for (i = 0; i < 101; i++)
			buf_puts(&b, "{{#a}}");
		check_error(b.p, 1, 601, "nested too deeply");
		buf_release(&b);
	}
}

TEST(twice_and_replace)
{
	struct tpl_set *s = tpl_set_new();
	struct val *m = val_new_map(), *l = val_new_list();
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct diag d;
	const char *p = "<li>{{.}}</li>\n", *t = "<ul>\n  {{#l}}\n  {{>item}}\n"
	    "  {{/l}}\n</ul>\n";

	diag_init(&d);
	val_list_push(l, val_new_cstr("un"));
	val_list_push(l, val_new_cstr("deux"));
	val_map_set(m, "l", l);
	CHECK_INT(tpl_set_add(s, "item", "item", "old", 3, &d), 0);
	CHECK_INT(tpl_set_add(s, "item", "item", p, strlen(p), &d), 0);
	CHECK_INT(tpl_set_add(s, "page", "page", t, strlen(t), &d), 0);
	CHECK(tpl_set_has(s, "item") && tpl_set_has(s, "page"));
	CHECK(!tpl_set_has(s, "ite"));
	CHECK_INT(tpl_render(s, "page", m, &a, &d), 0);
	CHECK_INT(tpl_render(s, "page", m, &b, &d), 0);
	CHECK_STR(a.p, "<ul>\n  <li>un</li>\n  <li>deux</li>\n</ul>\n");
	CHECK_STR(b.p, a.p);
	CHECK_INT(d.len, 0);
	buf_release(&a);
	buf_release(&b);
	diag_release(&d);
	val_free(m);
	tpl_set_free(s);
}

TEST(many_templates)
{
	struct tpl_set *s = tpl_set_new();
	struct buf out = BUF_INIT;
	struct diag d;
	char name[32], src[64];
	int i, ok = 1;

	diag_init(&d);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "p%d", i);
		snprintf(src, sizeof src, "%d{{>p%d}}", i, i + 1);
		ok &= tpl_set_add(s, name, name, src, strlen(src), &d) == 0;
	}
	CHECK(ok);
	CHECK_INT(tpl_render(s, "p250", NULL, &out, &d), 0);
	CHECK_STR(out.p, "250251252253254255256257258259260261262263264265266"
	    "267268269270271272273274275276277278279280281282283284285286287288"
	    "289290291292293294295296297298299");
	buf_release(&out);
	diag_release(&d);
	tpl_set_free(s);
}

/* A layout as themes write them: a page overriding blocks of a base. */
static const char *lay_base = "<html>\n<head><title>{{$title}}Ardoise{{/title}}"
    "</title></head>\n<body>\n  {{>nav}}\n  <main>\n    {{$main}}{{/main}}\n"
    "  </main>\n</body>\n</html>\n";
static const char *lay_nav = "<nav>\n  <ul>\n  {{#menu}}\n    <li>{{.}}</li>\n"
    "  {{/menu}}\n  </ul>\n</nav>\n";
static const char *lay_page = "{{<base}}\n{{$title}}{{title}} — {{site.name}}"
    "{{/title}}\n{{$main}}\n<article>\n  <h1>{{title}}</h1>\n  {{{content}}}\n"
    "</article>{{/main}}\n{{/base}}\n";
static const char *lay_want = "<html>\n<head><title>L&#39;étang — CE2</title>"
    "</head>\n<body>\n  <nav>\n    <ul>\n      <li>Accueil</li>\n"
    "      <li>Archives</li>\n    </ul>\n  </nav>\n  <main>\n    <article>\n"
    "      <h1>L&#39;étang</h1>\n      <p>a\nb</p>\n    </article>\n  </main>\n"
    "</body>\n</html>\n";

static struct tpl_set *
lay_set(struct val **data)
{
	struct tpl_set *s = tpl_set_new();
	struct val *m = val_new_map(), *site = val_new_map(), *l = val_new_list();
	struct diag d;
	int rc = 0;

	diag_init(&d);
	rc |= tpl_set_add(s, "base", "base.mustache", lay_base, strlen(lay_base), &d);
	rc |= tpl_set_add(s, "nav", "nav.mustache", lay_nav, strlen(lay_nav), &d);
	rc |= tpl_set_add(s, "page", "page.mustache", lay_page, strlen(lay_page), &d);
	CHECK_INT(rc, 0);
	diag_release(&d);
	val_map_str(site, "name", "CE2");
	val_map_set(m, "site", site);
	val_list_push(l, val_new_cstr("Accueil"));
	val_list_push(l, val_new_cstr("Archives"));
	val_map_set(m, "menu", l);
	val_map_str(m, "title", "L'étang");
	/* raw content: its own newlines are not indented (the spec) */
	val_map_str(m, "content", "<p>a\nb</p>");
	*data = m;
	return s;
}

TEST(layout)
{
	struct val *m;
	struct tpl_set *s = lay_set(&m);
	struct buf out = BUF_INIT;
	struct diag d;

	diag_init(&d);
	CHECK_INT(tpl_render(s, "page", m, &out, &d), 0);
	CHECK_STR(out.p, lay_want);
	buf_release(&out);
	diag_release(&d);
	val_free(m);
	tpl_set_free(s);
}

/* Block content whose first surviving line sits inside a section. */
TEST(block_indent)
{
	struct val *m = val_new_map(), *l = val_new_list();
	const char *page = "{{<base}}{{$m}}\n{{#l}}\n<p>{{.}}</p>\n{{/l}}\n"
	    "{{/m}}{{/base}}";
	const char *own = "<div>\n  {{$m}}\n  {{/m}}\n</div>\n";
	const char *inl = "<div>\n  {{$m}}{{/m}}\n</div>\n";
	struct tpl_set *s = tpl_set_new();
	struct buf out = BUF_INIT;
	struct diag d;

	diag_init(&d);
	val_list_push(l, val_new_cstr("un"));
	val_list_push(l, val_new_cstr("deux"));
	val_map_set(m, "l", l);
	CHECK_INT(tpl_set_add(s, "page", "page", page, strlen(page), &d), 0);
	CHECK_INT(tpl_set_add(s, "base", "base", own, strlen(own), &d), 0);
	CHECK_INT(tpl_render(s, "page", m, &out, &d), 0);
	CHECK_STR(out.p, "<div>\n  <p>un</p>\n  <p>deux</p>\n</div>\n");
	buf_reset(&out);
	CHECK_INT(tpl_set_add(s, "base", "base", inl, strlen(inl), &d), 0);
	CHECK_INT(tpl_render(s, "page", m, &out, &d), 0);
	CHECK_STR(out.p, "<div>\n  <p>un</p>\n  <p>deux</p>\n\n</div>\n");
	buf_release(&out);
	diag_release(&d);
	val_free(m);
	tpl_set_free(s);
}

struct job {
	const struct tpl_set *s;
	const struct val *m;
	int bad;
};

static void *
job_run(void *arg)
{
	struct job *j = arg;
	struct buf out = BUF_INIT;
	struct diag d;
	int i;

	diag_init(&d);
	for (i = 0; i < 300; i++) {
		buf_reset(&out);
		if (tpl_render(j->s, "page", j->m, &out, &d) != 0 ||
		    strcmp(out.p, lay_want) != 0)
			j->bad++;
	}
	buf_release(&out);
	diag_release(&d);
	return NULL;
}

TEST(threads)
{
	struct val *m;
	struct tpl_set *s = lay_set(&m);
	struct job jobs[4];
	pthread_t th[4];
	int i, started = 0;

	for (i = 0; i < 4; i++) {
		jobs[i] = (struct job){ s, m, 0 };
		if (pthread_create(&th[i], NULL, job_run, &jobs[i]) == 0)
			started++;
		else
			break;
	}
	CHECK_INT(started, 4);
	for (i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(jobs[i].bad, 0);
	}
	val_free(m);
	tpl_set_free(s);
}

/* ---- the official spec suite ---- */

/* Plain scalars that are numbers are printed as the spec expects. */
static void
canon_numbers(struct val *v)
{
	size_t i;
	char *end, tmp[64];
	double x;

	if (!v)
		return;
	switch (v->type) {
	case VAL_STR:
		if (!v->u.s.plain || v->u.s.len == 0)
			break;
		x = strtod(v->u.s.p, &end);
		if (*end != '\0')
			break;
		snprintf(tmp, sizeof tmp, "%.15g", x);
		free(v->u.s.p);
		v->u.s.p = xstrdup(tmp);
		v->u.s.len = strlen(tmp);
		break;
	case VAL_LIST:
		for (i = 0; i < v->u.list.len; i++)
			canon_numbers(v->u.list.items[i]);
		break;
	case VAL_MAP:
		for (i = 0; i < v->u.map.len; i++)
			canon_numbers(v->u.map.items[i].v);
		break;
	default:
		break;
	}
}

static const char *
spec_dir(char *tmp, size_t n)
{
	const char *sh = getenv("ARDOISE_SHARED");

	snprintf(tmp, n, "%s/mustache-spec", sh && *sh ? sh : "../shared");
	return tmp;
}

/* Runs one spec test; returns 1 when it passes. */
static int
spec_case(const char *file, const struct val *tc)
{
	const char *name = val_str(val_get(tc, "name"));
	const char *tmpl = val_str(val_get(tc, "template"));
	const char *want = val_str(val_get(tc, "expected"));
	const struct val *parts = val_get(tc, "partials");
	struct tpl_set *s;
	struct buf out = BUF_INIT;
	struct diag d;
	size_t i;
	int ok = 1;

	if (!name || !tmpl || !want) {
		fprintf(stderr, "  %s: malformed test \"%s\"\n", file,
		    name ? name : "?");
		return 0;
	}
	s = tpl_set_new();
	diag_init(&d);
	for (i = 0; parts && i < val_len(parts); i++) {
		const struct val_pair *pp = &parts->u.map.items[i];
		const char *ps = val_str(pp->v);

		ok &= ps && tpl_set_add(s, pp->key, pp->key, ps, strlen(ps), &d) == 0;
	}
	/* a name no partial can have */
	ok &= tpl_set_add(s, " template", "template", tmpl, strlen(tmpl), &d) == 0;
	ok = ok && tpl_render(s, " template", val_get(tc, "data"), &out, &d) == 0;
	if (!ok || strcmp(out.p, want) != 0) {
		fprintf(stderr, "  %s: \"%s\" failed\n    template: \"%s\"\n"
		    "    expected: \"%s\"\n    got:      \"%s\"\n", file, name,
		    tmpl, want, out.p);
		diag_print(&d, stderr);
		ok = 0;
	}
	buf_release(&out);
	diag_release(&d);
	tpl_set_free(s);
	return ok;
}

static void
spec_file(const char *file)
{
	struct yml_limits lim = { 64, 1 << 20 };
	struct buf src = BUF_INIT, path = BUF_INIT;
	struct val *doc = NULL;
	const struct val *tests;
	struct diag d;
	char dir[4096];
	size_t i, npass = 0, nskip = 0;

	diag_init(&d);
	buf_printf(&path, "%s/%s", spec_dir(dir, sizeof dir), file);
	if (file_read(path.p, &src) == -1) {
		fprintf(stderr, "  cannot read \"%s\" (set ARDOISE_SHARED)\n", path.p);
		CHECK(0);
		goto out;
	}
	if (yml_parse(src.p, src.len, path.p, 0, &lim, &doc, &d) == -1) {
		diag_print(&d, stderr);
		CHECK(0);
		goto out;
	}
	canon_numbers(doc);
	tests = val_get(doc, "tests");
	CHECK(val_len(tests) > 0);
	for (i = 0; i < val_len(tests); i++) {
		const struct val *tc = val_at(tests, i);
		const struct val *data = val_get(tc, "data");

		if (val_get(data, "lambda")) {
			nskip++;
			continue;
		}
		if (spec_case(file, tc))
			npass++;
		else
			CHECK(0);
	}
	printf("# %s: %zu of %zu passed, %zu skipped (lambdas)\n", file, npass,
	    val_len(tests) - nskip, nskip);
out:
	val_free(doc);
	buf_release(&src);
	buf_release(&path);
	diag_release(&d);
}

TEST(spec_comments) { spec_file("comments.yml"); }
TEST(spec_delimiters) { spec_file("delimiters.yml"); }
TEST(spec_interpolation) { spec_file("interpolation.yml"); }
TEST(spec_inverted) { spec_file("inverted.yml"); }
TEST(spec_partials) { spec_file("partials.yml"); }
TEST(spec_sections) { spec_file("sections.yml"); }
TEST(spec_inheritance) { spec_file("~inheritance.yml"); }

int
main(void)
{
	RUN(basic);
	RUN(refs);
	RUN(depth_limit);
	RUN(syntax_errors);
	RUN(twice_and_replace);
	RUN(many_templates);
	RUN(layout);
	RUN(block_indent);
	RUN(threads);
	RUN(spec_comments);
	RUN(spec_delimiters);
	RUN(spec_interpolation);
	RUN(spec_inverted);
	RUN(spec_partials);
	RUN(spec_sections);
	RUN(spec_inheritance);
	return t_summary();
}
