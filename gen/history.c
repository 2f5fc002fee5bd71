/*
 * history: the walk. Trees are read raw from the object database and
 * compared as bytes, never built into git_tree objects: parsing the 10,000
 * entries of a busy posts/ directory for each commit (with one allocation
 * per entry) was most of the time.
 *
 * A raw tree is a sorted run of entries "<octal mode> <name>\0<20-byte id>".
 * Two versions of a directory in neighbouring commits share almost all of
 * their bytes, so the compare finds the common head and tail with memcmp
 * and parses only the entries between (see tree_sync).
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "diag.h"
#include "util.h"

/*
 * A raw tree. off[0..n] are the offsets of its entries (off[n] == len),
 * known once the tree is indexed (off != NULL); trees are indexed either by
 * a full parse (which validates) or from the index of a neighbouring
 * version (tree_sync), which parses only what differs.
 */
struct rtree {
	git_oid id;
	git_odb_object *obj;
	const unsigned char *p;
	size_t len;
	uint32_t *off;
	size_t n, cap;
};

/*
 * The trees read for the current commit and for the previous one. In a
 * linear history the parent side of one commit is the commit side of the
 * next, so one generation is kept: each tree is read and indexed once.
 * libgit2 caches no raw tree above 4 KiB.
 */
struct gen {
	struct rtree **t;
	size_t n, cap;
};

struct hwalk {
	git_repository *repo;
	git_odb *odb;
	const char *gitdir;
	const char *const *paths;
	size_t n;
	struct history_info *out;
	unsigned char *resolved;	/* per path: created found */
	long *fen;		/* Fenwick tree of unresolved paths, 1-based */
	size_t remaining;
	struct buf path;	/* prefix of the tree being compared */
	struct gen cur, prev;
	const git_commit *c;	/* the commit being compared */
	struct history_stats *st;
	struct diag *d;
};

/* One decoded entry; name is NUL-terminated inside the raw tree. */
struct ent {
	const char *name;
	size_t nlen;
	unsigned mode;
	const unsigned char *id;
};

enum { K_BLOB, K_TREE, K_COMMIT };

static const char *
git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : _("unknown libgit2 error");
}

static int
fail_read(struct hwalk *h)
{
	diag_error(h->d, NULL, 0, 0, _("cannot read the history of %s: %s; "
	    "run git fsck"), h->gitdir, git_msg());
	return -1;
}

static int
fail_damaged(struct hwalk *h, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof hex, id);
	diag_error(h->d, NULL, 0, 0, _("cannot read the history of %s: tree "
	    "\"%s\" is damaged; run git fsck"), h->gitdir, hex);
	return -1;
}

static void
fen_add(long *fen, size_t n, size_t i, long v)
{
	for (i++; i <= n; i += i & (~i + 1))
		fen[i] += v;
}

/* Number of unresolved paths among paths[0..i). */
static long
fen_sum(const long *fen, size_t i)
{
	long s = 0;

	for (; i > 0; i -= i & (~i + 1))
		s += fen[i];
	return s;
}

/* First index whose path's first plen bytes compare >= prefix (or > when
 * after is set): the wanted paths under a directory are one sorted run. */
static size_t
bound(const struct hwalk *h, const char *prefix, size_t plen, int after)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(h->paths[mid], prefix, plen);

		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is some still unresolved path under prefix ("dir/")? O(log n). */
static int
pending_under(const struct hwalk *h, const char *prefix, size_t plen)
{
	size_t lo = bound(h, prefix, plen, 0), hi = bound(h, prefix, plen, 1);

	return lo < hi && fen_sum(h->fen, hi) - fen_sum(h->fen, lo) > 0;
}

static int
find_path(const struct hwalk *h, const char *path, size_t *k)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, h->paths[mid]);

		if (c == 0) {
			*k = mid;
			return 1;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * Offset of the entry after the one at o, or 0 when the bytes there are
 * not an entry: every later access relies on this check.
 */
static size_t
entry_next(const unsigned char *p, size_t len, size_t o)
{
	const unsigned char *nul;
	size_t i = o;

	while (i < len && i - o < 7 && p[i] >= '0' && p[i] <= '7')
		i++;
	if (i == o || i >= len || p[i] != ' ')
		return 0;
	i++;
	nul = i < len ? memchr(p + i, '\0', len - i) : NULL;
	if (nul == NULL || nul == p + i)
		return 0;
	i = (size_t)(nul - p) + 1;
	if (len - i < GIT_OID_RAWSZ)
		return 0;
	return i + GIT_OID_RAWSZ;
}

/* Decodes the entry at o, which entry_next accepted. */
static void
entry_at(const struct rtree *t, size_t o, struct ent *e)
{
	const unsigned char *s = t->p + o;

	e->mode = 0;
	while (*s != ' ')
		e->mode = e->mode * 8 + (unsigned)(*s++ - '0');
	e->name = (const char *)s + 1;
	e->nlen = strlen(e->name);
	e->id = (const unsigned char *)e->name + e->nlen + 1;
}

/* As libgit2 reads modes: the type bits decide, whatever the rest. */
static int
kind(unsigned mode)
{
	if ((mode & 0170000) == 0040000)
		return K_TREE;
	if ((mode & 0170000) == 0160000)
		return K_COMMIT;
	return K_BLOB;
}

/* The mode git would write for it (old trees hold modes like 100664). */
static unsigned
norm_mode(unsigned mode)
{
	switch (kind(mode)) {
	case K_TREE:
		return 0040000;
	case K_COMMIT:
		return 0160000;
	default:
		if ((mode & 0170000) == 0120000)
			return 0120000;
		return mode & 0111 ? 0100755 : 0100644;
	}
}

/*
 * Git's tree order: names compared bytewise as if a subtree's name ended
 * with '/'.
 */
static int
ent_cmp(const struct ent *x, const struct ent *y)
{
	size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
	int c = memcmp(x->name, y->name, n);
	unsigned cx, cy;

	if (c)
		return c;
	cx = x->nlen > n ? (unsigned char)x->name[n] :
	    kind(x->mode) == K_TREE ? '/' : 0;
	cy = y->nlen > n ? (unsigned char)y->name[n] :
	    kind(y->mode) == K_TREE ? '/' : 0;
	return (int)cx - (int)cy;
}

static void
rtree_free(struct rtree *t)
{
	git_odb_object_free(t->obj);
	free(t->off);
	free(t);
}

static void
gen_push(struct gen *g, struct rtree *t)
{
	g->t = xgrow(g->t, &g->cap, g->n + 1, sizeof *g->t);
	g->t[g->n++] = t;
}

/* Ends a commit: its trees become the previous generation. */
static void
gen_rotate(struct hwalk *h)
{
	struct gen g;

	while (h->prev.n)
		rtree_free(h->prev.t[--h->prev.n]);
	g = h->prev, h->prev = h->cur, h->cur = g;
}

/* Reads a tree (unindexed unless a cached version was). */
static int
tree_get(struct hwalk *h, const git_oid *id, struct rtree **out)
{
	git_odb_object *obj;
	struct rtree *t;
	size_t i;

	for (i = 0; i < h->cur.n; i++)
		if (git_oid_equal(&h->cur.t[i]->id, id)) {
			*out = h->cur.t[i];
			return 0;
		}
	for (i = 0; i < h->prev.n; i++)
		if (git_oid_equal(&h->prev.t[i]->id, id)) {
			*out = h->prev.t[i];
			h->prev.t[i] = h->prev.t[--h->prev.n];
			gen_push(&h->cur, *out);
			return 0;
		}
	if (git_odb_read(&obj, h->odb, id) < 0)
		return fail_read(h);
	if (git_odb_object_type(obj) != GIT_OBJECT_TREE ||
	    git_odb_object_size(obj) >= UINT32_MAX) {
		git_odb_object_free(obj);
		return fail_damaged(h, id);
	}
	h->st->trees++;
	t = xcalloc(1, sizeof *t);
	git_oid_cpy(&t->id, id);
	t->obj = obj;
	t->p = git_odb_object_data(obj);
	t->len = git_odb_object_size(obj);
	gen_push(&h->cur, t);
	*out = t;
	return 0;
}

static int
tree_index(struct hwalk *h, struct rtree *t)
{
	size_t o = 0, next;

	t->n = 0;
	for (;;) {
		t->off = xgrow(t->off, &t->cap, t->n + 1, sizeof *t->off);
		t->off[t->n] = (uint32_t)o;
		if (o == t->len)
			return 0;
		if ((next = entry_next(t->p, t->len, o)) == 0)
			return fail_damaged(h, &t->id);
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

static size_t
common_head(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i = 0;

	while (n - i >= 512 && memcmp(a + i, b + i, 512) == 0)
		i += 512;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static size_t
common_tail(const unsigned char *a, size_t na, const unsigned char *b,
    size_t nb, size_t max)
{
	size_t i = 0;

	while (max - i >= 512 && memcmp(a + na - i - 512, b + nb - i - 512,
	    512) == 0)
		i += 512;
	while (i < max && a[na - i - 1] == b[nb - i - 1])
		i++;
	return i;
}

/*
 * Indexes y from x (indexed): the entries within their common head of
 * bytes are the same, and so are those after the first entry start of y
 * that falls in the common tail at an entry start of x (from there both
 * parse alike). Only y's entries between are parsed. On return x[*p, *rx)
 * and y[*p, *ry) are the entries that may differ.
 */
static int
tree_sync(struct hwalk *h, const struct rtree *x, struct rtree *y, size_t *p,
    size_t *rx, size_t *ry)
{
	size_t head, tail, q, r, o, next, k, nx = x->n;

	head = common_head(x->p, y->p, x->len < y->len ? x->len : y->len);
	/* The last entry start at or before head: entries before it match. */
	*p = lower_bound(x->off, 0, nx + 1, head + 1) - 1;
	o = x->off[*p];
	tail = common_tail(x->p, x->len, y->p, y->len,
	    (x->len < y->len ? x->len : y->len) - o);
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
		if ((next = entry_next(y->p, y->len, o)) == 0)
			return fail_damaged(h, &y->id);
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

static void
record(struct hwalk *h, size_t k, int added)
{
	struct history_info *o = &h->out[k];
	const git_signature *a;

	if (h->resolved[k])
		return;
	a = git_commit_author(h->c);
	if (!o->found) {
		o->found = 1;
		o->updated_time = a->when.time;
		o->updated_offset = a->when.offset;
		o->updated_author = xstrdup(a->name ? a->name : "");
	}
	if (added) {
		o->created_time = a->when.time;
		o->created_offset = a->when.offset;
		o->created_author = xstrdup(a->name ? a->name : "");
		h->resolved[k] = 1;
		fen_add(h->fen, h->n, k, -1);
		h->remaining--;
	}
}

static int compare(struct hwalk *h, struct rtree *a, struct rtree *b);

/* x changed between the parent and the commit; y is the parent's entry
 * of the same name and kind, or NULL when the parent lacks it. */
static int
visit(struct hwalk *h, const struct ent *x, const struct ent *y)
{
	struct rtree *ta, *tb = NULL;
	size_t k, base = h->path.len;
	git_oid id;
	int rc = 0;

	buf_add(&h->path, x->name, x->nlen);
	switch (kind(x->mode)) {
	case K_TREE:
		buf_putc(&h->path, '/');
		if (!pending_under(h, h->path.p, h->path.len))
			break;
		git_oid_fromraw(&id, x->id);
		if ((rc = tree_get(h, &id, &ta)) < 0)
			break;
		if (y) {
			git_oid_fromraw(&id, y->id);
			if ((rc = tree_get(h, &id, &tb)) < 0)
				break;
		}
		rc = compare(h, ta, tb);
		break;
	case K_BLOB:
		if (find_path(h, h->path.p, &k))
			record(h, k, y == NULL);
		break;
	}
	buf_truncate(&h->path, base);
	return rc;
}

/* Every entry of a is new (b is NULL: a root commit, a new directory). */
static int
compare_new(struct hwalk *h, struct rtree *a)
{
	size_t o = 0, next;
	struct ent x;

	for (; o < a->len && h->remaining; o = next) {
		if ((next = entry_next(a->p, a->len, o)) == 0)
			return fail_damaged(h, &a->id);
		entry_at(a, o, &x);
		if (visit(h, &x, NULL) < 0)
			return -1;
	}
	return 0;
}

/* a: a tree of the commit; b: the parent's, NULL when it has none. */
static int
compare(struct hwalk *h, struct rtree *a, struct rtree *b)
{
	size_t p, ra, rb, i, j;
	struct ent x, y;
	int c;

	if (b == NULL)
		return compare_new(h, a);
	if (a->off == NULL && b->off == NULL && tree_index(h, a) < 0)
		return -1;
	if (a->off ? tree_sync(h, a, b, &p, &ra, &rb) < 0 :
	    tree_sync(h, b, a, &p, &rb, &ra) < 0)
		return -1;
	/* Read offsets through the trees: a visit may re-index one. */
	for (i = j = p; i < ra && h->remaining; ) {
		entry_at(a, a->off[i], &x);
		if (j < rb) {
			entry_at(b, b->off[j], &y);
			c = ent_cmp(&x, &y);
		} else {
			c = -1;
		}
		if (c > 0) {
			j++;	/* only in the parent: deleted, nothing to date */
			continue;
		}
		i++;
		if (c == 0) {
			j++;
			if (memcmp(x.id, y.id, GIT_OID_RAWSZ) == 0 &&
			    norm_mode(x.mode) == norm_mode(y.mode))
				continue;
		}
		if (visit(h, &x, c == 0 ? &y : NULL) < 0)
			return -1;
	}
	return 0;
}

static int
commit_tree(struct hwalk *h, const git_commit *c, struct rtree **out)
{
	return tree_get(h, git_commit_tree_id(c), out);
}

/* A parent missing from the object database (a shallow clone) counts as
 * no parent, as git log shows the boundary commit. */
static int
parent_tree(struct hwalk *h, const git_commit *c, struct rtree **out)
{
	git_commit *p = NULL;
	int rc;

	*out = NULL;
	if (git_commit_parentcount(c) == 0)
		return 0;
	rc = git_commit_parent(&p, c, 0);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return fail_read(h);
	rc = commit_tree(h, p, out);
	git_commit_free(p);
	return rc;
}

static void
hwalk_init(struct hwalk *h, git_repository *repo, const char *gitdir,
    struct history_stats *st, struct diag *d)
{
	memset(h, 0, sizeof *h);
	h->repo = repo;
	h->gitdir = gitdir;
	h->st = st;
	h->d = d;
	buf_init(&h->path);
}

static void
hwalk_release(struct hwalk *h)
{
	gen_rotate(h);
	gen_rotate(h);
	free(h->cur.t);
	free(h->prev.t);
	git_odb_free(h->odb);
	buf_release(&h->path);
	free(h->resolved);
	free(h->fen);
}

static int
walk(struct hwalk *h, git_revwalk *rw, int stop_at_merge)
{
	git_commit *c;
	struct rtree *ta, *tb;
	git_oid id;
	int rc = 0;

	while (h->remaining && (rc = git_revwalk_next(&id, rw)) == 0) {
		if (git_commit_lookup(&c, h->repo, &id) < 0)
			return fail_read(h);
		/* Merges only repeat their parents' changes, as for Hugo. */
		if (git_commit_parentcount(c) > 1) {
			git_commit_free(c);
			if (stop_at_merge)
				return 1;
			continue;
		}
		h->c = c;
		rc = commit_tree(h, c, &ta);
		if (rc == 0)
			rc = parent_tree(h, c, &tb);
		if (rc == 0 && ta != tb) {
			h->st->commits++;
			rc = compare(h, ta, tb);
		}
		git_commit_free(c);
		h->c = NULL;
		gen_rotate(h);
		if (rc < 0)
			return -1;
	}
	if (h->remaining == 0 || rc == GIT_ITEROVER)
		return 0;
	return fail_read(h);
}

int
history__walk(git_repository *repo, const char *gitdir, const git_oid *start,
    const git_oid *hide, const char *const *paths, size_t n,
    struct history_info *out, struct history_stats *st, struct diag *d)
{
	struct hwalk h;
	git_revwalk *rw = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int ret = -1;

	hwalk_init(&h, repo, gitdir, st, d);
	h.paths = paths;
	h.n = h.remaining = n;
	h.out = out;
	h.resolved = xcalloc(n ? n : 1, 1);
	h.fen = xcalloc(n + 1, sizeof *h.fen);
	for (i = 0; i < n; i++)
		fen_add(h.fen, n, i, 1);
	if (git_repository_odb(&h.odb, repo) < 0 ||
	    git_revwalk_new(&rw, repo) < 0 ||
	    git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0) {
		diag_error(d, NULL, 0, 0, _("cannot read the history of %s: %s"),
		    gitdir, git_msg());
		goto out;
	}
	if (git_revwalk_push(rw, start) < 0) {
		git_oid_tostr(hex, sizeof hex, start);
		diag_error(d, NULL, 0, 0, _("commit \"%s\" not found in %s: give "
		    "a commit of this repository"), hex, gitdir);
		goto out;
	}
	if (hide && git_revwalk_hide(rw, hide) < 0) {
		ret = fail_read(&h);
		goto out;
	}
	ret = walk(&h, rw, hide != NULL);
out:
	git_revwalk_free(rw);
	hwalk_release(&h);
	return ret;
}

static int
list_tree(struct hwalk *h, struct rtree *t, struct buf *names, int depth)
{
	size_t o, next, base = h->path.len;
	struct rtree *sub;
	struct ent e;
	git_oid id;

	/* Deeper than any real site; a crafted tree must not end the stack. */
	if (depth > 256) {
		diag_error(h->d, NULL, 0, 0, _("cannot read the history of %s: "
		    "directories nested too deep under \"%s\""), h->gitdir,
		    h->path.p);
		return -1;
	}
	for (o = 0; o < t->len; o = next) {
		if ((next = entry_next(t->p, t->len, o)) == 0)
			return fail_damaged(h, &t->id);
		entry_at(t, o, &e);
		buf_add(&h->path, e.name, e.nlen);
		if (kind(e.mode) == K_BLOB) {
			buf_add(names, h->path.p, h->path.len + 1);
		} else if (kind(e.mode) == K_TREE) {
			buf_putc(&h->path, '/');
			git_oid_fromraw(&id, e.id);
			if (tree_get(h, &id, &sub) < 0 ||
			    list_tree(h, sub, names, depth + 1) < 0)
				return -1;
		}
		buf_truncate(&h->path, base);
	}
	return 0;
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int
history__list(git_repository *repo, const char *gitdir, const git_oid *start,
    char ***paths, size_t *n, struct history_stats *st, struct diag *d)
{
	struct hwalk h;
	struct buf names = BUF_INIT;
	git_commit *c = NULL;
	struct rtree *t;
	size_t i, o, sorted = 1;
	int ret = -1;

	*paths = NULL;
	*n = 0;
	hwalk_init(&h, repo, gitdir, st, d);
	if (git_repository_odb(&h.odb, repo) < 0 ||
	    git_commit_lookup(&c, repo, start) < 0) {
		fail_read(&h);
		goto out;
	}
	if (commit_tree(&h, c, &t) < 0 || list_tree(&h, t, &names, 0) < 0)
		goto out;
	for (o = 0; o < names.len; o += strlen(names.p + o) + 1)
		(*n)++;
	*paths = xcalloc(*n ? *n : 1, sizeof **paths);
	for (i = 0, o = 0; i < *n; i++, o += strlen(names.p + o) + 1) {
		(*paths)[i] = xstrdup(names.p + o);
		if (i && strcmp((*paths)[i - 1], (*paths)[i]) >= 0)
			sorted = 0;
	}
	/* Pre-order of git's tree order is already bytewise order, except
	 * for a tree holding two entries of one name. */
	if (!sorted) {
		size_t k = 0;

		sort_array(*paths, *n, sizeof **paths, cmp_str);
		for (i = 0; i < *n; i++)
			if (k && strcmp((*paths)[k - 1], (*paths)[i]) == 0)
				free((*paths)[i]);
			else
				(*paths)[k++] = (*paths)[i];
		*n = k;
	}
	ret = 0;
out:
	git_commit_free(c);
	hwalk_release(&h);
	buf_release(&names);
	return ret;
}

void
history_info_release(struct history_info *infos, size_t n)
{
	size_t i;

	if (infos == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(infos[i].created_author);
		free(infos[i].updated_author);
		infos[i].created_author = infos[i].updated_author = NULL;
	}
}
