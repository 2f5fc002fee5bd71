#include "gitsrc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include "xxh.h"

#include "bin.h"
#include "buf.h"
#include "diag.h"
#include "gitpack.h"
#include "gittree.h"
#include "strindex.h"
#include "strpool.h"
#include "util.h"

/* Deeper directories than this are refused in worktree mode: each level
 * holds a file descriptor open, and no class blog needs more. */
#define WALK_MAX_DEPTH 64

struct gitsrc {
	git_repository *repo;	/* git mode only */
	char *repo_arg;		/* git mode: the path given, for messages */
	git_oid tree_id;	/* git mode: the commit's tree */
	int listed;		/* files listed (gitsrc_list) */
	char *root;		/* worktree mode: the directory read */
	struct gitsrc_file *files;
	size_t len, cap;
	struct gitsrc_commit commit;
	char *gitdir;		/* NULL for a plain folder */
	struct gitpack *gp;	/* git mode: pack reader, opened on first read */
	/* gitsrc_use_sizes: SIZE_REC-byte records sorted by id, and where
	 * those of each first byte start (fanout[b]..fanout[b + 1]); while
	 * listing, which of them a file used */
	const unsigned char *sizes;
	size_t fanout[257];
	unsigned char *sizes_used;
	/* the records of gitsrc_sizes: those of sizes that were used, still
	 * sorted, and those of the blobs sized otherwise, in listing order */
	struct buf kept, fresh;
	struct strindex by_path;	/* gitsrc_find: made once the files are listed */
	struct strpool paths;	/* the files' paths */
};

#define SIZES_MAGIC "ardoise-sizes 1\n"
#define SIZE_REC 28

/* State shared by the two listing walks. */
struct walk {
	struct gitsrc *s;
	struct diag *d;
	git_odb *odb;
	struct buf path;
	struct buf data;
	int err;
};

int
gitsrc_global_init(void)
{
	static const int levels[] = {
		GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
		GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
	};
	size_t i;

	if (git_libgit2_init() < 0)
		return -1;
	for (i = 0; i < ARRAY_LEN(levels); i++)
		if (git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], "") < 0)
			goto fail;
	if (git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0) < 0)
		goto fail;
	/*
	 * libgit2 re-hashes every object it reads; git does so only in fsck.
	 * The history walk reads two large trees per commit, and this check
	 * took more than half of its time (11 s → 4 s on 10,000 commits).
	 */
	if (git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0)
		goto fail;
	/*
	 * Pack files are mapped in windows that stay mapped up to a limit of
	 * 8 GiB: every page read stays in the resident set, so a build of a
	 * 40 MB pack held it all. Small windows under a small limit keep
	 * memory flat at no measurable cost (the data is in the page cache).
	 */
	/*
	 * Its object cache (256 MB by default) kept every commit and small
	 * tree the history walk read, 9 MB of a 10,000-commit build's peak
	 * memory, while a build reads each object once: no cache at all,
	 * at no measurable cost.
	 */
	if (git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)0) < 0)
		goto fail;
	if (git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)2 << 20) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)8 << 20) < 0)
		goto fail;
	return 0;
fail:
	git_libgit2_shutdown();
	return -1;
}

void
gitsrc_global_shutdown(void)
{
	git_libgit2_shutdown();
}

/* libgit2 errors are thread-local and may be missing: never print NULL. */
static const char *
git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : _("unknown libgit2 error");
}

/*
 * Names come from the repository or the disk and may hold terminal escape
 * sequences or broken UTF-8: show such bytes as \xNN in messages.
 */
static char *
display_name(const char *s)
{
	struct buf b = BUF_INIT;
	int valid = utf8_valid(s, strlen(s));

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '\\' || (c >= 0x80 && !valid))
			buf_printf(&b, "\\x%02x", c);
		else
			buf_putc(&b, c);
	}
	return buf_detach(&b, NULL);
}

/*
 * A name becomes part of an output path and of URLs: refuse what could
 * climb out of the site (".", ".."), what Windows readers of the USB copy
 * take as a separator (backslash), control characters and invalid UTF-8.
 * Tree entries are not validated by libgit2 when read, hence '/' too.
 */
static int
name_safe(const char *name)
{
	/* the bytes refused, and the NUL that ends the loop: one lookup a
	 * byte (every name of the commit is checked, at every build) */
	static const unsigned char stop[256] = {
		[0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1,
		[8] = 1, [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1,
		[15] = 1, [16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1,
		[22] = 1, [23] = 1, [24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1,
		[29] = 1, [30] = 1, [31] = 1, [0x7f] = 1, ['\\'] = 1, ['/'] = 1,
	};
	const unsigned char *p;
	unsigned high = 0;

	if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	for (p = (const unsigned char *)name; !stop[*p]; p++)
		high |= *p;
	if (*p)
		return 0;
	return high < 0x80 || utf8_valid(name, (size_t)(p - (const unsigned char *)name));
}

static void
warn_unsafe(struct diag *d, const char *path)
{
	char *shown = display_name(path);

	diag_warn(d, shown, 0, 0, _("unsafe file name \"%s\" ignored: rename it "
	    "without control characters, backslashes or invalid UTF-8"), shown);
	free(shown);
}

static void
warn_link(struct diag *d, const char *path)
{
	diag_warn(d, path, 0, 0,
	    _("symbolic link \"%s\" ignored: ardoise never follows links"), path);
}

static void
warn_submodule(struct diag *d, const char *path)
{
	diag_warn(d, path, 0, 0, _("submodule \"%s\" ignored: put its files in "
	    "this repository to publish them"), path);
}

/* The 40 hex digits of id and a NUL (git_oid_tostr, without its checks:
 * called for every file listed). */
static void
hex_of(const git_oid *id, char out[GIT_OID_HEXSZ + 1])
{
	static const char digit[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < GIT_OID_RAWSZ; i++) {
		out[2 * i] = digit[id->id[i] >> 4];
		out[2 * i + 1] = digit[id->id[i] & 15];
	}
	out[GIT_OID_HEXSZ] = '\0';
}

/* Adds a file; recorded: its size came from gitsrc_use_sizes's records. */
static void
add_file(struct gitsrc *s, const char *path, const git_oid *oid, unsigned mode, uint64_t size,
    int recorded)
{
	struct gitsrc_file *f;

	s->files = xgrow(s->files, &s->cap, s->len + 1, sizeof *s->files);
	f = &s->files[s->len++];
	f->path = strpool_dup(&s->paths, path);
	hex_of(oid, f->oid);
	memcpy(f->id, oid->id, GIT_OID_RAWSZ);
	f->mode = mode;
	f->size = size;
	if (!recorded) {
		buf_add(&s->fresh, (const char *)oid->id, GIT_OID_RAWSZ);
		bin_put_u64(&s->fresh, size);
	}
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct gitsrc_file *)a)->path,
	    ((const struct gitsrc_file *)b)->path);
}

/* The table of gitsrc_find. */
static void
index_files(struct gitsrc *s)
{
	size_t i;

	strindex_release(&s->by_path);
	strindex_init(&s->by_path, s->len);
	for (i = 0; i < s->len; i++)
		strindex_add(&s->by_path, s->files[i].path, i);
}

/* A malformed tree may name a path twice: keep the first, as git would. */
static void
sort_files(struct gitsrc *s, struct diag *d)
{
	size_t i, j;

	if (s->len == 0) {
		index_files(s);
		return;
	}
	/* a tree walk lists paths in git's order, which is this one: checked
	 * in one pass, sorted only when it is not (a folder read from disk) */
	for (i = 1; i < s->len && strcmp(s->files[i - 1].path, s->files[i].path) < 0; i++)
		;
	if (i < s->len)
		sort_array(s->files, s->len, sizeof *s->files, file_cmp);
	for (i = 1, j = 1; i < s->len; i++) {
		if (strcmp(s->files[i].path, s->files[j - 1].path) == 0) {
			diag_warn(d, s->files[i].path, 0, 0, _("duplicate entry "
			    "\"%s\" ignored: the tree is malformed, run git fsck"),
			    s->files[i].path);
			continue;
		}
		s->files[j++] = s->files[i];
	}
	s->len = j;
	index_files(s);
}

void
gitsrc_use_sizes(struct gitsrc *s, const void *data, size_t len)
{
	const unsigned char *u = data, *recs;
	size_t ml = strlen(SIZES_MAGIC), n, i, b;
	struct bin_rd r;

	s->sizes = NULL;
	if (len < ml + 8 || (len - ml - 8) % SIZE_REC || memcmp(u, SIZES_MAGIC, ml) != 0)
		return;
	bin_rd_init(&r, u + len - 8, 8);
	if (XXH3_64bits(u, len - 8) != bin_u64(&r))
		return;
	recs = u + ml;
	n = (len - ml - 8) / SIZE_REC;
	for (i = 1; i < n; i++)
		if (memcmp(recs + (i - 1) * SIZE_REC, recs + i * SIZE_REC, GIT_OID_RAWSZ) >= 0)
			return;	/* not sorted: not ours */
	for (b = 0, i = 0; b < 256; b++) {
		s->fanout[b] = i;
		while (i < n && recs[i * SIZE_REC] == b)
			i++;
	}
	s->fanout[256] = n;
	s->sizes = recs;
	free(s->sizes_used);
	s->sizes_used = xcalloc(n + 1, 1);
}

static int
cmp_id(const void *id, const void *rec)
{
	return memcmp(id, rec, GIT_OID_RAWSZ);
}

/* The size gitsrc_use_sizes gave for blob id: 1 and *size, or 0. */
static int
known_size(const struct gitsrc *s, const git_oid *id, size_t *size)
{
	const unsigned char *rec;
	struct bin_rd r;
	size_t lo;

	if (!s->sizes)
		return 0;
	lo = s->fanout[id->id[0]];
	rec = bsearch(id->id, s->sizes + lo * SIZE_REC, s->fanout[id->id[0] + 1] - lo, SIZE_REC,
	    cmp_id);
	if (!rec)
		return 0;
	s->sizes_used[(size_t)(rec - s->sizes) / SIZE_REC] = 1;
	bin_rd_init(&r, rec + GIT_OID_RAWSZ, 8);
	*size = (size_t)bin_u64(&r);
	return 1;
}

/* Keeps the records the listing used (the borrowed ones are not kept). */
static void
keep_used_sizes(struct gitsrc *s)
{
	size_t i, n = s->fanout[256];

	for (i = 0; s->sizes && i < n; i++)
		if (s->sizes_used[i])
			buf_add(&s->kept, (const char *)s->sizes + i * SIZE_REC, SIZE_REC);
	free(s->sizes_used);
	s->sizes_used = NULL;
	s->sizes = NULL;
}

static int
cmp_rec(const void *a, const void *b)
{
	return memcmp(a, b, SIZE_REC);
}

/* Appends rec to out unless it repeats the id of the record before it. */
static void
put_rec(struct buf *out, size_t start, const unsigned char *rec)
{
	if (out->len == start || memcmp(out->p + out->len - SIZE_REC, rec, GIT_OID_RAWSZ) != 0)
		buf_add(out, (const char *)rec, SIZE_REC);
}

void
gitsrc_sizes(const struct gitsrc *s, struct buf *out)
{
	const unsigned char *a = (const unsigned char *)s->kept.p;
	unsigned char *b = (unsigned char *)xmalloc(s->fresh.len + 1);
	size_t na = s->kept.len / SIZE_REC, nb = s->fresh.len / SIZE_REC, i = 0, j = 0, start;

	/* the records used, sorted already, merged with the new ones: a
	 * rebuild sorts only what changed */
	memcpy(b, s->fresh.p, s->fresh.len);
	sort_array(b, nb, SIZE_REC, cmp_rec);
	buf_puts(out, SIZES_MAGIC);
	start = out->len;
	while (i < na || j < nb) {
		if (j == nb || (i < na && memcmp(a + i * SIZE_REC, b + j * SIZE_REC, SIZE_REC) <= 0))
			put_rec(out, start, a + i++ * SIZE_REC);
		else
			put_rec(out, start, b + j++ * SIZE_REC);
	}
	bin_put_u64(out, XXH3_64bits(out->p, out->len));
	free(b);
}

/*
 * Objects of at most this size are read by gitpack (packs and loose
 * objects) rather than libgit2; it keeps up to PACK_CACHE bytes of them,
 * or four times the largest tree read.
 */
#define PACK_READ_MAX ((uint64_t)1 << 20)
#define PACK_CACHE ((size_t)1 << 20)

/* A tree's raw bytes, read by gitpack or else by libgit2. */
struct raw_tree {
	const unsigned char *p;
	size_t len;
	struct gitpack_obj *pobj;
	git_odb_object *gobj;
};

static int
tree_read(struct walk *w, const unsigned char *id, struct raw_tree *t)
{
	struct gitsrc *s = w->s;
	git_oid oid;

	memset(t, 0, sizeof *t);
	if (s->gp == NULL)
		s->gp = gitpack_open_repo(s->repo, PACK_CACHE);
	if (gitpack_read(s->gp, id, &t->pobj) && t->pobj->type == GIT_OBJECT_TREE) {
		t->p = t->pobj->data;
		t->len = t->pobj->len;
		return 0;
	}
	gitpack_obj_release(t->pobj);
	t->pobj = NULL;
	git_oid_fromraw(&oid, id);
	if (git_odb_read(&t->gobj, w->odb, &oid) < 0)
		return -1;
	if (git_odb_object_type(t->gobj) != GIT_OBJECT_TREE) {
		git_odb_object_free(t->gobj);
		git_error_set_str(GIT_ERROR_INVALID, "not a tree");
		return -1;
	}
	t->p = git_odb_object_data(t->gobj);
	t->len = git_odb_object_size(t->gobj);
	return 0;
}

static void
tree_release(struct raw_tree *t)
{
	gitpack_obj_release(t->pobj);
	git_odb_object_free(t->gobj);
}

static int list_tree(struct walk *w, const unsigned char *id, int depth);

/* One entry under the directory w->path holds (with its '/'). */
static int
list_entry(struct walk *w, const struct gittree_entry *e, int depth)
{
	git_object_t htype;
	git_oid oid;
	size_t size;
	int recorded;

	buf_add(&w->path, e->name, e->nlen);
	if (!name_safe(e->name)) {
		warn_unsafe(w->d, w->path.p);
		return 0;	/* a directory too: none of its files */
	}
	switch (gittree_kind(e->mode)) {
	case GITTREE_TREE:
		buf_putc(&w->path, '/');
		return list_tree(w, e->id, depth + 1);
	case GITTREE_COMMIT:
		warn_submodule(w->d, w->path.p);
		return 0;
	}
	/* as libgit2 reads modes: an executable bit makes any a file */
	if ((e->mode & 0170000) == 0120000 && !(e->mode & 0111)) {
		warn_link(w->d, w->path.p);
		return 0;
	}
	/* The header alone gives the size: listing never inflates a blob. */
	memcpy(oid.id, e->id, GIT_OID_RAWSZ);
	recorded = known_size(w->s, &oid, &size);
	if (!recorded && git_odb_read_header(&size, &htype, w->odb, &oid) < 0) {
		diag_error(w->d, w->path.p, 0, 0, _("cannot read the blob of "
		    "\"%s\": %s; run git fsck"), w->path.p, git_msg());
		w->err = 1;
		return -1;
	}
	add_file(w->s, w->path.p, &oid, e->mode & 0111 ? 0100755 : 0100644, size, recorded);
	return 0;
}

/*
 * The files of tree id, under the directory w->path holds, in git's
 * order (which for paths is bytewise order). Trees are read raw and
 * walked in place (gittree.h).
 */
static int
list_tree(struct walk *w, const unsigned char *id, int depth)
{
	struct raw_tree t;
	size_t o, next, base = w->path.len;
	struct gittree_entry e;
	int rc = 0;

	/* Deeper than any real site; a crafted tree must not end the stack. */
	if (depth > 256) {
		diag_error(w->d, w->path.p, 0, 0, _("cannot read the tree of commit %s in %s: %s; "
		    "run git fsck"), w->s->commit.id, w->s->repo_arg, _("directories nested too deep"));
		w->err = 1;
		return -1;
	}
	if (tree_read(w, id, &t) < 0)
		return -1;
	for (o = 0; o < t.len && rc == 0; o = next) {
		if ((next = gittree_next(t.p, t.len, o)) == 0) {
			git_error_set_str(GIT_ERROR_INVALID, "malformed tree entry");
			rc = -1;
			break;
		}
		gittree_entry(t.p, o, &e);
		rc = list_entry(w, &e, depth);
		buf_truncate(&w->path, base);
	}
	tree_release(&t);
	return rc;
}

static void
set_commit(struct gitsrc *s, const git_commit *c)
{
	git_oid_tostr(s->commit.id, sizeof s->commit.id, git_commit_id(c));
	s->commit.time = git_commit_time(c);
	s->commit.offset = git_commit_time_offset(c);
}

/*
 * An unborn HEAD and no reference at all: a freshly made repository.
 * (git_repository_is_empty only knows the default branch name.)
 */
static int
no_commit(git_repository *r)
{
	git_reference_iterator *it;
	git_reference *ref;
	int rc;

	if (git_repository_head_unborn(r) != 1 ||
	    git_reference_iterator_new(&it, r) < 0)
		return 0;
	rc = git_reference_next(&ref, it);
	if (rc == 0)
		git_reference_free(ref);
	git_reference_iterator_free(it);
	return rc == GIT_ITEROVER;
}

static int
resolve(struct gitsrc *s, const char *repo, const char *ref, git_commit **out,
    struct diag *d)
{
	git_object *obj = NULL, *peeled = NULL;
	const char *spec = ref ? ref : "HEAD";
	int rc;

	rc = git_revparse_single(&obj, s->repo, spec);
	if (rc == GIT_ENOTFOUND && no_commit(s->repo)) {
		diag_error(d, NULL, 0, 0, _("repository \"%s\" has no commit "
		    "yet: commit some content first, or use --worktree"), repo);
		return -1;
	} else if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EAMBIGUOUS) {
		diag_error(d, NULL, 0, 0, _("ref \"%s\" not found in %s: give a "
		    "branch, tag or commit id"), spec, repo);
		return -1;
	} else if (rc < 0) {
		diag_error(d, NULL, 0, 0, _("cannot resolve ref \"%s\" in %s: %s"),
		    spec, repo, git_msg());
		return -1;
	}
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0) {
		diag_error(d, NULL, 0, 0, _("ref \"%s\" in %s does not name a "
		    "commit: give a branch, tag or commit id"), spec, repo);
		return -1;
	}
	*out = (git_commit *)peeled;
	return 0;
}

/* Opens the repository and resolves ref: s->commit, s->tree_id. */
static int
open_git(struct gitsrc *s, const char *repo, const char *ref, struct diag *d)
{
	git_commit *c = NULL;
	int rc;

	rc = git_repository_open_ext(&s->repo, repo,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND) {
		diag_error(d, NULL, 0, 0, _("\"%s\" is not a git repository: give "
		    "the path of a class repository, or use --worktree"), repo);
		return -1;
	} else if (rc < 0) {
		diag_error(d, NULL, 0, 0, _("cannot open repository \"%s\": %s"),
		    repo, git_msg());
		return -1;
	}
	s->gitdir = xstrdup(git_repository_path(s->repo));
	if (resolve(s, repo, ref, &c, d) < 0)
		return -1;
	set_commit(s, c);
	git_oid_cpy(&s->tree_id, git_commit_tree_id(c));
	s->repo_arg = xstrdup(repo);
	git_commit_free(c);
	return 0;
}

/* Lists the files of the commit open_git resolved. */
static int
list_git(struct gitsrc *s, struct diag *d)
{
	struct walk w = { s, d, NULL, BUF_INIT, BUF_INIT, 0 };
	int rc, ret = -1;

	if (git_repository_odb(&w.odb, s->repo) < 0) {
		diag_error(d, NULL, 0, 0, _("cannot read commit %s in %s: %s; "
		    "run git fsck"), s->commit.id, s->repo_arg, git_msg());
		goto out;
	}
	rc = list_tree(&w, s->tree_id.id, 0);
	if (rc < 0) {
		if (!w.err)
			diag_error(d, NULL, 0, 0, _("cannot read the tree of "
			    "commit %s in %s: %s; run git fsck"), s->commit.id,
			    s->repo_arg, git_msg());
		goto out;
	}
	sort_files(s, d);
	ret = 0;
out:
	git_odb_free(w.odb);
	buf_release(&w.path);
	return ret;
}

/* Reads a whole regular file; refuses anything else. Sets errno on -1. */
static int
read_fd(int fd, struct buf *out)
{
	struct stat st;
	char tmp[65536];
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	if (st.st_size > 0)
		buf_grow(out, (size_t)st.st_size);
	for (;;) {
		n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		buf_add(out, tmp, (size_t)n);
	}
}

/* A directory holding .git is another repository: like a submodule. */
static int
is_nested_repo(int dfd)
{
	struct stat st;

	return fstatat(dfd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static int walk_dir(struct walk *w, int dfd, int depth);

static int
walk_entry(struct walk *w, int dfd, const char *name, int depth)
{
	struct stat st;
	git_oid oid;
	int fd, rc;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		goto fail;
	if (S_ISLNK(st.st_mode)) {
		warn_link(w->d, w->path.p);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		/* .ardoise holds our own cache, never content. */
		if (strcmp(name, ".ardoise") == 0)
			return 0;
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd < 0)
			goto fail;
		if (is_nested_repo(fd)) {
			close(fd);
			warn_submodule(w->d, w->path.p);
			return 0;
		}
		return walk_dir(w, fd, depth + 1);
	}
	if (!S_ISREG(st.st_mode)) {
		diag_warn(w->d, w->path.p, 0, 0, _("special file \"%s\" ignored: "
		    "only regular files are published"), w->path.p);
		return 0;
	}
	/* O_NONBLOCK: should the file turn into a FIFO meanwhile, never hang. */
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		goto fail;
	buf_reset(&w->data);
	rc = read_fd(fd, &w->data);
	close(fd);
	if (rc < 0)
		goto fail;
	/* The id git would give: the cache keys outputs on blob ids. */
	if (git_odb_hash(&oid, w->data.p, w->data.len, GIT_OBJECT_BLOB) < 0) {
		diag_error(w->d, w->path.p, 0, 0, _("cannot hash \"%s\": %s"),
		    w->path.p, git_msg());
		return -1;
	}
	add_file(w->s, w->path.p, &oid, 0, w->data.len, 0);
	return 0;
fail:
	diag_error(w->d, w->path.p, 0, 0, _("cannot read \"%s\": %s; check its "
	    "permissions"), w->path.p, strerror(errno));
	return -1;
}

/* Takes ownership of dfd. */
static int
walk_dir(struct walk *w, int dfd, int depth)
{
	struct dirent *de;
	DIR *dir;
	size_t base = w->path.len;
	int ret = -1;

	if (depth > WALK_MAX_DEPTH) {
		close(dfd);
		diag_error(w->d, w->path.p, 0, 0, _("directory \"%s\" is nested "
		    "more than %d levels deep: flatten it"), w->path.p,
		    WALK_MAX_DEPTH);
		return -1;
	}
	if ((dir = fdopendir(dfd)) == NULL) {
		close(dfd);
		diag_error(w->d, w->path.p, 0, 0, _("cannot read directory "
		    "\"%s\": %s"), depth ? w->path.p : w->s->root, strerror(errno));
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(dir)) == NULL)
			break;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* git metadata is not content. */
		if (depth == 0 && strcmp(de->d_name, ".git") == 0)
			continue;
		buf_truncate(&w->path, base);
		if (base)
			buf_putc(&w->path, '/');
		buf_puts(&w->path, de->d_name);
		if (!name_safe(de->d_name)) {
			warn_unsafe(w->d, w->path.p);
			continue;
		}
		if (walk_entry(w, dirfd(dir), de->d_name, depth) < 0)
			goto out;
	}
	if (errno) {
		buf_truncate(&w->path, base);
		diag_error(w->d, w->path.p, 0, 0, _("cannot read directory "
		    "\"%s\": %s"), depth ? w->path.p : w->s->root, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	buf_truncate(&w->path, base);
	closedir(dir);
	return ret;
}

/* A preview inside a work tree still knows its HEAD; a plain folder not. */
static void
worktree_head(struct gitsrc *s, const char *dir)
{
	git_repository *repo = NULL;
	git_object *obj = NULL;

	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0)
		return;
	s->gitdir = xstrdup(git_repository_path(repo));
	if (git_revparse_single(&obj, repo, "HEAD^{commit}") == 0)
		set_commit(s, (git_commit *)obj);
	git_object_free(obj);
	git_repository_free(repo);
}

static int
open_worktree(struct gitsrc *s, const char *dir, struct diag *d)
{
	struct walk w = { s, d, NULL, BUF_INIT, BUF_INIT, 0 };
	int fd, ret;

	s->root = xstrdup(dir);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		diag_error(d, NULL, 0, 0, _("cannot read directory \"%s\": %s"),
		    dir, strerror(errno));
		return -1;
	}
	ret = walk_dir(&w, fd, 0);
	buf_release(&w.path);
	buf_release(&w.data);
	if (ret < 0)
		return -1;
	sort_files(s, d);
	worktree_head(s, dir);
	return 0;
}

int
gitsrc_open(struct gitsrc **out, const char *repo, const char *ref,
    int worktree, struct diag *d)
{
	if (gitsrc_open_commit(out, repo, ref, worktree, d) < 0)
		return -1;
	if (gitsrc_list(*out, d) < 0) {
		gitsrc_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int
gitsrc_open_commit(struct gitsrc **out, const char *repo, const char *ref,
    int worktree, struct diag *d)
{
	struct gitsrc *s = xcalloc(1, sizeof *s);
	int rc;

	buf_init(&s->kept);
	buf_init(&s->fresh);
	rc = worktree ? open_worktree(s, repo, d) : open_git(s, repo, ref, d);
	if (rc < 0) {
		gitsrc_free(s);
		*out = NULL;
		return -1;
	}
	s->listed = worktree;	/* a folder is listed as it is read */
	*out = s;
	return 0;
}

int
gitsrc_list(struct gitsrc *s, struct diag *d)
{
	if (s->listed)
		return 0;
	if (list_git(s, d) < 0)
		return -1;
	keep_used_sizes(s);
	s->listed = 1;
	return 0;
}

void
gitsrc_free(struct gitsrc *s)
{
	if (s == NULL)
		return;
	strpool_release(&s->paths);
	free(s->files);
	strindex_release(&s->by_path);
	free(s->sizes_used);
	buf_release(&s->kept);
	buf_release(&s->fresh);
	gitpack_free(s->gp);
	git_repository_free(s->repo);
	free(s->repo_arg);
	free(s->root);
	free(s->gitdir);
	free(s);
}

size_t
gitsrc_count(const struct gitsrc *s)
{
	return s->len;
}

const struct gitsrc_file *
gitsrc_at(const struct gitsrc *s, size_t i)
{
	return i < s->len ? &s->files[i] : NULL;
}

size_t
gitsrc_index(const struct gitsrc *s, const struct gitsrc_file *f)
{
	return (size_t)(f - s->files);
}

const struct gitsrc_file *
gitsrc_find(const struct gitsrc *s, const char *path)
{
	size_t i = strindex_find(&s->by_path, path);

	return i == STRINDEX_NONE ? NULL : &s->files[i];
}

static int
read_disk(struct gitsrc *s, const struct gitsrc_file *f, struct buf *out,
    struct diag *d)
{
	struct buf full = BUF_INIT;
	size_t len0 = out->len;
	int fd, rc = -1;

	buf_printf(&full, "%s/%s", s->root, f->path);
	fd = open(full.p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		rc = read_fd(fd, out);
		close(fd);
	}
	if (rc < 0) {
		buf_truncate(out, len0);
		diag_error(d, f->path, 0, 0, _("cannot read \"%s\": %s; check "
		    "its permissions"), f->path, strerror(errno));
	}
	buf_release(&full);
	return rc;
}

/*
 * Blobs up to PACK_READ_MAX (posts, pages) are read by gitpack: libdeflate
 * inflates them at twice zlib's speed. Larger ones (media) go through
 * libgit2, which needs no second copy of the compressed stream.
 */
int
gitsrc_read(struct gitsrc *s, const struct gitsrc_file *f, struct buf *out,
    struct diag *d)
{
	struct gitpack_obj *o;
	git_blob *blob = NULL;
	git_oid oid;

	if (s->repo == NULL)
		return read_disk(s, f, out, d);
	memcpy(oid.id, f->id, GIT_OID_RAWSZ);
	if (f->size <= PACK_READ_MAX) {
		if (s->gp == NULL)
			s->gp = gitpack_open_repo(s->repo, PACK_CACHE);
		if (gitpack_read(s->gp, oid.id, &o)) {
			int blob_ok = o->type == GIT_OBJECT_BLOB;

			if (blob_ok)
				buf_add(out, o->data, o->len);
			gitpack_obj_release(o);
			if (blob_ok)
				return 0;
		}
	}
	if (git_blob_lookup(&blob, s->repo, &oid) < 0)
		goto fail;
	buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
fail:
	diag_error(d, f->path, 0, 0, _("cannot read the blob of \"%s\": "
	    "%s; run git fsck"), f->path, git_msg());
	return -1;
}

/* A new handle on the repository gitsrc_open found at gitdir. */
static int
reopen(const char *gitdir, git_repository **repo, struct diag *d)
{
	if (git_repository_open_ext(repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		diag_error(d, NULL, 0, 0, _("cannot open repository \"%s\": %s"),
		    gitdir, git_msg());
		*repo = NULL;
		return -1;
	}
	return 0;
}

struct gitsrc *
gitsrc_open_reader(const struct gitsrc *s, struct diag *d)
{
	struct gitsrc *r = xcalloc(1, sizeof *r);

	buf_init(&r->kept);
	buf_init(&r->fresh);
	r->commit = s->commit;
	if (s->root)
		r->root = xstrdup(s->root);
	if (s->gitdir)
		r->gitdir = xstrdup(s->gitdir);
	if (s->repo && reopen(s->gitdir, &r->repo, d) < 0) {
		gitsrc_free(r);
		return NULL;
	}
	r->listed = 1;
	return r;
}

int
gitsrc_trim(struct gitsrc *s, struct diag *d)
{
	if (s->repo == NULL)
		return 0;
	gitpack_free(s->gp);
	s->gp = NULL;
	git_repository_free(s->repo);
	return reopen(s->gitdir, &s->repo, d);
}

const struct gitsrc_commit *
gitsrc_commit(const struct gitsrc *s)
{
	return &s->commit;
}

const char *
gitsrc_gitdir(const struct gitsrc *s)
{
	return s->gitdir;
}

int
gitsrc_of_commit(const struct gitsrc *s)
{
	return s->root == NULL;
}
