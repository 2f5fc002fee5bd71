/*
 * manifest: what an output directory holds, kept in <dir>/.ardoise/manifest
 * so that the next build can reuse the files whose content it would write
 * again: one line per file, "key path", sorted by path, between a header
 * naming the format and ardoise's version and a trailer with the number of
 * entries and a checksum of everything before it. A key is "x:" and the
 * XXH3-128 of the content for generated files, "d:" and the XXH3-128 of
 * what a page was rendered from (layout.c: program, themes, template,
 * data), or "b:" and the git blob id for files copied from the
 * repository.
 *
 * A manifest that does not parse, was written by another version or fails
 * its checksum is rejected whole: a cache is never trusted half.
 */
#ifndef ARDOISE_MANIFEST_H
#define ARDOISE_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "strindex.h"

struct buf;

struct manifest_entry {
	char *path;
	char *key;
};

struct manifest {
	struct manifest_entry *v;
	size_t len, cap;
	char *block;		/* parsed: every path and key, in one allocation */
	struct strindex by_path;	/* parsed: entries */
};

void manifest_init(struct manifest *m);
void manifest_release(struct manifest *m);
/* Parses text into m (sorted by path). Returns 0, or -1 with m empty and
 * a short English reason (to be translated by the caller) in *why. */
int manifest_parse(struct manifest *m, const char *text, size_t len, const char **why);
/* The same with text's bytes, parsed in place: text is left empty. */
int manifest_take(struct manifest *m, struct buf *text, const char **why);
/* The key of path, or NULL (m sorted). */
const char *manifest_find(const struct manifest *m, const char *path);
/* The index of path's entry, or MANIFEST_NONE (m sorted). */
#define MANIFEST_NONE ((size_t)-1)
size_t manifest_index(const struct manifest *m, const char *path);
/* Appends an entry (copies both strings). */
void manifest_add(struct manifest *m, const char *path, const char *key);
/* Sorts m and writes it, with header and trailer, to out. */
void manifest_format(struct manifest *m, struct buf *out);
/* The same, with the entries of base (sorted) whose mark is kept merged
 * in (none of their paths in m). */
void manifest_format_with(struct manifest *m, const struct manifest *base,
    const unsigned char *mark, unsigned char kept, struct buf *out);
/* Writes "x:" and the hash of p[0..n) (35 characters and a NUL) to key. */
void manifest_content_key(const void *p, size_t n, char key[36]);

#endif
