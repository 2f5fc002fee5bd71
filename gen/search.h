/*
 * search: the offline search of a site. The build writes
 * search-index.js, a classic script assigning the index to
 * window.ARDOISE_SEARCH (fetch() fails on file://, a <script src> does
 * not), and search.html, the page that loads it (search.mustache, the
 * theme's assets/search.js). The format is described in
 * themes/default/DATA.md.
 *
 * Text is folded here, at build time, to lower-case ASCII words without
 * accents ("École" -> "ecole", "œuf" -> "oeuf"), so the browser only
 * folds the query. search.js folds the same way (NFD, combining marks
 * removed, lower case, and the letters NFD leaves alone: æ œ ß ø ð þ đ
 * ħ ı ĳ ĸ ŀ ł ŉ ŋ ŧ ſ). Letters of other scripts are kept as they are
 * (Greek and Cyrillic in lower case); their accents are not folded.
 */
#ifndef ARDOISE_SEARCH_H
#define ARDOISE_SEARCH_H

#include <stddef.h>

struct buf;
struct site;
struct worker;

/* Appends the words of s[0..n), folded, to out, each preceded by one
 * space (" ecole jules verne"). Nothing is appended when s has no word. */
void search_fold(const char *s, size_t n, struct buf *out);

/* Appends s[0..n) as a double-quoted JavaScript string literal, safe in
 * a .js file and in an HTML <script>: quotes, backslashes, controls,
 * U+2028/U+2029 escaped, "</" written "<\/". */
void search_js_string(struct buf *out, const char *s, size_t n);

/* Appends the text of an HTML fragment (as md writes it) to out: tags
 * removed (block tags become spaces), the entities md writes decoded
 * (&amp; &lt; &gt; &quot; &#39; and numeric ones), white space collapsed. */
void search_html_text(const char *html, struct buf *out);

/* The layout job: writes search-index.js (every published post, page and
 * notebook page, newest first, in parts under search/: see search.c) and
 * search.html. Failures are reported to the worker's diagnostics and set
 * its rc. */
void search_layout_job(struct worker *w);

#endif
