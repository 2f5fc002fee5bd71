# ardoise check: file names a USB stick (FAT32) or Windows cannot hold
# (forbidden characters, device names, names that differ only by case) and
# media over the size limit (media_max_mb in ardoise.yml, default 100 MB)
# are errors at the file's path; errors come before warnings; exit 1; and
# nothing is written.
. "$TOP/tests/lib.sh"

# has FIXED-STRING: the last run's stderr contains it
has() { grep -qF -- "$1" "$WORK/err"; }
# before A B: the first line containing A comes before the first containing B
before() {
	a=$(grep -nF -- "$1" "$WORK/err" | head -n 1 | cut -d: -f1)
	b=$(grep -nF -- "$2" "$WORK/err" | head -n 1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}
# a real 3x2 PNG, so that the pictures themselves raise no error
png() {
	printf '\211PNG\015\012\032\012\000\000\000\015IHDR\000\000\000\003\000\000\000\002\010\002\000\000\000\022\026\361M\000\000\000\020IDATx\332c\370\317\300\000A\014p\026\000A\322\005\373o\361\026\307\000\000\000\000IEND\256B`\202' >"$1"
}

# --- names ---------------------------------------------------------------
R=$WORK/repo
newrepo "$R"
mkdir -p "$R/pages" "$R/media"
png "$R/media/Photo.jpg"
png "$R/media/photo.jpg"
png "$R/media/a?b.png"
png "$R/media/ok.png"
cat >"$R/posts/2020-01-01-a.md" <<'X'
---
title: "Une sortie"
---
![](../media/ok.png)
X
cat >"$R/pages/CON.md" <<'X'
---
title: "Contact"
---
Écrire à l'école.
X
commitall "$R" "2020-01-02T10:00:00+01:00" "names"
t "fixture: git holds every name" [ "$(git -C "$R" ls-files | wc -l)" -eq 7 ]

run check "$R"
t "check: exit 1 on names a USB stick cannot hold" [ "$RC" -eq 1 ]
t "check: the device name is refused, at its path" has 'pages/CON.md: error: '
t "check: the message quotes the device name" \
	grep -qE '^pages/CON\.md: error: .*"pages/CON\.md".*device name' "$WORK/err"
t "check: both photos named in one message" \
	grep -qE 'error: "media/Photo\.jpg" and "media/photo\.jpg" differ only by upper/lower case: a USB stick \(FAT32\) cannot hold both; rename one' "$WORK/err"
t "check: the clash is reported once" [ "$(grep -c 'differ only by upper/lower case' "$WORK/err")" -eq 1 ]
t "check: the forbidden character is refused, at its path" has 'media/a?b.png: error: '
t "check: the message lists the forbidden characters" \
	grep -qF '"media/a?b.png"' "$WORK/err"
t "check: valid names are not reported" sh -c "! grep -q 'ok.png: error\|2020-01-01-a.md: error' '$WORK/err'"
t "check: errors are printed before warnings" before ': error: ' ': warning: '
t "check: the warning is still reported" has 'posts/2020-01-01-a.md:4:1: warning: '
t "check: nothing written" [ ! -e "$R/public" ] && [ ! -e "$WORK/public" ]
t "check: nothing on stdout" [ ! -s "$WORK/out" ]

# the same rules refuse the build, which leaves no output
run build "$R" -o "$WORK/site"
t "build: refused on the same names" [ "$RC" -eq 1 ]
t "build: nothing written" [ ! -e "$WORK/site" ]

# renamed, all is well again
git -C "$R" mv pages/CON.md pages/contact.md
git -C "$R" rm -q media/photo.jpg 'media/a?b.png'
commitall "$R" "2020-01-03T10:00:00+01:00" "renamed"
run check "$R"
t "check: renamed files pass" [ "$RC" -eq 0 ]
t "check: no error once renamed" sh -c "! grep -q ': error: ' '$WORK/err'"

# a folder that differs only by case: named once, with both folders
mkdir -p "$R/media/Sortie" "$R/media/sortie"
png "$R/media/Sortie/a.png"
png "$R/media/sortie/b.png"
png "$R/media/sortie/c.png"
commitall "$R" "2020-01-04T10:00:00+01:00" "folders"
run check "$R"
t "check: folders differing by case refused" [ "$RC" -eq 1 ]
t "check: both folders named" has 'error: "media/Sortie" and "media/sortie" differ only by upper/lower case'
t "check: the folder clash is reported once" [ "$(grep -c 'differ only by upper/lower case' "$WORK/err")" -eq 1 ]

# --ref checks the named commit, not HEAD
run check "$R" --ref HEAD~2
t "check --ref: the older commit's names are refused" [ "$RC" -eq 1 ]
t "check --ref: names the device name" has 'pages/CON.md: error: '

# --- media size ----------------------------------------------------------
M=$WORK/media
newrepo "$M"
mkdir -p "$M/media"
printf 'media_max_mb: 1\n' >>"$M/ardoise.yml"
{ printf '\000\000\000\030ftypmp42'; head -c 2097152 /dev/zero; } >"$M/media/film.mp4"
{ printf '\000\000\000\030ftypmp42'; head -c 900000 /dev/zero; } >"$M/media/court.mp4"
# a big file nobody links to is not published, hence not limited
{ printf '\000\000\000\030ftypmp42'; head -c 2097152 /dev/zero; } >"$M/media/brouillon.mp4"
cat >"$M/posts/2020-01-01-film.md" <<'X'
---
title: "Le film"
---
![Le film de la sortie](../media/film.mp4)

![Un court film](../media/court.mp4)
X
commitall "$M" "2020-01-02T10:00:00+01:00" "media"

run check "$M"
t "media: exit 1 over media_max_mb" [ "$RC" -eq 1 ]
t "media: the big file is named, with its size and the limit" \
	grep -qE '^media/film\.mp4: error: media file "media/film\.mp4" is 2\.1 MB, over the limit of 1 MB: make the video shorter or smaller' "$WORK/err"
t "media: a file under the limit passes" sh -c "! grep -q 'court.mp4: error' '$WORK/err'"
t "media: an unpublished file is not limited" sh -c "! grep -q 'brouillon' '$WORK/err'"
t "media: one error only" [ "$(grep -c ': error: ' "$WORK/err")" -eq 1 ]
t "media: errors before warnings" before ': error: ' ': warning: '

# the default limit is 100 MB: the same files pass without the key
printf 'title: "Test"\nlanguage: fr\nauthor: "Mme Martin"\n' >"$M/ardoise.yml"
commitall "$M" "2020-01-03T10:00:00+01:00" "default limit"
run check "$M"
t "media: the default limit (100 MB) lets 2 MB pass" [ "$RC" -eq 0 ]
t "media: no size error under the default limit" sh -c "! grep -q 'over the limit' '$WORK/err'"

# a limit that is not a whole positive number is a configuration error
printf 'media_max_mb: beaucoup\n' >>"$M/ardoise.yml"
commitall "$M" "2020-01-04T10:00:00+01:00" "bad limit"
run check "$M"
t "media: a bad media_max_mb is an error" [ "$RC" -eq 1 ]
t "media: the error names the key in ardoise.yml" grep -qE '^ardoise\.yml:[0-9]+:[0-9]+: error: .*media_max_mb' "$WORK/err"

finish
