/*
 * gitsrc: where the content comes from. Hides libgit2: the rest of ardoise
 * asks for the list of files and a file's bytes.
 *
 * Git mode reads the tree of a commit (any revspec; default HEAD) of a
 * bare or non-bare repository straight from the object database: no
 * checkout. Worktree mode reads a directory (teacher preview). In both,
 * symbolic links and submodules are never followed: they are left out with
 * a warning naming them, as are names that are unsafe as output paths
 * (".", "..", control characters, backslash).
 *
 * A gitsrc is used by one thread at a time.
 */
#ifndef ARDOISE_GITSRC_H
#define ARDOISE_GITSRC_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct diag;
struct gitsrc;

/*
 * Process-wide libgit2 set-up, shared by main.c and the tests: call once
 * before any thread and before any other gitsrc or history function.
 * It initialises libgit2, empties the search paths of the system, XDG,
 * global and programdata configuration files (a build must not depend on
 * who runs it) and turns off the check that the repository belongs to the
 * current user (a hook or a web server reads repositories owned by
 * another account). It also turns off the re-hashing of every object read
 * (git verifies ids only in fsck; this halves the history walk). Returns 0, or -1 when libgit2 refuses. Pair a
 * successful call with gitsrc_global_shutdown().
 */
int gitsrc_global_init(void);
void gitsrc_global_shutdown(void);

struct gitsrc_file {
	char *path;		/* '/'-separated, relative to the repository root */
	char oid[41];		/* hex blob id (worktree: the id git would give) */
	unsigned char id[20];	/* the same, raw */
	unsigned mode;		/* git mode: 0100644, or 0100755 when executable
				 * (worktree: 0, not known) */
	uint64_t size;
};

struct gitsrc_commit {
	char id[41];		/* hex commit id; "" in worktree mode without HEAD */
	int64_t time;		/* committer time */
	int offset;		/* minutes east of UTC */
};

/*
 * Opens `repo` (a directory: bare repository, work tree, or plain folder
 * in worktree mode) and lists the files of `ref` (NULL = HEAD), or of the
 * directory when worktree is set (skipping .git). Files are sorted by path
 * (bytewise). Returns 0, or -1 after reporting to d (not a repository,
 * unknown ref, I/O error). The caller frees with gitsrc_free.
 */
int gitsrc_open(struct gitsrc **out, const char *repo, const char *ref,
    int worktree, struct diag *d);
/*
 * gitsrc_open in two steps, for a caller that may stop once it knows the
 * commit (the output already holds its build): gitsrc_open_commit opens
 * and resolves ref (a folder in worktree mode is listed at once), and
 * gitsrc_list lists the commit's files; until then the file list is
 * empty. Both return 0, or -1 after reporting to d.
 */
int gitsrc_open_commit(struct gitsrc **out, const char *repo, const char *ref,
    int worktree, struct diag *d);
int gitsrc_list(struct gitsrc *s, struct diag *d);
/*
 * The sizes of blobs, kept by a build for the next (.ardoise/sizes): a
 * listing takes a blob's size from there rather than from the object
 * database (for a packed delta, that means inflating the delta's start:
 * the most of listing ten thousand posts). Format: "ardoise-sizes 1\n",
 * then the raw blob ids and their sizes (20 bytes, u64), sorted by id,
 * then a u64 XXH3 of everything before it.
 * gitsrc_use_sizes: data[0..len) (such a file, borrowed until
 * gitsrc_list; ignored when unsound) for gitsrc_list; gitsrc_sizes: the
 * file for the blobs listed, into out.
 */
void gitsrc_use_sizes(struct gitsrc *s, const void *data, size_t len);
void gitsrc_sizes(const struct gitsrc *s, struct buf *out);
void gitsrc_free(struct gitsrc *s);

size_t gitsrc_count(const struct gitsrc *s);
const struct gitsrc_file *gitsrc_at(const struct gitsrc *s, size_t i);
/* Binary search by exact path; NULL when absent. */
const struct gitsrc_file *gitsrc_find(const struct gitsrc *s, const char *path);
/*
 * Another handle on s's repository, for gitsrc_read on another thread
 * (a libgit2 handle must not be shared between threads), with the files
 * of s (not listed again: pass s's files to it). Freed with gitsrc_free,
 * before s. Returns NULL after reporting to d.
 */
struct gitsrc *gitsrc_open_reader(const struct gitsrc *s, struct diag *d);
/* The index of f, a file of s (gitsrc_at(s, gitsrc_index(s, f)) == f). */
size_t gitsrc_index(const struct gitsrc *s, const struct gitsrc_file *f);
/* Appends the bytes of f to out. Returns 0, or -1 after reporting to d. */
int gitsrc_read(struct gitsrc *s, const struct gitsrc_file *f, struct buf *out,
    struct diag *d);
/* The commit read (git mode) or HEAD of the work tree when there is one. */
/*
 * Lets libgit2 drop what it keeps of the objects read so far: each pack
 * file caches up to 16 MB of delta bases, shared by every handle open on
 * it (the history walk's included), until the last one closes. Reopens
 * the repository; call it between stages, with no other thread using s.
 * Returns 0, or -1 after reporting to d.
 */
int gitsrc_trim(struct gitsrc *s, struct diag *d);
const struct gitsrc_commit *gitsrc_commit(const struct gitsrc *s);
/* The path of the repository's git directory, or NULL (plain folder). */
const char *gitsrc_gitdir(const struct gitsrc *s);
/* 1 when the files are those of the commit (not of a folder read as it
 * is): their ids and modes are the commit tree's. */
int gitsrc_of_commit(const struct gitsrc *s);

#endif
