/* progress: the bar's text, colour and NO_COLOR, and silence off a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "t.h"

TEST(bar_text)
{
	char line[1024];

	progress_format(line, sizeof line, "build", 30, 120, 2.0, 80, 0);
	CHECK(strstr(line, "build [") == line);
	CHECK(strstr(line, "30/120 files") != NULL);
	CHECK(strstr(line, "15/s") != NULL);
	CHECK(strstr(line, "6 s left") != NULL);
	CHECK(strstr(line, "##########..............................]") != NULL);
	CHECK(strlen(line) <= 80);

	progress_format(line, sizeof line, "build", 120, 120, 2.0, 80, 0);
	CHECK(strstr(line, "120/120 files") != NULL && strstr(line, "left") == NULL);
	CHECK(strchr(line, '.') == NULL);

	/* more done than announced is shown as complete */
	progress_format(line, sizeof line, "build", 500, 120, 2.0, 80, 0);
	CHECK(strstr(line, "120/120") != NULL);

	/* colour: escape sequences; none without */
	progress_format(line, sizeof line, "build", 60, 120, 1.0, 80, 1);
	CHECK(strstr(line, "\033[7m") != NULL);
	progress_format(line, sizeof line, "build", 60, 120, 1.0, 80, 0);
	CHECK(strchr(line, '\033') == NULL);

	/* a narrow terminal drops the bar, keeps the counts */
	progress_format(line, sizeof line, "build", 5, 10, 1.0, 30, 0);
	CHECK(strchr(line, '[') == NULL && strstr(line, "5/10") != NULL);

	/* minutes once past a minute */
	progress_format(line, sizeof line, "pack", 1, 1000, 1.0, 100, 0);
	CHECK(strstr(line, "16 min 39 s left") != NULL);

	/* a tiny buffer is truncated, never overrun */
	progress_format(line, 8, "build", 5, 10, 1.0, 80, 1);
	CHECK(strlen(line) < 8);

}

/* off a terminal or quiet: no bar at all, and NULL is accepted */
TEST(silent)
{
	FILE *f = tmpfile();

	CHECK(f != NULL);
	CHECK(progress_new(f, "build", 0) == NULL);
	fclose(f);
	CHECK(progress_new(stderr, "build", 1) == NULL);
	progress_start(NULL, 3);
	progress_add(NULL, 1);
	progress_free(NULL);
}

int
main(void)
{
	RUN(bar_text);
	RUN(silent);
	return t_summary();
}
