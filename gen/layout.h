/*
 * layout: which pages a site has and the data each template gets (see
 * themes/default/DATA.md, the contract with themes); renders them with
 * tpl and writes them, the feed, the sitemap, the theme's assets and the
 * referenced media through out.
 *
 * Pages are independent jobs rendered by a pool of threads (templates and
 * the data tree are read-only, out_write is thread-safe); media are read
 * from the source by the calling thread meanwhile, since a gitsrc belongs
 * to one thread. The output does not depend on the number of threads.
 */
#ifndef ARDOISE_LAYOUT_H
#define ARDOISE_LAYOUT_H

#include <stdint.h>

struct diag;
struct gitsrc;
struct out;
struct site;
struct theme;

struct layout_opts {
	int64_t build_time;	/* the commit's time: the feed's date when there is no post */
	int build_offset;
	int jobs;		/* threads rendering pages; 0 = one per processor */
	struct progress *progress;	/* advanced once per rendering job, or NULL */
	/* what every page depends on besides its data (program, themes,
	 * audience): pages are then keyed by it and their data, and one the
	 * previous build made from the same is reused without rendering;
	 * NULL: keyed by their content */
	const char *render_key;
};

/* Returns 0, or -1 after reporting every problem to d. */
int layout_write(const struct site *s, const struct theme *t,
    struct out *o, const struct layout_opts *opts, struct diag *d);

/* feed.xml and sitemap.xml (layout_feed.c); part of layout_write. */
int layout_write_feeds(const struct site *s, struct out *o,
    const struct layout_opts *opts, struct diag *d);

#endif
