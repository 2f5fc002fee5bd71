#!/bin/sh
# ardoise serve for real: a loopback port, a page fetched with curl, a
# change seen within 2 s, an error page with the file and line, then the
# site again once the file is fixed.
. "$TOP/tests/lib.sh"
command -v curl >/dev/null || { fail "curl is missing: run ci/deps.sh"; finish; exit 1; }
R=$WORK/classe
newrepo "$R"
printf -- '---\ntitle: "Au jardin"\ndate: 2026-03-16\n---\nNous plantons des radis.\n' >"$R/posts/2026-03-16-jardin.md"
commitall "$R" "2026-03-16T10:00:00"
printf -- '---\ntitle: "Brouillon"\ndate: 2026-03-17\n---\nPas encore validé.\n' >"$R/posts/2026-03-17-brouillon.md"

"$ARDOISE" serve "$R" --port 0 2>"$WORK/serve.err" &
PID=$!
stop() { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }
trap 'stop; rm -rf "$WORK"' EXIT
URL=""
for _ in $(seq 1 100); do
	URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$WORK/serve.err" | head -n 1)
	[ -n "$URL" ] && break
	sleep 0.1
done
[ -n "$URL" ] && ok "serve prints its loopback address" || { fail "serve prints its loopback address" "$(cat "$WORK/serve.err")"; finish; exit 1; }
# waits up to 2 s for PATH's body to contain TEXT
see() {
	for _ in $(seq 1 20); do
		curl -s "$URL$1" | grep -q "$2" && return 0
		sleep 0.1
	done
	return 1
}
see posts/jardin.html "radis" && ok "a post is served" || fail "a post is served" "$(curl -s "${URL}posts/jardin.html" | head -20)"
see posts/brouillon.html "encore" && ok "uncommitted work is served" || fail "uncommitted work is served"
curl -s "$URL" | grep -q '__ardoise/build' && ok "pages carry the reload script" || fail "pages carry the reload script"
g1=$(curl -s "${URL}__ardoise/build")
css=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "${URL}assets/style.css")
case "$css" in "200 text/css"*) ok "assets served with their type" ;; *) fail "assets served with their type" "$css" ;; esac
[ "$(curl -s -o /dev/null -w '%{http_code}' "${URL}../../etc/passwd")" != 200 ] &&
	[ "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "${URL}../../etc/passwd")" != 200 ] &&
	ok "no path outside the site" || fail "no path outside the site"

sed -i 's/radis/carottes/' "$R/posts/2026-03-16-jardin.md"
see posts/jardin.html "carottes" && ok "a change is served within 2 s" || fail "a change is served within 2 s" "$(cat "$WORK/serve.err")"
[ "$(curl -s "${URL}__ardoise/build")" != "$g1" ] && ok "the build counter moves (open pages reload)" || fail "the build counter moves (open pages reload)"

printf -- '---\ntitle: "Oups"\ndate: 31/02/2020\n---\nTexte\n' >"$R/posts/2026-03-18-oups.md"
see posts/jardin.html "has an error" && ok "a content error replaces the site" || fail "a content error replaces the site" "$(curl -s "${URL}posts/jardin.html" | head)"
page=$(curl -s "$URL")
echo "$page" | grep -q 'posts/2026-03-18-oups.md, line 3' && echo "$page" | grep -q '<mark>.*date: 31/02/2020</mark>' &&
	ok "the error page shows the file, the line and highlights it" || fail "the error page shows the file, the line and highlights it" "$page"
printf -- '---\ntitle: "Oups"\ndate: 2020-02-28\n---\nTexte corrigé\n' >"$R/posts/2026-03-18-oups.md"
see posts/oups.html "corrigé" && ! curl -s "$URL" | grep -q 'has an error' && ok "fixing the file brings the site back" ||
	fail "fixing the file brings the site back" "$(cat "$WORK/serve.err")"
mkdir -p "$R/pages"
printf -- '---\ntitle: "Nouvelle"\n---\nDans un nouveau dossier.\n' >"$R/pages/nouvelle.md"
see nouvelle.html "nouveau dossier" && ok "files in new folders are watched" || fail "files in new folders are watched"

kill "$PID"
wait "$PID"
rc=$?
[ "$rc" -eq 0 ] && grep -q 'preview stopped' "$WORK/serve.err" && ok "SIGTERM stops serve cleanly" || fail "SIGTERM stops serve cleanly" "rc $rc $(tail "$WORK/serve.err")"
grep -q 'Sanitizer\|runtime error' "$WORK/serve.err" && fail "sanitizer clean: serve" "$(cat "$WORK/serve.err")"
[ -z "$(git -C "$R" status --porcelain --ignored | grep -v 'posts/\|pages/')" ] && ok "serve writes nothing into the repository" ||
	fail "serve writes nothing into the repository" "$(git -C "$R" status --porcelain --ignored)"
run serve "$R" --port 99999
[ "$RC" -eq 2 ] && ok "a bad port is a usage error" || fail "a bad port is a usage error"
finish
