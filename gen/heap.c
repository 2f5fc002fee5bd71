#include "heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * A rebuild touches some 40 MB of fresh memory in a few milliseconds (the
 * posts' model, the records of the output, the history). Faulted in 4 KB
 * at a time, that was 11,000 page faults and a sixth of a one-post
 * rebuild's processor time on a 10,000-post site. So: blocks of up to
 * HEAP_STEP come from the heap rather than from one mmap each (faulted
 * again each time one is made), the heap grows by HEAP_STEP at a time, and
 * the first such region asks for transparent huge pages (used when
 * /sys/kernel/mm/transparent_hugepage/enabled says "always" or "madvise";
 * elsewhere the advice is ignored). Memory not touched is not resident:
 * the peak of a full build grows by about 3 MB.
 *
 * And one heap for all threads. glibc gives each thread a heap of its own
 * (up to eight per processor), mapped apart, in small pages and never in
 * huge ones: with two, a one-post rebuild of 10,000 posts took 3,200 page
 * faults and 92 ms of processor time, with one 1,450 and 84 ms (its
 * threads allocate little; small blocks come from each thread's cache
 * without a lock). With libvips's multi-megabyte buffers on every worker,
 * peak memory for 12 MP photos was 233 MB with the default, 164 MB with
 * two heaps and 140 MB with one, at the same speed (bench/photos.sh).
 */
#define HEAP_STEP ((size_t)32 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void
heap_tune(void)
{
	uintptr_t from, to;
	void *p;

	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, (int)HEAP_STEP);
	mallopt(M_TOP_PAD, (int)HEAP_STEP);
	/* nor is memory handed back (to be faulted in again) as soon as it
	 * is free: a build that frees much trims itself (malloc_trim) */
	mallopt(M_TRIM_THRESHOLD, (int)HEAP_STEP);
	from = (uintptr_t)sbrk(0);
	/* grows the heap now, so that its new region is known; freed, the
	 * region stays (M_TOP_PAD is kept when the heap is trimmed) */
	if (!(p = malloc(HEAP_STEP / 2)))
		return;
	free(p);
	to = (uintptr_t)sbrk(0);
	from = (from + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (from != (uintptr_t)-1 && to > from)
		madvise((void *)from, to - from, MADV_HUGEPAGE);
}
