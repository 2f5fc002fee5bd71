/*
 * history_tree: raw trees for the walk (see history.h). Two versions of a
 * directory in neighbouring commits share almost all of their bytes, so
 * the compare finds the common head and tail with memcmp and parses only
 * the entries between (history__tree_sync).
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "diag.h"
#include "gitpack.h"
#include "util.h"

static const char *
git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : _("unknown libgit2 error");
}

int
history__damaged(struct history_trees *ts, const unsigned char *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid oid;

	git_oid_fromraw(&oid, id);
	git_oid_tostr(hex, sizeof hex, &oid);
	diag_error(ts->d, NULL, 0, 0, _("cannot read the history of %s: tree "
	    "\"%s\" is damaged; run git fsck"), ts->gitdir, hex);
	return -1;
}

static void
tree_free(struct history_tree *t)
{
	git_odb_object_free(t->obj);
	gitpack_obj_release(t->pobj);
	free(t->off);
	free(t);
}

void
history__trees_rotate(struct history_trees *ts)
{
	struct history_tree **t;
	size_t cap;

	while (ts->nprev)
		tree_free(ts->prev[--ts->nprev]);
	t = ts->prev, ts->prev = ts->cur, ts->cur = t;
	cap = ts->capprev, ts->capprev = ts->capcur, ts->capcur = cap;
	ts->nprev = ts->ncur;
	ts->ncur = 0;
}

void
history__trees_release(struct history_trees *ts)
{
	history__trees_rotate(ts);
	history__trees_rotate(ts);
	free(ts->cur);
	free(ts->prev);
	git_odb_free(ts->odb);
	gitpack_free(ts->gp);
	memset(ts, 0, sizeof *ts);
}

static void
keep(struct history_trees *ts, struct history_tree *t)
{
	ts->cur = xgrow(ts->cur, &ts->capcur, ts->ncur + 1, sizeof *ts->cur);
	ts->cur[ts->ncur++] = t;
}

int
history__tree_get(struct history_trees *ts, const unsigned char *id,
    struct history_tree **out)
{
	git_odb_object *obj;
	struct history_tree *t;
	git_oid oid;
	size_t i;

	for (i = 0; i < ts->ncur; i++)
		if (memcmp(ts->cur[i]->id, id, GIT_OID_RAWSZ) == 0) {
			*out = ts->cur[i];
			return 0;
		}
	for (i = 0; i < ts->nprev; i++)
		if (memcmp(ts->prev[i]->id, id, GIT_OID_RAWSZ) == 0) {
			*out = ts->prev[i];
			ts->prev[i] = ts->prev[--ts->nprev];
			keep(ts, *out);
			return 0;
		}
	t = xcalloc(1, sizeof *t);
	memcpy(t->id, id, GIT_OID_RAWSZ);
	if (ts->gp && gitpack_read(ts->gp, id, &t->pobj) &&
	    t->pobj->type == GIT_OBJECT_TREE) {
		t->p = t->pobj->data;
		t->len = t->pobj->len;
	} else {
		/* Not in a pack, or not a plain case: libgit2 reads it, and
		 * says what is wrong. */
		gitpack_obj_release(t->pobj);
		t->pobj = NULL;
		git_oid_fromraw(&oid, id);
		if (git_odb_read(&obj, ts->odb, &oid) < 0) {
			free(t);
			diag_error(ts->d, NULL, 0, 0, _("cannot read the history "
			    "of %s: %s; run git fsck"), ts->gitdir, git_msg());
			return -1;
		}
		t->obj = obj;
		t->p = git_odb_object_data(obj);
		t->len = git_odb_object_size(obj);
	}
	if ((t->obj && git_odb_object_type(t->obj) != GIT_OBJECT_TREE) ||
	    t->len >= UINT32_MAX) {
		tree_free(t);
		return history__damaged(ts, id);
	}
	ts->st->trees++;
	keep(ts, t);
	*out = t;
	return 0;
}

int
history__tree_index(struct history_trees *ts, struct history_tree *t)
{
	size_t o = 0, next;

	t->n = 0;
	for (;;) {
		t->off = xgrow(t->off, &t->cap, t->n + 1, sizeof *t->off);
		t->off[t->n] = (uint32_t)o;
		if (o == t->len)
			return 0;
		if ((next = gittree_next(t->p, t->len, o)) == 0)
			return history__damaged(ts, t->id);
		t->n++;
		o = next;
	}
}

/* Index of the first off[lo..hi) >= v, or hi. */
static size_t
lower_bound(const uint32_t *off, size_t lo, size_t hi, size_t v)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (off[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Length of the common prefix of a and b, known to be at least i. */
static size_t
common_head(const unsigned char *a, const unsigned char *b, size_t n,
    size_t i)
{
	while (n - i >= 512 && memcmp(a + i, b + i, 512) == 0)
		i += 512;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* Length of the common suffix, at most max, known to be at least i. */
static size_t
common_tail(const unsigned char *a, size_t na, const unsigned char *b,
    size_t nb, size_t max, size_t i)
{
	if (i > max)
		i = max;
	while (max - i >= 512 && memcmp(a + na - i - 512, b + nb - i - 512,
	    512) == 0)
		i += 512;
	while (i < max && a[na - i - 1] == b[nb - i - 1])
		i++;
	return i;
}

/*
 * The entries within their common head of
 * bytes are the same, and so are those after the first entry start of y
 * that falls in the common tail at an entry start of x (from there both
 * parse alike). Only y's entries between are parsed. On return x[*p, *rx)
 * and y[*p, *ry) are the entries that may differ.
 */
int
history__tree_sync(struct history_trees *ts, const struct history_tree *x,
    struct history_tree *y, size_t *p, size_t *rx, size_t *ry)
{
	size_t head, tail, q, r, o, next, k, nx = x->n, n, known_tail;

	/* One made from the other by a delta: its copies tell most. */
	gitpack_same_ends(x->pobj, y->pobj, &head, &known_tail);
	n = x->len < y->len ? x->len : y->len;
	head = common_head(x->p, y->p, n, head < n ? head : n);
	/* The last entry start at or before head: entries before it match. */
	*p = lower_bound(x->off, 0, nx + 1, head + 1) - 1;
	o = x->off[*p];
	tail = common_tail(x->p, x->len, y->p, y->len, n - o, known_tail);
	q = lower_bound(x->off, *p, nx + 1, x->len - tail);
	y->n = 0;
	y->off = xgrow(y->off, &y->cap, *p + 1, sizeof *y->off);
	memcpy(y->off, x->off, (*p + 1) * sizeof *y->off);
	y->n = *p;
	for (;;) {
		if (o >= y->len - tail) {
			/* o + x->len - y->len, in x, without wrapping */
			size_t ox = o - (y->len - tail) + (x->len - tail);

			r = lower_bound(x->off, q, nx + 1, ox);
			if (r <= nx && x->off[r] == ox)
				break;
		}
		if ((next = gittree_next(y->p, y->len, o)) == 0)
			return history__damaged(ts, y->id);
		y->off = xgrow(y->off, &y->cap, y->n + 2, sizeof *y->off);
		y->off[++y->n] = (uint32_t)next;
		o = next;
	}
	*rx = r;
	*ry = y->n;
	y->off = xgrow(y->off, &y->cap, y->n + 1 + nx - r, sizeof *y->off);
	for (k = r + 1; k <= nx; k++)
		y->off[++y->n] = (uint32_t)(x->off[k] - x->len + y->len);
	return 0;
}

int
history__ent_same(const struct gittree_entry *x, const struct gittree_entry *y)
{
	return memcmp(x->id, y->id, GIT_OID_RAWSZ) == 0 &&
	    gittree_norm_mode(x->mode) == gittree_norm_mode(y->mode);
}
