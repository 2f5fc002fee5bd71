# Notebooks: cahier.yml, pages in file-name order, titles from front
# matter, first heading or file name, cover, print page, visibility,
# errors at their lines.
. "$TOP/tests/lib.sh"
R=$WORK/repo
newrepo "$R"
C="$R/cahiers/les-saisons"
mkdir -p "$C" "$R/cahiers/secret"
cat >"$C/cahier.yml" <<'X'
title: "Les saisons"
cover: couverture.png
authors: [Mme Martin, les CP]
summary: "Un cahier sur les saisons."
order: 2
materiel: [crayons]
X
cp "$TOP/content-example/media/soleil-arbre.png" "$C/couverture.png"
cp "$TOP/content-example/media/potager.png" "$C/potager.png"
printf -- '---\ntitle: "L’automne"\n---\nLes feuilles tombent.\n\n![Le potager en automne](potager.png)\n' >"$C/01-automne.md"
printf '# Le froid de l’hiver\n\nIl neige.\n' >"$C/02-hiver.md"
printf 'Les fleurs poussent.\n' >"$C/03-le-printemps.md"
printf 'title: "Secret"\nvisibility: class\n' >"$R/cahiers/secret/cahier.yml"
printf -- '---\ntitle: "Page secrète"\n---\nChut.\n' >"$R/cahiers/secret/01-chut.md"
commitall "$R" "2020-01-02T10:00:00+01:00"

run build "$R" -o "$WORK/o"
S=$WORK/o/cahiers
t "builds" [ "$RC" -eq 0 ]
t "notebooks index" [ -f "$S/index.html" ]
t "cover page with the table of contents" grep -q 'href="../../cahiers/les-saisons/02-hiver.html"' "$S/les-saisons/index.html"
t "one page per notebook page" [ -f "$S/les-saisons/01-automne.html" ] && [ -f "$S/les-saisons/03-le-printemps.html" ]
t "title from front matter" grep -q '<title>L’automne' "$S/les-saisons/01-automne.html"
t "title from the first heading" grep -q '<title>Le froid de l’hiver' "$S/les-saisons/02-hiver.html"
t "title from the file name" grep -q '<title>Le printemps' "$S/les-saisons/03-le-printemps.html"
t "position on the page" grep -q 'Page <strong>2</strong> sur 3' "$S/les-saisons/02-hiver.html"
t "previous and next links" grep -q 'rel="prev"' "$S/les-saisons/02-hiver.html" && grep -q 'rel="next"' "$S/les-saisons/02-hiver.html"
t "keyboard script" grep -q 'assets/cahier.js' "$S/les-saisons/02-hiver.html"
t "print page holds every page" sh -c "grep -c 'impression-feuille' '$S/les-saisons/imprimer.html' | grep -qx 3"
t "print page: the heading of a page moves down a level" grep -q '<h2>Le froid' "$S/les-saisons/imprimer.html"
t "cover copied with its size" grep -q 'couverture.png" width="[0-9]*" height="[0-9]*"' "$S/les-saisons/index.html"
t "media next to the pages copied" [ -f "$S/les-saisons/potager.png" ]
t "class-only notebook left out of the public site" [ ! -e "$S/secret" ]
t "navigation links to the notebooks" grep -q 'href="cahiers/index.html"' "$WORK/o/index.html"
bad=0
for f in "$S"/index.html "$S"/les-saisons/*.html; do xmllint --noout "$f" 2>/dev/null || bad=$((bad + 1)); done
t "pages are well-formed XML" [ "$bad" -eq 0 ]
run build "$R" --audience class -o "$WORK/c"
t "class-only notebook in the class build" [ -f "$WORK/c/cahiers/secret/01-chut.html" ]

# a large photo as cover: the list of notebooks shows its thumbnail
if command -v convert >/dev/null 2>&1; then
	convert -size 2000x1500 xc:skyblue "$C/grande.jpg"
	printf 'title: "Les saisons"\ncover: grande.jpg\n' >"$C/cahier.yml"
	commitall "$R" "2020-01-02T11:00:00+01:00"
	run build "$R" -o "$WORK/o"
	t "large cover: builds" [ "$RC" -eq 0 ]
	t "large cover: shown resized on the cover page" grep -q 'grande.jpg" width="1600" height="1200"' "$S/les-saisons/index.html"
	t "large cover: the list uses its thumbnail" grep -q 'src="../cahiers/les-saisons/grande.480.jpg"' "$S/index.html"
	t "large cover: thumbnail published" [ -f "$S/les-saisons/grande.480.jpg" ]
else
	fail "large cover: ImageMagick convert is needed (ci/deps.sh installs imagemagick)"
fi

# errors
printf 'title: "Les saisons"\ncover: absente.png\norder: deux\n' >"$C/cahier.yml"
printf 'pas du Markdown\n' >"$C/04-ete.txt"
commitall "$R" "2020-01-03T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "errors: exit 1" [ "$RC" -eq 1 ]
t "a bad order at its line" grep -q 'cahiers/les-saisons/cahier.yml:3:[0-9]*: error: order' "$WORK/err"
t "a missing cover" grep -q 'cahiers/les-saisons/cahier.yml: error: cover "absente.png" not found' "$WORK/err"
t "a notebook page that is not Markdown" grep -q 'cahiers/les-saisons/04-ete.txt: error: not a notebook page' "$WORK/err"
t "the previous site is untouched" [ -f "$S/les-saisons/01-automne.html" ]
finish
