/*
 * md_text: the byte-level half of md, private to md.c: checks the input
 * before cmark sees it, and makes cmark's HTML well-formed XML after.
 */
#ifndef ARDOISE_MD_TEXT_H
#define ARDOISE_MD_TEXT_H

#include <stddef.h>

struct buf;
struct diag;
struct md_opts;

/*
 * Refuses text[0..len) with invalid UTF-8 or a NUL byte, or with block
 * quotes/lists nested far past max (cmark-gfm is slow on those), reporting
 * the position to d. Control characters XML does not allow are replaced
 * by spaces in copy (a warning is reported). Sets *out to the text to
 * parse (text itself, or copy->p) and returns 0, or returns -1.
 */
int md_text_check(const char *text, size_t len, const struct md_opts *o,
    int max, struct buf *copy, const char **out, struct diag *d);
/* Appends h[0..n) (cmark's HTML) to out with every attribute written
 * without a value given the value "". */
void md_text_xhtml(const char *h, size_t n, struct buf *out);

#endif
