/*
 * heap: how the C library's allocator is set up for a build, in main
 * before any thread (see heap.c for the measurements behind it).
 */
#ifndef ARDOISE_HEAP_H
#define ARDOISE_HEAP_H

/* Large blocks from the heap, the heap grown in large steps, and its
 * next region in transparent huge pages where the system allows them. */
void heap_tune(void);

#endif
