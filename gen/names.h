/*
 * names: file names a class site can carry on a USB stick.
 *
 * Schools hand the site over on USB sticks formatted FAT32 (or exFAT) and
 * open it on Windows, where a name git accepts may be impossible to store
 * or to open: forbidden characters, reserved device names, names that
 * differ only by upper/lower case (the stick keeps one, silently), paths
 * too long once the site sits in a folder. This module holds those rules
 * for `ardoise check` and for packaging, on source or output paths alike.
 * It knows nothing of git or of the site model: it sees '/'-separated
 * relative paths, their sizes and whether a size limit applies.
 */
#ifndef ARDOISE_NAMES_H
#define ARDOISE_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct diag;

/* Longest path accepted, in characters (code points), slashes included:
 * leaves room under Windows' 260 for the folder the site is copied into. */
#define NAMES_MAX_PATH 200
/* Longest file or folder name, in UTF-16 units (the FAT32/exFAT limit). */
#define NAMES_MAX_NAME 255
/* Default limit on a media file, in MB (1 MB = 1,000,000 bytes, as the
 * sizes shown on pages). */
#define NAMES_DEFAULT_MEDIA_MB 100

/*
 * Returns 0 when `path` (relative, '/'-separated, UTF-8) can be stored on
 * FAT32/exFAT and opened on Windows, -1 otherwise. On -1, when why is not
 * NULL, a short English reason is appended to it: a fixed string marked
 * N_(), so the caller shows it with _(why->p). Rules: every component is
 * non-empty, has no character of < > : " \ | ? * nor a control character
 * (0x00-0x1F, 0x7F), does not end with a space or a dot, is not a device
 * name (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9, COM/LPT with a
 * superscript 1-3, CONIN$, CONOUT$) in any case, with or without an
 * extension, and is at most NAMES_MAX_NAME UTF-16 units; the whole path
 * is valid UTF-8 of at most NAMES_MAX_PATH characters.
 */
int names_check_path(const char *path, struct buf *why);

/*
 * A set of paths for finding names that differ only by case, folded as
 * Windows does for the Latin letters (A-Z, the Latin-1 letters À-Þ except
 * ×, Latin Extended-A such as Œ/œ, Ÿ/ÿ): "é" and "É" are one name, "é"
 * and "e" are two. Every folder of a path is a name too, so Photos/a.jpg
 * and photos/b.jpg clash on the folder. Hashed: adding n paths costs
 * O(total length). Initialise with names_init(), free with names_release().
 */
struct names_entry;

struct names_set {
	struct names_entry **slots;	/* open addressing; NULL = free */
	size_t cap, len;		/* cap is 0 or a power of two */
};

void names_init(struct names_set *s);
/* Frees every entry and leaves s initialised and empty. */
void names_release(struct names_set *s);
/*
 * Adds path and each of its folders. Returns 0 when none of them clashes
 * with a name already in the set, or 1 when one does: *clash (when not
 * NULL) then points at the earlier name, a whole path or a folder such as
 * "Photos", owned by the set until names_release(). Folding keeps byte
 * lengths, so the clashing part of path is its first strlen(*clash)
 * bytes. The shortest clashing prefix is reported; the path is added in
 * full all the same, so each clash is reported once. Adding a path
 * already there, byte for byte, is not a clash.
 */
int names_add(struct names_set *s, const char *path, const char **clash);

/* One file of a tree to check. */
struct names_file {
	const char *path;	/* '/'-separated, relative */
	uint64_t size;		/* bytes */
	int media;		/* the media size limit applies to it */
};

/*
 * Checks every file of a tree (a source tree or a built site) and reports
 * each problem to d as an error at the file's path, line 0: an invalid
 * name (names_check_path), a name that differs only by case from an
 * earlier one (reported at the later file, naming both), a media file
 * over max_media bytes (0 = no limit). Give files in a fixed order
 * (sorted) so that the reports are the same from run to run. Returns the
 * number of errors reported, or -1 when files is NULL with n > 0.
 */
int names_check_tree(const struct names_file *files, size_t n,
    uint64_t max_media, struct diag *d);
/* Only the media size limit of names_check_tree (for a tree whose paths
 * were checked already). */
int names_check_sizes(const struct names_file *files, size_t n,
    uint64_t max_media, struct diag *d);

#endif
