/* slug: file names, titles and tags to addresses. */
#include "buf.h"
#include "slug.h"
#include "t.h"

static const char *
slug_of(struct buf *b, const char *s)
{
	buf_reset(b);
	slugify(s, strlen(s), b);
	return b->p;
}

TEST(french_letters_and_separators)
{
	struct buf b = BUF_INIT;

	CHECK_STR(slug_of(&b, "Sortie au musée d'Amiens"), "sortie-au-musee-d-amiens");
	CHECK_STR(slug_of(&b, "ÉTÉ À LA MER"), "ete-a-la-mer");
	CHECK_STR(slug_of(&b, "cœur Œuvre ÆSOP bœuf"), "coeur-oeuvre-aesop-boeuf");
	CHECK_STR(slug_of(&b, "Straße ÿ Ÿ ç Ç ñ ø"), "strasse-y-y-c-c-n-o");
	CHECK_STR(slug_of(&b, "àáâãäå èéêë ìíîï òóôõö ùúûü ý"), "aaaaaa-eeee-iiii-ooooo-uuuu-y");
	/* other letters and signs: separators, never a double hyphen */
	CHECK_STR(slug_of(&b, "«  Noël » – 2024 €"), "noel-2024");
	CHECK_STR(slug_of(&b, "Ωmega ĉapelo"), "mega-apelo");
	CHECK_STR(slug_of(&b, "---"), "");
	/* broken UTF-8: a lead byte without its second is a separator */
	CHECK_STR(slug_of(&b, "a\xc3"), "a");
	CHECK_STR(slug_of(&b, "a\xc3Zb"), "a-zb");
	CHECK_STR(slug_of(&b, "\xc5\x93uf"), "oeuf");
	buf_release(&b);
}

TEST(valid)
{
	CHECK(slug_valid("sortie-au-musee"));
	CHECK(slug_valid("a1"));
	CHECK(!slug_valid(""));
	CHECK(!slug_valid("-a"));
	CHECK(!slug_valid("a-"));
	CHECK(!slug_valid("a--b"));
	CHECK(!slug_valid("A"));
	CHECK(!slug_valid("é"));
}

int
main(void)
{
	RUN(french_letters_and_separators);
	RUN(valid);
	return t_summary();
}
