/*
 * t.h: the tiny unit-test harness. Each test file defines tests with
 * TEST(name) and lists them in main with RUN(name). Each RUN prints
 * "ok - name" or "not ok - name" followed by the failed checks, and main
 * returns t_summary(), which prints "unit: N passed, N failed" and
 * returns nonzero on failure.
 */
#ifndef ARDOISE_T_H
#define ARDOISE_T_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_passed, t_failed, t_cur_failed;

#define TEST(name) static void name(void)
#define CHECK(cond) do { if (!(cond)) { t_cur_failed++; \
	fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
	if (!g_ || !w_ || strcmp(g_, w_) != 0) { t_cur_failed++; \
	fprintf(stderr, "  %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
	    g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } } while (0)
#define CHECK_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
	if (g_ != w_) { t_cur_failed++; \
	fprintf(stderr, "  %s:%d: got %lld, want %lld (%s)\n", __FILE__, __LINE__, g_, w_, #got); } } while (0)
#define RUN(name) do { t_cur_failed = 0; name(); \
	if (t_cur_failed) { t_failed++; printf("not ok - %s\n", #name); } \
	else { t_passed++; printf("ok - %s\n", #name); } } while (0)

/* Runs the shell command fmt in folder dir, its standard output thrown
 * away; returns system()'s status. */
static inline int
t_sh(const char *dir, const char *fmt, ...)
{
	char *cmd, *full;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	if (asprintf(&full, "cd '%s' && (%s) >/dev/null", dir, cmd) < 0) {
		free(cmd);
		return -1;
	}
	rc = system(full);
	free(full);
	free(cmd);
	return rc;
}

static inline int
t_summary(void)
{
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed != 0;
}

#endif
