#include "theme.h"

#include "xxh.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "gitsrc.h"
#include "hashfeed.h"
#include "tpl.h"
#include "util.h"
#include "val.h"
#include "yml.h"

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
theme_find_dir(void)
{
	static const char *const rel[] = { "../themes", "../../themes", "../../../themes",
		"../share/ardoise/themes" };

	return exe_resource_dir("ARDOISE_THEMES", rel, ARRAY_LEN(rel), "default/templates");
}

static int
cmp_asset(const void *a, const void *b)
{
	return strcmp(((const struct theme_asset *)a)->path, ((const struct theme_asset *)b)->path);
}

static void
put_asset(struct theme *t, const char *path, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < t->nassets; i++)
		if (strcmp(t->assets[i].path, path) == 0)
			break;
	if (i == t->nassets) {
		t->assets = xrealloc(t->assets, (t->nassets + 1) * sizeof *t->assets);
		t->assets[i].path = xstrdup(path);
		buf_init(&t->assets[i].data);
		t->nassets++;
	}
	buf_reset(&t->assets[i].data);
	buf_add(&t->assets[i].data, p, n);
}

/* Calls fn for each regular file under dir/sub (recursively), with its path relative to dir. */
static int
walk_files(const char *dir, const char *sub, struct theme *t, const char *lang,
    int (*fn)(struct theme *, const char *, const char *, size_t, const char *, const char *, struct diag *),
    struct diag *d)
{
	struct buf path = BUF_INIT, rel = BUF_INIT, data = BUF_INIT;
	struct dirent **names = NULL;
	int n, i, rc = 0;

	buf_printf(&path, "%s/%s", dir, sub);
	n = scandir(path.p, &names, NULL, alphasort);
	if (n < 0) {
		buf_release(&path);
		return errno == ENOENT ? 0 : -1;
	}
	for (i = 0; i < n; i++) {
		const char *e = names[i]->d_name;
		struct stat st;

		if (e[0] == '.')
			goto next;
		buf_reset(&path);
		buf_printf(&path, "%s/%s/%s", dir, sub, e);
		buf_reset(&rel);
		buf_printf(&rel, "%s/%s", sub, e);
		if (lstat(path.p, &st) < 0)
			goto next;
		if (S_ISDIR(st.st_mode)) {
			if (walk_files(dir, rel.p, t, lang, fn, d) < 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode)) {
			buf_reset(&data);
			if (file_read(path.p, &data) < 0) {
				diag_error(d, path.p, 0, 0, _("cannot read the theme file: %s"), strerror(errno));
				rc = -1;
			} else if (fn(t, rel.p, data.p, data.len, path.p, lang, d) < 0) {
				rc = -1;
			}
		}
next:
		free(names[i]);
	}
	free(names);
	buf_release(&path);
	buf_release(&rel);
	buf_release(&data);
	return rc;
}

/* One theme file, by its path relative to the theme root. */
static int
add_file(struct theme *t, const char *rel, const char *p, size_t n,
    const char *shown, const char *lang, struct diag *d)
{
	XXH3_128bits_update(t->hash, rel, strlen(rel) + 1);
	XXH3_128bits_update(t->hash, &n, sizeof n);
	XXH3_128bits_update(t->hash, p, n);
	if (str_starts(rel, "templates/") && str_ends(rel, ".mustache")) {
		const char *name = rel + strlen("templates/");
		char *base = xstrndup(name, strlen(name) - strlen(".mustache"));
		int rc = tpl_set_add(t->tpl, base, shown, p, n, d);

		free(base);
		return rc;
	}
	if (str_starts(rel, "assets/")) {
		put_asset(t, rel, p, n);
		return 0;
	}
	if (str_starts(rel, "i18n/") && str_ends(rel, ".yml")) {
		const char *l = rel + strlen("i18n/");
		struct yml_limits lim = YML_LIMITS_DEFAULT;
		struct val *v;
		size_t i;

		if (strncmp(l, lang, strlen(lang)) != 0 || strcmp(l + strlen(lang), ".yml") != 0)
			return 0;
		if (yml_parse(p, n, shown, 0, &lim, &v, d) < 0)
			return -1;
		if (v->type != VAL_MAP) {
			diag_error(d, shown, 1, 1, _("UI strings must be `key: \"text\"` lines"));
			val_free(v);
			return -1;
		}
		/* later files (the repository's) override key by key */
		for (i = 0; i < v->u.map.len; i++) {
			val_map_set(t->strings, v->u.map.items[i].key, v->u.map.items[i].v);
			v->u.map.items[i].v = NULL;
		}
		val_free(v);
	}
	return 0;
}

int
theme_load(struct theme *t, const char *themes_dir, const char *name,
    const char *lang, struct gitsrc *src, struct diag *d)
{
	struct buf dir = BUF_INIT, data = BUF_INIT;
	static const char *const subs[] = { "templates", "assets", "i18n" };
	XXH128_hash_t h;
	size_t i;
	int rc = 0;

	memset(t, 0, sizeof *t);
	if (!(t->hash = XXH3_createState()))
		die_oom();
	XXH3_128bits_reset(t->hash);
	t->tpl = tpl_set_new();
	t->strings = val_new_map();
	if (strchr(name, '/') || name[0] == '.') {
		diag_error(d, "ardoise.yml", 0, 0, _("theme \"%s\" is not a theme name"), name);
		return -1;
	}
	buf_printf(&dir, "%s/%s", themes_dir, name);
	if (!is_dir(dir.p)) {
		diag_error(d, "ardoise.yml", 0, 0, _("theme \"%s\" not found in %s"), name, themes_dir);
		buf_release(&dir);
		return -1;
	}
	for (i = 0; i < ARRAY_LEN(subs); i++)
		if (walk_files(dir.p, subs[i], t, lang, add_file, d) < 0)
			rc = -1;
	/* the class's own overrides, from the repository */
	for (i = 0; i < gitsrc_count(src); i++) {
		const struct gitsrc_file *f = gitsrc_at(src, i);

		if (!str_starts(f->path, "theme/"))
			continue;
		buf_reset(&data);
		if (gitsrc_read(src, f, &data, d) < 0 ||
		    add_file(t, f->path + strlen("theme/"), data.p, data.len, f->path, lang, d) < 0)
			rc = -1;
	}
	sort_array(t->assets, t->nassets, sizeof *t->assets, cmp_asset);
	h = XXH3_128bits_digest(t->hash);
	hashfeed_hex(h, t->digest);
	buf_release(&dir);
	buf_release(&data);
	return rc;
}

void
theme_release(struct theme *t)
{
	size_t i;

	tpl_set_free(t->tpl);
	val_free(t->strings);
	XXH3_freeState(t->hash);
	t->hash = NULL;
	for (i = 0; i < t->nassets; i++) {
		free(t->assets[i].path);
		buf_release(&t->assets[i].data);
	}
	free(t->assets);
	memset(t, 0, sizeof *t);
}
