#include "date.h"

#include <string.h>

#include "buf.h"

static const char *const fr_months[12] = {
	"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre",
};
static const char *const en_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, by the
 * era arithmetic of H. Hinnant's days_from_civil, so that nothing depends
 * on timegm, TZ or the locale.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Reads exactly n digits at *s; advances *s. */
static int
digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses an offset (`Z`, `+01:00`, `+0100`, `+01`) at s, which must end
 * the string apart from spaces. Returns minutes in *off. */
static int
parse_offset(const char *s, int *off, int *range_ok)
{
	int sign, h, m = 0;

	*range_ok = 1;
	if (*s == 'Z' || *s == 'z') {
		*off = 0;
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, 2, &h) == -1)
			return -1;
		if (*s == ':') {
			s++;
			if (digits(&s, 2, &m) == -1)
				return -1;
		} else if (*s >= '0' && *s <= '9') {
			if (digits(&s, 2, &m) == -1)
				return -1;
		}
		if (m >= 60 || h * 60 + m > 18 * 60)
			*range_ok = 0;
		*off = sign * (h * 60 + m);
	} else {
		return -1;
	}
	while (is_space(*s))
		s++;
	return *s == '\0' ? 0 : -1;
}

int
date_parse(const char *s, struct date *out)
{
	struct date d;
	int range_ok = 1;

	memset(&d, 0, sizeof d);
	memset(out, 0, sizeof *out);
	while (is_space(*s))
		s++;
	if (digits(&s, 4, &d.year) == -1 || *s++ != '-' ||
	    digits(&s, 2, &d.mon) == -1 || *s++ != '-' ||
	    digits(&s, 2, &d.day) == -1)
		return DATE_BAD_FORMAT;
	if (*s == 'T' || *s == 't' || (is_space(*s) && s[1] >= '0' && s[1] <= '9')) {
		s++;
		d.has_time = 1;
		if (digits(&s, 2, &d.hour) == -1 || *s++ != ':' ||
		    digits(&s, 2, &d.min) == -1)
			return DATE_BAD_FORMAT;
		if (*s == ':') {
			s++;
			if (digits(&s, 2, &d.sec) == -1)
				return DATE_BAD_FORMAT;
			if (*s == '.' || *s == ',') {
				s++;
				if (*s < '0' || *s > '9')
					return DATE_BAD_FORMAT;
				while (*s >= '0' && *s <= '9')
					s++;
			}
		}
		/* YAML timestamps allow spaces before the zone. */
		while (is_space(*s))
			s++;
		if (*s != '\0') {
			if (parse_offset(s, &d.offset, &range_ok) == -1)
				return DATE_BAD_FORMAT;
			d.has_offset = 1;
		}
	} else {
		while (is_space(*s))
			s++;
		if (*s != '\0')
			return DATE_BAD_FORMAT;
	}
	if (d.mon < 1 || d.mon > 12 || d.day < 1 ||
	    d.day > days_in_month(d.year, d.mon) || d.hour > 23 ||
	    d.min > 59 || d.sec > 60 || !range_ok)
		return DATE_NO_SUCH_DAY;
	*out = d;
	return DATE_OK;
}

int64_t
date_epoch(const struct date *d)
{
	int64_t t = days_from_civil(d->year, d->mon, d->day) * 86400;

	if (d->has_time)
		t += d->hour * 3600 + d->min * 60 + d->sec;
	if (d->has_offset)
		t -= (int64_t)d->offset * 60;
	return t;
}

void
date_from_epoch(int64_t t, int offset, struct date *out)
{
	int64_t local = t + (int64_t)offset * 60, days, secs;

	/* Floor division: times before 1970 belong to the previous day. */
	days = local / 86400;
	secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	memset(out, 0, sizeof *out);
	civil_from_days(days, &out->year, &out->mon, &out->day);
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	out->has_time = 1;
	out->has_offset = 1;
	out->offset = offset;
}

int
date_cmp(const struct date *a, const struct date *b)
{
	int64_t x = date_epoch(a), y = date_epoch(b);

	return x < y ? -1 : x > y;
}

static int
is_french(const char *lang)
{
	return lang && (lang[0] == 'f' || lang[0] == 'F') &&
	    (lang[1] == 'r' || lang[1] == 'R') &&
	    (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

static const char *
month_name(int mon, const char *lang)
{
	if (mon < 1 || mon > 12)
		return "?";
	return is_french(lang) ? fr_months[mon - 1] : en_months[mon - 1];
}

/*
 * v as printf's "%0*d" writes it. Dates are formatted four times per
 * post and build (tens of thousands of calls): printf's parsing costs
 * more than the digits.
 */
static void
put_dec(struct buf *out, int v, int width)
{
	char s[16];
	int n = 0;

	if (v < 0 || width > 8) {
		buf_printf(out, "%0*d", width, v);
		return;
	}
	do {
		s[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		s[n++] = '0';
	while (n)
		buf_putc(out, s[--n]);
}

void
date_human(const struct date *d, const char *lang, struct buf *out)
{
	if (is_french(lang) && d->day == 1) {
		buf_puts(out, "1er ");
	} else {
		put_dec(out, d->day, 1);
		buf_putc(out, ' ');
	}
	buf_puts(out, month_name(d->mon, lang));
	buf_putc(out, ' ');
	put_dec(out, d->year, 1);
}

void
date_month_human(int year, int mon, const char *lang, struct buf *out)
{
	buf_printf(out, "%s %d", month_name(mon, lang), year);
}

static void
put_offset(int off, struct buf *out)
{
	int a = off < 0 ? -off : off;

	if (off == 0)
		buf_putc(out, 'Z');
	else {
		buf_putc(out, off < 0 ? '-' : '+');
		put_dec(out, a / 60, 2);
		buf_putc(out, ':');
		put_dec(out, a % 60, 2);
	}
}

void
date_iso(const struct date *d, struct buf *out)
{
	put_dec(out, d->year, 4);
	buf_putc(out, '-');
	put_dec(out, d->mon, 2);
	buf_putc(out, '-');
	put_dec(out, d->day, 2);
	if (!d->has_time)
		return;
	buf_putc(out, 'T');
	put_dec(out, d->hour, 2);
	buf_putc(out, ':');
	put_dec(out, d->min, 2);
	buf_putc(out, ':');
	put_dec(out, d->sec, 2);
	if (d->has_offset)
		put_offset(d->offset, out);
}

/* Two digits of v (0..99) at p. */
static void
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void
date_rfc3339(const struct date *d, struct buf *out)
{
	int h = d->has_time ? d->hour : 0, mi = d->has_time ? d->min : 0,
	    se = d->has_time ? d->sec : 0, off = d->has_offset ? d->offset : 0;
	int a = off < 0 ? -off : off;

	/* the usual case in one piece: the sitemap writes ten thousand */
	if (d->year >= 0 && d->year <= 9999 && d->mon >= 0 && d->mon <= 99 && d->day >= 0 &&
	    d->day <= 99 && h >= 0 && h <= 99 && mi >= 0 && mi <= 99 && se >= 0 && se <= 99 &&
	    a / 60 <= 99) {
		char s[26];
		size_t n = 19;

		two(s, d->year / 100);
		two(s + 2, d->year % 100);
		s[4] = '-';
		two(s + 5, d->mon);
		s[7] = '-';
		two(s + 8, d->day);
		s[10] = 'T';
		two(s + 11, h);
		s[13] = ':';
		two(s + 14, mi);
		s[16] = ':';
		two(s + 17, se);
		if (off == 0) {
			s[n++] = 'Z';
		} else {
			s[n++] = off < 0 ? '-' : '+';
			two(s + n, a / 60);
			s[n + 2] = ':';
			two(s + n + 3, a % 60);
			n += 5;
		}
		buf_add(out, s, n);
		return;
	}
	put_dec(out, d->year, 4);
	buf_putc(out, '-');
	put_dec(out, d->mon, 2);
	buf_putc(out, '-');
	put_dec(out, d->day, 2);
	buf_putc(out, 'T');
	put_dec(out, d->has_time ? d->hour : 0, 2);
	buf_putc(out, ':');
	put_dec(out, d->has_time ? d->min : 0, 2);
	buf_putc(out, ':');
	put_dec(out, d->has_time ? d->sec : 0, 2);
	put_offset(d->has_offset ? d->offset : 0, out);
}
