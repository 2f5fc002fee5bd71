#include "history.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "diag.h"
#include "util.h"

/*
 * The trees looked up while comparing the current commit (cur) and the
 * previous one (prev). In a linear history the parent side of one commit
 * is the commit side of the next, so keeping one generation halves the
 * tree reads: libgit2 itself caches no tree above 4 KiB, and posts/ of a
 * busy blog is far bigger. Memory stays bounded to two commits' trees.
 */
struct tcache {
	git_tree **cur, **prev;
	size_t ncur, nprev, capcur, capprev;
};

struct hwalk {
	git_repository *repo;
	const char *gitdir;
	const char *const *paths;
	size_t n;
	struct history_info *out;
	unsigned char *resolved;	/* per path: created found */
	long *fen;		/* Fenwick tree of unresolved paths, 1-based */
	size_t remaining;
	struct buf path;	/* prefix of the tree being compared */
	struct tcache tc;
	const git_commit *c;	/* the commit being compared */
	struct diag *d;
};

static const char *
git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : _("unknown libgit2 error");
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

static int
tree_get(struct hwalk *h, git_tree **out, const git_oid *id)
{
	struct tcache *tc = &h->tc;
	size_t i;

	for (i = 0; i < tc->ncur; i++)
		if (git_oid_equal(git_tree_id(tc->cur[i]), id)) {
			*out = tc->cur[i];
			return 0;
		}
	for (i = 0; i < tc->nprev; i++)
		if (git_oid_equal(git_tree_id(tc->prev[i]), id)) {
			*out = tc->prev[i];
			tc->prev[i] = tc->prev[--tc->nprev];
			goto keep;
		}
	if (git_tree_lookup(out, h->repo, id) < 0) {
		diag_error(h->d, NULL, 0, 0, _("cannot read the history of %s: "
		    "%s; run git fsck"), h->gitdir, git_msg());
		return -1;
	}
keep:
	tc->cur = xgrow(tc->cur, &tc->capcur, tc->ncur + 1, sizeof *tc->cur);
	tc->cur[tc->ncur++] = *out;
	return 0;
}

/* Ends a commit: its trees become the previous generation. */
static void
tc_rotate(struct tcache *tc)
{
	git_tree **t;
	size_t cap;

	while (tc->nprev)
		git_tree_free(tc->prev[--tc->nprev]);
	t = tc->prev, tc->prev = tc->cur, tc->cur = t;
	cap = tc->capprev, tc->capprev = tc->capcur, tc->capcur = cap;
	tc->nprev = tc->ncur;
	tc->ncur = 0;
}

static void
tc_release(struct tcache *tc)
{
	tc_rotate(tc);
	tc_rotate(tc);
	free(tc->cur);
	free(tc->prev);
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

/* Inlined: called for every entry pair of every commit. */
static int
oid_eq(const git_oid *x, const git_oid *y)
{
	return memcmp(x->id, y->id, GIT_OID_RAWSZ) == 0;
}

/*
 * Git's tree order: names compared bytewise as if a subtree's name ended
 * with '/'. Both trees are in that order, so one merge pass pairs them.
 * Most pairs have equal names, so strcmp decides and the slower order
 * rule runs only where the trees differ.
 */
static int
entry_cmp(const git_tree_entry *x, const char *n1, const git_tree_entry *y,
    const char *n2)
{
	int c = strcmp(n1, n2);
	unsigned c1, c2;

	if (c == 0) {
		c1 = git_tree_entry_type(x) == GIT_OBJECT_TREE;
		c2 = git_tree_entry_type(y) == GIT_OBJECT_TREE;
		return (int)c1 - (int)c2;
	}
	while (*n1 && *n1 == *n2)
		n1++, n2++;
	c1 = *n1 ? (unsigned char)*n1 :
	    git_tree_entry_type(x) == GIT_OBJECT_TREE ? '/' : 0;
	c2 = *n2 ? (unsigned char)*n2 :
	    git_tree_entry_type(y) == GIT_OBJECT_TREE ? '/' : 0;
	return c1 == c2 ? c : (int)c1 - (int)c2;
}

static int compare(struct hwalk *h, git_tree *a, git_tree *b);

/* ea changed between the parent and the commit; eb is the parent's entry
 * of the same name and kind, or NULL when the parent lacks it. */
static int
visit(struct hwalk *h, const git_tree_entry *ea, const git_tree_entry *eb)
{
	git_tree *ta, *tb = NULL;
	git_object_t type = git_tree_entry_type(ea);
	size_t k;

	buf_puts(&h->path, git_tree_entry_name(ea));
	if (type == GIT_OBJECT_TREE) {
		buf_putc(&h->path, '/');
		if (!pending_under(h, h->path.p, h->path.len))
			return 0;
		if (tree_get(h, &ta, git_tree_entry_id(ea)) < 0)
			return -1;
		if (eb && tree_get(h, &tb, git_tree_entry_id(eb)) < 0)
			return -1;
		return compare(h, ta, tb);
	}
	if (type != GIT_OBJECT_BLOB || !find_path(h, h->path.p, &k))
		return 0;
	record(h, k, eb == NULL || git_tree_entry_type(eb) != GIT_OBJECT_BLOB);
	return 0;
}

/* a: the commit's tree; b: its parent's, NULL for a root commit. */
static int
compare(struct hwalk *h, git_tree *a, git_tree *b)
{
	size_t na = git_tree_entrycount(a), nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0, base = h->path.len;
	const git_tree_entry *ea, *eb;
	const char *n1, *n2;
	int c;

	while (i < na && h->remaining) {
		ea = git_tree_entry_byindex(a, i);
		eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		if (eb == NULL) {
			c = -1;
		} else {
			n1 = git_tree_entry_name(ea);
			n2 = git_tree_entry_name(eb);
			/* The common case, first: an unchanged entry. */
			if (strcmp(n1, n2) == 0 &&
			    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb) &&
			    oid_eq(git_tree_entry_id(ea), git_tree_entry_id(eb))) {
				i++, j++;
				continue;
			}
			c = entry_cmp(ea, n1, eb, n2);
		}
		if (c > 0) {
			j++;	/* only in the parent: deleted, nothing to date */
			continue;
		}
		i++;
		if (c == 0)
			j++;
		else
			eb = NULL;
		if (visit(h, ea, eb) < 0)
			return -1;
		buf_truncate(&h->path, base);
	}
	buf_truncate(&h->path, base);
	return 0;
}

/* A parent missing from the object database (a shallow clone) counts as
 * no parent, as git log shows the boundary commit. */
static int
parent_tree(struct hwalk *h, const git_commit *c, git_tree **out)
{
	git_commit *p = NULL;
	int rc;

	*out = NULL;
	if (git_commit_parentcount(c) == 0)
		return 0;
	rc = git_commit_parent(&p, c, 0);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0) {
		diag_error(h->d, NULL, 0, 0, _("cannot read the history of %s: "
		    "%s; run git fsck"), h->gitdir, git_msg());
		return -1;
	}
	rc = tree_get(h, out, git_commit_tree_id(p));
	git_commit_free(p);
	return rc;
}

static int
walk(struct hwalk *h, git_revwalk *rw)
{
	git_commit *c;
	git_tree *ta, *tb;
	git_oid id;
	int rc = 0;

	while (h->remaining && (rc = git_revwalk_next(&id, rw)) == 0) {
		if (git_commit_lookup(&c, h->repo, &id) < 0)
			goto fail;
		/* Merges only repeat their parents' changes, as for Hugo. */
		if (git_commit_parentcount(c) > 1) {
			git_commit_free(c);
			continue;
		}
		h->c = c;
		rc = tree_get(h, &ta, git_commit_tree_id(c));
		if (rc == 0)
			rc = parent_tree(h, c, &tb);
		if (rc == 0 && (tb == NULL ||
		    !git_oid_equal(git_tree_id(ta), git_tree_id(tb))))
			rc = compare(h, ta, tb);
		git_commit_free(c);
		h->c = NULL;
		tc_rotate(&h->tc);
		if (rc < 0)
			return -1;
	}
	if (h->remaining == 0 || rc == GIT_ITEROVER)
		return 0;
fail:
	diag_error(h->d, NULL, 0, 0, _("cannot read the history of %s: %s; "
	    "run git fsck"), h->gitdir, git_msg());
	return -1;
}

int
history_walk(const char *gitdir, const char *start, const char *const *paths,
    size_t n, struct history_info *out, struct diag *d)
{
	struct hwalk h;
	git_revwalk *rw = NULL;
	git_oid oid;
	size_t i;
	int ret = -1;

	for (i = 1; i < n; i++)
		if (strcmp(paths[i - 1], paths[i]) >= 0) {
			diag_error(d, paths[i], 0, 0, _("history of \"%s\" asked "
			    "out of order: paths must be sorted and unique"),
			    paths[i]);
			return -1;
		}
	if (n == 0)
		return 0;
	memset(&h, 0, sizeof h);
	h.gitdir = gitdir;
	h.paths = paths;
	h.n = h.remaining = n;
	h.out = out;
	h.d = d;
	buf_init(&h.path);
	h.resolved = xcalloc(n, 1);
	h.fen = xcalloc(n + 1, sizeof *h.fen);
	for (i = 0; i < n; i++)
		fen_add(h.fen, n, i, 1);
	if (git_repository_open_ext(&h.repo, gitdir,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		diag_error(d, NULL, 0, 0, _("cannot open repository \"%s\": %s"),
		    gitdir, git_msg());
		goto out;
	}
	if (strlen(start) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, start) < 0) {
		diag_error(d, NULL, 0, 0, _("\"%s\" is not a commit id: give the "
		    "40 hexadecimal digits of a commit"), start);
		goto out;
	}
	if (git_revwalk_new(&rw, h.repo) < 0 ||
	    git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0) {
		diag_error(d, NULL, 0, 0, _("cannot read the history of %s: %s"),
		    gitdir, git_msg());
		goto out;
	}
	if (git_revwalk_push(rw, &oid) < 0) {
		diag_error(d, NULL, 0, 0, _("commit \"%s\" not found in %s: give "
		    "a commit of this repository"), start, gitdir);
		goto out;
	}
	ret = walk(&h, rw);
out:
	git_revwalk_free(rw);
	tc_release(&h.tc);
	git_repository_free(h.repo);
	buf_release(&h.path);
	free(h.resolved);
	free(h.fen);
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
