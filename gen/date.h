/*
 * date: the dates of posts. Parses what teachers write in front matter
 * and formats dates for people (French or English) and for machines.
 */
#ifndef ARDOISE_DATE_H
#define ARDOISE_DATE_H

#include <stdint.h>

struct buf;

struct date {
	int year, mon, day;	/* mon 1..12 */
	int hour, min, sec;
	int has_time;		/* a time of day was given */
	int has_offset;		/* a UTC offset was given (or came from git) */
	int offset;		/* minutes east of UTC */
};

enum { DATE_OK = 0, DATE_BAD_FORMAT = -1, DATE_NO_SUCH_DAY = -2 };

/*
 * Accepts `2020-03-16`, `2020-03-16 10:30`, `2020-03-16 10:30:15`, and ISO
 * 8601 / RFC 3339 forms: `2020-03-16T10:30`, `2020-03-16T10:30:00Z`,
 * `2020-03-16T10:30:00+01:00` (also `+0100`), optional fractional seconds
 * (ignored). Surrounding spaces are ignored. Returns DATE_OK,
 * DATE_BAD_FORMAT, or DATE_NO_SUCH_DAY (31 February, month 13, 25:00).
 */
int date_parse(const char *s, struct date *out);
/* Seconds since the epoch; a date without offset is taken as UTC,
 * a date without time as midnight. */
int64_t date_epoch(const struct date *d);
/* The date at epoch seconds t seen at UTC offset `offset` minutes;
 * has_time and has_offset are set. */
void date_from_epoch(int64_t t, int offset, struct date *out);
/* Orders by epoch. */
int date_cmp(const struct date *a, const struct date *b);
/* "16 mars 2020" ("1er mars 2020") for lang "fr", "16 March 2020" otherwise. */
void date_human(const struct date *d, const char *lang, struct buf *out);
/* "mars 2020" / "March 2020". */
void date_month_human(int year, int mon, const char *lang, struct buf *out);
/* HTML <time datetime>: "2020-03-16" without time, "2020-03-16T10:30:00+01:00"
 * with time and offset, "2020-03-16T10:30:00" with time and no offset. */
void date_iso(const struct date *d, struct buf *out);
/* RFC 3339 for Atom, always complete: "2020-03-16T00:00:00Z" when parts
 * are missing. */
void date_rfc3339(const struct date *d, struct buf *out);

#endif
