#include "image.h"

#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <vips/vips.h>

#include "buf.h"
#include "lazylib.h"
#include "media.h"
#include "util.h"

/* The lower-case extension of path ("" when none). */
static void
ext_of(const char *path, char *ext, size_t n)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t i;

	ext[0] = '\0';
	if (!dot || (slash && dot < slash) || strlen(dot + 1) >= n)
		return;
	for (i = 0; dot[1 + i]; i++)
		ext[i] = (char)((dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ?
		    dot[1 + i] + 32 : dot[1 + i]);
	ext[i] = '\0';
}

static int
is_heif(const char *ext)
{
	return strcmp(ext, "heic") == 0 || strcmp(ext, "heif") == 0;
}

/*
 * libvips and its ~100 libraries are loaded when a picture first needs
 * them (one with metadata to strip, or one to resize), not at start-up:
 * linking them cost every run 25 MB of memory and 30 ms before main, for
 * sites whose pictures mostly go out as they are, and rebuilds that find
 * every processed picture in the output already. The functions are typed
 * from the headers.
 */
#define VIPS_SONAME "libvips.so.42"
#define VIPS_SYMBOLS(X) \
	X(vips_init) X(vips_version) X(vips_shutdown) X(vips_concurrency_set) \
	X(vips_cache_set_max) X(vips_cache_set_max_mem) X(vips_error_buffer_copy) \
	X(vips_image_new_from_buffer) X(vips_image_get_width) X(vips_image_get_height) \
	X(vips_image_get_orientation) X(vips_image_get_orientation_swap) \
	X(vips_image_get_fields) X(vips_thumbnail_buffer) X(vips_pngsave_buffer) \
	X(vips_webpsave_buffer) X(vips_jpegsave_buffer) X(g_free) X(g_strfreev) \
	X(g_object_unref)
#define SYM(f) __typeof__(f) *f;
static struct {
	void *lib;
	char err[200];
	VIPS_SYMBOLS(SYM)
} V;
#undef SYM
static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static const char *vips_argv0 = "ardoise";

static void
vips_load(void)
{
#define NAME(f) #f,
#define SLOT(f) (void **)&V.f,
	static const char *const names[] = { VIPS_SYMBOLS(NAME) };
	void **const slots[] = { VIPS_SYMBOLS(SLOT) };
#undef NAME
#undef SLOT
	void *lib = lazylib_open(VIPS_SONAME, names, slots, sizeof names / sizeof names[0], V.err,
	    sizeof V.err);

	if (!lib)
		return;
	if (V.vips_version(0) != VIPS_MAJOR_VERSION || V.vips_init(vips_argv0) != 0) {
		snprintf(V.err, sizeof V.err, "%s is not a usable libvips %d",
		    VIPS_SONAME, VIPS_MAJOR_VERSION);
		dlclose(lib);
		return;
	}
	/* each picture is processed by one thread and several pictures at
	 * once: vips's own thread pool per image would only add contention
	 * and memory; its operation cache would keep every photo decoded */
	V.vips_concurrency_set(1);
	V.vips_cache_set_max(0);
	V.vips_cache_set_max_mem(0);
	V.lib = lib;
}

/* Loads libvips once (any thread); 0, or -1 with the reason in err. */
static int
vips_ready(char *err, size_t errlen)
{
	pthread_once(&vips_once, vips_load);
	if (V.lib)
		return 0;
	snprintf(err, errlen, "libvips cannot be loaded (%s): reinstall the libvips42 package",
	    V.err);
	return -1;
}

int
image_global_init(const char *argv0)
{
	if (argv0)
		vips_argv0 = argv0;
	/* glibc gives each thread its own heap: with libvips's short-lived
	 * multi-megabyte buffers on every worker, peak memory for 12 MP
	 * photos was 233 MB with the default and 155 MB with two heaps, and
	 * the build no slower (bench/photos.sh). One heap halves a one-post
	 * rebuild's page faults but, its lock contended, slowed the history
	 * walk of a 50,000-post build by a fifth to a third. */
	mallopt(M_ARENA_MAX, 2);
	return 0;
}

void
image_global_shutdown(void)
{
	if (V.lib)
		V.vips_shutdown();
}

int
image_handles(const char *path)
{
	static const char *const exts[] = { "jpg", "jpeg", "png", "webp", "heic", "heif" };
	char ext[8];
	size_t i;

	ext_of(path, ext, sizeof ext);
	for (i = 0; i < ARRAY_LEN(exts); i++)
		if (strcmp(ext, exts[i]) == 0)
			return 1;
	return 0;
}

void
image_out_path(const char *path, struct buf *out)
{
	char ext[8];

	buf_reset(out);
	ext_of(path, ext, sizeof ext);
	if (is_heif(ext)) {
		buf_add(out, path, strlen(path) - strlen(ext));
		buf_puts(out, "jpg");
	} else {
		buf_puts(out, path);
	}
}

void
image_thumb_path(const char *pub, int thumb_width, struct buf *out)
{
	const char *slash = strrchr(pub, '/'), *dot = strrchr(pub, '.');

	buf_reset(out);
	if (!dot || (slash && dot < slash)) {
		buf_printf(out, "%s.%d", pub, thumb_width);
		return;
	}
	buf_add(out, pub, (size_t)(dot - pub));
	buf_printf(out, ".%d%s", thumb_width, dot);
}

void
image_fit(int w, int h, int max, int *ow, int *oh)
{
	if (w <= max || max <= 0) {
		*ow = w;
		*oh = h;
		return;
	}
	*ow = max;
	*oh = (int)floor((double)h * max / w + 0.5);
	if (*oh < 1)
		*oh = 1;
}

/* Copies libvips's error text (thread-safe copy and clear) into err. */
static void
vips_err(char *err, size_t n, const char *what)
{
	char *e = V.vips_error_buffer_copy();
	size_t l = e ? strcspn(e, "\n") : 0;

	snprintf(err, n, "%s%s%.*s", what, l ? ": " : "", (int)l, e ? e : "");
	V.g_free(e);
}

/* Whether the header holds anything a published copy must not carry. */
static int
has_metadata(VipsImage *im)
{
	static const char *const names[] = {
		"exif-data", "xmp-data", "iptc-data", "jpeg-comment", "gif-comment",
	};
	gchar **f = V.vips_image_get_fields(im);
	int found = 0;
	size_t i, j;

	for (i = 0; f && f[i] && !found; i++) {
		if (strncmp(f[i], "png-comment", 11) == 0)
			found = 1;
		for (j = 0; j < ARRAY_LEN(names); j++)
			if (strcmp(f[i], names[j]) == 0)
				found = 1;
	}
	V.g_strfreev(f);
	return found;
}

/* The display copy's and the thumbnail's sizes for an upright w x h. */
static void
plan_sizes(int w, int h, const struct image_opts *o, struct image_plan *p)
{
	image_fit(w, h, o->max_width, &p->width, &p->height);
	if (w > o->thumb_width && o->thumb_width > 0 && o->thumb_width < p->width)
		image_fit(w, h, o->thumb_width, &p->thumb_width, &p->thumb_height);
}

int
image_plan(const void *data, size_t len, const char *path,
    const struct image_opts *o, struct image_plan *p, char *err, size_t errlen)
{
	VipsImage *im;
	char ext[8];
	int w, h, orient;

	memset(p, 0, sizeof *p);
	ext_of(path, ext, sizeof ext);
	snprintf(p->ext, sizeof p->ext, "%s", is_heif(ext) ? "jpg" : ext);
	/* most pictures carry nothing to strip or turn: their header says
	 * all, some 200 times faster than asking libvips */
	if (!is_heif(ext) && media_image_plain(data, len, &w, &h) == 0) {
		plan_sizes(w, h, o, p);
		p->as_is = w <= o->max_width;
		return 0;
	}
	if (vips_ready(err, errlen) < 0)
		return -1;
	/* only the header is read: the pixels are decoded when used */
	im = V.vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (!im) {
		vips_err(err, errlen, "unreadable picture");
		return -1;
	}
	w = V.vips_image_get_width(im);
	h = V.vips_image_get_height(im);
	orient = V.vips_image_get_orientation(im);
	if (V.vips_image_get_orientation_swap(im)) {
		int t = w;

		w = h;
		h = t;
	}
	plan_sizes(w, h, o, p);
	p->as_is = !is_heif(ext) && w <= o->max_width && orient <= 1 &&
	    (!o->strip || !has_metadata(im));
	V.g_object_unref(im);
	return 0;
}

/* Decodes, turns upright and resizes data to exactly w x h, then encodes
 * as ext with no metadata, appended to out. */
static int
make(const void *data, size_t len, int w, int h, const char *ext, int q,
    int strip, struct buf *out, char *err, size_t errlen)
{
	VipsImage *im = NULL;
	void *p = NULL;
	size_t n = 0;
	int rc;

	/* thumbnail: shrink-on-load (JPEG decodes at 1/2, 1/4, 1/8), turns
	 * upright by default; FORCE gives the exact size pages announced
	 * (at most one pixel off the aspect ratio) */
	if (vips_ready(err, errlen) < 0)
		return -1;
	if (V.vips_thumbnail_buffer((void *)data, len, &im, w, "height", h,
	    "size", VIPS_SIZE_FORCE, NULL) != 0) {
		vips_err(err, errlen, "cannot decode the picture");
		return -1;
	}
	if (strcmp(ext, "png") == 0)
		rc = V.vips_pngsave_buffer(im, &p, &n, "strip", strip, NULL);
	else if (strcmp(ext, "webp") == 0)
		rc = V.vips_webpsave_buffer(im, &p, &n, "strip", strip, "Q", q, NULL);
	else
		rc = V.vips_jpegsave_buffer(im, &p, &n, "strip", strip, "Q", q,
		    "optimize_coding", TRUE, NULL);
	V.g_object_unref(im);
	if (rc != 0) {
		vips_err(err, errlen, "cannot encode the picture");
		return -1;
	}
	buf_add(out, p, n);
	V.g_free(p);
	return 0;
}

int
image_process(const void *data, size_t len, const struct image_opts *o,
    const struct image_plan *p, struct buf *disp, struct buf *thumb,
    char *err, size_t errlen)
{
	if (disp && !p->as_is && make(data, len, p->width, p->height, p->ext, o->quality,
	    o->strip, disp, err, errlen) < 0)
		return -1;
	if (thumb && p->thumb_width > 0 && make(data, len, p->thumb_width, p->thumb_height,
	    p->ext, o->quality, o->strip, thumb, err, errlen) < 0)
		return -1;
	return 0;
}
