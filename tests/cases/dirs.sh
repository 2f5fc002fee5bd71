# Where content lives is configurable in ardoise.yml.
. "$TOP/tests/lib.sh"
R=$WORK/repo
rm -rf "$R"; mkdir -p "$R/articles/2020" "$R/infos" "$R/fichiers"
git -c init.defaultBranch=main init -q "$R"
printf 'title: "Dossiers"\nposts: articles\npages: infos/\nmedia: fichiers\n' >"$R/ardoise.yml"
printf -- '---\ntitle: "Un article"\ndate: 2020-01-01\n---\n![un dessin](../../fichiers/d.png)\n' >"$R/articles/2020/2020-01-01-un.md"
printf -- '---\ntitle: "Qui sommes-nous"\n---\nLa classe.\n' >"$R/infos/nous.md"
cp "$TOP/content-example/media/potager.png" "$R/fichiers/d.png"
mkdir -p "$R/posts"; printf 'pas un article\n' >"$R/posts/ignored.txt"
commitall "$R" "2020-01-02T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "builds with custom directories" [ "$RC" -eq 0 ]
t "posts read from articles/" [ -f "$WORK/o/posts/un.html" ]
t "pages read from infos/" [ -f "$WORK/o/nous.html" ]
t "media from fichiers/ copied" [ -f "$WORK/o/fichiers/d.png" ]
t "image link relative to the post" grep -q 'src="../fichiers/d.png"' "$WORK/o/posts/un.html"
t "posts/ is no longer special" [ ! -s "$WORK/err" ]
printf 'title: "Dossiers"\nposts: ../dehors\n' >"$R/ardoise.yml"
commitall "$R" "2020-01-03T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "a directory outside the repository is refused" grep -q 'ardoise.yml:2:[0-9]*: error: directory "../dehors"' "$WORK/err"
finish
