/*
 * history: git metadata of files (who added a file and when; when it last
 * changed), from one walk of the history.
 *
 * The walk starts at a commit and goes back in time (skipping merges, like
 * Hugo), comparing each commit's tree with its first parent's entry by
 * entry and descending only into subtrees whose ids differ (a Merkle
 * compare: never a full diff). The newest commit that changed a path gives
 * `updated`; the commit where the path appears (its parent lacks it) gives
 * `created`. The walk stops as soon as every wanted path has both.
 * It opens its own repository handle, so it may run on its own thread.
 */
#ifndef ARDOISE_HISTORY_H
#define ARDOISE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

struct diag;

struct history_info {
	int found;		/* the path was seen in the history */
	int64_t created_time;	/* author time of the commit that added it */
	int created_offset;	/* minutes east of UTC */
	char *created_author;	/* author name; owned */
	int64_t updated_time;	/* author time of the last commit that changed it */
	int updated_offset;
	char *updated_author;
};

/*
 * For each of the n paths (sorted bytewise, unique) fills out[i] (which the
 * caller allocated, n entries, zeroed). gitdir is the repository; start is a
 * commit id in hex. Returns 0, or -1 after reporting to d.
 */
int history_walk(const char *gitdir, const char *start, const char *const *paths,
    size_t n, struct history_info *out, struct diag *d);
void history_info_release(struct history_info *infos, size_t n);

#endif
