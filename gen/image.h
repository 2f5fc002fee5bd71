/*
 * image: the published copies of photos, made with libvips.
 *
 * A JPEG, PNG, WebP or HEIC/HEIF picture is published as a display copy,
 * at most max_width pixels wide, turned upright from its EXIF orientation
 * and saved without any metadata (EXIF, XMP, IPTC, comments, PNG text
 * chunks, ICC profile); HEIC/HEIF becomes JPEG. A picture wider than
 * thumb_width also gets a thumbnail next to it, "<name>.<thumb_width>.<ext>"
 * (media/photo.jpg -> media/photo.480.jpg), for index pages and srcset.
 * A picture that is already upright, small enough and free of metadata is
 * published as it is (no re-encoding loss).
 *
 * Sizes are decided before processing (image_plan reads only the header)
 * so that pages get width/height while pictures are processed in
 * parallel later; image_process then makes files of exactly those sizes.
 *
 * image_global_init() must be called once in main before any thread.
 * image_plan() and image_process() may run on several threads at once.
 */
#ifndef ARDOISE_IMAGE_H
#define ARDOISE_IMAGE_H

#include <stddef.h>

struct buf;

struct image_opts {
	int max_width;		/* display copy, default 1600 */
	int thumb_width;	/* thumbnail, default 480 */
	int quality;		/* JPEG/WebP quality, default 82 */
	int strip;		/* remove metadata: 1 (0 only for class builds) */
};

#define IMAGE_OPTS_DEFAULT { 1600, 480, 82, 1 }

/* What is published for one picture. */
struct image_plan {
	int width, height;	/* the display copy's pixels (upright) */
	int thumb_width, thumb_height;	/* 0 when no thumbnail */
	int as_is;		/* publish the source bytes unchanged */
	char ext[8];		/* extension of the published files ("jpg" for HEIC) */
};

/* Starts libvips (argv0 for its resources); 0 or -1. Once, before threads. */
int image_global_init(const char *argv0);
void image_global_shutdown(void);

/* 1 when path is a picture ardoise processes (jpg jpeg png webp heic heif). */
int image_handles(const char *path);

/*
 * The published path of source path: itself, with ".jpg" instead of a
 * HEIC/HEIF extension. Written to out (reset first).
 */
void image_out_path(const char *path, struct buf *out);

/* The thumbnail's path for the published path pub: "media/a.jpg" ->
 * "media/a.480.jpg". Written to out (reset first). */
void image_thumb_path(const char *pub, int thumb_width, struct buf *out);

/*
 * The size of a picture w x h (upright) once fitted into max pixels of
 * width: never enlarged, the height rounded to the nearest pixel, at
 * least 1. Sets *ow and *oh.
 */
void image_fit(int w, int h, int max, int *ow, int *oh);

/*
 * Reads the header of data[0..len) (the source bytes of path) and fills
 * p with what image_process will make. Returns 0, or -1 with a reason in
 * err (a picture libvips cannot read).
 */
int image_plan(const void *data, size_t len, const char *path,
    const struct image_opts *o, struct image_plan *p, char *err, size_t errlen);

/*
 * Makes the display copy (into disp) and, when p->thumb_width > 0, the
 * thumbnail (into thumb) of data[0..len), as planned by image_plan with
 * the same options. When p->as_is, disp is left empty: publish the
 * source. disp or thumb may be NULL: that file is not made. Buffers are
 * appended to. Returns 0, or -1 with a reason in err.
 */
int image_process(const void *data, size_t len, const struct image_opts *o,
    const struct image_plan *p, struct buf *disp, struct buf *thumb,
    char *err, size_t errlen);

#endif
