/*
 * diag: collects the diagnostics of a run (content errors and warnings)
 * so that all of them are reported together, as `path:line:col: message`.
 * Messages are passed already translated (callers wrap formats in _()).
 * Not thread-safe: give each thread its own and merge with diag_merge().
 */
#ifndef ARDOISE_DIAG_H
#define ARDOISE_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag_item {
	enum diag_level level;
	char *path;		/* may be NULL for a message about no file */
	int line, col;		/* 0 when unknown */
	char *msg;
};

struct diag {
	struct diag_item *items;
	size_t len, cap;
	size_t nerrors, nwarnings;
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);
void diag_add(struct diag *d, enum diag_level level, const char *path,
    int line, int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* diag_add with a message as it is (not a format). */
void diag_add_text(struct diag *d, enum diag_level level, const char *path,
    int line, int col, const char *msg);
#define diag_error(d, path, line, col, ...) \
	diag_add((d), DIAG_ERROR, (path), (line), (col), __VA_ARGS__)
#define diag_warn(d, path, line, col, ...) \
	diag_add((d), DIAG_WARNING, (path), (line), (col), __VA_ARGS__)
/* Appends copies of src's items from index from on to d. */
void diag_copy(struct diag *d, const struct diag *src, size_t from);
/* Moves every item of src to the end of d; src is left empty. */
void diag_merge(struct diag *d, struct diag *src);
/* Prints errors then warnings, each group sorted by path, line, column:
 * "path:line:col: error: msg". */
void diag_print(const struct diag *d, FILE *f);

#endif
