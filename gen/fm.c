#include "fm.h"

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "util.h"
#include "val.h"
#include "yml.h"

/*
 * If the line at p is exactly `fence` (three characters), possibly
 * followed by spaces, tabs or a CR, returns where the next line starts
 * (end when it is the last line); otherwise NULL.
 */
static const char *
fence_line(const char *p, const char *end, const char *fence)
{
	if (end - p < 3 || memcmp(p, fence, 3) != 0)
		return NULL;
	for (p += 3; p < end && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return NULL;
	return p < end ? p + 1 : end;
}

int
fm_split(const char *text, size_t len, struct fm_split *out)
{
	const char *p = text, *end = text + len, *q, *next, *yaml;
	int line;

	memset(out, 0, sizeof *out);
	/* A BOM is an editor's artefact, never content. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	out->body = p;
	out->body_len = (size_t)(end - p);
	out->body_line = 1;
	yaml = q = fence_line(p, end, "---");
	if (q == NULL)
		return 0;
	out->yaml_line = 2;
	/* A lone `---` with nothing after it still opens front matter. */
	for (line = 2; q < end; line++) {
		if ((next = fence_line(q, end, "---")) != NULL ||
		    (next = fence_line(q, end, "...")) != NULL) {
			out->yaml = yaml;
			out->yaml_len = (size_t)(q - out->yaml);
			out->body = next;
			out->body_len = (size_t)(end - next);
			out->body_line = line + 1;
			return 1;
		}
		q = memchr(q, '\n', (size_t)(end - q));
		if (q == NULL)
			break;
		q++;
	}
	return -1;
}

static int
check_utf8(const char *path, const char *text, size_t len, struct diag *d)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t bad = utf8_check((const char *)p, len), i;
	int line = 1, col = 1;

	if (bad == len)
		return 0;
	for (i = 0; i < bad; i++) {
		if (p[i] == '\n') {
			line++;
			col = 1;
		} else if ((p[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	diag_error(d, path, line, col,
	    _("invalid UTF-8 (byte 0x%02x): save the file as UTF-8"), p[bad]);
	return -1;
}

/* How a value is shown after "got" in messages. */
static void
describe(const struct val *v, struct buf *b)
{
	buf_reset(b);
	switch (v->type) {
	case VAL_STR:
		buf_printf(b, "\"%s\"", v->u.s.p);
		break;
	case VAL_BOOL:
		buf_puts(b, v->u.b ? "\"true\"" : "\"false\"");
		break;
	case VAL_LIST:
		buf_puts(b, _("a list"));
		break;
	case VAL_MAP:
		buf_puts(b, _("a map of `key: value`"));
		break;
	default:
		buf_puts(b, _("nothing"));
		break;
	}
}

/* Moves the string out of a VAL_STR node. */
static char *
steal_str(struct val *v)
{
	char *s = v->u.s.p;

	v->u.s.p = NULL;
	v->type = VAL_NULL;
	return s;
}

static int
is_number(const char *s)
{
	int dig = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		dig++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			dig++;
	return dig > 0 && *s == '\0';
}

static void
add_tag(struct fm_meta *m, const char *s, size_t n)
{
	size_t i, cap;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	for (i = 0; i < m->ntags; i++)
		if (strlen(m->tags[i]) == n && memcmp(m->tags[i], s, n) == 0)
			return;
	/* ntags is the capacity too: tag lists are short. */
	cap = m->ntags;
	m->tags = xgrow(m->tags, &cap, m->ntags + 1, sizeof *m->tags);
	m->tags[m->ntags++] = xstrndup(s, n);
}

struct ctx {
	const char *path;
	struct diag *d;
	struct buf got;
	int nerr;
};

#define KEY_ERROR(c, v, ...) do { \
	diag_error((c)->d, (c)->path, (v)->line, (v)->col, __VA_ARGS__); \
	(c)->nerr++; \
} while (0)

static void
set_tags(struct ctx *c, struct fm_meta *m, struct val *v)
{
	const char *s, *comma;
	size_t i;

	if (v->type == VAL_NULL)
		return;
	if (v->type == VAL_STR && !(v->u.s.plain && is_number(v->u.s.p))) {
		for (s = v->u.s.p; (comma = strchr(s, ',')) != NULL; s = comma + 1)
			add_tag(m, s, (size_t)(comma - s));
		add_tag(m, s, strlen(s));
		return;
	}
	if (v->type != VAL_LIST) {
		describe(v, &c->got);
		KEY_ERROR(c, v, _("key \"tags\" must be a list of words, like "
		    "[sortie, musée]: got %s"), c->got.p);
		return;
	}
	for (i = 0; i < v->u.list.len; i++) {
		struct val *t = v->u.list.items[i];

		if (t->type == VAL_NULL)
			continue;
		if (t->type != VAL_STR) {
			describe(t, &c->got);
			KEY_ERROR(c, t, _("key \"tags\" must be a list of words, "
			    "like [sortie, musée]: got %s in the list"), c->got.p);
			continue;
		}
		add_tag(m, t->u.s.p, t->u.s.len);
	}
}

static void
set_date(struct ctx *c, struct fm_meta *m, struct val *v)
{
	if (v->type == VAL_NULL)
		return;
	if (v->type != VAL_STR) {
		describe(v, &c->got);
		KEY_ERROR(c, v, _("key \"date\" must be a date, like "
		    "`date: 2020-03-16`: got %s"), c->got.p);
		return;
	}
	switch (date_parse(v->u.s.p, &m->date)) {
	case DATE_OK:
		m->has_date = 1;
		break;
	case DATE_NO_SUCH_DAY:
		KEY_ERROR(c, v, _("date \"%s\" does not exist: check the day, "
		    "the month and the time, e.g. 2020-02-28 or "
		    "2020-03-16 10:30"), v->u.s.p);
		break;
	default:
		KEY_ERROR(c, v, _("date \"%s\" is not a date: write it "
		    "YYYY-MM-DD, e.g. 2020-03-16"), v->u.s.p);
		break;
	}
}

static void
set_draft(struct ctx *c, struct fm_meta *m, struct val *v)
{
	if (v->type == VAL_NULL)
		return;
	if (v->type == VAL_BOOL) {
		m->draft = v->u.b;
		return;
	}
	/* YAML 1.1 spelling that teachers use; libyaml leaves it a string. */
	if (v->type == VAL_STR && v->u.s.plain) {
		if (strcasecmp(v->u.s.p, "yes") == 0) {
			m->draft = 1;
			return;
		}
		if (strcasecmp(v->u.s.p, "no") == 0) {
			m->draft = 0;
			return;
		}
	}
	describe(v, &c->got);
	KEY_ERROR(c, v, _("key \"draft\" must be true or false: got %s"),
	    c->got.p);
}

static void
set_visibility(struct ctx *c, struct fm_meta *m, struct val *v)
{
	if (v->type == VAL_NULL)
		return;
	if (v->type == VAL_STR && strcmp(v->u.s.p, "public") == 0) {
		m->class_only = 0;
		return;
	}
	if (v->type == VAL_STR && strcmp(v->u.s.p, "class") == 0) {
		m->class_only = 1;
		return;
	}
	describe(v, &c->got);
	KEY_ERROR(c, v, _("key \"visibility\" must be public or class: got %s"),
	    c->got.p);
}

static void
set_text(struct ctx *c, const char *key, char **dst, struct val *v)
{
	if (v->type == VAL_NULL)
		return;
	if (v->type != VAL_STR) {
		describe(v, &c->got);
		KEY_ERROR(c, v, _("key \"%s\" must be text, like "
		    "`%s: \"Au jardin\"`: got %s"), key, key, c->got.p);
		return;
	}
	*dst = steal_str(v);
}

/* Handles a known key and returns 1, or returns 0 for an unknown one. */
static int
known_key(struct ctx *c, struct fm_meta *m, const char *key, struct val *v)
{
	static const char *const names[] = { "title", "date", "author", "tags",
	    "draft", "summary", "visibility", "cover" };
	size_t k;

	for (k = 0; k < ARRAY_LEN(names); k++)
		if (strcmp(key, names[k]) == 0)
			break;
	if (k < ARRAY_LEN(names))
		m->line[k] = v->line;
	switch (k) {
	case FM_TITLE:
		set_text(c, key, &m->title, v);
		return 1;
	case FM_DATE:
		set_date(c, m, v);
		return 1;
	case FM_AUTHOR:
		set_text(c, key, &m->author, v);
		return 1;
	case FM_TAGS:
		set_tags(c, m, v);
		return 1;
	case FM_DRAFT:
		set_draft(c, m, v);
		return 1;
	case FM_SUMMARY:
		set_text(c, key, &m->summary, v);
		return 1;
	case FM_VISIBILITY:
		set_visibility(c, m, v);
		return 1;
	case FM_COVER:
		set_text(c, key, &m->cover, v);
		return 1;
	default:
		break;
	}
	if (strcmp(key, "transcript") == 0) {
		set_text(c, key, &m->transcript, v);
		return 1;
	}
	return 0;
}

int
fm_parse(const char *path, const char *text, size_t len,
    const struct yml_limits *limits, struct fm_meta *out, struct diag *d)
{
	struct fm_split sp;
	struct val *root = NULL, *params;
	struct ctx c;
	size_t i;
	int rc;

	memset(out, 0, sizeof *out);
	out->params = val_new_map();
	out->body = text;
	out->body_len = len;
	out->body_line = 1;
	if (check_utf8(path, text, len, d) == -1)
		return -1;
	rc = fm_split(text, len, &sp);
	out->body = sp.body;
	out->body_len = sp.body_len;
	out->body_line = sp.body_line;
	if (rc == -1) {
		diag_error(d, path, 1, 1, _("front matter opened by `---` on "
		    "line 1 is never closed: add a line `---` after its last "
		    "`key: value` line"));
		return -1;
	}
	if (rc == 0)
		return 0;
	if (yml_parse(sp.yaml, sp.yaml_len, path, sp.yaml_line - 1, limits,
	    &root, d) == -1)
		return -1;
	if (root->type != VAL_MAP) {
		diag_error(d, path, root->line, root->col,
		    _("front matter must be a list of `key: value` lines, "
		    "like `title: Au jardin`"));
		val_free(root);
		return -1;
	}
	memset(&c, 0, sizeof c);
	c.path = path;
	c.d = d;
	buf_init(&c.got);
	params = out->params;
	params->line = root->line;
	params->col = root->col;
	for (i = 0; i < root->u.map.len; i++) {
		struct val_pair *pr = &root->u.map.items[i];

		if (known_key(&c, out, pr->key, pr->v)) {
			if (!pr->key_lit)
				free(pr->key);
			val_free(pr->v);
			continue;
		}
		/* Moved, not copied: params owns key and subtree from now on. */
		params->u.map.items = xgrow(params->u.map.items,
		    &params->u.map.cap, params->u.map.len + 1,
		    sizeof *params->u.map.items);
		params->u.map.items[params->u.map.len++] = *pr;
	}
	root->u.map.len = 0;
	val_free(root);
	buf_release(&c.got);
	return c.nerr ? -1 : 0;
}

void
fm_meta_release(struct fm_meta *m)
{
	size_t i;

	if (m == NULL)
		return;
	if (!m->borrowed) {
		free(m->title);
		free(m->author);
		free(m->summary);
		free(m->cover);
		free(m->transcript);
		for (i = 0; i < m->ntags; i++)
			free(m->tags[i]);
	}
	free(m->tags);
	val_free(m->params);
	memset(m, 0, sizeof *m);
}
