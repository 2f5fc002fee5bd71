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
 */
#define HEAP_STEP ((size_t)32 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void
heap_tune(void)
{
	uintptr_t from, to;
	void *p;

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
