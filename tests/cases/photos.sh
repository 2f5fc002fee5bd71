# Photos and videos fit for children's privacy and small USB sticks:
# published pictures are upright, resized (display copy + thumbnail with
# srcset), without EXIF/GPS/XMP/comments; HEIC becomes JPEG; MP4 location
# boxes are neutralised in place and the video still plays; a rebuild
# processes nothing; ardoise check warns on formats that do not play
# everywhere. Real files made with ImageMagick, exiftool, heif-enc, ffmpeg.
. "$TOP/tests/lib.sh"
for tool in convert identify exiftool heif-enc ffmpeg ffprobe; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "ok - skipped: $tool missing (ci/deps.sh installs it)"
		PASS=$((PASS + 1)); finish; exit $?
	fi
done
R=$WORK/repo
O=$WORK/site
newrepo "$R"
mkdir -p "$R/media"
M=$R/media
# 2000x1200 stored, a red square at the stored top-left; orientation 6
# (turn a quarter clockwise) puts it at the top-right of a 1200x2000 photo
convert -size 2000x1200 xc:blue -fill red -draw 'rectangle 0,0 199,199' "$M/photo.jpg"
exiftool -q -overwrite_original -n -Orientation=6 -GPSLatitude=48.8566 -GPSLatitudeRef=N \
    -GPSLongitude=2.3522 -GPSLongitudeRef=E -Model="iPhone 15" -Comment="Léa, CP" \
    -XMP:Creator="Mme Martin" -IPTC:Keywords=ecole "$M/photo.jpg"
convert -size 2400x1000 xc:green -set comment "secret" "$M/grand.png"
convert -size 300x200 xc:white "$M/petit.png"
convert -size 640x480 xc:yellow "$WORK/v.png"
heif-enc -q 80 -o "$M/vacances.heic" "$WORK/v.png" >/dev/null 2>&1
ffmpeg -v error -f lavfi -i testsrc=duration=2:size=320x240:rate=25 -f lavfi \
    -i sine=duration=2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac \
    -shortest "$M/film.mp4"
exiftool -q -overwrite_original -Keys:GPSCoordinates="48.8566, 2.3522, 35" \
    -UserData:GPSCoordinates="48.8566, 2.3522" "$M/film.mp4"
cp "$M/photo.jpg" "$WORK/photo.orig.jpg"
cat >"$R/posts/2024-05-02-sortie.md" <<X
---
title: "La sortie"
---
![La classe au musée](../media/photo.jpg)

![Le grand pré](../media/grand.png)

![Un petit dessin](../media/petit.png)

![Les vacances](../media/vacances.heic)

![Le film](../media/film.mp4)
X
commitall "$R" "2024-05-02T10:00:00+02:00"

run build "$R" -o "$O"
t "build with photos and a video succeeds" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || cat "$WORK/err"

# no metadata in any published file
leaks=$(exiftool -a -G1 -s -r "$O/media" 2>/dev/null |
    grep -E '^\[(GPS|IFD0|ExifIFD|IFD1|XMP[^]]*|IPTC|Keys|UserData|ItemList|File:Comment)\]|GPS|ISO6709|Comment|iPhone' |
    grep -v '^\[ExifTool\]')
t "no GPS, EXIF, XMP, IPTC, comment or QuickTime location in the output" [ -z "$leaks" ]
[ -z "$leaks" ] || echo "$leaks" | sed 's/^/    /' | head -20
tnot "the coordinates are not left as bytes in the video" grep -q -a '48.85' "$O/media/film.mp4"
t "the repository's original is unchanged" cmp "$M/photo.jpg" "$WORK/photo.orig.jpg"

# upright: dimensions swapped, the red corner at the top-right
t "photo served upright at 1200x2000" [ "$(identify -format '%w %h' "$O/media/photo.jpg")" = "1200 2000" ]
tr=$(convert "$O/media/photo.jpg" -crop 1x1+1190+10 -format '%[fx:int(255*r)] %[fx:int(255*b)]' info:)
tl=$(convert "$O/media/photo.jpg" -crop 1x1+10+10 -format '%[fx:int(255*r)] %[fx:int(255*b)]' info:)
t "red corner at the top-right after rotation ($tr)" sh -c "[ ${tr% *} -gt 200 ] && [ ${tr#* } -lt 60 ]"
t "blue at the top-left ($tl)" sh -c "[ ${tl% *} -lt 60 ] && [ ${tl#* } -gt 200 ]"
t "thumbnail 480x800" [ "$(identify -format '%w %h' "$O/media/photo.480.jpg" 2>&1)" = "480 800" ]
t "wide PNG resized to 1600x667" [ "$(identify -format '%w %h' "$O/media/grand.png")" = "1600 667" ]
t "a small clean PNG is copied as is" cmp "$M/petit.png" "$O/media/petit.png"
t "no thumbnail for a small picture" [ ! -e "$O/media/petit.480.png" ]
t "HEIC served as a JPEG" [ "$(identify -format '%m %w %h' "$O/media/vacances.jpg" 2>&1)" = "JPEG 640 480" ]
t "the HEIC itself is not published" [ ! -e "$O/media/vacances.heic" ]

H=$O/posts/sortie.html
t "img names the JPEG of the HEIC" grep -q 'src="../media/vacances.jpg"' "$H"
t "srcset offers the thumbnail" grep -q 'srcset="../media/photo.480.jpg 480w, ../media/photo.jpg 1200w" sizes="' "$H"
# every width/height matches the file served
bad=""
for img in $(grep -o '<img src="[^"]*"[^>]*width="[0-9]*" height="[0-9]*"' "$H" |
    sed 's/<img src="\.\.\/\([^"]*\)".*width="\([0-9]*\)" height="\([0-9]*\)"/\1:\2:\3/'); do
	f=${img%%:*}; wh=${img#*:}
	real=$(identify -format '%w:%h' "$O/$f")
	[ "$real" = "$wh" ] || bad="$bad $f($wh vs $real)"
done
t "width/height of every img match the files served${bad}" [ -z "$bad" ]

# the video still plays: same streams and duration
probe() { ffprobe -v error -show_entries stream=codec_name,duration:format=duration -of csv=p=0 "$1"; }
t "video streams and duration unchanged" [ "$(probe "$M/film.mp4")" = "$(probe "$O/media/film.mp4")" ]
t "video size unchanged" [ "$(stat -c %s "$M/film.mp4")" = "$(stat -c %s "$O/media/film.mp4")" ]
t "video decodes to the end" ffmpeg -v error -i "$O/media/film.mp4" -f null -

# a rebuild processes nothing: the same inodes (hard links)
i1=$(stat -c %i "$O/media/photo.jpg" "$O/media/photo.480.jpg" "$O/media/vacances.jpg" "$O/media/film.mp4")
run build "$R" -o "$O"
i2=$(stat -c %i "$O/media/photo.jpg" "$O/media/photo.480.jpg" "$O/media/vacances.jpg" "$O/media/film.mp4")
t "rebuild succeeds" [ "$RC" -eq 0 ]
t "rebuild reuses every processed file" [ "$i1" = "$i2" ]

# settings: images: section; strip_metadata cannot be turned off for the public
printf 'images:\n  max_width: 1000\n  thumb_width: 300\n  quality: 70\n  strip_metadata: false\n' >>"$R/ardoise.yml"
commitall "$R" "2024-05-03T10:00:00+02:00"
run build "$R" -o "$O"
t "images.max_width applies" [ "$(identify -format '%w %h' "$O/media/photo.jpg")" = "1000 1667" ]
t "images.thumb_width applies" [ -e "$O/media/photo.300.jpg" ]
t "width/height follow the settings" grep -q 'width="1000" height="1667"' "$H"
t "public build strips even with strip_metadata: false" sh -c "! exiftool -a -G1 '$O/media/photo.jpg' | grep -q GPS"
printf 'images:\n  quality: 900\n' >"$WORK/bad.yml"
cp "$WORK/bad.yml" "$R/ardoise.yml"
commitall "$R" "2024-05-04T10:00:00+02:00"
run check "$R"
t "a quality out of range is an error" grep -q 'quality must be a whole number between 1 and 100' "$WORK/err"
git -C "$R" checkout -q HEAD~1 -- ardoise.yml && commitall "$R" "2024-05-05T10:00:00+02:00"

# check: a QuickTime video warns; a broken MP4 is refused
ffmpeg -v error -f lavfi -i testsrc=duration=1:size=160x120:rate=10 -c:v mpeg4 -f mov "$M/vieux.mov"
printf '\n![Un vieux film](../media/vieux.mov)\n' >>"$R/posts/2024-05-02-sortie.md"
commitall "$R" "2024-05-06T10:00:00+02:00"
run check "$R"
t "check warns on a video that does not play everywhere" grep -q 'vieux.mov.*does not play everywhere' "$WORK/err"
head -c 3000 "$M/film.mp4" >"$M/casse.mp4"
printf '\n![Cassé](../media/casse.mp4)\n' >>"$R/posts/2024-05-02-sortie.md"
commitall "$R" "2024-05-07T10:00:00+02:00"
run build "$R" -o "$WORK/site2"
t "a video whose boxes do not parse is refused" [ "$RC" -eq 1 ]
t "with a message naming it" grep -q 'casse.mp4' "$WORK/err"
t "and nothing is published" [ ! -e "$WORK/site2/media/casse.mp4" ]
finish
