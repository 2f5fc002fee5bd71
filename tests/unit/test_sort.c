/* sort_nearly_sorted: the order sort_array gives, whatever the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "util.h"

struct rec {
	int64_t when;		/* newest first */
	uint32_t id;		/* then by id: no two equal */
	char pad[4];
};

struct big {
	int64_t when;
	uint32_t id;
	char pad[100];	/* more than insertion handles: sort_array */
};

static int
cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->when != y->when)
		return x->when > y->when ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_big(const void *a, const void *b)
{
	const struct big *x = a, *y = b;

	if (x->when != y->when)
		return x->when > y->when ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static uint32_t seed = 12345;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* n records, newest first by day, each day's in a shuffled order (as a
 * class's posts are, in path order reversed); swaps more pairs at random */
static void
fill(struct rec *v, size_t n, size_t swaps)
{
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].when = (int64_t)(n - i / 3) * 86400 + (int64_t)(rnd() % 86400);
		v[i].id = (uint32_t)i;
		memset(v[i].pad, 0, sizeof v[i].pad);
	}
	for (i = 0; i < swaps; i++) {
		size_t a = rnd() % n, b = rnd() % n;
		struct rec t = v[a];

		v[a] = v[b];
		v[b] = t;
	}
}

/* Sorted both ways, v gives the same bytes. */
static int
same_as_qsort(struct rec *v, size_t n)
{
	struct rec *w = malloc((n ? n : 1) * sizeof *w);
	int same;

	memcpy(w, v, n * sizeof *v);
	sort_nearly_sorted(v, n, sizeof *v, cmp_rec);
	sort_array(w, n, sizeof *w, cmp_rec);
	same = memcmp(v, w, n * sizeof *v) == 0;
	free(w);
	return same;
}

TEST(nearly_sorted_and_shuffled_alike)
{
	enum { N = 5000 };
	static struct rec v[N];
	size_t swaps[] = { 0, 1, 10, 100, N, 10 * N }, i;

	for (i = 0; i < sizeof swaps / sizeof swaps[0]; i++) {
		fill(v, N, swaps[i]);
		CHECK(same_as_qsort(v, N));
	}
	/* reversed: far past the budget of moves */
	fill(v, N, 0);
	for (i = 0; i < N / 2; i++) {
		struct rec t = v[i];

		v[i] = v[N - 1 - i];
		v[N - 1 - i] = t;
	}
	CHECK(same_as_qsort(v, N));
	CHECK(same_as_qsort(v, 0));
	CHECK(same_as_qsort(v, 1));
}

TEST(large_elements)
{
	enum { N = 300 };
	static struct big v[N], w[N];
	size_t i;

	for (i = 0; i < N; i++) {
		memset(&v[i], 0, sizeof v[i]);
		v[i].when = (int64_t)(rnd() % 50);
		v[i].id = (uint32_t)i;
	}
	memcpy(w, v, sizeof v);
	sort_nearly_sorted(v, N, sizeof *v, cmp_big);
	sort_array(w, N, sizeof *w, cmp_big);
	CHECK(memcmp(v, w, sizeof v) == 0);
}

int
main(void)
{
	RUN(nearly_sorted_and_shuffled_alike);
	RUN(large_elements);
	return t_summary();
}
