# Incremental builds: a rebuild reuses the files whose content is the same
# (same inode, same mtime), drops those that no longer exist, and always
# gives the same tree as a full build, over a random sequence of edits.
. "$TOP/tests/lib.sh"
R=$WORK/repo
newrepo "$R"
printf 'title: "Incr"\nper_page: 3\n' >"$R/ardoise.yml"
mkdir -p "$R/media" "$R/pages"
cp "$TOP/content-example/media/potager.png" "$R/media/a.png"
for i in 1 2 3 4 5 6 7 8; do
	printf -- '---\ntitle: "Article %s"\ndate: 2020-01-0%s\ntags: [t%s, commun]\n---\nTexte %s. ![image](../media/a.png)\n' \
		"$i" "$i" $((i % 3)) "$i" >"$R/posts/2020-01-0$i-a$i.md"
done
printf -- '---\ntitle: "À propos"\n---\nLa classe.\n' >"$R/pages/a-propos.md"
commitall "$R" "2020-02-01T10:00:00+01:00"

run build "$R" -o "$WORK/site"
t "first build" [ "$RC" -eq 0 ]
ino_media=$(stat -c %i "$WORK/site/media/a.png")
ino_post=$(stat -c %i "$WORK/site/posts/a1.html")
mtime_post=$(stat -c %Y "$WORK/site/posts/a1.html")
sleep 1
run build "$R" -o "$WORK/site"
t "rebuild with nothing changed" [ "$RC" -eq 0 ]
t "an unchanged page keeps its inode" [ "$(stat -c %i "$WORK/site/posts/a1.html")" = "$ino_post" ]
t "an unchanged page keeps its mtime" [ "$(stat -c %Y "$WORK/site/posts/a1.html")" = "$mtime_post" ]
t "an unchanged medium keeps its inode" [ "$(stat -c %i "$WORK/site/media/a.png")" = "$ino_media" ]

# the same inputs again: the output already holds that build, nothing is touched
ino_manifest=$(stat -c %i "$WORK/site/.ardoise/manifest")
RC=0; ARDOISE_TIMING=1 "$ARDOISE" build "$R" -o "$WORK/site" >/dev/null 2>"$WORK/err" || RC=$?
t "same inputs: the build stops at once" grep -q 'already holds this build' "$WORK/err"
t "same inputs: not even the record is rewritten" [ "$(stat -c %i "$WORK/site/.ardoise/manifest")" = "$ino_manifest" ]
# another build of ardoise (here: the same without its build id, so that
# its bytes identify it) may write other pages: nothing is reused (both
# find the themes by the same path, which is part of the context too)
objcopy --remove-section .note.gnu.build-id "$ARDOISE" "$WORK/ardoise-other"
for prog in "$ARDOISE" "$ARDOISE" "$WORK/ardoise-other" "$ARDOISE"; do
	ino_before=$(stat -c %i "$WORK/site/posts/a1.html")
	RC=0; ARDOISE_THEMES="$TOP/themes" ARDOISE_TIMING=1 "$prog" build "$R" -o "$WORK/site" >/dev/null 2>"$WORK/err" || RC=$?
	if grep -q 'already holds this build' "$WORK/err"; then echo same; else echo new; fi
	[ "$(stat -c %i "$WORK/site/posts/a1.html")" = "$ino_before" ] && echo kept || echo made
	echo "$RC"
done >"$WORK/programs"
t "another program: nothing is reused, and back to this one neither" \
	[ "$(tr '\n' ' ' <"$WORK/programs")" = "new made 0 same kept 0 new made 0 new made 0 " ]
run build "$R" -o "$WORK/site"	# the themes by their usual path again
ino_post=$(stat -c %i "$WORK/site/posts/a1.html")
# a post dated in the future appears once its date has come, with no new commit
printf -- '---\ntitle: "Bientôt"\ndate: 2030-01-01\n---\nPlus tard.\n' >"$R/posts/2030-01-01-bientot.md"
commitall "$R" "2020-02-01T11:00:00+01:00"
run build "$R" -o "$WORK/site"
t "a future post is not published yet" [ ! -e "$WORK/site/posts/bientot.html" ]
SOURCE_DATE_EPOCH=1893456000 "$ARDOISE" build "$R" -o "$WORK/site" >/dev/null 2>&1
t "once its date has come, the same commit builds again and publishes it" [ -f "$WORK/site/posts/bientot.html" ]
git -C "$R" rm -q posts/2030-01-01-bientot.md
commitall "$R" "2020-02-01T12:00:00+01:00"
run build "$R" -o "$WORK/site"

# edit one post: its page changes, a far away one does not
printf -- '---\ntitle: "Article 8 modifié"\ndate: 2020-01-08\ntags: [t2, commun]\n---\nNouveau.\n' >"$R/posts/2020-01-08-a8.md"
commitall "$R" "2020-02-02T10:00:00+01:00"
run build "$R" -o "$WORK/site"
t "the edited page is new" grep -q 'Article 8 modifié' "$WORK/site/posts/a8.html"
t "a page that does not show it is reused" [ "$(stat -c %i "$WORK/site/posts/a1.html")" = "$ino_post" ]
run build "$R" -o "$WORK/full" --force
t "incremental equals full after an edit" diff -r -x .ardoise "$WORK/site" "$WORK/full"

# a random sequence of edits, each checked against a full build
seq=0
# DESC DIR: a full build of the same commit (--force, into $WORK/full)
# gives the tree DIR holds
same_as_full() {
	rm -rf "$WORK/full"
	run build "$R" -o "$WORK/full" --force
	t "$1" diff -r -x .ardoise "$2" "$WORK/full"
}

for step in add edit rename delete retag redate theme page media link draft undraft retitle author config; do
	seq=$((seq + 1))
	case $step in
	add) printf -- '---\ntitle: "Nouveau"\ndate: 2020-01-09\ntags: [t0]\n---\nPlus.\n' >"$R/posts/2020-01-09-n.md" ;;
	edit) printf '\nAjout.\n' >>"$R/posts/2020-01-03-a3.md" ;;
	rename) git -C "$R" mv posts/2020-01-05-a5.md posts/2020-01-05-cinq.md ;;
	delete) git -C "$R" rm -q posts/2020-01-02-a2.md ;;
	retag) sed -i 's/tags: \[t1, commun\]/tags: [autre]/' "$R/posts/2020-01-04-a4.md" ;;
	redate) sed -i 's/date: 2020-01-06/date: 2019-12-01/' "$R/posts/2020-01-06-a6.md" ;;
	theme) mkdir -p "$R/theme/templates"; sed 's|</main>|<p>thème</p></main>|' "$TOP/themes/default/templates/base.mustache" >"$R/theme/templates/base.mustache" ;;
	page) printf -- '---\ntitle: "Contact"\n---\nÉcrire.\n' >"$R/pages/contact.md" ;;
	media) cp "$TOP/content-example/media/soleil-arbre.png" "$R/media/a.png" ;;
	# a post whose page depends on another post: its link follows it
	link) printf -- '---\ntitle: "Lien"\ndate: 2020-01-10\n---\nVoir [trois](2020-01-03-a3.md).\n' >"$R/posts/2020-01-10-lien.md" ;;
	draft) sed -i 's/^title: "Article 3"/title: "Article 3"\ndraft: true/' "$R/posts/2020-01-03-a3.md" ;;
	undraft) sed -i '/^draft: true/d' "$R/posts/2020-01-03-a3.md" ;;
	# a title shows on its neighbours' pages (previous, next) and in lists
	retitle) sed -i 's/^title: "Article 7"/title: "Article sept"/' "$R/posts/2020-01-07-a7.md" ;;
	author) sed -i 's/^title: "Article 4"/title: "Article 4"\nauthor: "Mme Durand"/' "$R/posts/2020-01-04-a4.md" ;;
	config) sed -i 's/^title: "Incr"/title: "Incr deux"/' "$R/ardoise.yml" ;;
	esac
	commitall "$R" "2020-02-$(printf %02d $((seq + 10)))T10:00:00+01:00" "$step"
	run build "$R" -o "$WORK/site"
	same_as_full "after $step: incremental equals full" "$WORK/site"
done
t "a link follows the post it leads to (drafted, then published again)" grep -q 'href="a3.html"' "$WORK/site/posts/lien.html"

# file names are checked again in full only when a path changed: a new
# name a USB stick cannot hold still stops the rebuild
printf 'x\n' >"$R/media/deux:points.txt"
commitall "$R" "2020-02-28T10:00:00+01:00" "bad name"
run build "$R" -o "$WORK/site"
t "a bad file name stops an incremental build" sh -c '[ "$1" -ne 0 ] && grep -q "deux:points.txt" "$2"' - "$RC" "$WORK/err"
git -C "$R" rm -q "media/deux:points.txt"
commitall "$R" "2020-02-28T11:00:00+01:00" "bad name removed"
run build "$R" -o "$WORK/site"
same_as_full "bad name removed: incremental equals full" "$WORK/site"

# a medium's size comes from the previous build's record of blob sizes
# (.ardoise/sizes) when its blob is the same: a lower limit still stops it
{ printf '\000\000\000\030ftypmp42'; head -c 2097152 /dev/zero; } >"$R/media/film.mp4"
printf -- '---\ntitle: "Film"\ndate: 2020-01-11\n---\n![Le film](../media/film.mp4)\n' >"$R/posts/2020-01-11-film.md"
commitall "$R" "2020-02-28T12:00:00+01:00" "film"
run build "$R" -o "$WORK/site"
t "a 2 MB film under the default limit is published" [ -f "$WORK/site/media/film.mp4" ]
t "blob sizes are kept for the next build" [ -s "$WORK/site/.ardoise/sizes" ]
rm -rf "$WORK/full"
run build "$R" -o "$WORK/full" --force
t "the record of blob sizes, merged with the new film's, is the full build's" \
	cmp "$WORK/site/.ardoise/sizes" "$WORK/full/.ardoise/sizes"
printf 'media_max_mb: 1\n' >>"$R/ardoise.yml"
commitall "$R" "2020-02-28T13:00:00+01:00" "limit"
run build "$R" -o "$WORK/site"
t "the same film over a lower limit stops the rebuild, its size given" \
	sh -c '[ "$1" -ne 0 ] && grep -q "media/film.mp4.* 2.1 MB, over the limit of 1 MB" "$2"' - "$RC" "$WORK/err"
sed -i '/^media_max_mb: 1$/d' "$R/ardoise.yml"
git -C "$R" rm -q media/film.mp4 posts/2020-01-11-film.md
commitall "$R" "2020-02-28T14:00:00+01:00" "no film"
run build "$R" -o "$WORK/site"
same_as_full "film removed: incremental equals full" "$WORK/site"
t "the film's size is dropped from the record of blob sizes" \
	cmp "$WORK/site/.ardoise/sizes" "$WORK/full/.ardoise/sizes"

# the post cache: a rebuild after an unrelated edit reads and renders only
# that post, and still reports the warnings of the others
sed -i 's/^title: "Article 3"/title: "Article 3"\ndraft: true/' "$R/posts/2020-01-03-a3.md"
commitall "$R" "2020-03-01T10:00:00+01:00" "draft again"
run build "$R" -o "$WORK/site"
t "post cache: a warning about a link" grep -q 'lien.md:.*not published\|lien.md:.*pas publié' "$WORK/err"
printf '\nEncore.\n' >>"$R/posts/2020-01-01-a1.md"
commitall "$R" "2020-03-01T11:00:00+01:00" "unrelated"
RC=0; ARDOISE_TIMING=1 "$ARDOISE" build "$R" -o "$WORK/site" >/dev/null 2>"$WORK/err" || RC=$?
t "post cache: the warning of a post taken from the cache is reported again" \
	grep -q 'lien.md:.*not published\|lien.md:.*pas publié' "$WORK/err"
same_as_full "post cache: incremental equals full" "$WORK/site"
# one damaged byte in the middle: the whole cache is ignored, with a warning
size=$(stat -c %s "$WORK/site/.ardoise/posts")
printf 'X' | dd of="$WORK/site/.ardoise/posts" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
printf '\nEt encore.\n' >>"$R/posts/2020-01-01-a1.md"
commitall "$R" "2020-03-01T12:00:00+01:00" "after damage"
run build "$R" -o "$WORK/site"
t "damaged post cache: warning" grep -q 'posts: warning: .*damaged\|posts: warning: .*endommag' "$WORK/err"
same_as_full "damaged post cache: same site" "$WORK/site"
# the same for one damaged byte in one of its shards (shared, as hard
# links, by the site and its spare): ignored, with a warning, then made anew
shard=$(ls "$WORK/site/.ardoise/posts.d" | head -n 1)
t "the post cache is cut into shards" [ -n "$shard" ]
size=$(stat -c %s "$WORK/site/.ardoise/posts.d/$shard")
printf 'X' | dd of="$WORK/site/.ardoise/posts.d/$shard" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
printf '\nEt puis.\n' >>"$R/posts/2020-01-01-a1.md"
commitall "$R" "2020-03-01T13:00:00+01:00" "after shard damage"
run build "$R" -o "$WORK/site"
t "damaged shard: warning" grep -q 'posts: warning: .*damaged\|posts: warning: .*endommag' "$WORK/err"
same_as_full "damaged shard: same site" "$WORK/site"
printf '\nEnfin.\n' >>"$R/posts/2020-01-01-a1.md"
commitall "$R" "2020-03-01T14:00:00+01:00" "after shard damage, again"
run build "$R" -o "$WORK/site"
t "damaged shard: the next cache is sound again" sh -c "! grep -q 'posts: warning' '$WORK/err'"
same_as_full "damaged shard, then sound: same site" "$WORK/site"

# the site before last stays hidden next to the site, and the next build
# in place updates it instead of starting from nothing
t "the site before last is kept as .site.spare" [ -f "$WORK/.site.spare/.ardoise/manifest" ]
printf '\nSpare.\n' >>"$R/posts/2020-01-04-a4.md"
commitall "$R" "2020-03-02T10:00:00+01:00" "spare"
run build "$R" -o "$WORK/site"
same_as_full "spare updated in place: incremental equals full" "$WORK/site"
# a spare whose record is damaged is thrown away, not trusted
printf 'nimporte quoi\n' >"$WORK/.site.spare/.ardoise/manifest"
# (a new file: the spare shares the live site's files, as hard links)
rm -f "$WORK/.site.spare/posts/a1.html"
printf 'faux\n' >"$WORK/.site.spare/posts/a1.html"
printf '\nSpare 2.\n' >>"$R/posts/2020-01-04-a4.md"
commitall "$R" "2020-03-02T11:00:00+01:00" "spare 2"
run build "$R" -o "$WORK/site"
same_as_full "damaged spare: incremental equals full" "$WORK/site"

t "a deleted post's page is gone" [ ! -e "$WORK/site/posts/a2.html" ]
t "a renamed post's old page is gone" [ ! -e "$WORK/site/posts/a5.html" ] && [ -f "$WORK/site/posts/cinq.html" ]

# a damaged record is not trusted: warning, full write, same result
printf 'nimporte quoi\n' >"$WORK/site/.ardoise/manifest"
run build "$R" -o "$WORK/site"
t "damaged record: warning" grep -q 'manifest: warning: .*every file is written again' "$WORK/err"
t "damaged record: same site" diff -r -x .ardoise "$WORK/site" "$WORK/full"
t "damaged record: files are new" [ "$(stat -c %i "$WORK/site/posts/a1.html")" != "$ino_post" ]

# --previous: a release built next to the last one reuses its files
ino=$(stat -c %i "$WORK/site/posts/a1.html")
run build "$R" -o "$WORK/release2" --previous "$WORK/site"
t "--previous: a new directory reuses the previous one's files" [ "$(stat -c %i "$WORK/release2/posts/a1.html")" = "$ino" ]
t "--previous: same site" diff -r -x .ardoise "$WORK/release2" "$WORK/full"
# --recycle: an older release no longer needed becomes the new one
run build "$R" -o "$WORK/release1" --force
printf '\nRecyclage.\n' >>"$R/posts/2020-01-04-a4.md"
commitall "$R" "2020-03-03T10:00:00+01:00" "recycle"
run build "$R" -o "$WORK/release3" --previous "$WORK/release2" --recycle "$WORK/release1"
t "--recycle: the build succeeds" [ "$RC" -eq 0 ]
t "--recycle: the old release is taken apart" [ ! -e "$WORK/release1" ]
same_as_full "--recycle: same site as a full build" "$WORK/release3"
mkdir -p "$WORK/mine"
echo "mes notes" >"$WORK/mine/notes.txt"
run build "$R" -o "$WORK/release4" --previous "$WORK/release3" --recycle "$WORK/mine"
t "--recycle: a folder ardoise did not make is left alone, with a warning" \
	sh -c 'grep -q "not recycled" "$1" && [ -f "$2/notes.txt" ]' - "$WORK/err" "$WORK/mine"
finish
