# Packages of a built site: the USB zip (sorted UTF-8 names, media stored,
# LISEZ-MOI.html, SHA256SUMS, no caches, FAT32 names and 4 GiB limit), the
# CDN tar.gz (uid/gid 0, one mtime, .gz siblings), the EPUB of a notebook
# (epubcheck), and the same bytes from two runs of each.
. "$TOP/tests/lib.sh"
export ARDOISE_THEMES="${ARDOISE_THEMES:-$TOP/themes}"
sh "$TOP/ci/pack-deps.sh" >/dev/null 2>&1 || true
R=$WORK/repo
sh "$TOP/tests/mkexample.sh" "$R" >/dev/null 2>&1 || fail "mkexample"
run build "$R" -o "$WORK/pub" --audience public
[ "$RC" -eq 0 ] || fail "public build" "$(cat "$WORK/err")"
run build "$R" -o "$WORK/cls" --audience class
[ "$RC" -eq 0 ] || fail "class build" "$(cat "$WORK/err")"

# --- USB zip ---
run pack "$WORK/cls" --usb "$WORK/a.zip"
[ "$RC" -eq 0 ] && ok "pack --usb" || fail "pack --usb" "$(cat "$WORK/err")"
run pack "$WORK/cls" --usb "$WORK/b.zip"
t "zip: same bytes from two runs" cmp "$WORK/a.zip" "$WORK/b.zip"
[ -s "$WORK/err" ] && fail "zip: nothing on stderr when it is not a terminal" "$(cat "$WORK/err")"
unzip -Z1 "$WORK/a.zip" >"$WORK/names"
# sorted bytewise, SHA256SUMS last (written once every file is hashed)
grep -v '^SHA256SUMS$' "$WORK/names" >"$WORK/names1"
t "zip: names sorted" sh -c "LC_ALL=C sort -c '$WORK/names1'"
t "zip: SHA256SUMS last" test "$(tail -n 1 "$WORK/names")" = SHA256SUMS
for f in index.html LISEZ-MOI.html ardoise-build.json cahiers/cahier-de-vie-ms/index.html; do
	t "zip: has $f at its place" grep -qx "$f" "$WORK/names"
done
tnot "zip: no .ardoise/ inside" grep -q '\.ardoise' "$WORK/names"
mkdir -p "$WORK/u"
(cd "$WORK/u" && unzip -q "$WORK/a.zip")
t "zip: sha256sum -c accepts SHA256SUMS" sh -c "cd '$WORK/u' && sha256sum -c --quiet SHA256SUMS"
t "zip: SHA256SUMS covers every other file" test \
	"$(wc -l <"$WORK/u/SHA256SUMS")" -eq "$(($(wc -l <"$WORK/names") - 1))"
t "zip: ardoise-build.json says class" grep -q '"audience": "class"' "$WORK/u/ardoise-build.json"
t "zip: the site is there" cmp "$WORK/u/index.html" "$WORK/cls/index.html"
zipinfo "$WORK/a.zip" >"$WORK/zi"
t "zip: png stored" grep -q ' stor .*media/potager\.png$' "$WORK/zi"
t "zip: mp3 stored" grep -q ' stor .*une-souris-verte\.mp3$' "$WORK/zi"
t "zip: html deflated" grep -q ' defN .* index\.html$' "$WORK/zi"
t "zip: css deflated" grep -q ' defN .* assets/style\.css$' "$WORK/zi"
t "LISEZ-MOI.html well-formed" xmllint --noout "$WORK/u/LISEZ-MOI.html"
tnot "LISEZ-MOI.html has no external resource" grep -Eq '(src|href)="(https?:)?//' "$WORK/u/LISEZ-MOI.html"

# UTF-8 names carry the zip UTF-8 flag (bit 11)
cp -R "$WORK/cls" "$WORK/utf"
echo 'été' >"$WORK/utf/media/été.txt"
run pack "$WORK/utf" --usb "$WORK/utf.zip"
t "zip: UTF-8 name with the UTF-8 flag" python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
i = z.getinfo("media/été.txt")
sys.exit(0 if i.flag_bits & 0x800 and z.read(i) == "été\n".encode() else 1)' "$WORK/utf.zip"

# FAT32 names: a device name and a case clash, each named
cp -R "$WORK/cls" "$WORK/bad"
echo x >"$WORK/bad/CON.html"
echo a >"$WORK/bad/media/Photo.jpg"
echo b >"$WORK/bad/media/photo.jpg"
run pack "$WORK/bad" --usb "$WORK/bad.zip"
t "zip: bad names refused (exit 1)" test "$RC" -eq 1
t "zip: CON.html named" grep -q 'CON\.html' "$WORK/err"
t "zip: both of Photo.jpg/photo.jpg named" sh -c "grep 'Photo\.jpg' '$WORK/err' | grep -q 'photo\.jpg'"
t "zip: nothing written when refused" sh -c "! ls '$WORK'/bad.zip* 2>/dev/null"

# 4 GiB: refused before anything is read, saying how large
cp -R "$WORK/cls" "$WORK/big"
truncate -s 5G "$WORK/big/media/film.mp4"
run pack "$WORK/big" --usb "$WORK/big.zip"
t "zip: over 4 GiB refused (exit 1)" test "$RC" -eq 1
t "zip: says how large" grep -q 'at least 5[0-9]\{9\} bytes (5\.0 GiB)' "$WORK/err"
t "zip: no temp file left" sh -c "! ls '$WORK'/big.zip* 2>/dev/null"

run pack "$R" --usb "$WORK/x.zip"
t "not a built site: exit 1" test "$RC" -eq 1
t "not a built site: says to build" grep -q 'run ardoise build first' "$WORK/err"
run pack "$WORK/cls"
t "no package asked: usage (exit 2)" test "$RC" -eq 2

# --- CDN tar.gz ---
run pack "$WORK/pub" --cdn "$WORK/a.tar.gz"
[ "$RC" -eq 0 ] && ok "pack --cdn" || fail "pack --cdn" "$(cat "$WORK/err")"
run pack "$WORK/pub" --cdn "$WORK/b.tar.gz"
t "tar.gz: same bytes from two runs" cmp "$WORK/a.tar.gz" "$WORK/b.tar.gz"
tar -tvzf "$WORK/a.tar.gz" >"$WORK/tv"
t "tar.gz: uid/gid 0, no user names" sh -c "awk '{print \$2}' '$WORK/tv' | sort -u | grep -qx '0/0'"
t "tar.gz: one mtime (SOURCE_DATE_EPOCH)" sh -c "awk '{print \$4, \$5}' '$WORK/tv' | sort -u | grep -qx '2026-07-01 00:00'"
t "tar.gz: ardoise-build.json says public" sh -c "tar -xzOf '$WORK/a.tar.gz' ardoise-build.json | grep -q '\"audience\": \"public\"'"
tnot "tar.gz: no .ardoise/ inside" grep -q '\.ardoise' "$WORK/tv"
t "tar.gz: gzip header without a timestamp" test "$(od -An -tx1 -j4 -N4 "$WORK/a.tar.gz" | tr -d ' ')" = 00000000
mkdir -p "$WORK/t"
tar -xzf "$WORK/a.tar.gz" -C "$WORK/t"
t "tar.gz: a .gz sibling for every html/css/js/xml/svg, same bytes" sh -c "
	cd '$WORK/t' && n=0 &&
	for f in \$(find . -type f \\( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.xml' -o -name '*.svg' \\)); do
		gunzip -c \"\$f.gz\" | cmp -s - \"\$f\" || { echo \"bad: \$f\"; exit 1; }; n=\$((n + 1))
	done; [ \$n -gt 20 ]"
tnot "tar.gz: no .gz for media" test -e "$WORK/t/media/potager.png.gz"
run pack "$WORK/cls" --cdn "$WORK/c.tar.gz"
t "tar.gz: a class build is refused for a CDN" test "$RC" -eq 1

# --- EPUB ---
if java -jar /usr/share/java/epubcheck.jar --version >/dev/null 2>&1; then
	EPUBCHECK="java -jar /usr/share/java/epubcheck.jar"
else
	EPUBCHECK=""
fi
for c in cahier-de-vie-ms experiences-sciences; do
	run pack "$WORK/pub" --epub "cahiers/$c" "$WORK/$c.epub"
	[ "$RC" -eq 0 ] && ok "pack --epub $c" || fail "pack --epub $c" "$(cat "$WORK/err")"
	run pack "$WORK/pub" --epub "cahiers/$c" "$WORK/$c-2.epub"
	t "epub $c: same bytes from two runs" cmp "$WORK/$c.epub" "$WORK/$c-2.epub"
	t "epub $c: mimetype first, stored, no extra field" python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); i = z.infolist()[0]
h = open(sys.argv[1], "rb").read(58)
ok = i.filename == "mimetype" and i.compress_type == 0 and h[28:30] == b"\0\0" \
	and h[30:38] == b"mimetype" and h[38:58] == b"application/epub+zip"
sys.exit(0 if ok else 1)' "$WORK/$c.epub"
	if [ -n "$EPUBCHECK" ]; then
		t "epub $c: epubcheck, no error, no warning" sh -c "$EPUBCHECK '$WORK/$c.epub' 2>&1 | grep -q '0 fatals / 0 errors / 0 warnings'"
	else
		ok "epubcheck not installed"
	fi
done
t "epub: pages of the book, in order" sh -c "unzip -Z1 '$WORK/cahier-de-vie-ms.epub' | grep -c 'xhtml\$' | grep -qx 7"
t "epub: audio included" sh -c "unzip -Z1 '$WORK/cahier-de-vie-ms.epub' | grep -q 'une-souris-verte.mp3\$'"
tnot "epub: no script" sh -c "unzip -p '$WORK/cahier-de-vie-ms.epub' '*.xhtml' | grep -q '<script'"
run pack "$WORK/pub" --epub cahiers/nulle-part "$WORK/n.epub"
t "epub: unknown notebook refused (exit 1)" test "$RC" -eq 1

# libarchive and libxml2 are loaded when first used: one that cannot be
# loaded stops the packing with the package to reinstall, nothing written
mkdir -p "$WORK/badlib"
printf 'int ardoise_stand_in;\n' >"$WORK/badlib/x.c"
if cc -shared -fPIC -o "$WORK/badlib/libarchive.so.13" "$WORK/badlib/x.c" 2>"$WORK/err" &&
    cp "$WORK/badlib/libarchive.so.13" "$WORK/badlib/libxml2.so.2"; then
	LD_LIBRARY_PATH=$WORK/badlib
	export LD_LIBRARY_PATH
	run pack "$WORK/pub" --usb "$WORK/nolib.zip"
	unset LD_LIBRARY_PATH
	t "libarchive unusable: exit 3" [ "$RC" -eq 3 ]
	t "libarchive unusable: the package to reinstall" grep -q 'cannot load libarchive.so.13 .*reinstall the libarchive13 package' "$WORK/err"
	tnot "libarchive unusable: no zip, no temporary file" sh -c "ls '$WORK' | grep -q nolib"
	rm -f "$WORK/badlib/libarchive.so.13"
	LD_LIBRARY_PATH=$WORK/badlib
	export LD_LIBRARY_PATH
	run pack "$WORK/pub" --epub cahiers/cahier-de-vie-ms "$WORK/nolib.epub"
	unset LD_LIBRARY_PATH
	t "libxml2 unusable: epub exit 3" [ "$RC" -eq 3 ]
	t "libxml2 unusable: the package to reinstall" grep -q 'cannot load libxml2.so.2 .*reinstall the libxml2 package' "$WORK/err"
	tnot "libxml2 unusable: no epub" sh -c "ls '$WORK' | grep -q nolib"
else
	fail "cc makes a stand-in library" "$(cat "$WORK/err")"
fi
finish
