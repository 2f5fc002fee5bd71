/*
 * xxh: xxhash, with the vector code the processor has chosen when the
 * program starts. Debian's libxxhash is built for any x86-64 (SSE2); its
 * dispatching entry points, which this header puts in the place of the
 * usual names, hash large buffers half as fast again with AVX2 or
 * AVX-512: a rebuild hashes some 30 MB (the post cache it checks, the
 * records it writes). The hashes are the same.
 */
#ifndef ARDOISE_XXH_H
#define ARDOISE_XXH_H

#include <xxhash.h>
#if defined(__x86_64__)
#include <xxh_x86dispatch.h>
#endif

#endif
