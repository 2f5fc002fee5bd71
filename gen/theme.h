/*
 * theme: the templates, UI strings and assets of a theme, with the class
 * repository's theme/ folder overriding files by name
 * (theme/templates/post.mustache, theme/assets/style.css, theme/i18n/fr.yml).
 */
#ifndef ARDOISE_THEME_H
#define ARDOISE_THEME_H

#include <stddef.h>

#include "xxh.h"

#include "buf.h"

struct diag;
struct gitsrc;
struct tpl_set;
struct val;

struct theme_asset {
	char *path;		/* output path, "assets/style.css" */
	struct buf data;
};

struct theme {
	struct tpl_set *tpl;
	struct val *strings;	/* the i18n map for the site language (owned) */
	struct theme_asset *assets;	/* sorted by path */
	size_t nassets;
	char digest[33];	/* XXH3-128 of every file loaded, with its path, in order */
	XXH3_state_t *hash;	/* while loading */
};

/*
 * Finds the themes directory: $ARDOISE_THEMES, else next to the program
 * (../themes, ../../themes for build variants, ../share/ardoise/themes once
 * installed). Returns a malloc'd path or NULL.
 */
char *theme_find_dir(void);
/* Loads theme `name` from themes_dir for language lang, then the overrides
 * from src. Returns 0, or -1 after reporting to d. */
int theme_load(struct theme *t, const char *themes_dir, const char *name,
    const char *lang, struct gitsrc *src, struct diag *d);
void theme_release(struct theme *t);

#endif
