#include "progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util.h"

struct progress {
	FILE *f;
	const char *label;
	int color, width;
	size_t total;
	atomic_size_t done;
	double t0, last;
	int drawn;
	pthread_mutex_t lock;	/* one thread draws at a time */
};

struct progress *
progress_new(FILE *f, const char *label, int quiet)
{
	struct progress *p;
	struct winsize ws;
	const char *nc = getenv("NO_COLOR");

	if (quiet || !isatty(fileno(f)))
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->f = f;
	p->label = label;
	/* https://no-color.org: any non-empty value turns colour off */
	p->color = !(nc && *nc) && !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	p->width = 80;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		p->width = ws.ws_col;
	atomic_init(&p->done, 0);
	pthread_mutex_init(&p->lock, NULL);
	p->t0 = clock_seconds();
	return p;
}

void
progress_start(struct progress *p, size_t total)
{
	if (!p)
		return;
	p->total = total;
	atomic_store(&p->done, 0);
	p->t0 = clock_seconds();
	p->last = 0;
}

static void
human_time(char *out, size_t n, double s)
{
	if (s < 60)
		snprintf(out, n, "%d s", (int)(s + 0.5));
	else if (s < 3600)
		snprintf(out, n, "%d min %02d s", (int)s / 60, (int)s % 60);
	else
		snprintf(out, n, "%d h %02d min", (int)s / 3600, (int)s / 60 % 60);
}

void
progress_format(char *out, size_t n, const char *label, size_t done, size_t total,
    double elapsed, int width, int color)
{
	char tail[128], left[32];
	double rate = elapsed > 0.05 ? done / elapsed : 0;
	int bar, fill, len, i;

	if (done > total)
		done = total;
	if (rate > 0 && done < total) {
		human_time(left, sizeof left, (total - done) / rate);
		/* TRANSLATORS: files done/total, files per second, time left */
		snprintf(tail, sizeof tail, _("%zu/%zu files  %.0f/s  %s left"), done, total, rate, left);
	} else {
		snprintf(tail, sizeof tail, _("%zu/%zu files"), done, total);
	}
	/* label, space, [bar], space, tail: the bar takes what remains */
	bar = width - 1 - (int)strlen(label) - 1 - 2 - 1 - (int)strlen(tail);
	if (bar > 40)
		bar = 40;
	if (bar < 5)
		bar = 0;
	fill = total ? (int)((double)bar * done / total) : bar;
	len = snprintf(out, n, "%s ", label);
	if (bar && len >= 0 && (size_t)len < n) {
		len += snprintf(out + len, n - len, "%s[", color ? "\033[1m" : "");
		for (i = 0; i < bar && (size_t)len + 8 < n; i++)
			len += snprintf(out + len, n - len, "%s", i < fill ? (color ? "\033[7m \033[27m" : "#") : (color ? " " : "."));
		if ((size_t)len < n)
			len += snprintf(out + len, n - len, "]%s ", color ? "\033[0m" : "");
	}
	if (len >= 0 && (size_t)len < n)
		snprintf(out + len, n - len, "%s", tail);
}

static void
draw(struct progress *p, int force)
{
	char line[1024];
	double now = clock_seconds();

	if (force)
		pthread_mutex_lock(&p->lock);
	else if (pthread_mutex_trylock(&p->lock) != 0)
		return;	/* another thread is drawing: no need to wait */
	if (force || now - p->last >= 0.1) {
		p->last = now;
		progress_format(line, sizeof line, p->label, atomic_load(&p->done), p->total,
		    now - p->t0, p->width, p->color);
		/* \r then erase to the end of the line: redraw in place */
		fprintf(p->f, "\r%s\033[K", line);
		fflush(p->f);
		p->drawn = 1;
	}
	pthread_mutex_unlock(&p->lock);
}

void
progress_add(struct progress *p, size_t n)
{
	if (!p)
		return;
	/* the last step is always drawn, so the bar never stops short */
	draw(p, atomic_fetch_add(&p->done, n) + n >= p->total);
}

void
progress_free(struct progress *p)
{
	if (!p)
		return;
	if (p->drawn) {
		fputs("\r\033[K", p->f);
		fflush(p->f);
	}
	pthread_mutex_destroy(&p->lock);
	free(p);
}
