#include "mediaproc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "gitsrc.h"
#include "image.h"
#include "mp4clean.h"
#include "out.h"
#include "site.h"
#include "util.h"

/* One picture to process: its bytes, read by the main thread. */
struct pic {
	const char *path;	/* source path (owned by the site) */
	struct buf data;
	char key_d[96], key_t[96];
	int need_d, need_t;	/* files the previous build cannot give */
};

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pic **ring;
	size_t cap, head, n;
	int closed;
	const struct image_opts *io;
	struct out *out;
};

struct pworker {
	struct queue *q;
	pthread_t thread;
	struct diag d;
	int rc;
};

void
mediaproc_opts(const struct site_config *cfg, int class_build, struct image_opts *o)
{
	o->max_width = cfg->img_max_width;
	o->thumb_width = cfg->img_thumb_width;
	o->quality = cfg->img_quality;
	/* a public site never carries where and when a pupil was photographed */
	o->strip = class_build ? cfg->img_strip : 1;
}

static void
push(struct queue *q, struct pic *p)
{
	pthread_mutex_lock(&q->mu);
	while (q->n == q->cap)
		pthread_cond_wait(&q->cv, &q->mu);
	q->ring[(q->head + q->n) % q->cap] = p;
	q->n++;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The next picture, or NULL once the queue is closed and empty. */
static struct pic *
pop(struct queue *q)
{
	struct pic *p = NULL;

	pthread_mutex_lock(&q->mu);
	while (q->n == 0 && !q->closed)
		pthread_cond_wait(&q->cv, &q->mu);
	if (q->n) {
		p = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->n--;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return p;
}

static int
process(struct queue *q, struct pic *p, struct diag *d)
{
	struct image_plan plan;
	struct buf pub = BUF_INIT, tpath = BUF_INIT, disp = BUF_INIT, thumb = BUF_INIT;
	char err[256];
	int rc = -1;

	image_out_path(p->path, &pub);
	if (image_plan(p->data.p, p->data.len, p->path, q->io, &plan, err, sizeof err) < 0 ||
	    image_process(p->data.p, p->data.len, q->io, &plan,
	    p->need_d ? &disp : NULL, p->need_t ? &thumb : NULL, err, sizeof err) < 0) {
		diag_error(d, p->path, 0, 0,
		    _("cannot process picture \"%s\" (%s): check that it opens in an image viewer, or export it again as JPEG"),
		    p->path, err);
		goto out;
	}
	/* the display copy's key tells the next build whether a thumbnail
	 * goes with it, so that it need not read the picture to know */
	strcat(p->key_d, plan.thumb_width > 0 ? ":t1" : ":t0");
	if (p->need_d && out_write_key(q->out, pub.p, p->key_d,
	    plan.as_is ? p->data.p : disp.p, plan.as_is ? p->data.len : disp.len, d) < 0)
		goto out;
	if (p->need_t && plan.thumb_width > 0) {
		image_thumb_path(pub.p, plan.thumb_width, &tpath);
		if (out_write_key(q->out, tpath.p, p->key_t, thumb.p, thumb.len, d) < 0)
			goto out;
	}
	rc = 0;
out:
	buf_release(&pub);
	buf_release(&tpath);
	buf_release(&disp);
	buf_release(&thumb);
	return rc;
}

static void *
pworker_main(void *arg)
{
	struct pworker *w = arg;
	struct pic *p;

	while ((p = pop(w->q))) {
		if (process(w->q, p, &w->d) < 0)
			w->rc = -1;
		buf_release(&p->data);
		free(p);
	}
	return NULL;
}

/* a, b and c joined into out[0..size), cut to fit like snprintf: a key
 * made for each of thousands of media, where snprintf was most of the
 * time of a rebuild's media */
static void
key_join(char *out, size_t size, const char *a, const char *b, const char *c)
{
	const char *part[3] = { a, b, c };
	size_t i, len = 0;

	for (i = 0; i < 3; i++) {
		size_t n = strlen(part[i]);

		if (n > size - 1 - len)
			n = size - 1 - len;
		memcpy(out + len, part[i], n);
		len += n;
	}
	out[len] = '\0';
}

static int
is_mp4(const char *path)
{
	return str_ends_ci(path, ".mp4") || str_ends_ci(path, ".m4a") ||
	    str_ends_ci(path, ".mov") || str_ends_ci(path, ".m4v");
}

static void
warn_no_moov(const struct gitsrc_file *f, struct diag *d)
{
	diag_warn(d, f->path, 0, 0,
	    _("video \"%s\" has no movie header (moov box): it will not play; export it again as MP4 (H.264/AAC)"),
	    f->path);
}

/* Publishes a video or recording with its location boxes neutralised. */
static int
publish_mp4(struct gitsrc *src, const struct gitsrc_file *f, struct out *o,
    int strip, struct buf *data, struct diag *d)
{
	struct mp4_info info;
	char key[64], warned[68], err[256];

	key_join(key, sizeof key, "m:", f->oid, strip ? ":1" : ":0");
	if (out_reuse(o, f->path, key))
		return 0;
	/* published before, with the warning below: a rebuild gives it again,
	 * as a full build does, without reading the video */
	key_join(warned, sizeof warned, key, ":w", "");
	if (strip && out_reuse(o, f->path, warned)) {
		warn_no_moov(f, d);
		return 0;
	}
	buf_reset(data);
	if (gitsrc_read(src, f, data, d) < 0)
		return -1;
	if (strip && mp4_clean((unsigned char *)data->p, data->len, 1, &info, err, sizeof err) < 0) {
		diag_error(d, f->path, 0, 0,
		    _("cannot remove the location from video \"%s\" (%s): export it again as MP4 (H.264/AAC) from the phone or a video editor"),
		    f->path, err);
		return -1;
	}
	if (strip && !info.has_moov) {
		warn_no_moov(f, d);
		return out_write_key(o, f->path, warned, data->p, data->len, d);
	}
	return out_write_key(o, f->path, key, data->p, data->len, d);
}

/* out_reuse of a display copy recorded with key and suffix. */
static int
reuse_display(struct out *o, const char *pub, const char *key, const char *suffix)
{
	char k[104];

	key_join(k, sizeof k, key, suffix, "");
	return out_reuse(o, pub, k);
}

int
mediaproc_publish(const struct site *s, struct gitsrc *src, struct out *o,
    int nthreads, struct diag *d)
{
	struct image_opts io;
	struct queue q;
	struct pworker *w;
	struct buf data = BUF_INIT, pub = BUF_INIT, tpath = BUF_INIT;
	char opt_d[64], opt_t[48];
	size_t i;
	int started = 0, rc = 0;

	if (nthreads < 1)
		nthreads = 1;
	mediaproc_opts(&s->cfg, s->opts.audience == AUDIENCE_CLASS, &io);
	memset(&q, 0, sizeof q);
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	q.cap = (size_t)nthreads * 2;
	q.ring = xcalloc(q.cap, sizeof *q.ring);
	q.io = &io;
	q.out = o;
	w = xcalloc((size_t)nthreads, sizeof *w);
	for (i = 0; i < (size_t)nthreads; i++) {
		w[i].q = &q;
		diag_init(&w[i].d);
	}
	for (i = 0; i < (size_t)nthreads; i++) {
		if (pthread_create(&w[i].thread, NULL, pworker_main, &w[i]) != 0)
			break;
		started++;
	}

	/* what the keys of pictures hold besides the blob */
	snprintf(opt_d, sizeof opt_d, ":%d:%d:%d:%d", io.max_width, io.thumb_width, io.quality,
	    io.strip);
	snprintf(opt_t, sizeof opt_t, ":%d:%d:%d", io.thumb_width, io.quality, io.strip);
	for (i = 0; i < s->nmedia; i++) {
		const struct gitsrc_file *f = s->media[i];
		struct pic *p;
		char key[43], key_d[sizeof p->key_d], key_t[sizeof p->key_t];
		int need_d, need_t;

		if (!f) {
			rc = -1;
			continue;
		}
		if (image_handles(f->path) && started == 0) {
			rc = -1;	/* never published unprocessed */
			continue;
		}
		if (image_handles(f->path)) {
			key_join(key_d, sizeof key_d, "i:", f->oid, opt_d);
			key_join(key_t, sizeof key_t, "t:", f->oid, opt_t);
			image_out_path(f->path, &pub);
			/* ":t0": the previous build found no thumbnail was needed */
			if (reuse_display(o, pub.p, key_d, ":t0"))
				continue;
			image_thumb_path(pub.p, io.thumb_width, &tpath);
			need_d = !reuse_display(o, pub.p, key_d, ":t1");
			need_t = io.thumb_width > 0 && !out_reuse(o, tpath.p, key_t);
			if (!need_d && !need_t)
				continue;
			p = xcalloc(1, sizeof *p);
			p->path = f->path;
			memcpy(p->key_d, key_d, sizeof key_d);
			memcpy(p->key_t, key_t, sizeof key_t);
			p->need_d = need_d;
			p->need_t = need_t;
			buf_init(&p->data);
			if (gitsrc_read(src, f, &p->data, d) < 0) {
				buf_release(&p->data);
				free(p);
				rc = -1;
				continue;
			}
			push(&q, p);
			continue;
		}
		if (is_mp4(f->path)) {
			if (publish_mp4(src, f, o, io.strip, &data, d) < 0)
				rc = -1;
			continue;
		}
		/* the blob id names the content: an unchanged file is not even read */
		key_join(key, sizeof key, "b:", f->oid, "");
		if (out_reuse(o, f->path, key))
			continue;
		buf_reset(&data);
		if (gitsrc_read(src, f, &data, d) < 0 ||
		    out_write_key(o, f->path, key, data.p, data.len, d) < 0)
			rc = -1;
	}

	pthread_mutex_lock(&q.mu);
	q.closed = 1;
	pthread_cond_broadcast(&q.cv);
	pthread_mutex_unlock(&q.mu);
	for (i = 0; i < (size_t)started; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].rc < 0)
			rc = -1;
	}
	for (i = 0; i < (size_t)nthreads; i++) {
		diag_merge(d, &w[i].d);
		diag_release(&w[i].d);
	}
	if (started == 0 && s->nmedia) {
		diag_error(d, NULL, 0, 0, _("cannot start a thread to process pictures: free some memory and build again"));
		rc = -1;
	}
	free(w);
	free(q.ring);
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.cv);
	buf_release(&data);
	buf_release(&pub);
	buf_release(&tpath);
	return rc;
}
