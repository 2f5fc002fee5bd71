/*
 * tpl: a Mustache engine (the official spec: interpolation, sections,
 * inverted sections, comments, partials, set delimiters, and inheritance
 * with parents {{<name}} and blocks {{$name}}). It knows nothing of posts:
 * it renders a named template against a val tree.
 *
 * Templates are parsed once when added; rendering does not modify the set,
 * so several threads may render from one set at the same time.
 */
#ifndef ARDOISE_TPL_H
#define ARDOISE_TPL_H

#include <stddef.h>

struct buf;
struct diag;
struct val;
struct tpl_set;

struct tpl_set *tpl_set_new(void);
void tpl_set_free(struct tpl_set *s);
/*
 * Adds (or replaces) template `name` from src[0..len). `path` names the file
 * in diagnostics (may equal name). Returns 0, or -1 after reporting a syntax
 * error (unclosed tag or section, mismatched section end, bad delimiter
 * change) to d as path:line:col.
 */
int tpl_set_add(struct tpl_set *s, const char *name, const char *path,
    const char *src, size_t len, struct diag *d);
/* Partials and parents nested deeper than depth are refused (default 64). */
void tpl_set_max_depth(struct tpl_set *s, int depth);
/* Returns 1 when the set holds `name`. */
int tpl_set_has(const struct tpl_set *s, const char *name);
/*
 * Renders template `name` with data as the root context, appending to out.
 * A missing partial renders as nothing (the spec). Returns 0, or -1 after
 * reporting to d when `name` is missing or partials/parents nest deeper
 * than the set's limit (a template including itself).
 */
int tpl_render(const struct tpl_set *s, const char *name,
    const struct val *data, struct buf *out, struct diag *d);

#endif
