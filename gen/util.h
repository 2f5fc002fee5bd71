/*
 * util: allocation that aborts on failure (the one failure allowed to end
 * the program outside main.c), gettext markers and small string helpers.
 */
#ifndef ARDOISE_UTIL_H
#define ARDOISE_UTIL_H

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define _(s) gettext(s)
#define N_(s) (s)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct buf;

_Noreturn void die_oom(void);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of `size` bytes) to hold at least `need`. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* qsort that accepts an empty or NULL array (qsort(NULL, 0) is undefined). */
void sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* The same for an array that is nearly in order already, as a rebuild's
 * lists often are: by insertion (linear then), or by sort_array once
 * that takes more than a few moves an element. Elements of at most 64
 * bytes (larger: sort_array). cmp must order every pair (no two equal):
 * both ways then give the same order. */
void sort_nearly_sorted(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *));

/*
 * Finds a folder that ships with the program: $env when set, else the
 * first of rel[0..n) (relative to the directory of the running binary,
 * e.g. "../themes" from build/ardoise, "../share/ardoise/themes" once
 * installed) holding the file or folder `probe`. Returns a malloc'd path
 * or NULL.
 */
char *exe_resource_dir(const char *env, const char *const *rel, size_t n,
    const char *probe);

/* Monotonic seconds, for timing reports. */
double clock_seconds(void);

/* The peak resident set of this process so far, in MB (for ARDOISE_TIMING). */
long peak_rss_mb(void);

/*
 * The repository path that ref[0..reflen) leads to from the file `from`
 * (or from the folder `from` when it ends with '/'): percent-decoded,
 * joined to from's folder (or to the root when ref starts with '/'), "."
 * and ".." folded. Writes it to out and returns 0, or -1 when it would
 * leave the repository or holds a NUL (%00).
 */
int path_resolve(const char *from, const char *ref, size_t reflen, struct buf *out);

int str_starts(const char *s, const char *prefix);
int str_ends(const char *s, const char *suffix);
/* Case-insensitive ASCII suffix test, for file extensions. */
int str_ends_ci(const char *s, const char *suffix);
/* Returns the extension after the last '.' of the last path component, lower-case
 * ASCII copied into ext (size n), or "" when none. */
void path_ext(const char *path, char *ext, size_t n);
/* Offset of the first byte of s[0..n) that is NUL or does not start a valid
 * UTF-8 sequence (overlong forms, surrogates and code points past U+10FFFF
 * are invalid), or n when all is valid. */
size_t utf8_check(const char *s, size_t n);
/* Returns 1 when s[0..n) is valid UTF-8 without NUL bytes. */
int utf8_valid(const char *s, size_t n);
/* Calls fn(arg, from, to) over [0, n) cut into k parts at most, side by
 * side on threads (this one runs the first part); in one part when n is
 * under min. fn must touch nothing another part touches. */
void run_parts(size_t n, size_t k, size_t min, void (*fn)(void *arg, size_t from, size_t to),
    void *arg);
/* Reads a whole regular file into b (appending). Returns 0, or -1 with errno set. */
int file_read(const char *path, struct buf *b);
/* Maps a whole non-empty regular file read-only into *p, *len. Returns 0
 * (undo with file_unmap), or -1 with errno set. */
int file_map(const char *path, const void **p, size_t *len);
void file_unmap(const void *p, size_t len);

#endif
