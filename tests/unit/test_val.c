/* val: the data tree. */
#include "t.h"
#include "val.h"

TEST(lookup_exact_names)
{
	struct val *m = val_new_map();

	val_map_str(m, "title", "Le potager");
	val_map_str(m, "titles", "x");
	CHECK_STR(val_str(val_getn(m, "title", 5)), "Le potager");
	CHECK_STR(val_str(val_getn(m, "titles", 6)), "x");
	CHECK(val_getn(m, "titl", 4) == NULL);
	/* a name holding a NUL matches nothing (found by fuzzing: it matched
	 * "title" and read past the key) */
	CHECK(val_getn(m, "title\0xxxxxxxxxxxxxxxxxxxxxxxxxxxx", 34) == NULL);
	val_free(m);
}

TEST(references_and_borrowed_strings)
{
	static const char html[] = "<p>texte</p>";
	struct val *post = val_new_map(), *page = val_new_map();

	val_map_set(post, "content", val_new_str_borrowed(html, sizeof html - 1));
	val_map_ref(page, "post", post);
	CHECK_STR(val_str(val_get(val_get(page, "post"), "content")), html);
	val_free(page);		/* does not free post */
	val_free(post);		/* does not free html */
	CHECK(val_truthy(NULL) == 0);
}

int
main(void)
{
	RUN(lookup_exact_names);
	RUN(references_and_borrowed_strings);
	return t_summary();
}
