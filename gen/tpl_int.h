/*
 * tpl_int: what tpl_parse.c (source -> node array) and tpl.c (set and
 * renderer) share. Private to the tpl module.
 *
 * A parsed template is one flat array of nodes in source order. A
 * container (section, inverted section, parent, block) holds the nodes
 * up to its `end` index; every node has `end` (a leaf's end is its index
 * plus one), so siblings are walked with i = n[i].end. All strings are
 * slices of the template's own copy of the source, so a template is two
 * allocations and rendering never allocates for it.
 *
 * Indentation (standalone partials, parents and blocks) is applied at
 * render time: the parser leaves a TN_INDENT node at the start of every
 * line that survives standalone-line removal (blank lines excepted), and
 * the renderer writes the indentation in effect there (nothing at top
 * level), which is the spec's "indent each line of the partial".
 *
 * Blocks are re-indented as the inheritance spec asks: a block's own
 * indentation (the first line of its content when its tag stands alone,
 * else the blanks before its tag) is removed from the start of each of its
 * lines at parse time, and at the site of expansion the content is written
 * with the site block's indentation added. The renderer only needs to know
 * whether the site and the content start on lines of their own
 * (`standalone`) to indent or not the first line.
 */
#ifndef ARDOISE_TPL_INT_H
#define ARDOISE_TPL_INT_H

#include <stddef.h>

struct diag;

enum tnode_type {
	TN_TEXT,		/* s..: literal text */
	TN_INDENT,		/* a line start: write the current indentation */
	TN_VAR,			/* {{name}}, HTML-escaped */
	TN_RAW,			/* {{{name}}} or {{&name}} */
	TN_SECTION,		/* {{#name}}..{{/name}} */
	TN_INVERTED,		/* {{^name}}..{{/name}} */
	TN_PARTIAL,		/* {{>name}} */
	TN_PARENT,		/* {{<name}}..{{/name}}: only its block children count */
	TN_BLOCK		/* {{$name}}..{{/name}} */
};

struct tnode {
	enum tnode_type type;
	size_t end;		/* index after the last node of this subtree */
	size_t off, len;	/* text, or the (trimmed) name */
	size_t ioff, ilen;	/* partial/parent: indentation; block: its own
				 * indentation relative to the enclosing block */
	int standalone;		/* partial/parent/block tag alone on its line */
	int line, col;
};

struct tpl {
	char *name;
	char *path;
	char *src;		/* NUL-terminated copy of the source */
	size_t srclen;
	struct tnode *n;
	size_t nlen;
};

/*
 * Parses src[0..len) into t (whose name and path are already set).
 * Returns 0, or -1 after reporting a syntax error to d (t then holds
 * nothing that needs freeing beyond what tpl_release frees).
 */
int tpl_parse(struct tpl *t, const char *src, size_t len, struct diag *d);
/* Frees what t owns (not t itself). */
void tpl_release(struct tpl *t);

#endif
