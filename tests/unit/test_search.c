/* search: folding, JavaScript string escaping, HTML to text. */
#include <string.h>

#include "buf.h"
#include "search.h"
#include "t.h"

static const char *
fold(struct buf *b, const char *s)
{
	buf_reset(b);
	search_fold(s, strlen(s), b);
	return b->p;
}

static const char *
js(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	search_js_string(b, s, n);
	return b->p;
}

static const char *
text(struct buf *b, const char *html)
{
	buf_reset(b);
	search_html_text(html, b);
	return b->p;
}

TEST(fold_french)
{
	struct buf b = BUF_INIT;

	CHECK_STR(fold(&b, "École Jules-Verne"), " ecole jules verne");
	CHECK_STR(fold(&b, "l'œuf, l’ŒIL et l'ex-æquo"), " l oeuf l oeil et l ex aequo");
	CHECK_STR(fold(&b, "Ça GLISSE ! Noël à Saint-Étienne ÀÉÈÊËÎÏÔÙÛÜŸÇ"),
	    " ca glisse noel a saint etienne aeeeeiiouuuyc");
	CHECK_STR(fold(&b, "  «  »  "), "");
	CHECK_STR(fold(&b, ""), "");
	/* a combining accent (NFD text) is dropped, not a separator */
	CHECK_STR(fold(&b, "e\xcc\x81" "cole"), " ecole");
	buf_release(&b);
}

TEST(fold_other_letters)
{
	struct buf b = BUF_INIT;

	CHECK_STR(fold(&b, "Straße Øresund Łódź Ğüneş Ðóra Þór"), " strasse oresund lodz gunes dora thor");
	CHECK_STR(fold(&b, "CM2 n°3 ½ 10€ 😀x"), " cm2 n 3 ½ 10 x");
	/* Greek and Cyrillic kept, in lower case */
	CHECK_STR(fold(&b, "ΑΒΓ Москва"), " αβγ москва");
	/* invalid UTF-8 is a separator, never read past the end */
	CHECK_STR(fold(&b, "a\xff" "b\xc3"), " a b");
	buf_release(&b);
}

TEST(js_string)
{
	struct buf b = BUF_INIT;

	CHECK_STR(js(&b, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	CHECK_STR(js(&b, "l\n\r\t\x01\x7f", 6), "\"l\\n\\r\\t\\u0001\\u007f\"");
	CHECK_STR(js(&b, "</script><b>", 12), "\"<\\/script><b>\"");
	CHECK_STR(js(&b, "x\xe2\x80\xa8y\xe2\x80\xa9z", 9), "\"x\\u2028y\\u2029z\"");
	CHECK_STR(js(&b, "École", strlen("École")), "\"École\"");
	CHECK_STR(js(&b, "a\0b", 3), "\"a\\u0000b\"");
	buf_release(&b);
}

TEST(html_text)
{
	struct buf b = BUF_INIT;

	CHECK_STR(text(&b, "<h2>Titre</h2>\n<p>Un <em>mot</em>s &amp; &lt;b&gt; &quot;x&quot; l&#39;a</p>"),
	    "Titre Un mots & <b> \"x\" l'a");
	CHECK_STR(text(&b, "<p>&#233;t&#xE9; &#0; &copy;</p><!-- raw HTML omitted --><ul><li>a</li><li>b</li></ul>"),
	    "été   &copy; a b");
	CHECK_STR(text(&b, "<img src=\"x.png\" alt=\"\" /><p>fin"), "fin");
	buf_release(&b);
}

int
main(void)
{
	RUN(fold_french);
	RUN(fold_other_letters);
	RUN(js_string);
	RUN(html_text);
	return t_summary();
}
