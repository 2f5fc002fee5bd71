# A bare repository of 1,000 generated posts (../shared/bench/mkcorpus.py)
# builds, with a valid feed and sitemap and one page per published post.
. "$TOP/tests/lib.sh"
SHARED=${ARDOISE_SHARED:-$TOP/../shared}
t "mkcorpus.py available" [ -f "$SHARED/bench/mkcorpus.py" ]
python3 "$SHARED/bench/mkcorpus.py" "$WORK/c" --posts 1000 --git >/dev/null 2>&1
git clone -q --bare "$WORK/c" "$WORK/c.git"
run build "$WORK/c.git" -o "$WORK/site"
t "1,000-post bare repository builds" [ "$RC" -eq 0 ]
drafts=$(grep -l '^draft: true' "$WORK/c"/posts/*.md | wc -l)
n=$(ls "$WORK/site/posts" | wc -l)
t "one page per published post ($n, $drafts drafts)" [ "$n" -eq $((1000 - drafts)) ]
t "feed is well-formed XML" xmllint --noout "$WORK/site/feed.xml"
t "sitemap is well-formed XML" xmllint --noout "$WORK/site/sitemap.xml"
t "feed has 20 entries" [ "$(grep -c '<entry>' "$WORK/site/feed.xml")" -eq 20 ]
t "paginated index" [ -f "$WORK/site/page/2.html" ]
bad=0
for f in "$WORK/site/index.html" "$WORK/site/page/2.html" $(ls "$WORK/site/posts/"*.html | head -50) $(ls "$WORK/site/tags/"*.html | head -5); do
	xmllint --noout "$f" 2>/dev/null || bad=$((bad + 1))
done
t "pages are well-formed XML" [ "$bad" -eq 0 ]
run build "$WORK/c.git" -j 1 -o "$WORK/one"
t "single-threaded build succeeds" [ "$RC" -eq 0 ]
t "parallel and single-threaded builds give identical output" diff -r "$WORK/site" "$WORK/one"
# one post edited: the rebuild takes the others from the post cache (on
# several threads) and gives the tree a full build gives
post=$(cd "$WORK/c" && ls posts/*.md | while read -r f; do grep -q '^draft: true' "$f" || { echo "$f"; break; }; done)
printf '\nModifié après coup.\n' >>"$WORK/c/$post"
git -C "$WORK/c" -c user.name=T -c user.email=t@example.org commit -q -a -m "edit"
run build "$WORK/c" -o "$WORK/site"
t "rebuild after one edit at 1,000 posts" [ "$RC" -eq 0 ]
t "the edit is published" grep -rq "Modifié après coup" "$WORK/site/posts"
run build "$WORK/c" -o "$WORK/full" --force
t "the rebuild equals a full build of the same commit" diff -r -x .ardoise "$WORK/site" "$WORK/full"
finish
