/*
 * selfid: what identifies the code of the running program, for the keys
 * of cached output (a rebuilt ardoise of the same version may write other
 * pages than the one that made the cache).
 */
#ifndef ARDOISE_SELFID_H
#define ARDOISE_SELFID_H

#include "xxh.h"

/* Feeds the program's identity to st: its GNU build id, which the linker
 * derives from the executable's bytes, read from memory; without one,
 * the executable's bytes themselves. */
void selfid_feed(XXH3_state_t *st);

#endif
