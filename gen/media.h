/*
 * media: what a media file is, from its name and its first bytes. Knows
 * nothing of Markdown or of the site: md and site_render ask it which
 * element a file becomes and how large a picture is, so that pages
 * reserve its space (width/height) before it loads.
 */
#ifndef ARDOISE_MEDIA_H
#define ARDOISE_MEDIA_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum media_kind { MEDIA_IMAGE, MEDIA_AUDIO, MEDIA_VIDEO, MEDIA_DOWNLOAD };

/*
 * The kind of path by its extension, case-insensitive: MEDIA_IMAGE for
 * jpg jpeg png gif webp svg avif, MEDIA_AUDIO for mp3 m4a ogg opus wav,
 * MEDIA_VIDEO for mp4 webm mov, MEDIA_DOWNLOAD for anything else (no
 * extension included). path is a file path, not a URL: strip the query
 * and fragment first.
 */
enum media_kind media_kind_of(const char *path);

/*
 * Reads the pixel size of a picture from data[0..len), its first bytes
 * or all of it: PNG, GIF, JPEG (an EXIF orientation of 5 to 8, i.e. a
 * quarter turn, swaps width and height as browsers do), WebP (VP8, VP8L,
 * VP8X) and SVG (numeric width/height of the root element, else its
 * viewBox; only the first 4 KiB are looked at). The format is found from
 * the bytes; path only tells an SVG file from other text. data may be
 * anything (hostile): every read is bounds-checked. Sets *w and *h (both
 * > 0) and returns 0, or returns -1 (unknown format, truncated, corrupt)
 * leaving them untouched.
 */
int media_image_size(const char *data, size_t len, const char *path,
    int *w, int *h);

/*
 * The fast path of image planning: when data[0..len) is a JPEG, PNG or
 * WebP that carries none of the metadata libvips would find (Exif, so
 * no orientation either; XMP, IPTC, ICC, text, comments), sets *w and *h
 * from its header and returns 0. Returns -1 for anything else, valid
 * pictures with metadata included: ask libvips then. Conservative by
 * design: a picture called plain is published as it is.
 */
int media_image_plain(const char *data, size_t len, int *w, int *h);

/*
 * Appends a file size for people: "850 o", "1,2 Mo", "12 Mo" when lang is
 * "fr" (or NULL), "850 B", "1.2 MB" otherwise. Decimal units (1 Mo is
 * 1,000,000 bytes); one decimal below 10 units. The space is a no-break
 * space (U+00A0) so the number never parts from its unit.
 */
void media_size_text(struct buf *out, uint64_t size, const char *lang);

#endif
