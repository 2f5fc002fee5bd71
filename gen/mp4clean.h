/*
 * mp4clean: takes the location and the other user data out of an
 * MP4/MOV/M4A file without re-encoding it or moving a byte of its media.
 *
 * Phones write where a video was shot into its boxes: udta/©xyz,
 * moov/meta keys (com.apple.quicktime.location.ISO6709), XMP. Each udta,
 * meta, XMP_ and uuid box of the moov tree (and at the top level) becomes
 * a "free" box of the same size, its content zeroed: nothing moves, so
 * the chunk offsets of stco/co64 stay valid and the file still plays.
 *
 * The box tree is checked while walking: a box that overruns its parent,
 * a size below its header or a nesting over 16 is refused (-1), so that
 * a file ardoise cannot clean is not published as is. A file whose boxes
 * are sound but hold no moov box has nothing to clean (info.has_moov = 0):
 * the caller warns that it will not play.
 */
#ifndef ARDOISE_MP4CLEAN_H
#define ARDOISE_MP4CLEAN_H

#include <stddef.h>

struct mp4_info {
	char brand[5];		/* ftyp major brand ("isom", "qt  "), "" when none */
	char video[5];		/* first video sample entry ("avc1", "hvc1"), "" when none */
	char audio[5];		/* first sound sample entry ("mp4a"), "" when none */
	int neutralised;	/* boxes turned into free boxes */
	int has_moov;		/* 0: no movie box, the file will not play */
};

/*
 * Cleans data[0..len) in place (clean != 0) or only reads it (clean ==
 * 0), and fills *info. Returns 0, or -1 with the reason in err (data is
 * then possibly half cleaned: do not publish it).
 */
int mp4_clean(unsigned char *data, size_t len, int clean, struct mp4_info *info,
    char *err, size_t errlen);

/* 1 when a file with info plays in every current browser: H.264 video
 * (avc1/avc3) with AAC audio (mp4a) or none, in an MP4 (not a QuickTime
 * "qt  " brand). Audio-only files: AAC in MP4/M4A. */
int mp4_plays_everywhere(const struct mp4_info *info);

#endif
