#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "names.h"
#include "site.h"
#include "util.h"
#include "val.h"
#include "yml.h"

/* String keys of ardoise.yml and where they go. */
static char **
str_slot(struct site_config *c, const char *key)
{
	static const char *const keys[] = {
		"title", "school", "class", "author", "description", "language",
		"theme", "base_url", "posts", "pages", "media", "cahiers",
	};
	char **slots[] = {
		&c->title, &c->school, &c->class_name, &c->author, &c->description,
		&c->language, &c->theme, &c->base_url, &c->posts_dir, &c->pages_dir,
		&c->media_dir, &c->cahiers_dir,
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(keys); i++)
		if (strcmp(keys[i], key) == 0)
			return slots[i];
	return NULL;
}

static void
set_default(char **slot, const char *v)
{
	if (!*slot)
		*slot = xstrdup(v);
}

/* A whole number in [lo, hi] from a scalar; -1 (reported) otherwise. */
static int
int_value(const struct val *v, const char *path, const char *key, long lo, long hi,
    int *slot, struct diag *d)
{
	char *end;
	long n = v->type == VAL_STR ? strtol(v->u.s.p, &end, 10) : 0;

	if (v->type != VAL_STR || *end || !v->u.s.p[0] || n < lo || n > hi) {
		diag_error(d, path, v->line, v->col,
		    _("images: %s must be a whole number between %ld and %ld"), key, lo, hi);
		return -1;
	}
	*slot = (int)n;
	return 0;
}

/* images: max_width, thumb_width, quality, strip_metadata. */
static int
images_section(struct site_config *c, const char *path, const struct val *v,
    struct diag *d)
{
	size_t i;
	int rc = 0;

	if (v->type != VAL_MAP) {
		diag_error(d, path, v->line, v->col,
		    _("images must be a list of settings (max_width, thumb_width, quality, strip_metadata), one per indented line"));
		return -1;
	}
	for (i = 0; i < v->u.map.len; i++) {
		const char *key = v->u.map.items[i].key;
		const struct val *x = v->u.map.items[i].v;

		if (strcmp(key, "max_width") == 0) {
			rc |= int_value(x, path, key, 16, 10000, &c->img_max_width, d);
		} else if (strcmp(key, "thumb_width") == 0) {
			rc |= int_value(x, path, key, 0, 10000, &c->img_thumb_width, d);
		} else if (strcmp(key, "quality") == 0) {
			rc |= int_value(x, path, key, 1, 100, &c->img_quality, d);
		} else if (strcmp(key, "strip_metadata") == 0) {
			const char *s = x->type == VAL_STR ? x->u.s.p : "";

			if (x->type == VAL_BOOL) {
				c->img_strip = x->u.b != 0;
			} else if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
				c->img_strip = 1;
			} else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0) {
				c->img_strip = 0;
			} else {
				diag_error(d, path, x->line, x->col,
				    _("images: strip_metadata \"%s\" must be true or false"), s);
				rc = -1;
			}
		} else {
			diag_warn(d, path, x->line, x->col,
			    _("images: unknown setting \"%s\": use max_width, thumb_width, quality or strip_metadata"), key);
		}
	}
	if (rc == 0 && c->img_thumb_width >= c->img_max_width) {
		diag_error(d, path, v->line, v->col,
		    _("images: thumb_width (%d) must be smaller than max_width (%d), or 0 for no thumbnails"),
		    c->img_thumb_width, c->img_max_width);
		rc = -1;
	}
	return rc ? -1 : 0;
}

/* A content directory must stay inside the repository. */
static int
dir_ok(const char *s)
{
	const char *p = s;

	if (!*s || *s == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

struct site_limits
config_default_limits(void)
{
	struct site_limits l;

	l.text_bytes = 1 << 20;
	l.front_matter_bytes = 64 << 10;
	l.yaml_depth = 32;
	l.markdown_depth = 64;
	l.files = 200000;
	l.template_depth = 64;
	l.output_bytes = (uint64_t)20000 * 1000 * 1000;
	return l;
}

/* limits: text_kb, front_matter_kb, yaml_depth, markdown_depth, files,
 * template_depth, output_mb. Each is a whole number within bounds that
 * keep a build safe even when raised. */
static int
limits_section(struct site_limits *l, const char *path, const struct val *v, struct diag *d)
{
	static const struct {
		const char *key;
		long lo, hi;
	} keys[] = {
		{ "text_kb", 1, 100000 }, { "front_matter_kb", 1, 1024 },
		{ "yaml_depth", 2, 256 }, { "markdown_depth", 4, 1000 },
		{ "files", 1, 10000000 }, { "template_depth", 2, 256 },
		{ "output_mb", 1, 10000000 },
	};
	size_t i, k;
	int rc = 0;

	if (v->type != VAL_MAP) {
		diag_error(d, path, v->line, v->col,
		    _("limits must be a list of settings (text_kb, front_matter_kb, yaml_depth, markdown_depth, files, template_depth, output_mb), one per indented line"));
		return -1;
	}
	for (i = 0; i < v->u.map.len; i++) {
		const char *key = v->u.map.items[i].key;
		const struct val *x = v->u.map.items[i].v;
		char *end = NULL;
		long n = 0;

		for (k = 0; k < ARRAY_LEN(keys) && strcmp(keys[k].key, key); k++)
			;
		if (k == ARRAY_LEN(keys)) {
			diag_error(d, path, x->line, x->col,
			    _("limits: unknown setting \"%s\": use text_kb, front_matter_kb, yaml_depth, markdown_depth, files, template_depth or output_mb"), key);
			rc = -1;
			continue;
		}
		if (x->type == VAL_STR)
			n = strtol(x->u.s.p, &end, 10);
		if (x->type != VAL_STR || !*x->u.s.p || *end || n < keys[k].lo || n > keys[k].hi) {
			diag_error(d, path, x->line, x->col,
			    _("limits: %s must be a whole number between %ld and %ld"), key, keys[k].lo, keys[k].hi);
			rc = -1;
			continue;
		}
		switch (k) {
		case 0: l->text_bytes = (uint64_t)n << 10; break;
		case 1: l->front_matter_bytes = (size_t)n << 10; break;
		case 2: l->yaml_depth = (int)n; break;
		case 3: l->markdown_depth = (int)n; break;
		case 4: l->files = (size_t)n; break;
		case 5: l->template_depth = (int)n; break;
		default: l->output_bytes = (uint64_t)n * 1000 * 1000; break;
		}
	}
	return rc;
}

int
config_parse(struct site_config *c, const char *path, const char *text,
    size_t len, struct diag *d)
{
	struct yml_limits lim = YML_LIMITS_DEFAULT;
	struct val *root = NULL;
	size_t i;
	int rc = 0;

	memset(c, 0, sizeof *c);
	c->per_page = 10;
	c->limits = config_default_limits();
	c->media_max_mb = NAMES_DEFAULT_MEDIA_MB;
	c->img_max_width = 1600;
	c->img_thumb_width = 480;
	c->img_quality = 82;
	c->img_strip = 1;
	if (!text) {
		diag_warn(d, path, 0, 0, _("no ardoise.yml in the repository: using default settings"));
	} else if (yml_parse(text, len, path, 0, &lim, &root, d) < 0) {
		rc = -1;
	} else if (root->type != VAL_MAP) {
		diag_error(d, path, root->line, root->col, _("ardoise.yml must be a list of `key: value` lines"));
		rc = -1;
	} else {
		for (i = 0; i < root->u.map.len; i++) {
			const char *key = root->u.map.items[i].key;
			const struct val *v = root->u.map.items[i].v;
			char **slot = str_slot(c, key);

			if (strcmp(key, "limits") == 0) {
				if (limits_section(&c->limits, path, v, d) < 0)
					rc = -1;
			} else if (strcmp(key, "per_page") == 0) {
				char *end;
				long n = v->type == VAL_STR ? strtol(v->u.s.p, &end, 10) : 0;

				if (v->type != VAL_STR || *end || n < 1 || n > 1000) {
					diag_error(d, path, v->line, v->col, _("per_page must be a whole number between 1 and 1000"));
					rc = -1;
				} else {
					c->per_page = (int)n;
				}
			} else if (strcmp(key, "media_max_mb") == 0) {
				char *end;
				long n = v->type == VAL_STR ? strtol(v->u.s.p, &end, 10) : 0;

				if (v->type != VAL_STR || *end || n < 1 || n > 100000) {
					diag_error(d, path, v->line, v->col, _("media_max_mb must be a whole number of megabytes between 1 and 100000"));
					rc = -1;
				} else {
					c->media_max_mb = (int)n;
				}
			} else if (strcmp(key, "images") == 0) {
				if (images_section(c, path, v, d) < 0)
					rc = -1;
			} else if (slot) {
				if (v->type != VAL_STR) {
					diag_error(d, path, v->line, v->col, _("key \"%s\" must be text"), key);
					rc = -1;
				} else {
					*slot = xstrdup(v->u.s.p);
				}
			}
		}
	}
	if (!root)
		root = val_new_map();
	c->raw = root;
	set_default(&c->title, "");
	set_default(&c->school, "");
	set_default(&c->class_name, "");
	set_default(&c->author, "");
	set_default(&c->description, "");
	set_default(&c->language, "fr");
	set_default(&c->theme, "default");
	set_default(&c->base_url, "");
	set_default(&c->posts_dir, "posts");
	set_default(&c->pages_dir, "pages");
	set_default(&c->media_dir, "media");
	set_default(&c->cahiers_dir, "cahiers");
	if (strcmp(c->language, "fr") && strcmp(c->language, "en")) {
		const struct val *v = val_get(root, "language");

		diag_error(d, path, v ? v->line : 0, v ? v->col : 0,
		    _("language \"%s\" is not supported: write fr or en"), c->language);
		free(c->language);
		c->language = xstrdup("fr");
		rc = -1;
	}
	if (*c->base_url) {
		if (!str_starts(c->base_url, "http://") && !str_starts(c->base_url, "https://")) {
			const struct val *v = val_get(root, "base_url");

			diag_error(d, path, v ? v->line : 0, v ? v->col : 0,
			    _("base_url \"%s\" must start with https:// (or http://)"), c->base_url);
			rc = -1;
		} else if (!str_ends(c->base_url, "/")) {
			size_t n = strlen(c->base_url);

			c->base_url = xrealloc(c->base_url, n + 2);
			memcpy(c->base_url + n, "/", 2);
		}
	}
	{
		char **dirs[] = { &c->posts_dir, &c->pages_dir, &c->media_dir, &c->cahiers_dir };
		static const char *const names[] = { "posts", "pages", "media", "cahiers" };

		for (i = 0; i < ARRAY_LEN(dirs); i++) {
			size_t n = strlen(*dirs[i]);

			while (n > 1 && (*dirs[i])[n - 1] == '/')
				(*dirs[i])[--n] = '\0';
			if (!dir_ok(*dirs[i])) {
				const struct val *v = val_get(root, names[i]);

				diag_error(d, path, v ? v->line : 0, v ? v->col : 0,
				    _("directory \"%s\" must be a relative path inside the repository"), *dirs[i]);
				rc = -1;
			}
		}
	}
	return rc;
}

void
config_release(struct site_config *c)
{
	val_free(c->raw);
	free(c->title);
	free(c->school);
	free(c->class_name);
	free(c->author);
	free(c->description);
	free(c->language);
	free(c->theme);
	free(c->base_url);
	free(c->posts_dir);
	free(c->pages_dir);
	free(c->media_dir);
	free(c->cahiers_dir);
	memset(c, 0, sizeof *c);
}
