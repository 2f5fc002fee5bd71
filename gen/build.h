/*
 * build: one run of the pipeline, source -> model -> render -> layout ->
 * write, and its read-only twin for `ardoise check`.
 */
#ifndef ARDOISE_BUILD_H
#define ARDOISE_BUILD_H

#include <stdint.h>

#include "site.h"

struct diag;
struct progress;

struct build_opts {
	const char *repo;	/* default "." */
	const char *ref;	/* NULL = HEAD */
	const char *outdir;	/* NULL for check */
	const char *previous;	/* a previous build to reuse (caches); default outdir */
	int force;		/* reuse nothing from a previous build */
	const char *recycle;	/* an older build to update into outdir, or NULL */
	enum site_audience audience;
	int worktree;
	int64_t now;		/* posts dated later are left out */
	int timing;		/* print the time of each stage to stderr */
	int jobs;		/* rendering threads; 0 = one per processor */
	struct progress *progress;	/* a bar to advance, or NULL (progress.h) */
};

/* Exit statuses shared with main.c (see DESIGN.md). */
enum { BUILD_OK = 0, BUILD_CONTENT = 1, BUILD_USAGE = 2, BUILD_SYSTEM = 3 };

/* Builds the site into o->outdir (or only checks it when outdir is NULL).
 * Every diagnostic goes to d. Returns one of the BUILD_ statuses; on any
 * failure the previous output is left untouched. */
int build_run(const struct build_opts *o, struct diag *d);

#endif
