#!/bin/sh
# mkexample.sh DEST: turns content-example/ into a git repository at DEST,
# as a class would have built it over the school year 2025-2026: one
# commit per post on the day it was written, media with the post that
# shows them, one post edited months later, one written by a pupil.
#
# Every commit has fixed names, e-mails and dates, and no user or system
# configuration is read, so `git -C DEST rev-parse HEAD` is the same at
# every run, on every machine.
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 DEST" >&2
	exit 2
fi
dest=$1
case $dest in
/ | . | .. | ./ | ../)
	echo "$0: refusing to replace '$dest'" >&2
	exit 2
	;;
esac

here=$(cd "$(dirname "$0")" && pwd)
src=$here/../content-example
[ -f "$src/ardoise.yml" ] || {
	echo "$0: no content-example/ardoise.yml next to $here" >&2
	exit 3
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# Hermetic git: no system, global or XDG configuration, no inherited
# repository, a fixed locale and time zone.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CEILING_DIRECTORIES \
	GIT_TEMPLATE_DIR GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT 2>/dev/null || true
HOME=$tmp
XDG_CONFIG_HOME=$tmp/xdg
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=/dev/null
TZ=UTC
LC_ALL=C
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL TZ LC_ALL

rm -rf "$dest"
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

git -c init.defaultBranch=main init -q --template= "$dest"

teacher_name='Mme Martin'
teacher_mail='claire.martin@jules-verne.example'

# put FILE...: copies files from content-example/ and stages them.
put() {
	for f in "$@"; do
		mkdir -p "$dest/$(dirname "$f")"
		cp "$src/$f" "$dest/$f"
		chmod 644 "$dest/$f"
		git -C "$dest" add -- "$f"
	done
}

# commit DATE MESSAGE [AUTHOR_NAME AUTHOR_MAIL]: commits what is staged,
# authored and committed at DATE (the committer is always the teacher,
# who publishes).
commit() {
	GIT_AUTHOR_NAME=${3:-$teacher_name} \
	GIT_AUTHOR_EMAIL=${4:-$teacher_mail} \
	GIT_AUTHOR_DATE=$1 \
	GIT_COMMITTER_NAME=$teacher_name \
	GIT_COMMITTER_EMAIL=$teacher_mail \
	GIT_COMMITTER_DATE=$1 \
	git -C "$dest" -c user.useConfigOnly=false -c commit.gpgsign=false \
		-c core.hooksPath=/dev/null -c i18n.commitEncoding=UTF-8 \
		commit -q --no-verify -m "$2"
}

put ardoise.yml pages/a-propos.md
commit '2025-08-28T10:00:00+02:00' 'Création du blog de la classe'

put posts/2025-09-02-rentree.md
commit '2025-09-02T17:30:00+02:00' 'Article : la rentrée'

# The potager post as first published; its April news come later.
mkdir -p "$dest/posts"
awk '/^## Des nouvelles du potager/ { exit } { print }' \
	"$src/posts/2025-09-26-potager.md" |
	awk 'NF == 0 { blank++; next } { while (blank > 0) { print ""; blank-- } print }' \
	>"$dest/posts/2025-09-26-potager.md"
chmod 644 "$dest/posts/2025-09-26-potager.md"
git -C "$dest" add -- posts/2025-09-26-potager.md
put media/potager.png
commit '2025-09-26T17:05:00+02:00' 'Article : le potager de la classe'

# A notebook (cahier): cahier.yml, its pages (top-level .md files), its
# drawings; the video and its transcript live in media/.
put cahiers/experiences-sciences/cahier.yml \
	cahiers/experiences-sciences/couverture.png \
	cahiers/experiences-sciences/01-flotte-ou-coule.md \
	cahiers/experiences-sciences/flotte-coule.png \
	cahiers/experiences-sciences/02-la-chromatographie.md \
	cahiers/experiences-sciences/03-les-glacons.md \
	media/chromatographie.mp4 media/chromatographie-transcription.md
commit '2025-10-09T17:30:00+02:00' 'Cahier : nos expériences de sciences'

put posts/2025-10-09-fete-de-la-science.md
commit '2025-10-09T17:45:00+02:00' 'Article : fête de la science'

put posts/2025-10-14-sortie-musee.md
commit '2025-10-14T18:10:00+02:00' 'Article : sortie au musée de Picardie'

put posts/2025-11-20-correspondants.md media/carte-correspondants.png
commit '2025-11-20T17:20:00+01:00' 'Article : nos correspondants de Nantes'

put posts/2025-12-16-chorale.md media/chorale.wav media/chorale-transcription.md
commit '2025-12-16T21:00:00+01:00' 'Article : la chorale de Noël, avec un extrait'

put posts/2026-02-13-carnaval.md media/masques-carnaval.png
commit '2026-02-13T16:45:00+01:00' 'Article : le carnaval'

# The MS class's notebook, kept with their CM2 godparents; its comptine
# has a transcript in a subfolder (not a page: only top-level .md are).
put cahiers/cahier-de-vie-ms/cahier.yml \
	cahiers/cahier-de-vie-ms/couverture.png \
	cahiers/cahier-de-vie-ms/01-la-rentree.md cahiers/cahier-de-vie-ms/rentree.png \
	cahiers/cahier-de-vie-ms/02-l-automne.md cahiers/cahier-de-vie-ms/automne.png \
	cahiers/cahier-de-vie-ms/03-noel.md cahiers/cahier-de-vie-ms/une-souris-verte.mp3 \
	cahiers/cahier-de-vie-ms/transcriptions/une-souris-verte.md \
	cahiers/cahier-de-vie-ms/04-galette-des-rois.md cahiers/cahier-de-vie-ms/galette.png \
	cahiers/cahier-de-vie-ms/05-le-carnaval.md cahiers/cahier-de-vie-ms/carnaval.png
commit '2026-02-20T16:50:00+01:00' 'Cahier de vie des MS, de la rentrée au carnaval' \
	'Mme Leroy' 'sophie.leroy@jules-verne.example'

put posts/2026-03-13-classe-decouverte.md media/chalet-montagne.png
commit '2026-03-13T18:40:00+01:00' 'Article pour les familles : classe de découverte'

put posts/2026-03-20-printemps-des-poetes.md media/soleil-arbre.png
commit '2026-03-20T09:05:00+01:00' 'Article : nos haïkus du Printemps des poètes'

put posts/2025-09-26-potager.md
commit '2026-04-07T17:00:00+02:00' 'Potager : des nouvelles d’avril'

# Written by the pupils' reporters, on the class account: no author in
# the front matter, so the blog shows the commit's author.
put posts/2026-04-10-rallye-lecture.md
commit '2026-04-10T15:30:00+02:00' 'Article des reporters : le rallye lecture' \
	'Lucas (élève)' 'cm2a@jules-verne.example'

# No date in the front matter: the post is dated by this commit.
put posts/piscine.md
commit '2026-05-29T12:15:00+02:00' 'Article : dernière séance à la piscine'

put posts/2026-06-26-spectacle-fin-annee.md
commit '2026-06-26T22:30:00+02:00' 'Article : le spectacle de fin d’année'

# Everything in content-example/ must be in HEAD, byte for byte.
bad=$(cd "$src" && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
	while read -r f; do
		want=$(git hash-object --no-filters -- "$f")
		have=$(git -C "$dest" rev-parse -q --verify "HEAD:$f" 2>/dev/null || true)
		[ "$want" = "$have" ] || echo "$f"
	done)
if [ -n "$bad" ]; then
	echo "$0: missing or different in $dest: $bad" >&2
	exit 3
fi
