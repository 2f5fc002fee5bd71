# Media in Markdown: one syntax, an element by extension (pictures with
# their size, audio, video, downloads with type and size), captions,
# transcripts (title or front matter), warnings at their line (RGAA 1.1,
# 4.1), a missing media file or transcript as an error, and well-formed
# pages.
. "$TOP/tests/lib.sh"
R=$WORK/repo
newrepo "$R"
mkdir -p "$R/media"
# a real 3x2 PNG (IHDR, IDAT, IEND with their CRCs)
printf '\211PNG\015\012\032\012\000\000\000\015IHDR\000\000\000\003\000\000\000\002\010\002\000\000\000\022\026\361M\000\000\000\020IDATx\332c\370\317\300\000A\014p\026\000A\322\005\373o\361\026\307\000\000\000\000IEND\256B`\202' >"$R/media/potager.png"
printf 'RIFF\044\000\000\000WAVEfmt \020\000\000\000\001\000\001\000\100\037\000\000\100\037\000\000\001\000\010\000data\000\000\000\000' >"$R/media/chanson.wav"
printf '\000\000\000\030ftypmp42\000\000\000\000mp42isom\000\000\000\010moov' >"$R/media/film.mp4"
{ printf '%%PDF-1.4\n'; head -c 1234567 /dev/zero; } >"$R/media/fiche.pdf"
NB=$(printf '\302\240')	# sizes keep their unit with a no-break space
printf 'La *chanson* :\n\nLa, la, la.\n' >"$R/media/chanson-transcription.md"
printf 'Le film montre la classe.\n' >"$R/media/film-transcription.md"
have_jpeg=0
if convert -size 40x30 xc:red "$R/media/photo.jpg" 2>/dev/null &&
   [ "$(head -c 2 "$R/media/photo.jpg" | od -An -tx1 | tr -d ' ')" = "ffd8" ]; then
	have_jpeg=1
	JPEG_LINE='![Une photo rouge](../media/photo.jpg)'
else
	JPEG_LINE=''
fi
cat >"$R/posts/2024-05-02-sortie.md" <<X
---
title: "La sortie"
transcript: ../media/film-transcription.md
---
Nous sommes allés au musée.

![Le *potager* de la classe](../media/potager.png)

![Notre chanson](../media/chanson.wav "../media/chanson-transcription.md")

![Le film de la sortie](../media/film.mp4)

![La fiche](../media/fiche.pdf)

Un radis ![radis](../media/potager.png) dans le texte.

![](../media/potager.png)

$JPEG_LINE
X
cat >"$R/posts/2024-05-03-son.md" <<'X'
---
title: "Un son"
---
![Encore la chanson](../media/chanson.wav)
X
commitall "$R" "2024-05-04T10:00:00+02:00" "media"
run build "$R" -o "$WORK/site"
P=$WORK/site/posts/sortie.html
t "builds with warnings only" [ "$RC" -eq 0 ]
t "picture: figure with its size from the PNG header" grep -qF '<figure class="media media-image">
<img src="../media/potager.png" alt="Le potager de la classe" width="3" height="2" loading="lazy" decoding="async" />
<figcaption>Le <em>potager</em> de la classe</figcaption>
</figure>' "$P"
t "audio: figure, player, transcript in details, caption" grep -qF '<figure class="media media-audio">
<audio controls="" preload="metadata" src="../media/chanson.wav"><a href="../media/chanson.wav">Télécharger (WAV, 44'"$NB"'o)</a></audio>
<details class="transcription"><summary>Transcription</summary>
<p>La <em>chanson</em> :</p>
<p>La, la, la.</p>
</details>
<figcaption>Notre chanson</figcaption>
</figure>' "$P"
t "video: the front matter transcript goes to the first recording without one" grep -qF '<figure class="media media-video">
<video controls="" preload="metadata" src="../media/film.mp4"><a href="../media/film.mp4">Télécharger (MP4, 32'"$NB"'o)</a></video>
<details class="transcription"><summary>Transcription</summary>
<p>Le film montre la classe.</p>
</details>
<figcaption>Le film de la sortie</figcaption>
</figure>' "$P"
t "download: link with type and size" grep -qF '<figure class="media media-download">
<a href="../media/fiche.pdf" download="">La fiche (PDF, 1,2'"$NB"'Mo)</a>
<figcaption>La fiche</figcaption>
</figure>' "$P"
t "inline picture stays inline" grep -qF '<p>Un radis <img src="../media/potager.png" alt="radis" width="3" height="2" loading="lazy" decoding="async" /> dans le texte.</p>' "$P"
t "no figure inside a paragraph" sh -c "! grep -q '<p><figure' '$P'"
if [ "$have_jpeg" -eq 1 ]; then
	t "JPEG made by convert: its size" grep -qF 'alt="Une photo rouge" width="40" height="30"' "$P"
else
	ok "JPEG skipped: ImageMagick's convert cannot write JPEG here (unit tests cover JPEG headers)"
fi
t "transcripts are not pages" [ ! -e "$WORK/site/media/chanson-transcription.html" ]
t "media copied" [ -f "$WORK/site/media/potager.png" ] && [ -f "$WORK/site/media/fiche.pdf" ]
t "warning: empty alt text at its line" grep -qF 'posts/2024-05-02-sortie.md:17:1: warning: image without a description (alt text)' "$WORK/err"
t "warning: audio without transcript at its line" grep -qF 'posts/2024-05-03-son.md:4:1: warning: audio or video without a transcript' "$WORK/err"
t "no other warning" [ "$(grep -c warning "$WORK/err")" -eq 2 ]
t "the post page is well-formed XML" xmllint --noout "$P"
t "and the other one" xmllint --noout "$WORK/site/posts/son.html"

# errors: a missing media file and a missing transcript, at their lines
cat >"$R/posts/2024-05-05-manque.md" <<'X'
---
title: "Manque"
---
Texte.

![Absent](../media/absent.png)

![Chant](../media/chanson.wav "../media/absente.md")
X
commitall "$R" "2024-05-06T10:00:00+02:00" "manque"
run build "$R" -o "$WORK/site2"
t "missing media fails the build" [ "$RC" -eq 1 ]
t "error: missing media at its line" grep -qF 'posts/2024-05-05-manque.md:6:1: error: media file "../media/absent.png" not found' "$WORK/err"
t "error: missing transcript at its line" grep -qF 'posts/2024-05-05-manque.md:8:1: error: transcript "../media/absente.md" not found' "$WORK/err"

# a video without a movie header: warned by the build that publishes it and
# by every rebuild that keeps it, as a full build would be
printf '\000\000\000\030ftypmp42\000\000\000\000mp42isom\000\000\000\010mdat' >"$R/media/casse.mp4"
printf -- '---\ntitle: "Casse"\n---\n![Vidéo](../media/casse.mp4 "../media/film-transcription.md")\n' >"$R/posts/2024-05-06-casse.md"
rm "$R/posts/2024-05-05-manque.md"
commitall "$R" "2024-05-07T10:00:00+02:00" "casse"
run build "$R" -o "$WORK/site3"
t "video without a movie header: warned" grep -qF 'media/casse.mp4: warning: video "media/casse.mp4" has no movie header' "$WORK/err"
before=$(stat -c '%i %y' "$WORK/site3/media/casse.mp4")
printf 'Encore.\n' >>"$R/posts/2024-05-03-son.md"
commitall "$R" "2024-05-08T10:00:00+02:00" "son"
run build "$R" -o "$WORK/site3"
t "rebuild that keeps it: the same warning" grep -qF 'media/casse.mp4: warning: video "media/casse.mp4" has no movie header' "$WORK/err"
t "rebuild: the video kept, not written again" [ "$(stat -c '%i %y' "$WORK/site3/media/casse.mp4")" = "$before" ]
finish
