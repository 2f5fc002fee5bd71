/* strindex: the string hash index. */
#include <stdio.h>

#include "strindex.h"
#include "t.h"

TEST(empty_and_uninitialised)
{
	struct strindex x = { 0 };

	CHECK(!strindex_ready(&x));
	CHECK(strindex_find(&x, "posts/a.md") == STRINDEX_NONE);
	strindex_init(&x, 0);
	CHECK(strindex_ready(&x));
	CHECK(strindex_find(&x, "") == STRINDEX_NONE);
	strindex_release(&x);
	CHECK(!strindex_ready(&x));
}

TEST(add_find_and_first_value_kept)
{
	struct strindex x;

	strindex_init(&x, 4);
	CHECK_INT(strindex_add(&x, "posts/potager.md", 7), 7);
	CHECK_INT(strindex_add(&x, "", 3), 3);	/* the empty string is a key */
	CHECK_INT(strindex_add(&x, "posts/potager.md", 9), 7);	/* there already */
	CHECK_INT(strindex_find(&x, "posts/potager.md"), 7);
	CHECK_INT(strindex_find(&x, ""), 3);
	CHECK(strindex_find(&x, "posts/potager.m") == STRINDEX_NONE);
	CHECK(strindex_find(&x, "posts/potager.md ") == STRINDEX_NONE);
	strindex_release(&x);
}

/* Filled to its capacity: every key found with its own value, none that
 * was not added (probes cross the end of the slots and wrap). */
TEST(full_to_capacity)
{
	enum { N = 20000 };
	static char keys[N][24];
	struct strindex x;
	char miss[24];
	size_t i, wrong = 0;

	strindex_init(&x, N);
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "media/photo-%05zu.jpg", i);
		if (strindex_add(&x, keys[i], i * 3) != i * 3)
			wrong++;
	}
	for (i = 0; i < N; i++) {
		if (strindex_find(&x, keys[i]) != i * 3)
			wrong++;
		snprintf(miss, sizeof miss, "media/photo-%05zu.png", i);
		if (strindex_find(&x, miss) != STRINDEX_NONE)
			wrong++;
	}
	CHECK_INT(wrong, 0);
	strindex_release(&x);
}

/* Begun with room for one key and grown past it many times: every key
 * keeps its value and is still found, a key added again keeps its first
 * value, and none that was not added is found. */
TEST(grows_past_its_capacity)
{
	enum { N = 5000 };
	static char keys[N][24];
	struct strindex x;
	char miss[24];
	size_t i, wrong = 0;

	strindex_init(&x, 1);
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "tag-%zu", i);
		if (strindex_add(&x, keys[i], i + 1) != i + 1)
			wrong++;
		if (i % 7 == 0 && strindex_add(&x, keys[i / 2], 0) != i / 2 + 1)
			wrong++;	/* there already, with its own value */
	}
	CHECK_INT(x.n, N);
	for (i = 0; i < N; i++) {
		if (strindex_find(&x, keys[i]) != i + 1)
			wrong++;
		snprintf(miss, sizeof miss, "tag-%zu!", i);
		if (strindex_find(&x, miss) != STRINDEX_NONE)
			wrong++;
	}
	CHECK_INT(wrong, 0);
	strindex_release(&x);
}

int
main(void)
{
	RUN(empty_and_uninitialised);
	RUN(add_find_and_first_value_kept);
	RUN(full_to_capacity);
	RUN(grows_past_its_capacity);
	return t_summary();
}
