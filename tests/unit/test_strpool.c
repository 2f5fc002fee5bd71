/* strpool: strings kept in blocks until released. */
#include <stdio.h>

#include "strpool.h"
#include "t.h"

TEST(copies_stay_valid_across_blocks)
{
	enum { N = 20000 };
	struct strpool p = STRPOOL_INIT;
	static char *got[N];
	char want[32], *big = malloc(200000);
	size_t i, wrong = 0;

	for (i = 0; i < N; i++) {
		snprintf(want, sizeof want, "posts/article-%05zu.md", i);
		got[i] = strpool_dup(&p, want);
	}
	/* a string larger than a block gets one of its own */
	memset(big, 'x', 199999);
	big[199999] = '\0';
	CHECK(strlen(strpool_dup(&p, big)) == 199999);
	CHECK_STR(strpool_dupn(&p, "média/été.jpg et plus", strlen("média/été.jpg")), "média/été.jpg");
	CHECK_STR(strpool_dup(&p, ""), "");
	for (i = 0; i < N; i++) {
		snprintf(want, sizeof want, "posts/article-%05zu.md", i);
		if (strcmp(got[i], want) != 0)
			wrong++;
	}
	CHECK_INT(wrong, 0);
	CHECK(p.nblocks > 1);
	strpool_release(&p);
	CHECK(p.nblocks == 0 && p.blocks == NULL);
	CHECK_STR(strpool_dup(&p, "encore"), "encore");	/* usable again */
	strpool_release(&p);
	free(big);
}

int
main(void)
{
	RUN(copies_stay_valid_across_blocks);
	return t_summary();
}
