/*
 * fm: front matter of Markdown files (posts, notebook pages, pages) and
 * the typed reading of known keys.
 *
 * A file starts with front matter when its first line (after an optional
 * UTF-8 BOM) is exactly `---`; the front matter ends at the next line that
 * is exactly `---` or `...`. CRLF line ends are accepted.
 */
#ifndef ARDOISE_FM_H
#define ARDOISE_FM_H

#include <stddef.h>

#include "date.h"

struct diag;
struct val;
struct yml_limits;

struct fm_split {
	const char *yaml;	/* points into the text; NULL when there is no front matter */
	size_t yaml_len;
	int yaml_line;		/* 1-based line of the first YAML line */
	const char *body;	/* the Markdown after the closing line */
	size_t body_len;
	int body_line;		/* 1-based line where body starts */
};

/* Returns 1 with front matter, 0 without (body = whole text), -1 when the
 * opening `---` has no closing line (out->yaml_line is then set). */
int fm_split(const char *text, size_t len, struct fm_split *out);

/* Typed known keys; every other key is kept whatever its shape in params. */
struct fm_meta {
	char *title;		/* NULL when absent */
	int has_date;
	struct date date;
	char *author;
	char **tags;		/* ntags strings, as written (trimmed) */
	size_t ntags;
	int draft;
	char *summary;
	int class_only;		/* visibility: class */
	char *cover;
	char *transcript;
	struct val *params;	/* map of the unknown keys, owned; never NULL after fm_parse */
	int line[8];		/* line of each known key, indexed by enum fm_key (0 absent) */
	const char *body;	/* into the parsed text */
	size_t body_len;
	int body_line;
	int borrowed;		/* the strings (not the tags array nor params) are
				 * another's, such as a mapped post cache */
};

enum fm_key { FM_TITLE, FM_DATE, FM_AUTHOR, FM_TAGS, FM_DRAFT, FM_SUMMARY, FM_VISIBILITY, FM_COVER };

/*
 * Parses text (the whole file `path`): splits, parses the YAML with limits,
 * and type-checks the known keys: title, author, summary, cover, transcript
 * (strings), date (a date_parse() string), tags (a list of strings or one
 * string), draft (true/false), visibility (public|class). Every problem is
 * reported to d as path:line:col, lines counted from the top of the file,
 * and all of them are reported, not only the first. Returns 0 when out is
 * usable, -1 when there were errors (out is still released safely).
 * A missing title is not checked here (callers decide).
 */
int fm_parse(const char *path, const char *text, size_t len,
    const struct yml_limits *limits, struct fm_meta *out, struct diag *d);
void fm_meta_release(struct fm_meta *m);

#endif
