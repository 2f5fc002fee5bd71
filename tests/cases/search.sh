# Offline search: search-index.js and the parts it lists under search/
# (scripts, valid JavaScript, folded words, no class-only post in a public
# build, under a quarter of the site's HTML), and search.html; a rebuild
# after one edit writes only the part holding it.
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

# node evaluates the index and its parts with a fake window and prints one
# line per entry, in the index's order
entries() {
	node -e 'const fs = require("fs"), path = require("path"); const window = {};
		eval(fs.readFileSync(process.argv[1], "utf8"));
		const d = window.ARDOISE_SEARCH;
		if (d.version !== 2 || !Array.isArray(d.parts) || d.parts.length === 0) process.exit(1);
		for (const p of d.parts)
			eval(fs.readFileSync(path.join(path.dirname(process.argv[1]), p), "utf8"));
		for (const p of d.parts) {
			if (!Array.isArray(window.ARDOISE_SEARCH_PARTS[p])) process.exit(1);
			for (const e of window.ARDOISE_SEARCH_PARTS[p])
				console.log([e[0], e[1], e[3], e[4], e[5], e[6], e[7]].join("\t"));
		}' "$1"
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
	tnot "no class-only post in the public index" grep -rqi 'classe-decouverte\|ecrins\|Écrins' "$S/search-index.js" "$S/search"
else
	fail "node is installed (ci/browser.sh installs it)"
fi
idx=$(cat "$S/search-index.js" "$S"/search/*.js | wc -c)
html=$(find "$S" -name '*.html' -exec cat {} + | wc -c)
echo "# search-index.js: $idx bytes, HTML: $html bytes ($((idx * 100 / html))%)"
t "the index is under 25% of the site's HTML ($idx / $html bytes)" [ $((idx * 4)) -lt "$html" ]
t "no line of the index holds \"</\"" sh -c "! grep -rq '</' '$S/search-index.js' '$S/search'"

run build "$WORK/repo" --audience class -o "$WORK/class"
t "class build: the class-only post is indexed" grep -rq 'posts/classe-decouverte.html' "$WORK/class/search"
run build "$WORK/repo" -o "$WORK/again" --force
t "the index is deterministic" sh -c 'cmp "$1/search-index.js" "$2/search-index.js" && diff -r "$1/search" "$2/search"' - "$S" "$WORK/again"

# 300 posts: several parts; one post edited, one part written again
R=$WORK/many
newrepo "$R"
i=1
while [ "$i" -le 300 ]; do
	printf -- '---\ntitle: "Article %s"\ndate: 2020-01-01T10:%02d:%02d\n---\nTexte %s.\n' "$i" $((i / 60)) $((i % 60)) "$i" >"$R/posts/a$i.md"
	i=$((i + 1))
done
commitall "$R" "2020-02-01T10:00:00+01:00"
run build "$R" -o "$WORK/many-site"
parts=$(ls "$WORK/many-site/search" | wc -l)
t "300 posts: the index is cut into parts ($parts)" [ "$parts" -gt 1 ]
ls -i "$WORK/many-site/search" | sort >"$WORK/parts-before"
printf '\nCorrigé.\n' >>"$R/posts/a150.md"
commitall "$R" "2020-02-02T10:00:00+01:00"
run build "$R" -o "$WORK/many-site"
ls -i "$WORK/many-site/search" | sort >"$WORK/parts-after"
t "one post edited: one part made again, the others kept (same inode)" \
	[ "$(comm -13 "$WORK/parts-before" "$WORK/parts-after" | wc -l)" -eq 1 ]
has_entry() {
	entries "$1" | grep -q "$2"
}
if command -v node >/dev/null 2>&1; then
	t "the edit is in the index" has_entry "$WORK/many-site/search-index.js" '^posts/a150.html.* corrige'
fi
rm -rf "$WORK/many-full"
run build "$R" -o "$WORK/many-full" --force
t "the rebuilt index equals a full build's" sh -c 'cmp "$1/search-index.js" "$2/search-index.js" && diff -r "$1/search" "$2/search"' - "$WORK/many-site" "$WORK/many-full"
finish
