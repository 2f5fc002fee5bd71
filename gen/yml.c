#include "yml.h"

#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "diag.h"
#include "util.h"
#include "val.h"

/*
 * One open container. For a map, `key` holds the key scalar read but not
 * yet paired with its value; klines/kcols remember where each key was
 * written so a duplicate can name both lines.
 */
struct frame {
	struct val *v;
	char *key;
	int key_line, key_col;
	int *klines;
	size_t kcap;
};

struct ystate {
	const char *path;
	int line_offset;
	int max_depth;
	struct diag *d;
	struct val *root;
	struct frame *st;
	size_t depth, cap;
};

static int
mark_line(const struct ystate *s, const yaml_mark_t *m)
{
	return (int)m->line + 1 + s->line_offset;
}

static int
mark_col(const yaml_mark_t *m)
{
	return (int)m->column + 1;
}

static void
frame_release(struct frame *f)
{
	free(f->key);
	free(f->klines);
	memset(f, 0, sizeof *f);
}

/*
 * Hangs v (just started or just finished) under the innermost container,
 * or makes it the root. Takes ownership of v in every case, freeing it on
 * error. A scalar in key position of a map becomes the pending key.
 */
static int
attach(struct ystate *s, struct val *v, int is_scalar, int line, int col)
{
	struct frame *f;
	struct val *m;
	size_t i;

	if (s->depth == 0) {
		s->root = v;
		return 0;
	}
	f = &s->st[s->depth - 1];
	if (f->v->type == VAL_LIST) {
		val_list_push(f->v, v);
		return 0;
	}
	m = f->v;
	if (f->key == NULL) {
		if (!is_scalar) {
			diag_error(s->d, s->path, line, col,
			    _("a key is a list or a map: write keys as plain words, "
			    "like `title:`"));
			val_free(v);
			return -1;
		}
		for (i = 0; i < m->u.map.len; i++) {
			if (strcmp(m->u.map.items[i].key, v->u.s.p) == 0) {
				diag_error(s->d, s->path, line, col,
				    _("key \"%s\" is written twice, on lines %d and %d: "
				    "keep only one"), v->u.s.p, f->klines[i], line);
				val_free(v);
				return -1;
			}
		}
		/* Take the string out of the scalar node as the key. */
		f->key = v->u.s.p;
		v->u.s.p = NULL;
		v->type = VAL_NULL;
		val_free(v);
		f->key_line = line;
		f->key_col = col;
		return 0;
	}
	m->u.map.items = xgrow(m->u.map.items, &m->u.map.cap,
	    m->u.map.len + 1, sizeof *m->u.map.items);
	f->klines = xgrow(f->klines, &f->kcap, m->u.map.len + 1,
	    sizeof *f->klines);
	f->klines[m->u.map.len] = f->key_line;
	m->u.map.items[m->u.map.len].key = f->key;
	m->u.map.items[m->u.map.len].key_lit = 0;
	m->u.map.items[m->u.map.len].v = v;
	m->u.map.len++;
	f->key = NULL;
	return 0;
}

static struct val *
scalar_val(const yaml_event_t *ev)
{
	const char *p = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	struct val *v;

	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if ((n == 4 && strncasecmp(p, "true", 4) == 0) ||
		    (n == 5 && strncasecmp(p, "false", 5) == 0))
			return val_new_bool(n == 4);
		if (n == 0 || (n == 1 && p[0] == '~') ||
		    (n == 4 && (memcmp(p, "null", 4) == 0 ||
		    memcmp(p, "Null", 4) == 0 || memcmp(p, "NULL", 4) == 0)))
			return val_new_null();
	}
	v = val_new_str(p, n);
	v->u.s.plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	return v;
}

static int
on_scalar(struct ystate *s, const yaml_event_t *ev)
{
	int line = mark_line(s, &ev->start_mark), col = mark_col(&ev->start_mark);
	const char *p = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	int is_key;
	struct val *v;

	if (memchr(p, '\0', n) != NULL) {
		diag_error(s->d, s->path, line, col,
		    _("text \"%s\" holds a NUL character (\\0): remove it"), p);
		return -1;
	}
	is_key = s->depth > 0 && s->st[s->depth - 1].v->type == VAL_MAP &&
	    s->st[s->depth - 1].key == NULL;
	if (is_key) {
		/* Keys are always text: `true:` or `~:` keep their spelling. */
		v = val_new_str(p, n);
		v->u.s.plain = 1;
	} else {
		v = scalar_val(ev);
	}
	v->line = line;
	v->col = col;
	return attach(s, v, 1, line, col);
}

static int
on_start(struct ystate *s, const yaml_event_t *ev, int is_map)
{
	int line = mark_line(s, &ev->start_mark), col = mark_col(&ev->start_mark);
	struct val *v;

	if (s->depth >= (size_t)s->max_depth) {
		diag_error(s->d, s->path, line, col,
		    _("lists and maps are nested more than %d levels deep: "
		    "flatten the structure"), s->max_depth);
		return -1;
	}
	v = is_map ? val_new_map() : val_new_list();
	v->line = line;
	v->col = col;
	/* Attach first, so that on error everything hangs from the root. */
	if (attach(s, v, 0, line, col) == -1)
		return -1;
	s->st = xgrow(s->st, &s->cap, s->depth + 1, sizeof *s->st);
	memset(&s->st[s->depth], 0, sizeof s->st[s->depth]);
	s->st[s->depth++].v = v;
	return 0;
}

/* libyaml's reader errors carry a byte offset, not a line. */
static void
offset_pos(const char *text, size_t len, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static void
report_parser(struct ystate *s, yaml_parser_t *p, const char *text, size_t len)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	int line, col;

	if (p->error == YAML_MEMORY_ERROR)
		die_oom();
	if (p->error == YAML_READER_ERROR) {
		offset_pos(text, len, p->problem_offset, &line, &col);
		line += s->line_offset;
	} else {
		line = mark_line(s, &p->problem_mark);
		col = mark_col(&p->problem_mark);
	}
	if (p->context)
		diag_error(s->d, s->path, line, col,
		    _("invalid YAML: %s (%s): check the indentation, and put "
		    "quotes around values that hold `: ` or ` #`"),
		    problem, p->context);
	else
		diag_error(s->d, s->path, line, col,
		    _("invalid YAML: %s: check the indentation, and put quotes "
		    "around values that hold `: ` or ` #`"), problem);
}

int
yml_parse(const char *text, size_t len, const char *path, int line_offset,
    const struct yml_limits *limits, struct val **out, struct diag *d)
{
	static const struct yml_limits defaults = YML_LIMITS_DEFAULT;
	struct ystate s;
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0, rc = -1, ndocs = 0;
	size_t i;

	*out = NULL;
	if (limits == NULL)
		limits = &defaults;
	memset(&s, 0, sizeof s);
	s.path = path;
	s.line_offset = line_offset;
	s.max_depth = limits->max_depth > 0 ? limits->max_depth : defaults.max_depth;
	s.d = d;
	if (len > limits->max_bytes) {
		diag_error(d, path, 1 + line_offset, 1,
		    _("YAML text is too long (%zu bytes, at most %zu): "
		    "shorten it"), len, limits->max_bytes);
		return -1;
	}
	if (!yaml_parser_initialize(&p))
		die_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done) {
		int err = 0;

		if (!yaml_parser_parse(&p, &ev)) {
			report_parser(&s, &p, text, len);
			goto out;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1) {
				diag_error(d, path, mark_line(&s, &ev.start_mark),
				    mark_col(&ev.start_mark),
				    _("a second YAML document starts here: remove "
				    "this `---` line and what follows it"));
				err = 1;
			}
			break;
		case YAML_ALIAS_EVENT:
			diag_error(d, path, mark_line(&s, &ev.start_mark),
			    mark_col(&ev.start_mark),
			    _("YAML aliases (*%s) are not allowed: write the "
			    "value out again"), (const char *)ev.data.alias.anchor);
			err = 1;
			break;
		case YAML_SCALAR_EVENT:
			err = on_scalar(&s, &ev) == -1;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			err = on_start(&s, &ev,
			    ev.type == YAML_MAPPING_START_EVENT) == -1;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			frame_release(&s.st[--s.depth]);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (err)
			goto out;
	}
	/* An empty document (or `~`) means "nothing set": an empty map. */
	if (s.root == NULL || s.root->type == VAL_NULL) {
		int line = s.root ? s.root->line : 1 + line_offset;
		int col = s.root ? s.root->col : 1;

		val_free(s.root);
		s.root = val_new_map();
		s.root->line = line;
		s.root->col = col;
	}
	*out = s.root;
	s.root = NULL;
	rc = 0;
out:
	for (i = 0; i < s.depth; i++)
		frame_release(&s.st[i]);
	free(s.st);
	val_free(s.root);
	yaml_parser_delete(&p);
	return rc;
}
