/*
 * libFuzzer: gitpack over a hostile pack. The input is a small table and
 * a pack's body: byte 0 is the object count n (1..16), then n big-endian
 * 16-bit offsets into the body; the body follows. The harness writes a
 * pack ("PACK", version 2, n, body, 20 bytes) and a version-2 index that
 * gives object i the id {i, 0...} at its offset, then reads every id
 * with a small cache (evictions) and again with a large one. Headers,
 * offset and reference deltas (a reference to {i, 0...} finds object i),
 * inflating and delta copies all take the fuzzer's bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gitpack.h"

static char dir[] = "/tmp/ardoise-fuzz-gitpack-XXXXXX";

static void
be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static int
put(const char *name, const void *p, size_t n)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof path, "%s/pack/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void
cleanup(void)
{
	char path[256];

	snprintf(path, sizeof path, "%s/pack/f.pack", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/pack/f.idx", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/pack", dir);
	rmdir(path);
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	unsigned char id[20], *pack, *idx, *q;
	size_t n, body, i, idxlen;
	struct gitpack *gp;
	int pass;

	if (!ready) {
		char path[256];

		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof path, "%s/pack", dir);
		if (mkdir(path, 0700) < 0)
			abort();
		atexit(cleanup);
		ready = 1;
	}
	if (size < 3 || data[0] == 0 || data[0] > 16 || size < 1 + 2u * data[0])
		return 0;
	n = data[0];
	body = size - 1 - 2 * n;
	pack = calloc(1, 12 + body + 20);
	memcpy(pack, "PACK", 4);
	be32(pack + 4, 2);
	be32(pack + 8, (uint32_t)n);
	memcpy(pack + 12, data + 1 + 2 * n, body);
	idxlen = 8 + 1024 + n * 28 + 40;
	idx = calloc(1, idxlen);
	memcpy(idx, "\377tOc", 4);
	be32(idx + 4, 2);
	/* ids {i, 0...}: first byte i, so the fan-out counts up from 0 */
	for (i = 0; i < 256; i++)
		be32(idx + 8 + 4 * i, (uint32_t)(i < n ? i + 1 : n));
	q = idx + 8 + 1024;
	for (i = 0; i < n; i++)
		q[20 * i] = (unsigned char)i;
	q += 24 * n;	/* past the ids and the CRCs */
	for (i = 0; i < n; i++)
		be32(q + 4 * i, 12u + (uint32_t)(data[1 + 2 * i] << 8 |
		    data[2 + 2 * i]));
	if (put("f.pack", pack, 12 + body + 20) < 0 ||
	    put("f.idx", idx, idxlen) < 0)
		abort();
	free(pack);
	free(idx);
	for (pass = 0; pass < 2; pass++) {
		gp = gitpack_open(dir, pass ? (size_t)1 << 20 : 64);
		for (i = 0; i < n; i++) {
			struct gitpack_obj *o;

			memset(id, 0, sizeof id);
			id[0] = (unsigned char)i;
			if (gitpack_read(gp, id, &o)) {
				/* every byte of the result is readable */
				volatile unsigned char sum = 0;
				size_t k;

				for (k = 0; k < o->len; k++)
					sum ^= o->data[k];
				(void)sum;
				gitpack_obj_release(o);
			}
			(void)gitpack_depth(gp, id);
		}
		gitpack_free(gp);
	}
	return 0;
}
