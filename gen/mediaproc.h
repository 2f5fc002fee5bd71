/*
 * mediaproc: publishes the media a site refers to. Pictures go through
 * image (upright, resized, no metadata, HEIC -> JPEG, thumbnails), MP4/
 * MOV/M4A through mp4clean (location boxes neutralised in place), the
 * rest is copied.
 *
 * Cache: the output manifest is the cache. Each published file is keyed
 * on its source blob id and the settings that shape it ("i:<blob>:<max>:
 * <thumb>:<quality>:<strip>" for a display copy, "t:…" for a thumbnail,
 * "m:<blob>" for a cleaned video), and out_reuse() hard-links the
 * previous build's file when the key is unchanged: a rebuild processes
 * nothing and stores nothing twice, and there is no second store under
 * .ardoise/ to prune or to keep in step with the site.
 *
 * Threads: a gitsrc is read by one thread, so the calling thread reads
 * the blobs and hands them to worker threads through a small bounded
 * queue (two pictures per worker at most in memory); each worker decodes,
 * resizes and encodes one picture at a time and writes its files.
 */
#ifndef ARDOISE_MEDIAPROC_H
#define ARDOISE_MEDIAPROC_H

struct diag;
struct gitsrc;
struct image_opts;
struct out;
struct site;
struct site_config;

/* Photos and videos larger than this are warned about (ardoise check). */
#define MEDIAPROC_PHOTO_WARN_MB 20
#define MEDIAPROC_VIDEO_WARN_MB 100

/* The image settings of a build: the images: section of cfg, with
 * metadata always stripped unless class_build and strip_metadata: false. */
void mediaproc_opts(const struct site_config *cfg, int class_build,
    struct image_opts *o);

/*
 * Writes every file of s->media into o, processing pictures on nthreads
 * worker threads (at least 1). Returns 0, or -1 after reporting every
 * failure to d (a picture that cannot be decoded, a video whose boxes
 * cannot be parsed: neither is published as is).
 */
int mediaproc_publish(const struct site *s, struct gitsrc *src, struct out *o,
    int nthreads, struct diag *d);

#endif
