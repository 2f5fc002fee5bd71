/*
 * yml: YAML text -> val tree, with libyaml's event API (see LIBNOTES.md).
 *
 * Safe for hostile input: alias events are refused (no billion laughs),
 * nesting deeper than limits->max_depth is refused before libyaml's
 * quadratic cost sets in, and input over limits->max_bytes is refused.
 * Scalars stay strings (val.u.s.plain says whether the scalar was unquoted),
 * except plain `true/false` (any case), which become VAL_BOOL, and plain
 * `~`, `null` or empty, which become VAL_NULL. Every node carries the line
 * and column where it starts, shifted by line_offset (so front matter
 * errors are counted from the top of the Markdown file).
 */
#ifndef ARDOISE_YML_H
#define ARDOISE_YML_H

#include <stddef.h>

struct diag;
struct val;

struct yml_limits {
	int max_depth;		/* containers nested deeper than this are refused; default 32 */
	size_t max_bytes;	/* default 64 KiB */
};
#define YML_LIMITS_DEFAULT { 32, 65536 }

/*
 * Parses one YAML document from text[0..len). On success stores the root
 * (a new tree the caller frees with val_free; an empty document gives an
 * empty map) in *out and returns 0. On failure reports one error to d as
 * path:line:col and returns -1 with *out NULL. line_offset is added to
 * every line number (0 for a whole file).
 */
int yml_parse(const char *text, size_t len, const char *path, int line_offset,
    const struct yml_limits *limits, struct val **out, struct diag *d);

#endif
