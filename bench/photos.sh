#!/bin/sh
# Photo processing benchmark: N real 12-megapixel JPEGs (4000x3000, made
# with ImageMagick, EXIF with GPS and orientation), published by
# `ardoise build` (libvips, all cores) and, side by side, by ImageMagick's
# `mogrify -auto-orient -strip -resize 1600x>` on copies of the same
# files; then a rebuild with nothing changed. Prints seconds and peak
# memory (maximum resident set size). Usage: bench/photos.sh BUILD [N]
set -eu
B=${1:-build}
N=${2:-200}
ARDOISE=$(cd "$B" && pwd)/ardoise
W=$(mktemp -d /tmp/ardoise-bench-photos.XXXXXX)
trap 'rm -rf "$W"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
R=$W/repo
mkdir -p "$R/posts" "$R/media"
git -c init.defaultBranch=main init -q "$R"
printf 'title: "Bench"\n' >"$R/ardoise.yml"
# one plasma photo, then N distinct files (a different trailer after the
# JPEG end marker: decoders ignore it, git stores N blobs)
convert -size 4000x3000 plasma:fractal -quality 92 "$W/base.jpg"
exiftool -q -overwrite_original -n -Orientation=6 -GPSLatitude=48.85 -GPSLongitude=2.35 "$W/base.jpg"
i=1
{ printf -- '---\ntitle: "Photos"\n---\n'; } >"$R/posts/2024-01-01-photos.md"
while [ "$i" -le "$N" ]; do
	{ cat "$W/base.jpg"; printf 'photo %d' "$i"; } >"$R/media/p$i.jpg"
	printf '![Photo %d](../media/p%d.jpg)\n\n' "$i" "$i" >>"$R/posts/2024-01-01-photos.md"
	i=$((i + 1))
done
git -C "$R" add -A
git -C "$R" -c user.name=b -c user.email=b@b commit -qm bench
mkdir "$W/im"
cp "$R"/media/*.jpg "$W/im/"
measure() {
	label=$1; shift
	/usr/bin/time -f "%e %M" -o "$W/t" "$@" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }
	read -r s kb <"$W/t"
	printf '%-40s %7.2f s %7d MB\n' "$label" "$s" $((kb / 1024))
}
echo "$N photos 4000x3000, $(du -sh "$R/media" | cut -f1), $(nproc) cores"
measure "ardoise build (libvips)" "$ARDOISE" build "$R" -o "$W/site"
measure "mogrify -auto-orient -strip -resize" sh -c "cd '$W/im' && mogrify -auto-orient -strip -resize '1600x>' *.jpg"
ls -i "$W/site/media" | sort >"$W/inodes1"
measure "ardoise rebuild, nothing changed" "$ARDOISE" build "$R" -o "$W/site"
ls -i "$W/site/media" | sort >"$W/inodes2"
echo "media files reused (same inode): $(comm -12 "$W/inodes1" "$W/inodes2" | wc -l) of $(wc -l <"$W/inodes2")"
