/* libFuzzer: front matter and YAML (fm_parse, yml_parse). */
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "fm.h"
#include "yml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yml_limits lim = YML_LIMITS_DEFAULT;
	struct fm_meta m = { 0 };
	struct diag d;

	diag_init(&d);
	fm_parse("fuzz.md", (const char *)data, size, &lim, &m, &d);
	fm_meta_release(&m);
	diag_release(&d);
	return 0;
}
