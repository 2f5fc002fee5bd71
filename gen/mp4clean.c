#include "mp4clean.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 16

struct walk {
	unsigned char *data;
	int clean;
	struct mp4_info *info;
	char handler[5];	/* hdlr of the current track: "vide", "soun" */
	int moov;
	char *err;
	size_t errlen;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* A box type for messages: non-printable bytes become '?'. */
static void
type_text(const unsigned char *p, char *t)
{
	int i;

	for (i = 0; i < 4; i++)
		t[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	t[4] = '\0';
}

static int
is(const unsigned char *type, const char *name)
{
	return memcmp(type, name, 4) == 0;
}

/* Boxes that only hold other boxes, walked into. */
static int
container(const unsigned char *t)
{
	static const char *const c[] = {
		"moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "mvex",
		"moof", "traf", "mfra", "tref",
	};
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++)
		if (is(t, c[i]))
			return 1;
	return 0;
}

/* Boxes that carry user data (location, device, names, XMP). */
static int
private(const unsigned char *t)
{
	return is(t, "udta") || is(t, "meta") || is(t, "XMP_") || is(t, "uuid");
}

/* stsd: version/flags, entry count, then sample entries named by codec. */
static void
sample_entries(struct walk *w, const unsigned char *p, uint64_t n)
{
	char *slot = strcmp(w->handler, "vide") == 0 ? w->info->video :
	    strcmp(w->handler, "soun") == 0 ? w->info->audio : NULL;

	if (!slot || slot[0] || n < 16)
		return;
	type_text(p + 12, slot);
}

static int
walk(struct walk *w, uint64_t start, uint64_t end, int depth)
{
	uint64_t pos = start;

	if (depth > MAX_DEPTH) {
		snprintf(w->err, w->errlen, "boxes nested more than %d deep", MAX_DEPTH);
		return -1;
	}
	while (pos < end) {
		const unsigned char *b = w->data + pos;
		uint64_t size, hdr = 8;
		char t[5];

		if (end - pos < 8) {
			snprintf(w->err, w->errlen, "truncated box header at byte %llu",
			    (unsigned long long)pos);
			return -1;
		}
		size = be32(b);
		type_text(b + 4, t);
		if (size == 1) {
			if (end - pos < 16) {
				snprintf(w->err, w->errlen, "truncated box \"%s\" at byte %llu",
				    t, (unsigned long long)pos);
				return -1;
			}
			size = be64(b + 8);
			hdr = 16;
		} else if (size == 0 && depth == 0) {
			size = end - pos;	/* the last box runs to the end */
		}
		if (size < hdr || size > end - pos) {
			snprintf(w->err, w->errlen, "box \"%s\" at byte %llu has a wrong size (%llu)",
			    t, (unsigned long long)pos, (unsigned long long)size);
			return -1;
		}
		if (depth == 0 && is(b + 4, "ftyp") && size >= 12 && !w->info->brand[0])
			type_text(b + 8, w->info->brand);
		if (private(b + 4)) {
			if (w->clean) {
				memcpy(w->data + pos + 4, "free", 4);
				memset(w->data + pos + hdr, 0, size - hdr);
			}
			w->info->neutralised++;
		} else if (container(b + 4)) {
			if (is(b + 4, "moov"))
				w->moov = 1;
			if (is(b + 4, "trak"))
				w->handler[0] = '\0';
			if (walk(w, pos + hdr, pos + size, depth + 1) < 0)
				return -1;
		} else if (is(b + 4, "hdlr") && size >= hdr + 12) {
			type_text(b + hdr + 8, w->handler);
		} else if (is(b + 4, "stsd")) {
			sample_entries(w, b + hdr, size - hdr);
		}
		pos += size;
	}
	return 0;
}

int
mp4_clean(unsigned char *data, size_t len, int clean, struct mp4_info *info,
    char *err, size_t errlen)
{
	struct walk w;

	memset(info, 0, sizeof *info);
	memset(&w, 0, sizeof w);
	w.data = data;
	w.clean = clean;
	w.info = info;
	w.err = err;
	w.errlen = errlen;
	if (len < 8) {
		snprintf(err, errlen, "%zu bytes: too short to be a video", len);
		return -1;
	}
	if (walk(&w, 0, len, 0) < 0)
		return -1;
	info->has_moov = w.moov;
	return 0;
}

int
mp4_plays_everywhere(const struct mp4_info *i)
{
	if (strcmp(i->brand, "qt  ") == 0)
		return 0;
	if (i->video[0] && strcmp(i->video, "avc1") && strcmp(i->video, "avc3"))
		return 0;
	if (i->audio[0] && strcmp(i->audio, "mp4a"))
		return 0;
	return i->video[0] || i->audio[0];
}
