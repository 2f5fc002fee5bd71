# Limits: configurable in ardoise.yml (limits:), each with a clear error.
. "$TOP/tests/lib.sh"
R=$WORK/repo
newrepo "$R"
printf -- '---\ntitle: "Un"\ndate: 2020-01-01\n---\n> > > > > > profond\n' >"$R/posts/2020-01-01-un.md"
commitall "$R" "2020-01-02T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "defaults: builds" [ "$RC" -eq 0 ]

lim() { printf 'title: "Limites"\nlimits:\n  %s\n' "$1" >"$R/ardoise.yml"; commitall "$R" "2020-01-0$2T10:00:00+01:00" "$1"; run build "$R" -o "$WORK/o"; }
lim "markdown_depth: 4" 3
t "markdown_depth: error at the line" grep -q 'posts/2020-01-01-un.md:5:[0-9]*: error: .*nest' "$WORK/err"
lim "files: 1" 4
t "files: error saying how many" grep -q 'error: the repository holds 2 files, more than the 1' "$WORK/err"
lim "text_kb: 1" 5
head -c 3000 /dev/zero | tr '\0' 'a' >>"$R/posts/2020-01-01-un.md"
commitall "$R" "2020-01-06T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "text_kb: a file over the limit is refused" grep -q 'posts/2020-01-01-un.md: error: .*limited to 1 KB' "$WORK/err"
git -C "$R" checkout -q HEAD~1 -- posts
lim "front_matter_kb: 1" 7
printf -- '---\ntitle: "Gros"\nx: "%s"\n---\n' "$(head -c 2000 /dev/zero | tr '\0' 'b')" >"$R/posts/2020-01-02-fm.md"
commitall "$R" "2020-01-08T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "front_matter_kb: refused" grep -q 'posts/2020-01-02-fm.md:.*error' "$WORK/err"
git -C "$R" rm -q posts/2020-01-02-fm.md
lim "yaml_depth: 3" 9
printf -- '---\ntitle: "Y"\nx: [[[[1]]]]\n---\n' >"$R/posts/2020-01-03-y.md"
commitall "$R" "2020-01-10T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "yaml_depth: error at the line" grep -Eq 'posts/2020-01-03-y.md:3:[0-9]*: error: .*nested more than 3' "$WORK/err"
git -C "$R" rm -q posts/2020-01-03-y.md
mkdir -p "$R/theme/templates"
printf '{{>boucle}}' >"$R/theme/templates/boucle.mustache"
sed 's|</main>|{{>boucle}}</main>|' "$TOP/themes/default/templates/base.mustache" >"$R/theme/templates/base.mustache"
printf 'title: "Limites"\nlimits:\n  template_depth: 8\n' >"$R/ardoise.yml"
commitall "$R" "2020-01-11T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "template_depth: a partial including itself is stopped" grep -q 'deeper than 8' "$WORK/err"
git -C "$R" rm -rq theme
lim "output_mb: 1" 12
cp "$TOP/content-example/media/potager.png" "$R/p.png"
head -c 1500000 /dev/urandom >>"$R/p.png"
printf -- '---\ntitle: "Image"\n---\n![un potager](../p.png)\n' >"$R/posts/2020-01-04-i.md"
commitall "$R" "2020-01-13T10:00:00+01:00"
run build "$R" -o "$WORK/o2" --force
t "output_mb: the site is refused when too large" grep -q 'larger than 1 MB' "$WORK/err"
t "output_mb: exit 1" [ "$RC" -eq 1 ]
lim "pages_max: 3" 14
t "an unknown limit is named" grep -q 'ardoise.yml:3:[0-9]*: error: limits: unknown setting "pages_max"' "$WORK/err"
finish
