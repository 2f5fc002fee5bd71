/*
 * tpl: the template set (a hash table of parsed templates) and the
 * renderer. Rendering walks the node arrays made by tpl_parse.c; the
 * context stack, the chain of parent frames (for block overrides) and
 * the indentation chain are linked lists on the C stack, so a render
 * allocates nothing but output, and never writes to the set.
 */
#include "tpl.h"

#include <string.h>

#include "buf.h"
#include "diag.h"
#include "tpl_int.h"
#include "util.h"
#include "val.h"

#define MAX_DEPTH 64

struct tpl_set {
	struct tpl **slot;	/* open addressing; cap is a power of two */
	size_t cap, len;
	int max_depth;		/* partials and parents nested deeper are refused */
};

/* The context stack: innermost first. */
struct ctx {
	const struct val *v;
	const struct ctx *up;
};

/* Parents being rendered, innermost first: their blocks override. */
struct frame {
	const struct tpl *t;
	size_t node;
	const struct frame *up;
};

/* Indentation in effect, innermost piece first. */
struct ind {
	const char *p;
	size_t n;
	const struct ind *up;
};

/* One render's state (the set itself is never written). */
struct rstate {
	const struct tpl_set *set;
	struct buf *out;
	struct diag *d;
	/*
	 * Set when a block whose content starts on a line of its own is
	 * expanded in the middle of a line: that first line joins the line
	 * of the tag, so its indentation is skipped.
	 */
	int skip_indent;
};

static size_t
hash(const char *s, size_t n)
{
	size_t h = 2166136261u, i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t
slot_of(const struct tpl_set *s, const char *name, size_t n)
{
	size_t i = hash(name, n) & (s->cap - 1);
	const struct tpl *t;

	while ((t = s->slot[i]) != NULL) {
		if (strlen(t->name) == n && memcmp(t->name, name, n) == 0)
			break;
		i = (i + 1) & (s->cap - 1);
	}
	return i;
}

static const struct tpl *
find(const struct tpl_set *s, const char *name, size_t n)
{
	if (s->len == 0)
		return NULL;
	return s->slot[slot_of(s, name, n)];
}

static void
tpl_free(struct tpl *t)
{
	if (t) {
		tpl_release(t);
		free(t);
	}
}

struct tpl_set *
tpl_set_new(void)
{
	struct tpl_set *s = xcalloc(1, sizeof *s);

	s->cap = 16;
	s->slot = xcalloc(s->cap, sizeof *s->slot);
	s->max_depth = MAX_DEPTH;
	return s;
}

void
tpl_set_max_depth(struct tpl_set *s, int depth)
{
	s->max_depth = depth > 0 ? depth : MAX_DEPTH;
}

void
tpl_set_free(struct tpl_set *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->cap; i++)
		tpl_free(s->slot[i]);
	free(s->slot);
	free(s);
}

static void
set_grow(struct tpl_set *s)
{
	struct tpl **old = s->slot;
	size_t i, oldcap = s->cap;

	s->cap *= 2;
	s->slot = xcalloc(s->cap, sizeof *s->slot);
	for (i = 0; i < oldcap; i++)
		if (old[i])
			s->slot[slot_of(s, old[i]->name, strlen(old[i]->name))] =
			    old[i];
	free(old);
}

int
tpl_set_add(struct tpl_set *s, const char *name, const char *path,
    const char *src, size_t len, struct diag *d)
{
	struct tpl *t = xcalloc(1, sizeof *t);
	size_t i;

	t->name = xstrdup(name);
	t->path = xstrdup(path ? path : name);
	if (tpl_parse(t, src, len, d) == -1) {
		tpl_free(t);
		return -1;
	}
	if ((s->len + 1) * 4 > s->cap * 3)
		set_grow(s);
	i = slot_of(s, name, strlen(name));
	if (s->slot[i])
		tpl_free(s->slot[i]);
	else
		s->len++;
	s->slot[i] = t;
	return 0;
}

int
tpl_set_has(const struct tpl_set *s, const char *name)
{
	return find(s, name, strlen(name)) != NULL;
}

/*
 * Resolves a name against the context stack: "." is the top; the first
 * part of a dotted name is looked up from the top down, the rest only
 * inside what the first part found (the spec: no fallback further down).
 */
static const struct val *
lookup(const struct ctx *cx, const char *name, size_t n)
{
	const char *end = name + n, *dot;
	const struct val *v = NULL;

	if (n == 1 && name[0] == '.')
		return val_deref(cx->v);
	dot = memchr(name, '.', n);
	if (!dot)
		dot = end;
	for (; cx; cx = cx->up)
		if ((v = val_getn(cx->v, name, (size_t)(dot - name))) != NULL)
			break;
	while (v && dot < end) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		if (!dot)
			dot = end;
		v = val_getn(v, name, (size_t)(dot - name));
	}
	return v;
}

static void
put_indent(struct buf *out, const struct ind *in)
{
	if (!in)
		return;
	put_indent(out, in->up);
	buf_add(out, in->p, in->n);
}

/*
 * The override for block `name`: the outermost parent that passes one
 * wins (the spec: top-level substitutions take precedence).
 */
static int
find_block(const struct frame *fr, const char *name, size_t n,
    const struct tpl **bt, size_t *bi)
{
	const struct tnode *p, *c;
	size_t i;
	int found = 0;

	for (; fr; fr = fr->up) {
		p = &fr->t->n[fr->node];
		for (i = fr->node + 1; i < p->end; i = fr->t->n[i].end) {
			c = &fr->t->n[i];
			if (c->type == TN_BLOCK && c->len == n &&
			    memcmp(fr->t->src + c->off, name, n) == 0) {
				*bt = fr->t;
				*bi = i;
				found = 1;
				break;
			}
		}
	}
	return found;
}

static int render(struct rstate *rs, const struct tpl *t, size_t from,
    size_t to, const struct ctx *cx, const struct frame *fr,
    const struct ind *in, int depth);

static int
too_deep(struct rstate *rs, const struct tpl *t, const struct tnode *nd,
    const char *name)
{
	diag_error(rs->d, t->path, nd->line, nd->col,
	    _("template \"%s\": partials nested deeper than %d (a partial including itself?)"),
	    name, rs->set->max_depth);
	return -1;
}

/* A partial or parent: the other template, indented when standalone. */
static int
render_include(struct rstate *rs, const struct tpl *t, size_t i,
    const struct ctx *cx, const struct frame *fr, const struct ind *in,
    int depth)
{
	const struct tnode *nd = &t->n[i];
	const struct tpl *p = find(rs->set, t->src + nd->off, nd->len);
	struct frame nf = { t, i, fr };
	struct ind ni = { t->src + nd->ioff, nd->ilen, in };
	const struct ind *use = NULL;

	if (!p)
		return 0;
	if (depth >= rs->set->max_depth)
		return too_deep(rs, t, nd, p->name);
	/* a partial in the middle of a line is not indented (the spec) */
	if (nd->standalone)
		use = nd->ilen ? &ni : in;
	return render(rs, p, 0, p->nlen, cx, nd->type == TN_PARENT ? &nf : fr,
	    use, depth + 1);
}

static int
render_block(struct rstate *rs, const struct tpl *t, size_t i,
    const struct ctx *cx, const struct frame *fr, const struct ind *in,
    int depth)
{
	const struct tnode *nd = &t->n[i];
	const struct tpl *ct = t;
	size_t ci = i;
	struct ind ni = { t->src + nd->ioff, nd->ilen, in };
	const struct ind *use = nd->ilen ? &ni : in;

	if (find_block(fr, t->src + nd->off, nd->len, &ct, &ci)) {
		/* an override may hold its own block: guard the recursion */
		if (depth >= rs->set->max_depth)
			return too_deep(rs, t, nd, t->name);
		depth++;
	}
	/*
	 * A block alone on its line owns whole lines: content that began in
	 * the middle of a line gets the indentation of the first one here.
	 */
	if (nd->standalone && !ct->n[ci].standalone && ct->n[ci].end > ci + 1)
		put_indent(rs->out, use);
	else if (!nd->standalone && ct->n[ci].standalone)
		rs->skip_indent = 1;
	return render(rs, ct, ci + 1, ct->n[ci].end, cx, fr, use, depth);
}

static void
put_val(struct buf *out, const struct val *v, int escape)
{
	if (!v)
		return;
	switch (v->type) {
	case VAL_STR:
		if (escape)
			buf_add_html(out, v->u.s.p, v->u.s.len);
		else
			buf_add(out, v->u.s.p, v->u.s.len);
		break;
	case VAL_BOOL:
		buf_puts(out, v->u.b ? "true" : "false");
		break;
	default:
		/* null, lists and maps have no text */
		break;
	}
}

static int
render(struct rstate *rs, const struct tpl *t, size_t from, size_t to,
    const struct ctx *cx, const struct frame *fr, const struct ind *in,
    int depth)
{
	const struct tnode *nd;
	const struct val *v;
	struct ctx c;
	size_t i, k;

	for (i = from; i < to; i = nd->end) {
		nd = &t->n[i];
		switch (nd->type) {
		case TN_TEXT:
			rs->skip_indent = 0;
			buf_add(rs->out, t->src + nd->off, nd->len);
			break;
		case TN_INDENT:
			if (!rs->skip_indent)
				put_indent(rs->out, in);
			rs->skip_indent = 0;
			break;
		case TN_VAR:
		case TN_RAW:
			rs->skip_indent = 0;
			put_val(rs->out, lookup(cx, t->src + nd->off, nd->len),
			    nd->type == TN_VAR);
			break;
		case TN_SECTION:
			v = lookup(cx, t->src + nd->off, nd->len);
			if (!val_truthy(v))
				break;
			c.up = cx;
			if (v->type != VAL_LIST) {
				c.v = v;
				if (render(rs, t, i + 1, nd->end, &c, fr, in, depth) == -1)
					return -1;
				break;
			}
			for (k = 0; k < v->u.list.len; k++) {
				c.v = val_at(v, k);
				if (render(rs, t, i + 1, nd->end, &c, fr, in, depth) == -1)
					return -1;
			}
			break;
		case TN_INVERTED:
			v = lookup(cx, t->src + nd->off, nd->len);
			if (!val_truthy(v) &&
			    render(rs, t, i + 1, nd->end, cx, fr, in, depth) == -1)
				return -1;
			break;
		case TN_PARTIAL:
		case TN_PARENT:
			if (render_include(rs, t, i, cx, fr, in, depth) == -1)
				return -1;
			break;
		case TN_BLOCK:
			if (render_block(rs, t, i, cx, fr, in, depth) == -1)
				return -1;
			break;
		}
	}
	return 0;
}

int
tpl_render(const struct tpl_set *s, const char *name, const struct val *data,
    struct buf *out, struct diag *d)
{
	const struct tpl *t = find(s, name, strlen(name));
	struct rstate rs = { s, out, d, 0 };
	struct ctx root = { data, NULL };
	size_t mark = out->len;

	if (!t) {
		diag_error(d, NULL, 0, 0, _("template \"%s\" not found"), name);
		return -1;
	}
	if (render(&rs, t, 0, t->nlen, &root, NULL, NULL, 0) == -1) {
		buf_truncate(out, mark);
		return -1;
	}
	return 0;
}
