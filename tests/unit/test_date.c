#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "t.h"

TEST(parse_forms)
{
	struct date d;

	CHECK_INT(date_parse("2020-03-16", &d), DATE_OK);
	CHECK_INT(d.year, 2020);
	CHECK_INT(d.mon, 3);
	CHECK_INT(d.day, 16);
	CHECK_INT(d.has_time, 0);
	CHECK_INT(d.has_offset, 0);

	CHECK_INT(date_parse("  2020-03-16 10:30  ", &d), DATE_OK);
	CHECK_INT(d.has_time, 1);
	CHECK_INT(d.hour, 10);
	CHECK_INT(d.min, 30);
	CHECK_INT(d.sec, 0);
	CHECK_INT(d.has_offset, 0);

	CHECK_INT(date_parse("2020-03-16 10:30:15", &d), DATE_OK);
	CHECK_INT(d.sec, 15);
	CHECK_INT(date_parse("2020-03-16T10:30", &d), DATE_OK);
	CHECK_INT(d.has_time, 1);
	CHECK_INT(date_parse("2020-03-16T10:30:00Z", &d), DATE_OK);
	CHECK_INT(d.has_offset, 1);
	CHECK_INT(d.offset, 0);
	CHECK_INT(date_parse("2020-03-16T10:30:00+01:00", &d), DATE_OK);
	CHECK_INT(d.offset, 60);
	CHECK_INT(date_parse("2020-03-16T10:30:00+0130", &d), DATE_OK);
	CHECK_INT(d.offset, 90);
	CHECK_INT(date_parse("2020-03-16T10:30:00-05:00", &d), DATE_OK);
	CHECK_INT(d.offset, -300);
	CHECK_INT(date_parse("2020-03-16T10:30:00-00:30", &d), DATE_OK);
	CHECK_INT(d.offset, -30);
	CHECK_INT(date_parse("2020-03-16T10:30:00.123456+02:00", &d), DATE_OK);
	CHECK_INT(d.sec, 0);
	CHECK_INT(d.offset, 120);
	CHECK_INT(date_parse("2020-03-16 10:30:00 +01:00", &d), DATE_OK);
	CHECK_INT(d.offset, 60);
	CHECK_INT(date_parse("2016-12-31T23:59:60Z", &d), DATE_OK);
	CHECK_INT(d.sec, 60);
	CHECK_INT(date_parse("2020-03-16T10:30:00+18:00", &d), DATE_OK);
	CHECK_INT(date_parse("2020-03-16T10:30:00-18:00", &d), DATE_OK);
}

TEST(parse_bad_format)
{
	static const char *bad[] = {
		"", "   ", "hier", "16/03/2020", "2020-3-16", "2020-03-6",
		"20-03-16", "2020-03-16x", "2020-03-16T", "2020-03-16T10",
		"2020-03-16T10:3", "2020-03-16 10:30:1", "2020-03-16T10:30:00+1",
		"2020-03-16T10:30:00+01:", "2020-03-16T10:30:00Zx",
		"2020-03-16T10:30:00.", "2020/03/16", "2020-03-16 10h30",
		"le 16 mars 2020", "2020-03-16T10:30:00 Paris",
	};
	struct date d;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = date_parse(bad[i], &d);

		if (rc != DATE_BAD_FORMAT)
			fprintf(stderr, "  input \"%s\"\n", bad[i]);
		CHECK_INT(rc, DATE_BAD_FORMAT);
	}
}

TEST(parse_no_such_day)
{
	static const char *bad[] = {
		"2020-02-30", "2019-02-29", "1900-02-29", "2020-13-01",
		"2020-00-10", "2020-04-31", "2020-01-00", "2020-01-32",
		"2020-03-16 25:00", "2020-03-16 24:00", "2020-03-16 10:60",
		"2020-03-16 10:30:61", "2020-03-16T10:30:00+19:00",
		"2020-03-16T10:30:00+18:01", "2020-03-16T10:30:00-01:60",
	};
	struct date d;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = date_parse(bad[i], &d);

		if (rc != DATE_NO_SUCH_DAY)
			fprintf(stderr, "  input \"%s\"\n", bad[i]);
		CHECK_INT(rc, DATE_NO_SUCH_DAY);
	}
	CHECK_INT(date_parse("2020-02-29", &d), DATE_OK);
	CHECK_INT(date_parse("2000-02-29", &d), DATE_OK);
	CHECK_INT(date_parse("2021-12-31", &d), DATE_OK);
	CHECK_INT(date_parse("2020-04-30", &d), DATE_OK);
}

static int64_t
epoch_of(const char *s)
{
	struct date d;

	if (date_parse(s, &d) != DATE_OK)
		return INT64_MIN;
	return date_epoch(&d);
}

TEST(epoch_known)
{
	CHECK_INT(epoch_of("2020-03-16T10:30:00+01:00"), 1584351000);
	CHECK_INT(epoch_of("2020-03-16T09:30:00Z"), 1584351000);
	CHECK_INT(epoch_of("2020-03-16 04:30:00 -05:00"), 1584351000);
	CHECK_INT(epoch_of("1970-01-01"), 0);
	CHECK_INT(epoch_of("1970-01-01T00:00:00+01:00"), -3600);
	CHECK_INT(epoch_of("2020-02-29"), 1582934400);
	CHECK_INT(epoch_of("2000-03-01"), 951868800);
	CHECK_INT(epoch_of("1900-01-01"), -2208988800LL);
	CHECK_INT(epoch_of("1600-02-29"), -11670998400LL);
	CHECK_INT(epoch_of("2038-01-19 03:14:08"), 2147483648LL);
	CHECK_INT(epoch_of("2400-12-31 23:59:59"), 13601087999LL);
	CHECK_INT(epoch_of("1969-12-31T23:59:59Z"), -1);
}

TEST(from_epoch)
{
	struct date d;
	struct buf b = BUF_INIT;

	date_from_epoch(1584351000, 60, &d);
	CHECK_INT(d.year, 2020);
	CHECK_INT(d.mon, 3);
	CHECK_INT(d.day, 16);
	CHECK_INT(d.hour, 10);
	CHECK_INT(d.min, 30);
	CHECK_INT(d.has_time, 1);
	CHECK_INT(d.has_offset, 1);
	CHECK_INT(d.offset, 60);
	CHECK_INT(date_epoch(&d), 1584351000);

	date_from_epoch(-1, 0, &d);
	date_iso(&d, &b);
	CHECK_STR(b.p, "1969-12-31T23:59:59Z");
	buf_reset(&b);
	date_from_epoch(-86401, 0, &d);
	date_iso(&d, &b);
	CHECK_STR(b.p, "1969-12-30T23:59:59Z");
	buf_reset(&b);
	date_from_epoch(-2208988800LL, -300, &d);
	date_iso(&d, &b);
	CHECK_STR(b.p, "1899-12-31T19:00:00-05:00");
	buf_reset(&b);
	date_from_epoch(0, -90, &d);
	date_iso(&d, &b);
	CHECK_STR(b.p, "1969-12-31T22:30:00-01:30");
	buf_reset(&b);
	date_from_epoch(1582934400 + 86399, 0, &d);
	CHECK_INT(d.mon, 2);
	CHECK_INT(d.day, 29);
	buf_release(&b);
}

/* Every day over several centuries (including negative epochs) must
 * round-trip through epoch and back. */
TEST(round_trip)
{
	int64_t t;
	int bad = 0;

	for (t = -6000LL * 86400; t < 200000LL * 86400; t += 86400 + 3607) {
		struct date d;
		struct buf b = BUF_INIT;
		struct date e;

		date_from_epoch(t, 120, &d);
		if (date_epoch(&d) != t)
			bad++;
		date_iso(&d, &b);
		if (date_parse(b.p, &e) != DATE_OK || date_epoch(&e) != t)
			bad++;
		buf_release(&b);
	}
	CHECK_INT(bad, 0);
}

TEST(cmp)
{
	struct date a, b;

	date_parse("2020-03-16T10:30:00+01:00", &a);
	date_parse("2020-03-16T09:30:00Z", &b);
	CHECK_INT(date_cmp(&a, &b), 0);
	date_parse("2020-03-16T10:00:00Z", &b);
	CHECK_INT(date_cmp(&a, &b), -1);
	CHECK_INT(date_cmp(&b, &a), 1);
	date_parse("2020-03-16", &b);
	CHECK_INT(date_cmp(&a, &b), 1);
}

TEST(human)
{
	static const char *fr[] = { "janvier", "février", "mars", "avril",
	    "mai", "juin", "juillet", "août", "septembre", "octobre",
	    "novembre", "décembre" };
	struct date d;
	struct buf b = BUF_INIT;
	char want[64];
	int m;

	date_parse("2020-03-16", &d);
	date_human(&d, "fr", &b);
	CHECK_STR(b.p, "16 mars 2020");
	buf_reset(&b);
	date_human(&d, "en", &b);
	CHECK_STR(b.p, "16 March 2020");
	buf_reset(&b);
	date_human(&d, NULL, &b);
	CHECK_STR(b.p, "16 March 2020");
	buf_reset(&b);
	date_parse("2020-03-01", &d);
	date_human(&d, "fr", &b);
	CHECK_STR(b.p, "1er mars 2020");
	buf_reset(&b);
	date_human(&d, "fr-FR", &b);
	CHECK_STR(b.p, "1er mars 2020");
	buf_reset(&b);
	date_human(&d, "en", &b);
	CHECK_STR(b.p, "1 March 2020");
	buf_reset(&b);
	date_parse("2021-08-02", &d);
	date_human(&d, "fr", &b);
	CHECK_STR(b.p, "2 août 2021");
	buf_reset(&b);
	for (m = 1; m <= 12; m++) {
		date_month_human(2020, m, "fr", &b);
		snprintf(want, sizeof want, "%s 2020", fr[m - 1]);
		CHECK_STR(b.p, want);
		buf_reset(&b);
	}
	date_month_human(2019, 12, "en", &b);
	CHECK_STR(b.p, "December 2019");
	buf_release(&b);
}

TEST(iso_rfc3339)
{
	struct date d;
	struct buf b = BUF_INIT;

	date_parse("2020-03-16", &d);
	date_iso(&d, &b);
	CHECK_STR(b.p, "2020-03-16");
	buf_reset(&b);
	date_rfc3339(&d, &b);
	CHECK_STR(b.p, "2020-03-16T00:00:00Z");
	buf_reset(&b);
	date_parse("2020-03-16T10:30+01:00", &d);
	date_iso(&d, &b);
	CHECK_STR(b.p, "2020-03-16T10:30:00+01:00");
	buf_reset(&b);
	date_rfc3339(&d, &b);
	CHECK_STR(b.p, "2020-03-16T10:30:00+01:00");
	buf_reset(&b);
	date_parse("2020-03-16 10:30:05", &d);
	date_iso(&d, &b);
	CHECK_STR(b.p, "2020-03-16T10:30:05");
	buf_reset(&b);
	date_rfc3339(&d, &b);
	CHECK_STR(b.p, "2020-03-16T10:30:05Z");
	buf_reset(&b);
	/* west of UTC, minutes in the offset, a year before 1000 */
	date_parse("0987-12-31T23:59:59-03:30", &d);
	date_rfc3339(&d, &b);
	CHECK_STR(b.p, "0987-12-31T23:59:59-03:30");
	buf_reset(&b);
	date_parse("2020-03-16T10:30:00-09:30", &d);
	date_iso(&d, &b);
	CHECK_STR(b.p, "2020-03-16T10:30:00-09:30");
	buf_release(&b);
}

/* Results must not depend on the environment's zone. */
TEST(tz_independent)
{
	int64_t before = epoch_of("2020-07-01 12:00"), after;

	setenv("TZ", "Pacific/Kiritimati", 1);
	after = epoch_of("2020-07-01 12:00");
	unsetenv("TZ");
	CHECK_INT(before, after);
	CHECK_INT(before, 1593604800);
}

int
main(void)
{
	RUN(parse_forms);
	RUN(parse_bad_format);
	RUN(parse_no_such_day);
	RUN(epoch_known);
	RUN(from_epoch);
	RUN(round_trip);
	RUN(cmp);
	RUN(human);
	RUN(iso_rfc3339);
	RUN(tz_independent);
	return t_summary();
}
