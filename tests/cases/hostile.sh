# Hostile repositories: ardoise never crashes, never follows links, never
# lets markup through, never loads what it cannot hold, and says why.
. "$TOP/tests/lib.sh"
R=$WORK/repo
newrepo "$R"
mkdir -p "$R/media" "$R/pages"
cat >"$R/posts/2020-01-01-xss.md" <<'X'
---
title: "<script>alert(1)</script> \"guillemets\" & 'apostrophes'"
tags: ["<b>gras</b>", "..", "a\"b"]
summary: "<img src=x onerror=alert(1)>"
---
[clic](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>)
<script>alert(2)</script>
<iframe src="https://exemple.fr"></iframe>

![x](../../../etc/passwd)
X
printf -- '---\ntitle: "NUL"\n---\nun \000 octet nul\n' >"$R/posts/2020-01-02-nul.md"
printf -- '---\ntitle: "Nom"\n---\nTexte.\n' >"$R/posts/$(printf 'bad\377name').md"
ln -s ../../../etc/passwd "$R/media/lien.png"
commitall "$R" "2020-01-03T10:00:00+01:00"

run build "$R" -o "$WORK/o"
t "hostile content: no crash, content errors (exit 1)" [ "$RC" -eq 1 ]
t "a path leaving the repository is an error" grep -q 'leads outside the repository' "$WORK/err"
t "a NUL byte is an error at its line" grep -q 'posts/2020-01-02-nul.md:4:[0-9]*: error: .*byte 0x00' "$WORK/err"
t "a name that is not UTF-8 is skipped with a warning" grep -q 'warning: .*bad' "$WORK/err"
t "a symbolic link is never followed" grep -q 'media/lien.png.*symbolic link' "$WORK/err"
# drop the bad files and build the escaping case alone
git -C "$R" rm -q posts/2020-01-02-nul.md
git -C "$R" rm -q --cached "posts/$(printf 'bad\377name').md"
sed -i '/etc\/passwd/d' "$R/posts/2020-01-01-xss.md"
commitall "$R" "2020-01-04T10:00:00+01:00"
run build "$R" -o "$WORK/o"
t "the escaping case builds" [ "$RC" -eq 0 ]
P=$WORK/o/posts/xss.html
t "no <script> from content in any page" sh -c "! grep -rl '<script>alert' '$WORK/o' --include=*.html"
t "the title is escaped in the page" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$P"
t "quotes are escaped in attributes" sh -c "! grep -q 'content=\"[^\"]*\"guillemets' '$P'"
t "no javascript: link" sh -c "! grep -rqi 'href=\"javascript:' '$WORK/o'"
t "no data: link" sh -c "! grep -rqi 'href=\"data:' '$WORK/o'"
t "no raw iframe" sh -c "! grep -rq '<iframe' '$WORK/o' --include=*.html"
t "the feed escapes the title" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$WORK/o/feed.xml"
t "the feed is well-formed" xmllint --noout "$WORK/o/feed.xml"
t "the search index cannot close a script element" sh -c "! grep -rq '</script' '$WORK/o/search-index.js' '$WORK/o/search'"
t "a tag named .. is left out" [ ! -e "$WORK/o/tags/..html" ] && [ ! -e "$WORK/o/tags/.html" ]
t "tags with markup get a safe file name" [ -f "$WORK/o/tags/b-gras-b.html" ]
bad=0
for f in "$WORK/o"/*.html "$WORK/o"/posts/*.html "$WORK/o"/tags/*.html; do xmllint --noout "$f" 2>/dev/null || bad=$((bad + 1)); done
t "every page stays well-formed" [ "$bad" -eq 0 ]

# a submodule entry is skipped with a warning, never followed
git -C "$R" update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,media/sub
gitat "2020-01-05T10:00:00+01:00" -C "$R" commit -qm sub
run build "$R" -o "$WORK/o"
t "a submodule is skipped with a warning" grep -q 'media/sub.*submodule' "$WORK/err"

# a huge blob is refused without being loaded
truncate -s 300M "$WORK/big.md"
printf -- '---\ntitle: "Gros"\n---\n' | dd of="$WORK/big.md" conv=notrunc 2>/dev/null
cp "$WORK/big.md" "$R/posts/2020-01-06-gros.md"
commitall "$R" "2020-01-06T10:00:00+01:00"
RC=0
/usr/bin/time -f '%M' -o "$WORK/rss" "$ARDOISE" build "$R" -o "$WORK/o" >/dev/null 2>"$WORK/err" || RC=$?
t "a 300 MB post is refused" [ "$RC" -eq 1 ]
t "with a message saying how large it is" grep -q 'posts/2020-01-06-gros.md: error: .*MB' "$WORK/err"
t "without being loaded (peak memory under 150 MB)" [ "$(tail -n 1 "$WORK/rss")" -lt 153600 ]
finish
