/*
 * progress: a one-line progress bar on stderr for long builds and packs
 * ("[#####.....] 120/300 files  85/s  12 s left"). Shown only on a
 * terminal and never with --quiet; NO_COLOR turns its colour off.
 * progress_add() may be called from several threads at once; every
 * function accepts NULL (no bar).
 */
#ifndef ARDOISE_PROGRESS_H
#define ARDOISE_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

struct progress;

/* Returns a new bar writing to f (stderr in practice), or NULL when f is
 * not a terminal or quiet is set. label is kept as a pointer (a static
 * string). Free with progress_free(). */
struct progress *progress_new(FILE *f, const char *label, int quiet);
/* Sets the number of steps to come and restarts the clock. */
void progress_start(struct progress *p, size_t total);
/* Counts n steps done; redraws at most ten times a second. */
void progress_add(struct progress *p, size_t n);
/* Erases the bar (the terminal line is left clean) and frees p. */
void progress_free(struct progress *p);

/* Formats one bar into out (size n, always NUL-terminated), for a line of
 * width columns: done of total after elapsed seconds; color adds escape
 * sequences. Exposed for the tests. */
void progress_format(char *out, size_t n, const char *label, size_t done,
    size_t total, double elapsed, int width, int color);

#endif
