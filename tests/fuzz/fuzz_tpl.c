/*
 * libFuzzer: the Mustache engine. The input is a template, then a line
 * "----", then YAML data; two partials ("p" and "layout") are the
 * template itself, so recursion and inheritance get exercised.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "tpl.h"
#include "val.h"
#include "yml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *sep = NULL;
	struct yml_limits lim = { 16, 1 << 16 };
	struct val *v = NULL;
	struct tpl_set *set;
	struct buf out = BUF_INIT;
	struct diag d;
	size_t tlen = size;

	for (size_t i = 0; i + 5 <= size; i++) {
		if (memcmp(s + i, "\n----", 5) == 0) {
			sep = s + i;
			break;
		}
	}
	if (sep)
		tlen = (size_t)(sep - s);
	diag_init(&d);
	set = tpl_set_new();
	if (sep && yml_parse(sep + 5, size - tlen - 5, "data", 0, &lim, &v, &d) < 0)
		v = NULL;
	if (!v)
		v = val_new_map();
	tpl_set_add(set, "t", "t", s, tlen, &d);
	tpl_set_add(set, "p", "p", s, tlen, &d);
	tpl_set_add(set, "layout", "layout", s, tlen, &d);
	tpl_render(set, "t", v, &out, &d);
	buf_release(&out);
	tpl_set_free(set);
	val_free(v);
	diag_release(&d);
	return 0;
}
