/*
 * site: the model of one class site, read from a source: the
 * configuration (ardoise.yml), the posts and pages with their front
 * matter and git dates, the tags, and the media the content refers to.
 * site_load() also renders each published post and page to HTML (md),
 * resolving its links against the model.
 */
#ifndef ARDOISE_SITE_H
#define ARDOISE_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "date.h"
#include "fm.h"
#include "strpool.h"

struct diag;
struct gitsrc;
struct gitsrc_file;
struct val;
struct site;
struct postcache;
struct postcache_entry;

enum site_audience { AUDIENCE_PUBLIC, AUDIENCE_CLASS };

/* Bounds on what a repository may ask of a build (ardoise.yml, limits:). */
struct site_limits {
	uint64_t text_bytes;	/* a Markdown or YAML file; default 1 MiB */
	size_t front_matter_bytes;	/* default 64 KiB */
	int yaml_depth;		/* default 32 */
	int markdown_depth;	/* default 64 */
	size_t files;		/* files in the repository; default 200,000 */
	int template_depth;	/* partials within partials; default 64 */
	uint64_t output_bytes;	/* the whole site; default 20 GB */
};

struct site_config {
	struct val *raw;	/* the whole ardoise.yml map, owned (never NULL once loaded) */
	char *title, *school, *class_name, *author, *description;
	char *language;		/* "fr" or "en" */
	char *theme;		/* theme name, default "default" */
	char *base_url;		/* "" or absolute with a final '/' */
	int per_page;		/* default 10 */
	int media_max_mb;	/* default NAMES_DEFAULT_MEDIA_MB */
	struct site_limits limits;
	/* images: (see image.h) */
	int img_max_width;	/* display copy, default 1600 */
	int img_thumb_width;	/* thumbnail, default 480 */
	int img_quality;	/* JPEG/WebP quality, default 82 */
	int img_strip;		/* strip_metadata: 1; 0 only honoured in class builds */
	char *posts_dir, *pages_dir, *media_dir, *cahiers_dir;
};

enum post_kind { POST_POST, POST_PAGE, POST_CAHIER };

struct cahier;

struct post {
	enum post_kind kind;
	const struct gitsrc_file *src;
	char *slug;
	char *url;		/* output path from the site root */
	struct fm_meta meta;
	struct buf text;	/* the file's bytes; meta.body points into it */
	struct date date;	/* front matter date, or the first commit's */
	struct date updated;	/* the last commit's, or date */
	int64_t when;		/* date in seconds since the epoch (for sorting; set with the dates) */
	const char *author;	/* front matter's or config's (borrowed), or the
				 * first commit's (owned: author_owned) */
	int author_owned;
	int broken;		/* unreadable: left out, its errors reported */
	int published;		/* goes into this build */
	size_t rank;		/* index in site.posts once published */
	char *html;		/* rendered body */
	size_t html_len;
	uint64_t html_hash[2];	/* XXH3-128 of html[0..html_len), high and low
				 * halves: set with html (kept in the post cache,
				 * so that keys need not read the HTML again) */
	char *summary;		/* plain text */
	size_t *tags;		/* indices in site.tags */
	size_t ntags;
	struct cahier *cahier;	/* a notebook page's notebook */
	int heading_in_content;	/* the title is the page's own first heading */
	/* for the post cache (postcache.h) */
	struct diag read_diags;	/* the warnings reading gave */
	struct diag render_diags;	/* the warnings rendering gave */
	struct buf deps;	/* what its links resolved to: kind, path, NUL, token, NUL */
	int rendered;		/* rendered without error (now or by the build cached) */
	/* its post cache entry, when front matter and rendering both came
	 * from it: html and summary are then borrowed from the cache, which
	 * outlives the site, and the entry is copied as it is */
	const struct postcache_entry *cached;
	/* its entry in the previous build's cache (same path and blob), or NULL */
	const struct postcache_entry *entry;
	int from_cache;		/* front matter taken from the cache: body not read */
};

/* A notebook (cahier multimédia): cahiers/<name>/cahier.yml and its pages. */
struct cahier {
	char *dir;		/* "cahiers/les-saisons" */
	char *slug;
	char *title;
	char *summary;		/* may be NULL */
	char **authors;
	size_t nauthors;
	char *cover;		/* source path of the cover image, or NULL */
	char *cover_url;	/* the published cover (HEIC becomes .jpg), or NULL */
	int cover_width, cover_height;	/* pixels, 0 when unknown */
	char *cover_thumb;	/* its thumbnail, or NULL */
	int cover_thumb_width, cover_thumb_height;
	int class_only;
	long order;
	struct val *params;	/* unknown keys of cahier.yml (owned, never NULL) */
	struct post **pages;	/* published pages, in file-name order */
	size_t npages;
	int published;
};

struct site_tag {
	char *name;		/* as first written */
	char *slug;
	struct post **posts;	/* newest first */
	size_t n, cap;
};

struct site_opts {
	enum site_audience audience;
	int64_t now;		/* posts dated after this are left out */
	int timing;		/* print the time of each stage to stderr */
	int jobs;		/* threads at most (0: one per core) */
	int no_history;		/* skip the git walk (checking needs no dates from git) */
	const char *history_cache;	/* the previous build's history cache, or NULL */
	size_t history_cache_len;
	/* called once the posts are rendered, while the history walk may
	 * still run, for work that needs neither dates nor authors (NULL:
	 * none); its status is the caller's to keep. It may go on on a
	 * thread of its own until site_load returns: from the call on,
	 * site_load writes only the posts' dates, authors and tag ids, and
	 * the site's order of posts and its tags */
	int (*while_walking)(struct site *s, void *arg);
	void *while_walking_arg;
	const struct postcache *post_cache;	/* the previous build's, or NULL */
	/* when not NULL, gives post_cache, called once just before the posts
	 * are read: what comes first (the history walk starting) does not
	 * wait for the cache to be opened */
	const struct postcache *(*take_post_cache)(void *arg);
	void *take_post_cache_arg;
};

struct site {
	struct site_config cfg;
	struct site_opts opts;
	struct post *all;	/* every post and page read */
	size_t nall;
	struct post **posts;	/* published posts, newest first */
	size_t nposts;
	struct post **pages;	/* published pages, by slug */
	size_t npages;
	struct site_tag *tags;	/* by slug */
	size_t ntags;
	size_t *post_tags;	/* every post's tags: post.tags point into it */
	struct strpool strings;	/* the posts' slugs and addresses */
	struct cahier *cahiers;	/* every notebook read */
	size_t ncahiers;
	struct cahier **shown;	/* published notebooks, by order then title */
	size_t nshown;
	struct buf history_cache;	/* the history cache for the next build (may be empty) */
	int64_t next_change;	/* the date of the first post still in the future, 0 if none */
	/* referenced files to copy, once each, in path order (the source's
	 * own entries, which outlive the site) */
	const struct gitsrc_file **media;
	size_t nmedia, media_cap;
};

/*
 * Loads the whole model from src. Every content problem is reported to d
 * (all of them, not only the first). Returns 0 when the site can be
 * built, -1 when there were errors. s must be released with
 * site_release() in both cases.
 */
int site_load(struct site *s, struct gitsrc *src, const struct site_opts *opts,
    struct diag *d);
/* Renders every published post and page (site_render.c); called by site_load. */
int site_render_all(struct site *s, struct gitsrc *src, struct diag *d);
/* A summary of plain text: about 300 bytes cut at a space, with an
 * ellipsis (malloc'd). */
char *site_summary_of(const char *text);
void site_release(struct site *s);

#endif
