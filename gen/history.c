/*
 * history: the walk, and the listing of a commit's files. Trees are
 * compared raw (history_tree.c), descending only into subtrees whose ids
 * differ and that hold paths still wanted.
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "diag.h"
#include "gitpack.h"
#include "util.h"

struct hwalk {
	git_repository *repo;
	const char *gitdir;
	const char *const *paths;
	size_t n;
	struct history_info *out;
	unsigned char *resolved;	/* per path: created found */
	long *fen;		/* Fenwick tree of unresolved paths, 1-based */
	size_t remaining;
	int oldest_first;	/* walking from the root commit (walk_all) */
	struct buf path;	/* prefix of the tree being compared */
	struct history_trees ts;
	/* the author of the commit being compared */
	const char *author;	/* not NUL-terminated */
	size_t author_len;
	int64_t when;
	int offset;		/* minutes east of UTC */
	git_oid parent_tree;	/* the parent's tree, for step */
	struct history_stats *st;
	struct diag *d;
};

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

static void
stamp(const struct hwalk *h, int64_t *time, int *offset, char **author)
{
	*time = h->when;
	*offset = h->offset;
	free(*author);
	*author = xstrndup(h->author, h->author_len);
}

/*
 * Path k changed in the commit compared (added: it was not in the parent). Newest first,
 * the first change seen is the last one and the first add seen ends the
 * path's search; oldest first, each later one replaces the earlier.
 */
static void
record(struct hwalk *h, size_t k, int added)
{
	struct history_info *o = &h->out[k];

	if (h->resolved[k])
		return;
	if (!o->found || h->oldest_first) {
		o->found = 1;
		stamp(h, &o->updated_time, &o->updated_offset,
		    &o->updated_author);
	}
	if (added) {
		stamp(h, &o->created_time, &o->created_offset,
		    &o->created_author);
		if (h->oldest_first)
			return;
		h->resolved[k] = 1;
		fen_add(h->fen, h->n, k, -1);
		h->remaining--;
	}
}

static int compare(struct hwalk *h, struct history_tree *a, struct history_tree *b);

/* x changed between the parent and the commit; y is the parent's entry
 * of the same name and kind, or NULL when the parent lacks it. */
static int
visit(struct hwalk *h, const struct gittree_entry *x, const struct gittree_entry *y)
{
	struct history_tree *ta, *tb = NULL;
	size_t k, base = h->path.len;
	int rc = 0;

	buf_add(&h->path, x->name, x->nlen);
	switch (gittree_kind(x->mode)) {
	case GITTREE_TREE:
		buf_putc(&h->path, '/');
		if (!pending_under(h, h->path.p, h->path.len))
			break;
		if ((rc = history__tree_get(&h->ts, x->id, &ta)) < 0)
			break;
		if (y && (rc = history__tree_get(&h->ts, y->id, &tb)) < 0)
			break;
		rc = compare(h, ta, tb);
		break;
	case GITTREE_BLOB:
		if (find_path(h, h->path.p, &k))
			record(h, k, y == NULL);
		break;
	}
	buf_truncate(&h->path, base);
	return rc;
}

/* Every entry of a is new (b is NULL: a root commit, a new directory). */
static int
compare_new(struct hwalk *h, struct history_tree *a)
{
	size_t o = 0, next;
	struct gittree_entry x;

	for (; o < a->len && h->remaining; o = next) {
		if ((next = gittree_next(a->p, a->len, o)) == 0)
			return history__damaged(&h->ts, a->id);
		gittree_entry(a->p, o, &x);
		if (visit(h, &x, NULL) < 0)
			return -1;
	}
	return 0;
}

/* a: a tree of the commit; b: the parent's, NULL when it has none. */
static int
compare(struct hwalk *h, struct history_tree *a, struct history_tree *b)
{
	size_t p, ra, rb, i, j;
	struct gittree_entry x, y;
	int c;

	if (b == NULL)
		return compare_new(h, a);
	if (a->off == NULL && b->off == NULL && history__tree_index(&h->ts, a) < 0)
		return -1;
	if (a->off ? history__tree_sync(&h->ts, a, b, &p, &ra, &rb) < 0 :
	    history__tree_sync(&h->ts, b, a, &p, &rb, &ra) < 0)
		return -1;
	/* Read offsets through the trees: a visit may re-index one. */
	for (i = j = p; i < ra && h->remaining; ) {
		gittree_entry(a->p, a->off[i], &x);
		if (j < rb) {
			gittree_entry(b->p, b->off[j], &y);
			c = gittree_cmp(&x, &y);
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
			if (history__ent_same(&x, &y))
				continue;
		}
		if (visit(h, &x, c == 0 ? &y : NULL) < 0)
			return -1;
	}
	return 0;
}

static int
commit_tree(struct hwalk *h, const git_commit *c, struct history_tree **out)
{
	return history__tree_get(&h->ts, git_commit_tree_id(c)->id, out);
}

/* A parent missing from the object database (a shallow clone) counts as
 * no parent, as git log shows the boundary commit. */
static int
parent_tree_id(struct hwalk *h, const git_commit *c, const git_oid **out)
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
	h->parent_tree = *git_commit_tree_id(p);
	*out = &h->parent_tree;
	git_commit_free(p);
	return 0;
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
	h->ts.gitdir = gitdir;
	h->ts.st = st;
	h->ts.d = d;
	buf_init(&h->path);
}

/*
 * Bytes of resolved trees the pack reader keeps at least; it keeps four
 * versions of the largest directory whatever their size, which is all a
 * walk in delta order needs.
 */
#define TREE_CACHE_BUDGET ((size_t)4 << 20)

/* Opens the object database and the packs; 0, or -1 with errno-less
 * libgit2 error left for fail_read. */
static int
hwalk_open_trees(struct hwalk *h)
{
	if (git_repository_odb(&h->ts.odb, h->repo) < 0)
		return -1;
	h->ts.gp = gitpack_open_repo(h->repo, TREE_CACHE_BUDGET);
	return 0;
}

static void
hwalk_release(struct hwalk *h)
{
	history__trees_release(&h->ts);
	buf_release(&h->path);
	free(h->resolved);
	free(h->fen);
}

/*
 * A commit as the walk needs it, read by gitpack from its raw text when
 * the commit is in a pack and plainly written; 0 when not, and libgit2
 * reads it. A commit is read three times per step (the walk's order, the
 * commit, its parent): through libgit2, that was a tenth of the walk.
 */
struct raw_commit {
	struct gitpack_obj *obj;
	unsigned char tree[GIT_OID_RAWSZ], parent[GIT_OID_RAWSZ];
	unsigned nparents;
	const char *author;
	size_t author_len;
	int64_t when;
	int offset;
};

static int
hex_id(const char *s, const char *end, unsigned char *id)
{
	git_oid oid;

	if (end - s < GIT_OID_HEXSZ + 1 || s[GIT_OID_HEXSZ] != '\n' ||
	    git_oid_fromstrn(&oid, s, GIT_OID_HEXSZ) < 0)
		return -1;
	memcpy(id, oid.id, GIT_OID_RAWSZ);
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * "author NAME <EMAIL> TIME [+-]HHMM": read as libgit2 reads it (name
 * trimmed, before the last '<'), or -1 for anything less plain.
 */
static int
parse_author(const char *s, const char *end, struct raw_commit *rc)
{
	const char *lt = NULL, *gt = NULL, *p, *name;
	size_t len;
	int64_t t = 0;
	int tz = 0, i;

	for (p = s; p < end; p++)
		if (*p == '<')
			lt = p;
		else if (*p == '>')
			gt = p;
	if (!lt || !gt || gt < lt || end - gt < 9 || gt[1] != ' ')
		return -1;
	for (p = gt + 2; p < end && *p >= '0' && *p <= '9'; p++) {
		if (t > (INT64_MAX - 9) / 10)
			return -1;
		t = t * 10 + (*p - '0');
	}
	if (p == gt + 2 || end - p != 6 || p[0] != ' ' ||
	    (p[1] != '+' && p[1] != '-'))
		return -1;
	for (i = 2; i < 6; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		tz = tz * 10 + (p[i] - '0');
	}
	if (tz / 100 > 14 || tz % 100 > 59)
		return -1;
	rc->offset = (tz / 100 * 60 + tz % 100) * (p[1] == '-' ? -1 : 1);
	rc->when = t;
	for (name = s, len = (size_t)(lt - s); len && is_space(*name); name++)
		len--;
	while (len && is_space(name[len - 1]))
		len--;
	rc->author = name;
	rc->author_len = len;
	return 0;
}

static int
raw_commit_read(struct hwalk *h, const unsigned char *id, struct raw_commit *rc)
{
	const char *s, *end, *nl;
	unsigned char other[GIT_OID_RAWSZ];

	memset(rc, 0, sizeof *rc);
	if (!h->ts.gp || !gitpack_read(h->ts.gp, id, &rc->obj))
		return 0;
	s = (const char *)rc->obj->data;
	end = s + rc->obj->len;
	if (rc->obj->type != GIT_OBJECT_COMMIT || end - s < 5 ||
	    memcmp(s, "tree ", 5) != 0 || hex_id(s + 5, end, rc->tree) < 0)
		goto no;
	s += 5 + GIT_OID_HEXSZ + 1;
	while (end - s > 7 && memcmp(s, "parent ", 7) == 0) {
		if (hex_id(s + 7, end, rc->nparents ? other : rc->parent) < 0)
			goto no;
		rc->nparents++;
		s += 7 + GIT_OID_HEXSZ + 1;
	}
	if (end - s < 7 || memcmp(s, "author ", 7) != 0 ||
	    (nl = memchr(s, '\n', (size_t)(end - s))) == NULL ||
	    parse_author(s + 7, nl, rc) < 0)
		goto no;
	return 1;
no:
	gitpack_obj_release(rc->obj);
	rc->obj = NULL;
	return 0;
}

/* Compares the commit id with its first parent: 0, 1 for a merge (left
 * out: merges only repeat their parents' changes, as for Hugo), or -1. */
static int
step(struct hwalk *h, const git_oid *id)
{
	struct raw_commit raw, praw;
	git_commit *c = NULL;
	const git_oid *parent = NULL;
	struct history_tree *ta, *tb = NULL;
	const unsigned char *tree;
	int rc = 0;

	if (raw_commit_read(h, id->id, &raw)) {
		if (raw.nparents > 1) {
			gitpack_obj_release(raw.obj);
			return 1;
		}
		tree = raw.tree;
		h->author = raw.author;
		h->author_len = raw.author_len;
		h->when = raw.when;
		h->offset = raw.offset;
		if (raw.nparents && raw_commit_read(h, raw.parent, &praw)) {
			git_oid_fromraw(&h->parent_tree, praw.tree);
			parent = &h->parent_tree;
			gitpack_obj_release(praw.obj);
		} else if (raw.nparents) {
			/* the parent is libgit2's to read (or missing) */
			if (git_commit_lookup(&c, h->repo, id) < 0) {
				gitpack_obj_release(raw.obj);
				return fail_read(h);
			}
			rc = parent_tree_id(h, c, &parent);
		}
	} else {
		if (git_commit_lookup(&c, h->repo, id) < 0)
			return fail_read(h);
		if (git_commit_parentcount(c) > 1) {
			git_commit_free(c);
			return 1;
		}
		tree = git_commit_tree_id(c)->id;
		h->author = git_commit_author(c)->name ? git_commit_author(c)->name : "";
		h->author_len = strlen(h->author);
		h->when = git_commit_author(c)->when.time;
		h->offset = git_commit_author(c)->when.offset;
		rc = parent_tree_id(h, c, &parent);
	}
	if (rc == 0)
		rc = history__tree_get(&h->ts, tree, &ta);
	if (rc == 0 && parent)
		rc = history__tree_get(&h->ts, parent->id, &tb);
	if (rc == 0 && ta != tb) {
		h->st->commits++;
		rc = compare(h, ta, tb);
	}
	git_commit_free(c);
	gitpack_obj_release(raw.obj);
	h->author = NULL;
	history__trees_rotate(&h->ts);
	return rc;
}

/* The new commits of rw, newest first, until every path is resolved or,
 * with stop_at_merge, a merge (returns 1: the caller walks it all). */
static int
walk(struct hwalk *h, git_revwalk *rw, int stop_at_merge)
{
	git_oid id;
	int rc = 0, next;

	while (h->remaining && (next = git_revwalk_next(&id, rw)) == 0) {
		if ((rc = step(h, &id)) < 0)
			return -1;
		if (rc == 1 && stop_at_merge)
			return 1;
	}
	if (h->remaining == 0 || next == GIT_ITEROVER)
		return 0;
	return fail_read(h);
}

/*
 * How deep in their delta chains the commit's root tree and the trees
 * right under it lie (the big directories tell, the root tree is often
 * too small to be a delta); -1 when its root tree is not in a pack.
 */
static long
tree_depth(struct hwalk *h, const git_oid *commit)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	long depth = -1, d;
	size_t i;

	if (git_commit_lookup(&c, h->repo, commit) < 0 ||
	    (depth = gitpack_depth(h->ts.gp, git_commit_tree_id(c)->id)) < 0 ||
	    git_commit_tree(&t, c) < 0)
		goto out;
	for (i = 0; i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);

		if (git_tree_entry_type(e) == GIT_OBJECT_TREE &&
		    (d = gitpack_depth(h->ts.gp, git_tree_entry_id(e)->id)) > 0)
			depth += d;
	}
out:
	git_tree_free(t);
	git_commit_free(c);
	return depth;
}

/*
 * A whole history, from nothing cached. A pack stores each version of a
 * directory as a delta on a neighbouring version, and which neighbour
 * depends on the packer: git gc makes older versions deltas of newer
 * ones, git fast-import newer of older. Walked in its delta order, each
 * version costs one delta on the version before, kept by gitpack;
 * walked against it, each replays its chain. So the commits are listed
 * first, and walked oldest first when the newest trees lie deeper in
 * their chains than the oldest.
 */
static int
walk_all(struct hwalk *h, git_revwalk *rw)
{
	git_oid id, *ids = NULL;
	size_t n = 0, cap = 0, i;
	long newest, oldest;
	int rc;

	while ((rc = git_revwalk_next(&id, rw)) == 0) {
		ids = xgrow(ids, &cap, n + 1, sizeof *ids);
		ids[n++] = id;
	}
	if (rc != GIT_ITEROVER) {
		free(ids);
		return fail_read(h);
	}
	if (n > 1) {
		newest = tree_depth(h, &ids[0]);
		oldest = tree_depth(h, &ids[n - 1]);
		h->oldest_first = oldest >= 0 && newest > oldest;
	}
	for (i = 0, rc = 0; i < n && h->remaining && rc >= 0; i++)
		rc = step(h, &ids[h->oldest_first ? n - 1 - i : i]);
	free(ids);
	return rc < 0 ? -1 : 0;
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
	if (hwalk_open_trees(&h) < 0 ||
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
	ret = hide ? walk(&h, rw, 1) : walk_all(&h, rw);
out:
	git_revwalk_free(rw);
	hwalk_release(&h);
	return ret;
}

/* What list_tree gathers: per blob, its path (NUL-terminated, in
 * names), id and normalized mode. */
struct blob_list {
	struct buf names;
	struct buf ids;		/* GIT_OID_RAWSZ bytes each */
	struct buf modes;	/* a uint32_t each */
};

static int
list_tree(struct hwalk *h, struct history_tree *t, struct blob_list *bl, int depth)
{
	size_t o, next, base = h->path.len;
	struct history_tree *sub;
	struct gittree_entry e;

	/* Deeper than any real site; a crafted tree must not end the stack. */
	if (depth > 256) {
		diag_error(h->d, NULL, 0, 0, _("cannot read the history of %s: "
		    "directories nested too deep under \"%s\""), h->gitdir,
		    h->path.p);
		return -1;
	}
	for (o = 0; o < t->len; o = next) {
		if ((next = gittree_next(t->p, t->len, o)) == 0)
			return history__damaged(&h->ts, t->id);
		gittree_entry(t->p, o, &e);
		buf_add(&h->path, e.name, e.nlen);
		if (gittree_kind(e.mode) == GITTREE_BLOB) {
			uint32_t mode = gittree_norm_mode(e.mode);

			buf_add(&bl->names, h->path.p, h->path.len + 1);
			buf_add(&bl->ids, (const char *)e.id, GIT_OID_RAWSZ);
			buf_add(&bl->modes, (const char *)&mode, sizeof mode);
		} else if (gittree_kind(e.mode) == GITTREE_TREE) {
			buf_putc(&h->path, '/');
			if (history__tree_get(&h->ts, e.id, &sub) < 0 ||
			    list_tree(h, sub, bl, depth + 1) < 0)
				return -1;
		}
		buf_truncate(&h->path, base);
	}
	return 0;
}

struct listed_blob {
	char *path;
	size_t k;	/* its place in the listing */
};

static int
cmp_listed(const void *x, const void *y)
{
	const struct listed_blob *a = x, *b = y;
	int c = strcmp(a->path, b->path);

	return c ? c : a->k < b->k ? -1 : a->k > b->k;
}

int
history__list(git_repository *repo, const char *gitdir, const git_oid *start,
    char ***paths, unsigned char **ids, uint32_t **modes, size_t *n,
    struct history_stats *st, struct diag *d)
{
	struct hwalk h;
	struct blob_list bl = { BUF_INIT, BUF_INIT, BUF_INIT };
	struct listed_blob *v = NULL;
	git_commit *c = NULL;
	struct history_tree *t;
	size_t i, k, o, count = 0;
	int ret = -1;

	*paths = NULL;
	*ids = NULL;
	*modes = NULL;
	*n = 0;
	hwalk_init(&h, repo, gitdir, st, d);
	if (hwalk_open_trees(&h) < 0 ||
	    git_commit_lookup(&c, repo, start) < 0) {
		fail_read(&h);
		goto out;
	}
	if (commit_tree(&h, c, &t) < 0 || list_tree(&h, t, &bl, 0) < 0)
		goto out;
	for (o = 0; o < bl.names.len; o += strlen(bl.names.p + o) + 1)
		count++;
	v = xcalloc(count + 1, sizeof *v);
	for (i = 0, o = 0; i < count; i++, o += strlen(bl.names.p + o) + 1) {
		v[i].path = bl.names.p + o;
		v[i].k = i;
	}
	/* Pre-order of git's tree order is already bytewise order, except
	 * for a tree holding two entries of one name (the first is kept). */
	for (i = 1; i < count && strcmp(v[i - 1].path, v[i].path) < 0; i++)
		;
	if (i < count)
		sort_array(v, count, sizeof *v, cmp_listed);
	*paths = xcalloc(count + 1, sizeof **paths);
	*ids = xcalloc(count + 1, GIT_OID_RAWSZ);
	*modes = xcalloc(count + 1, sizeof **modes);
	for (i = 0, k = 0; i < count; i++) {
		if (k && strcmp((*paths)[k - 1], v[i].path) == 0)
			continue;
		(*paths)[k] = xstrdup(v[i].path);
		memcpy(*ids + k * GIT_OID_RAWSZ, bl.ids.p + v[i].k * GIT_OID_RAWSZ, GIT_OID_RAWSZ);
		memcpy(*modes + k, bl.modes.p + v[i].k * sizeof **modes, sizeof **modes);
		k++;
	}
	*n = k;
	ret = 0;
out:
	free(v);
	git_commit_free(c);
	hwalk_release(&h);
	buf_release(&bl.names);
	buf_release(&bl.ids);
	buf_release(&bl.modes);
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
