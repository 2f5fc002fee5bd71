# Offline search: search-index.js (a script, valid JavaScript, folded
# words, no class-only post in a public build, under a quarter of the
# site's HTML) and search.html.
. "$TOP/tests/lib.sh"

sh "$TOP/tests/mkexample.sh" "$WORK/repo" >/dev/null 2>&1
run build "$WORK/repo" -o "$WORK/site"
t "example builds" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || { finish; exit; }
S=$WORK/site
t "search-index.js and search.html are written" [ -s "$S/search-index.js" -a -s "$S/search.html" ]
t "every page has the search box" grep -q 'action="search.html"' "$S/index.html"
t "pages one level down reach search.html" grep -q 'action="../search.html"' "$S/posts/potager.html"
t "search.html loads the script with the index's path" \
	grep -q '<script src="assets/search.js" data-index="search-index.js">' "$S/search.html"
t "search.js is copied" [ -s "$S/assets/search.js" ]
t "search.html is well-formed XML" xmllint --noout "$S/search.html"

# node evaluates the index with a fake window and prints one line per entry
entries() {
	node -e 'const fs = require("fs"); const window = {};
		eval(fs.readFileSync(process.argv[1], "utf8"));
		const d = window.ARDOISE_SEARCH;
		if (d.version !== 1 || !Array.isArray(d.entries)) process.exit(1);
		for (const e of d.entries) console.log([e[0], e[1], e[3], e[4], e[5], e[6], e[7]].join("\t"));' "$1"
}
if command -v node >/dev/null 2>&1; then
	t "search-index.js is valid JavaScript (node)" entries "$S/search-index.js"
	entries "$S/search-index.js" >"$WORK/entries" 2>&1
	t "a post is indexed" grep -q '^posts/potager.html	Le potager de la classe	2025-09-26' "$WORK/entries"
	t "a notebook page is indexed, with its notebook" \
		grep -q '^cahiers/experiences-sciences/02-la-chromatographie.html	Les couleurs cachées des feutres	[^	]*	Nos expériences de sciences	' "$WORK/entries"
	t "a page is indexed" grep -q '^a-propos.html	' "$WORK/entries"
	t "words are folded (École -> ecole, Écoutez -> ecoutez)" \
		grep -q '^posts/chorale.html	.* ecole .*ecoutez' "$WORK/entries"
	t "the title comes first, title_len ends it" \
		awk -F '\t' '$1 == "posts/carnaval.html" { exit !(substr($6, 1, $5) == " le carnaval de l ecole") }' "$WORK/entries"
	t "entries are newest first" sh -c "cut -f3 '$WORK/entries' | cut -c1-10 | sort -rc"
	t "snippets are the text as written" grep -q 'Au fond de la cour, derrière le préau' "$WORK/entries"
	tnot "no class-only post in the public index" grep -qi 'classe-decouverte\|ecrins\|Écrins' "$S/search-index.js"
else
	fail "node is installed (ci/browser.sh installs it)"
fi
idx=$(wc -c <"$S/search-index.js")
html=$(find "$S" -name '*.html' -exec cat {} + | wc -c)
echo "# search-index.js: $idx bytes, HTML: $html bytes ($((idx * 100 / html))%)"
t "the index is under 25% of the site's HTML ($idx / $html bytes)" [ $((idx * 4)) -lt "$html" ]
t "no line of the index holds \"</\"" sh -c "! grep -q '</' '$S/search-index.js'"

run build "$WORK/repo" --audience class -o "$WORK/class"
t "class build: the class-only post is indexed" grep -q 'posts/classe-decouverte.html' "$WORK/class/search-index.js"
run build "$WORK/repo" -o "$WORK/again" --force
t "the index is deterministic" cmp "$S/search-index.js" "$WORK/again/search-index.js"
finish
