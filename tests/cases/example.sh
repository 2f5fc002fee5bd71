# content-example/: golden output, determinism, well-formed pages and feed.
. "$TOP/tests/lib.sh"
sh "$TOP/tests/mkexample.sh" "$WORK/repo" >/dev/null 2>&1
run build "$WORK/repo" -o "$WORK/a"
t "example builds" [ "$RC" -eq 0 ]
t "without warnings" [ ! -s "$WORK/err" ]
run build "$WORK/repo" -o "$WORK/b"
t "two builds are byte-identical" diff -r "$WORK/a" "$WORK/b"
t "matches the golden output (make regress-rebuild)" \
	diff -r -x .ardoise "$TOP/tests/regress/example" "$WORK/a"
bad=""
for f in $(find "$WORK/a" -name '*.html' -o -name '*.xml'); do
	xmllint --noout "$f" 2>>"$WORK/xml" || bad="$bad $f"
done
t "every page, the feed and the sitemap are well-formed XML" [ -z "$bad" ]
t "pages are HTML5 with a lang" grep -q '<html lang="fr"' "$WORK/a/index.html"
t "no external resource (link, script, img, audio, source from elsewhere)" \
	sh -c "! grep -rEq '<(link|script|img|audio|video|source|iframe)[^>]+(src|href)=\"(https?:)?//' '$WORK/a' --include=*.html"
t "a skip link" grep -q 'href="#contenu"' "$WORK/a/index.html"
t "accessibility footer" grep -q 'Accessibilité : partiellement conforme' "$WORK/a/index.html"
t "class-only post not in the public build" [ ! -e "$WORK/a/posts/classe-decouverte.html" ]
t "nor its photo" [ ! -e "$WORK/a/media/chalet-montagne.png" ]
run build "$WORK/repo" --audience class -o "$WORK/c"
t "class build includes the class-only post" [ -f "$WORK/c/posts/classe-decouverte.html" ]
t "and its photo" [ -f "$WORK/c/media/chalet-montagne.png" ]
t "sitemap written (base_url set)" [ -f "$WORK/a/sitemap.xml" ]
t "audio copied" [ -f "$WORK/a/media/chorale.wav" ]
finish
