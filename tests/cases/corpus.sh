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
finish
