/*
 * history against fixture repositories made with the git CLI, with fixed
 * authors and dates per commit.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "buf.h"
#include "diag.h"
#include "gitsrc.h"
#include "history.h"
#include "t.h"

static char tmp[] = "/tmp/ardoise-history-XXXXXX";
static char gitdir[4096], head[64], repo[16];

#define sh(...) t_sh(tmp, __VA_ARGS__)

static void
out_of(const char *cmd, char *line, size_t n)
{
	char full[1024];
	FILE *f;

	snprintf(full, sizeof full, "cd '%s' && %s", tmp, cmd);
	line[0] = '\0';
	if ((f = popen(full, "r")) == NULL)
		return;
	if (fgets(line, (int)n, f))
		line[strcspn(line, "\n")] = '\0';
	pclose(f);
}

/*
 * c NAME DATE MSG: commit as NAME at DATE (author and committer).
 * History of repository h (newest last):
 *   1 Alice  2020-01-01 +0100  add posts/a.md, pages/x.md, cahiers/s/01.md
 *   2 Bob    2020-02-01 +0000  edit posts/a.md
 *   3 Alice  2020-03-01        delete pages/x.md
 *   4 Carol  2020-04-01        add pages/x.md again
 *   5 Dave   2020-05-01        add posts/side.md (branch side)
 *   6 Alice  2020-05-02 +0200  edit cahiers/s/01.md (main)
 *   7 Merger 2020-06-01        merge side into main (no fast-forward)
 */
static const char fixture[] =
	"c() { GIT_AUTHOR_NAME=\"$1\" GIT_AUTHOR_DATE=\"$2\" "
	"GIT_COMMITTER_DATE=\"$2\" git commit -qm \"$3\"; } && "
	"git init -q -b main h && cd h && mkdir -p posts pages cahiers/s && "
	"echo a1 >posts/a.md && echo x1 >pages/x.md && echo s1 >cahiers/s/01.md && "
	"git add -A && c Alice 2020-01-01T10:00:00+0100 one && "
	"echo a2 >posts/a.md && git add -A && c Bob 2020-02-01T10:00:00+0000 two && "
	"git rm -q pages/x.md && c Alice 2020-03-01T10:00:00+0000 three && "
	"mkdir -p pages && echo x2 >pages/x.md && git add -A && c Carol 2020-04-01T10:00:00+0000 four && "
	"git checkout -q -b side && echo d >posts/side.md && git add -A && "
	"c Dave 2020-05-01T10:00:00+0000 five && git checkout -q main && "
	"echo s2 >cahiers/s/01.md && git add -A && "
	"c Alice 2020-05-02T10:00:00+0200 six && "
	"GIT_AUTHOR_NAME=Merger GIT_AUTHOR_DATE=2020-06-01T10:00:00+0000 "
	"GIT_COMMITTER_DATE=2020-06-01T10:00:00+0000 "
	"git merge -q --no-ff -m merge side && cd .. && "
	/* e: the root commit's tree is deleted, so only an early stop works. */
	"git init -q -b main e && cd e && mkdir z && echo o >z/old.md && "
	"git add -A && c Alice 2019-01-01T10:00:00+0000 e1 && "
	"echo m >mid.md && git add -A && c Bob 2019-02-01T10:00:00+0000 e2 && "
	"echo n >new.md && git add -A && c Carol 2019-03-01T10:00:00+0000 e3 && "
	"t=$(git rev-parse HEAD~2^{tree}) && "
	"rm -f .git/objects/$(echo $t | cut -c1-2)/$(echo $t | cut -c3-) && "
	"cd .. && "
	/*
	 * i: for the cache. Tags t1..t7 on main; rw rewrites t4 onwards;
	 * mg merges into t7 a branch forked at t5 with an older date.
	 */
	"git init -q -b main i && cd i && mkdir -p posts pages media && "
	"echo a >posts/a.md && echo b >posts/b.md && echo x >pages/x.md && "
	"echo m >media/m.jpg && git add -A && c Alice 2021-01-01T10:00:00+0100 i1 && git tag t1 && "
	"echo a2 >posts/a.md && git add -A && c Bob 2021-02-01T10:00:00+0000 i2 && git tag t2 && "
	"echo b2 >posts/b.md && git add -A && c Carol 2021-03-01T10:00:00-0500 i3 && git tag t3 && "
	"git rm -q pages/x.md && c Dave 2021-04-01T10:00:00+0000 i4 && git tag t4 && "
	"echo c >posts/c.md && git add -A && c Eve 2021-05-01T10:00:00+0000 i5 && git tag t5 && "
	"mkdir -p pages && echo x2 >pages/x.md && git add -A && c Alice 2021-06-01T10:00:00+0000 i6 && git tag t6 && "
	"echo c2 >posts/c.md && mkdir -p cahiers/s && echo s >cahiers/s/01.md && git add -A && "
	"c Bob 2021-07-01T10:00:00+0200 i7 && git tag t7 && "
	"git checkout -q -b rw t3 && echo d >posts/d.md && git add -A && "
	"c Frank 2021-04-02T10:00:00+0000 r4 && echo b3 >posts/b.md && git add -A && "
	"c Frank 2021-04-03T10:00:00+0000 r5 && git tag rw1 && "
	"git checkout -q -b side t5 && echo e >posts/e.md && echo a3 >posts/a.md && git add -A && "
	"c Gina 2021-05-15T10:00:00+0000 s1 && git checkout -q -b mg t7 && "
	"GIT_AUTHOR_NAME=Merger GIT_AUTHOR_DATE=2021-08-01T10:00:00+0000 "
	"GIT_COMMITTER_DATE=2021-08-01T10:00:00+0000 "
	"git merge -q --no-ff -m merge side && git tag mg1 && "
	/* md1: on t7, posts/a.md made executable, its content the same */
	"git checkout -q -b md t7 && chmod +x posts/a.md && git add -A && "
	"c Hal 2021-09-01T10:00:00+0000 md1 && git tag md1 && git checkout -q main";

static void
open_repo(const char *name)
{
	char cmd[256];

	snprintf(repo, sizeof repo, "%s", name);
	snprintf(gitdir, sizeof gitdir, "%s/%s/.git", tmp, name);
	snprintf(cmd, sizeof cmd, "git -C %s rev-parse HEAD", name);
	out_of(cmd, head, sizeof head);
}

TEST(dates_and_authors)
{
	static const char *const paths[] = {
		"cahiers/s/01.md", "pages/x.md", "posts/a.md", "posts/ghost.md",
		"posts/side.md",
	};
	struct history_info hi[5];
	struct diag d;

	memset(hi, 0, sizeof hi);
	diag_init(&d);
	open_repo("h");
	CHECK_INT(history_walk(gitdir, head, paths, 5, hi, &d), 0);
	CHECK_INT(d.len, 0);

	/* Nested directories; the update carries its own offset. */
	CHECK_INT(hi[0].found, 1);
	CHECK_INT(hi[0].created_time, 1577869200);
	CHECK_INT(hi[0].created_offset, 60);
	CHECK_STR(hi[0].created_author, "Alice");
	CHECK_INT(hi[0].updated_time, 1588406400);
	CHECK_INT(hi[0].updated_offset, 120);
	CHECK_STR(hi[0].updated_author, "Alice");

	/* Deleted then added again: the newest addition counts. */
	CHECK_INT(hi[1].found, 1);
	CHECK_INT(hi[1].created_time, 1585735200);
	CHECK_STR(hi[1].created_author, "Carol");
	CHECK_INT(hi[1].updated_time, 1585735200);
	CHECK_STR(hi[1].updated_author, "Carol");

	/* Added by one author, edited by another. */
	CHECK_INT(hi[2].created_time, 1577869200);
	CHECK_STR(hi[2].created_author, "Alice");
	CHECK_INT(hi[2].updated_time, 1580551200);
	CHECK_INT(hi[2].updated_offset, 0);
	CHECK_STR(hi[2].updated_author, "Bob");

	CHECK_INT(hi[3].found, 0);
	CHECK(hi[3].created_author == NULL && hi[3].updated_author == NULL);

	/* The merge commit is skipped: the branch commit gets the credit. */
	CHECK_INT(hi[4].found, 1);
	CHECK_STR(hi[4].created_author, "Dave");
	CHECK_STR(hi[4].updated_author, "Dave");
	CHECK_INT(hi[4].created_time, 1588327200);

	history_info_release(hi, 5);
	CHECK(hi[0].created_author == NULL);
	diag_release(&d);
}

/* Through gitsrc, as the build uses it: every listed path is found. */
TEST(with_gitsrc)
{
	struct gitsrc *s;
	struct history_info *hi;
	const char **paths;
	struct diag d;
	size_t i, n;
	char dir[4096];

	diag_init(&d);
	snprintf(dir, sizeof dir, "%s/h", tmp);
	CHECK_INT(gitsrc_open(&s, dir, NULL, 0, &d), 0);
	if (s == NULL)
		return;
	n = gitsrc_count(s);
	CHECK_INT(n, 4);
	paths = calloc(n, sizeof *paths);
	hi = calloc(n, sizeof *hi);
	for (i = 0; i < n; i++)
		paths[i] = gitsrc_at(s, i)->path;
	CHECK_INT(history_walk(gitsrc_gitdir(s), gitsrc_commit(s)->id, paths, n,
	    hi, &d), 0);
	for (i = 0; i < n; i++)
		CHECK_INT(hi[i].found, 1);
	history_info_release(hi, n);
	free(hi);
	free(paths);
	gitsrc_free(s);
	diag_release(&d);
}

TEST(early_stop)
{
	static const char *const fresh[] = { "new.md" };
	static const char *const old[] = { "new.md", "z/old.md" };
	struct history_info hi[2];
	struct diag d;

	memset(hi, 0, sizeof hi);
	diag_init(&d);
	open_repo("e");
	/* Resolved at the newest commit: the broken root is never read. */
	CHECK_INT(history_walk(gitdir, head, fresh, 1, hi, &d), 0);
	CHECK_INT(hi[0].found, 1);
	CHECK_STR(hi[0].created_author, "Carol");
	CHECK_INT(d.nerrors, 0);
	history_info_release(hi, 1);
	/* The control: walking further does reach the deleted tree. */
	memset(hi, 0, sizeof hi);
	CHECK_INT(history_walk(gitdir, head, old, 2, hi, &d), -1);
	CHECK_INT(d.nerrors, 1);
	history_info_release(hi, 2);
	diag_release(&d);
}

TEST(bad_input)
{
	static const char *const unsorted[] = { "posts/a.md", "pages/x.md" };
	static const char *const one[] = { "posts/a.md" };
	struct history_info hi[2];
	struct diag d;

	memset(hi, 0, sizeof hi);
	diag_init(&d);
	open_repo("h");
	CHECK_INT(history_walk(gitdir, head, unsorted, 2, hi, &d), -1);
	CHECK_INT(history_walk(gitdir, "main", one, 1, hi, &d), -1);
	CHECK_INT(history_walk(gitdir, "0123456789012345678901234567890123456789",
	    one, 1, hi, &d), -1);
	CHECK_INT(history_walk(gitdir, head, one, 0, hi, &d), 0);
	CHECK_INT(d.nerrors, 3);
	CHECK(strstr(d.items[0].msg, "\"pages/x.md\"") != NULL);
	CHECK(strstr(d.items[1].msg, "\"main\" is not a commit id") != NULL);
	CHECK(strstr(d.items[2].msg, "not found") != NULL);
	CHECK_INT(hi[0].found, 0);
	diag_release(&d);
}


/*
 * The cache. rev() resolves a revision of the open repository;
 * tree_paths() lists the files of a commit.
 */
static void
rev(const char *tag, char *id)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "git -C %s rev-parse %s^{commit}", repo, tag);
	out_of(cmd, id, 64);
}

struct plist {
	char **p;
	size_t n;
};

static void
tree_paths(const char *tag, struct plist *l)
{
	char cmd[512], line[1024];
	FILE *f;

	memset(l, 0, sizeof *l);
	snprintf(cmd, sizeof cmd, "cd '%s' && git -C %s ls-tree -r --name-only "
	    "%s | LC_ALL=C sort", tmp, repo, tag);
	if ((f = popen(cmd, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		l->p = realloc(l->p, (l->n + 1) * sizeof *l->p);
		l->p[l->n++] = strdup(line);
	}
	pclose(f);
}

static void
plist_free(struct plist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->p[i]);
	free(l->p);
}

/* The files of a commit with their hex ids and modes, as a build lists
 * them. */
struct flist {
	struct plist l;
	unsigned char **ids;	/* 20 bytes each */
	unsigned *modes;
};

static void
tree_files(const char *tag, struct flist *f)
{
	char cmd[512], line[1024], *tab, *sp;
	size_t k;
	FILE *p;

	memset(f, 0, sizeof *f);
	snprintf(cmd, sizeof cmd, "cd '%s' && git -C %s ls-tree -r %s | "
	    "awk -F '\t' '{ print $2 \"\\t\" $1 }' | LC_ALL=C sort", tmp, repo, tag);
	if ((p = popen(cmd, "r")) == NULL)
		return;
	/* "<path>\t<mode> blob <id>" */
	while (fgets(line, sizeof line, p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!(tab = strchr(line, '\t')) || !(sp = strrchr(tab, ' ')))
			continue;
		*tab = '\0';
		f->l.p = realloc(f->l.p, (f->l.n + 1) * sizeof *f->l.p);
		f->ids = realloc(f->ids, (f->l.n + 1) * sizeof *f->ids);
		f->modes = realloc(f->modes, (f->l.n + 1) * sizeof *f->modes);
		f->l.p[f->l.n] = strdup(line);
		f->ids[f->l.n] = malloc(20);
		for (k = 0; k < 20; k++)
			f->ids[f->l.n][k] = (unsigned char)strtoul((char[]){ sp[1 + 2 * k],
			    sp[2 + 2 * k], '\0' }, NULL, 16);
		f->modes[f->l.n] = (unsigned)strtoul(tab + 1, NULL, 8);
		f->l.n++;
	}
	pclose(p);
}

static void
flist_free(struct flist *f)
{
	size_t i;

	for (i = 0; i < f->l.n; i++)
		free(f->ids[i]);
	free(f->ids);
	free(f->modes);
	plist_free(&f->l);
}

static int
str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int
same_infos(const struct history_info *a, const struct history_info *b,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i].found != b[i].found ||
		    a[i].created_time != b[i].created_time ||
		    a[i].created_offset != b[i].created_offset ||
		    a[i].updated_time != b[i].updated_time ||
		    a[i].updated_offset != b[i].updated_offset ||
		    !str_eq(a[i].created_author, b[i].created_author) ||
		    !str_eq(a[i].updated_author, b[i].updated_author)) {
			fprintf(stderr, "  differs at %zu\n", i);
			return 0;
		}
	return 1;
}

/* Makes the cache of tag (from scratch) into *c. */
static void
make_cache(const char *tag, struct buf *c)
{
	char id[64];
	struct history_info hi[1];
	struct diag d;

	memset(hi, 0, sizeof hi);
	diag_init(&d);
	rev(tag, id);
	CHECK_INT(history_walk_cached(gitdir, id, NULL, 0, hi, NULL, 0, c, &d), 0);
	CHECK_INT(d.len, 0);
	CHECK(c->len > 0);
	diag_release(&d);
}

/*
 * Runs tag's walk with the cache and without, over its tree's files plus
 * extra (NULL or a path sorting after all of them); checks they agree,
 * that the new caches agree, and returns the stats and warnings.
 */
static struct memo {
	char key[64], id[64];
	struct plist l;
	struct history_info *full;
	struct buf cache;
} memo = { .cache = BUF_INIT };

static void
memo_release(void)
{
	history_info_release(memo.full, memo.l.n);
	free(memo.full);
	plist_free(&memo.l);
	buf_release(&memo.cache);
	memset(&memo, 0, sizeof memo);
	buf_init(&memo.cache);
}

/* The full walk of tag over its files plus extra, made once per key. */
static struct memo *
full_walk(const char *tag, const char *extra)
{
	struct diag d;
	char key[64];

	snprintf(key, sizeof key, "%s %s %s", repo, tag, extra ? extra : "");
	if (strcmp(key, memo.key) == 0)
		return &memo;
	memo_release();
	snprintf(memo.key, sizeof memo.key, "%s", key);
	diag_init(&d);
	rev(tag, memo.id);
	tree_paths(tag, &memo.l);
	if (extra) {
		memo.l.p = realloc(memo.l.p, (memo.l.n + 1) * sizeof *memo.l.p);
		memo.l.p[memo.l.n++] = strdup(extra);
	}
	memo.full = calloc(memo.l.n + 1, sizeof *memo.full);
	CHECK_INT(history_walk_cached(gitdir, memo.id,
	    (const char *const *)memo.l.p, memo.l.n, memo.full, NULL, 0,
	    &memo.cache, &d), 0);
	CHECK_INT(d.len, 0);
	diag_release(&d);
	return &memo;
}

/*
 * Runs tag's walk with the cache over its tree's files plus extra (NULL or
 * a path sorting after all of them); checks that it agrees with the full
 * walk, and so does the new cache; returns the stats and warnings.
 */
static void
check_cached(const char *tag, const char *extra, const struct buf *cache,
    struct history_stats *st, size_t *nwarn)
{
	struct memo *m = full_walk(tag, extra);
	struct history_info *got;
	struct buf c2 = BUF_INIT;
	struct diag d;

	diag_init(&d);
	got = calloc(m->l.n + 1, sizeof *got);
	CHECK_INT(history_walk_stats(gitdir, m->id, (const char *const *)m->l.p,
	    m->l.n, got, cache->p, cache->len, &c2, st, &d), 0);
	CHECK_INT(d.nerrors, 0);
	*nwarn = d.nwarnings;
	CHECK(same_infos(m->full, got, m->l.n));
	CHECK(m->cache.len == c2.len && memcmp(m->cache.p, c2.p, c2.len) == 0);
	history_info_release(got, m->l.n);
	free(got);
	buf_release(&c2);
	diag_release(&d);
}

TEST(cache_new_commits)
{
	struct history_stats st;
	struct buf c = BUF_INIT;
	size_t nw;

	open_repo("i");
	make_cache("t2", &c);
	/* One commit since: only it is compared. */
	check_cached("t3", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_WALKED);
	CHECK_INT(st.commits, 1);
	CHECK_INT(nw, 0);
	/* An edit, a delete, a re-add, new files, a new directory. */
	check_cached("t7", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_WALKED);
	CHECK_INT(st.commits, 5);
	/* A path that is not in the tree needs the older history. */
	check_cached("t7", "zz/ghost.md", &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_NONE);
	buf_release(&c);
	/* From the root commit's cache too. */
	make_cache("t1", &c);
	check_cached("t7", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_WALKED);
	CHECK_INT(st.commits, 6);
	buf_release(&c);
}

/* A cache written from the caller's listing of the tree is the cache
 * written from a listing of its own, with or without a previous cache. */
TEST(cache_from_listing)
{
	static const char *const paths[] = { "pages/x.md", "posts/a.md" };
	struct history_info own[2], listed[2];
	struct buf c5 = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	struct flist f;
	struct diag d;
	char id[64];

	diag_init(&d);
	open_repo("i");
	make_cache("t5", &c5);
	rev("t6", id);
	tree_files("t6", &f);
	CHECK(f.l.n > 2);
	memset(own, 0, sizeof own);
	memset(listed, 0, sizeof listed);
	CHECK_INT(history_walk_cached(gitdir, id, paths, 2, own, c5.p, c5.len, &a, &d), 0);
	CHECK_INT(history_walk_listed(gitdir, id, paths, 2, listed, (const char *const *)f.l.p,
	    (const unsigned char *const *)f.ids, f.modes, f.l.n,
	    c5.p, c5.len, &b, &d), 0);
	CHECK(same_infos(own, listed, 2));
	CHECK(a.len > 0 && a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
	history_info_release(listed, 2);
	memset(listed, 0, sizeof listed);
	CHECK_INT(history_walk_listed(gitdir, id, paths, 2, listed, (const char *const *)f.l.p,
	    (const unsigned char *const *)f.ids, f.modes, f.l.n,
	    NULL, 0, &b, &d), 0);
	CHECK(same_infos(own, listed, 2));
	CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
	CHECK_INT(d.len, 0);
	/* without ids (a folder's files), the same dates */
	history_info_release(listed, 2);
	memset(listed, 0, sizeof listed);
	CHECK_INT(history_walk_listed(gitdir, id, paths, 2, listed, (const char *const *)f.l.p,
	    NULL, NULL, f.l.n, c5.p, c5.len, &b, &d), 0);
	CHECK(same_infos(own, listed, 2));
	history_info_release(own, 2);
	history_info_release(listed, 2);
	flist_free(&f);
	buf_release(&c5);
	buf_release(&a);
	buf_release(&b);
	diag_release(&d);
}

/*
 * One commit since the cache's is read from the blob ids and modes alone:
 * the same dates as the full walk, a change of mode alone included, and
 * no tree of the parent read (it is deleted here). A commit that adds a
 * file is walked.
 */
TEST(cache_one_commit_from_ids)
{
	struct history_stats st;
	struct buf c = BUF_INIT;
	size_t nw;

	open_repo("i");
	make_cache("t7", &c);
	check_cached("md1", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_WALKED);
	CHECK_INT(st.commits, 1);
	CHECK_INT(nw, 0);
	{
		size_t k;

		for (k = 0; k < memo.l.n && strcmp(memo.l.p[k], "posts/a.md") != 0; k++)
			;
		CHECK(k < memo.l.n);
		if (k < memo.l.n) {	/* the mode alone changed it */
			CHECK_INT(memo.full[k].updated_time, 1630490400);
			CHECK_STR(memo.full[k].updated_author, "Hal");
		}
	}
	buf_release(&c);
	/* t5 adds posts/c.md: walked, same result */
	make_cache("t4", &c);
	check_cached("t5", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_WALKED);
	CHECK_INT(st.commits, 1);
	buf_release(&c);
	/* a copy without t2's tree of posts/: t3 (an edit) needs none of it */
	CHECK_INT(sh("rm -rf j && cp -r i j"), 0);
	open_repo("j");
	make_cache("t2", &c);
	(void)full_walk("t3", NULL);
	CHECK_INT(sh("cd j && t=$(git rev-parse t2:posts) && "
	    "rm .git/objects/$(echo $t | cut -c1-2)/$(echo $t | cut -c3-)"), 0);
	check_cached("t3", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_WALKED);
	CHECK_INT(st.commits, 1);
	CHECK_INT(nw, 0);
	buf_release(&c);
	memo_release();
	open_repo("i");
}

TEST(cache_same_commit)
{
	static const char *const paths[] = { "pages/x.md", "posts/a.md" };
	struct history_info full[2], got[2];
	struct history_stats st;
	struct buf c = BUF_INIT, c2 = BUF_INIT;
	struct diag d;
	char id[64];

	memset(full, 0, sizeof full);
	memset(got, 0, sizeof got);
	diag_init(&d);
	open_repo("i");
	make_cache("t6", &c);
	rev("t6", id);
	CHECK_INT(history_walk(gitdir, id, paths, 2, full, &d), 0);
	/* No repository at all: nothing is read. */
	CHECK_INT(history_walk_stats("/nonexistent/.git", id, paths, 2, got,
	    c.p, c.len, &c2, &st, &d), 0);
	CHECK_INT(st.cache, HISTORY_CACHE_HIT);
	CHECK_INT(st.commits + st.trees, 0);
	CHECK_INT(d.len, 0);
	CHECK(same_infos(full, got, 2));
	CHECK(c.len == c2.len && memcmp(c.p, c2.p, c.len) == 0);
	CHECK_STR(got[0].created_author, "Alice");
	CHECK_INT(got[0].created_time, 1622541600);
	history_info_release(full, 2);
	history_info_release(got, 2);
	buf_release(&c);
	buf_release(&c2);
	diag_release(&d);
}

TEST(cache_other_history)
{
	struct history_stats st;
	struct buf c = BUF_INIT;
	size_t nw;

	open_repo("i");
	/* Rewritten: t7 is not an ancestor of rw1. Silent full walk. */
	make_cache("t7", &c);
	check_cached("rw1", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_NONE);
	CHECK_INT(nw, 0);
	/* A merge since: its side commits are older than the cache's. */
	check_cached("mg1", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_NONE);
	CHECK_INT(nw, 0);
	buf_release(&c);
	/* A cache of another repository: its commit is unknown here. */
	open_repo("h");
	make_cache("HEAD~1", &c);
	open_repo("i");
	check_cached("t7", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_NONE);
	CHECK_INT(nw, 0);
	/* Another version of the format. */
	c.p[16] = '3';
	check_cached("t7", NULL, &c, &st, &nw);
	CHECK_INT(st.cache, HISTORY_CACHE_NONE);
	CHECK_INT(nw, 0);
	buf_release(&c);
}

/* Rewrites the trailing checksum, as a hostile file would. */
static void
reseal(struct buf *c)
{
	uint64_t h = XXH3_64bits(c->p, c->len - 8);
	int i;

	for (i = 0; i < 8; i++)
		c->p[c->len - 8 + i] = (char)(h >> (8 * i));
}

TEST(cache_damaged)
{
	struct history_stats st;
	struct buf c = BUF_INIT, bad = BUF_INIT;
	uint32_t seed = 12345;
	size_t len, nw, i, k;
	char id[64];

	open_repo("i");
	make_cache("t6", &c);
	rev("t6", id);
	/* Every truncation: ignored with a warning, right result. */
	for (len = 1; len < c.len; len++) {
		buf_reset(&bad);
		buf_add(&bad, c.p, len);
		check_cached("t7", NULL, &bad, &st, &nw);
		CHECK_INT(st.cache, HISTORY_CACHE_NONE);
		if (nw != 1)
			fprintf(stderr, "  truncated at %zu: %zu warnings\n", len, nw);
		CHECK_INT(nw, 1);
	}
	/* One changed byte: always caught (the version digit aside). */
	for (i = 0; i < 300; i++) {
		buf_reset(&bad);
		buf_add(&bad, c.p, c.len);
		seed = seed * 1103515245u + 12345u;
		k = (seed >> 8) % c.len;
		bad.p[k] ^= (char)(1 + (seed >> 4) % 255);
		check_cached("t7", NULL, &bad, &st, &nw);
		CHECK_INT(st.cache, HISTORY_CACHE_NONE);
		CHECK(nw <= 1);
	}
	/* Hostile: bytes changed and the checksum made right again. The
	 * dates may then be wrong, but nothing may be read out of bounds. */
	for (i = 0; i < 2000; i++) {
		struct history_info hi[3];
		static const char *const paths[] = {
			"pages/x.md", "posts/a.md", "posts/c.md",
		};
		struct diag d;
		int j;

		buf_reset(&bad);
		buf_add(&bad, c.p, c.len);
		for (j = 0; j < 1 + (int)(i % 4); j++) {
			seed = seed * 1103515245u + 12345u;
			k = 58 + (seed >> 8) % (c.len - 66);
			bad.p[k] = (char)(i % 3 == 0 ? (seed >> 4) & 0xff :
			    i % 3 == 1 ? 0xff : 0);
		}
		reseal(&bad);
		memset(hi, 0, sizeof hi);
		diag_init(&d);
		CHECK_INT(history_walk_cached(gitdir, id, paths, 3, hi, bad.p,
		    bad.len, NULL, &d), 0);
		CHECK_INT(d.nerrors, 0);
		history_info_release(hi, 3);
		diag_release(&d);
	}
	buf_release(&c);
	buf_release(&bad);
}

int
main(void)
{
	int rc;

	if (mkdtemp(tmp) == NULL || gitsrc_global_init() < 0)
		return 2;
	setenv("HOME", tmp, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_EMAIL", "classe@ecole.example", 1);
	setenv("GIT_COMMITTER_NAME", "Classe", 1);
	setenv("GIT_COMMITTER_EMAIL", "classe@ecole.example", 1);
	if (sh("%s", fixture) != 0) {
		fprintf(stderr, "cannot make the fixture repositories in %s\n", tmp);
		return 2;
	}
	RUN(dates_and_authors);
	RUN(with_gitsrc);
	RUN(early_stop);
	RUN(bad_input);
	RUN(cache_new_commits);
	RUN(cache_from_listing);
	RUN(cache_one_commit_from_ids);
	RUN(cache_same_commit);
	RUN(cache_other_history);
	RUN(cache_damaged);
	memo_release();
	rc = t_summary();
	sh("cd / && rm -rf '%s'", tmp);
	gitsrc_global_shutdown();
	return rc;
}
