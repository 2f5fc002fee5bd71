# A school server for real: a bare repository with the hooks installed by
# `ardoise hooks install`, pushes with the real `git push` over file://,
# releases published under a root, and nginx (loopback only) serving them.
. "$TOP/tests/lib.sh"
# Next to a binary in the tree (build/, build/san/) the hook scripts and
# themes are found by themselves; a binary built elsewhere is told.
case $ARDOISE in
"$TOP"/*) ;;
*) export ARDOISE_HOOKS="${ARDOISE_HOOKS:-$TOP/hooks}" ARDOISE_THEMES="${ARDOISE_THEMES:-$TOP/themes}" ;;
esac

NPID=""
stop_nginx() {
	[ -n "$NPID" ] || return 0
	kill "$NPID" 2>/dev/null
	wait "$NPID" 2>/dev/null
	NPID=""
}
trap 'stop_nginx; rm -rf "$WORK"' EXIT
trap 'exit 1' HUP INT TERM
T0=$(date +%s)

BARE=$WORK/srv/cm2a.git
ROOT=$WORK/www
SITE=$ROOT/cm2a
mkdir -p "$WORK/srv"
git -c init.defaultBranch=main init -q --bare "$BARE"

# --- install ---------------------------------------------------------------
run hooks --help
t "hooks --help: usage on stdout, exit 0" sh -c '[ "$1" -eq 0 ] && grep -q "hooks install" "$2"' - "$RC" "$WORK/out"
run hooks
t "hooks without a command: usage error" [ "$RC" -eq 2 ]
run hooks install "$BARE"
t "install without --root: usage error saying what to give" sh -c '[ "$1" -eq 2 ] && grep -q -- "--root" "$2"' - "$RC" "$WORK/err"
run hooks install "$WORK/srv" --root "$ROOT"
t "install on a directory that is no bare repository: refused" sh -c '[ "$1" -eq 2 ] && grep -q "is not a bare git repository" "$2"' - "$RC" "$WORK/err"
run hooks install "$BARE" --root "$ROOT" --branch 'a b'
t "install with an unusable branch name: refused" [ "$RC" -eq 2 ]
run hooks install "$BARE" --root "$ROOT"
t "install: exit 0" [ "$RC" -eq 0 ]
t "install: hooks executable in the repository" [ -x "$BARE/hooks/pre-receive" -a -x "$BARE/hooks/post-receive" ]
t "install: hooks are the scripts of hooks/" cmp "$BARE/hooks/post-receive" "$TOP/hooks/post-receive"
t "install: root recorded, absolute" [ "$(git -C "$BARE" config ardoise.root)" = "$(cd "$ROOT" && pwd -P)" ]
t "install: this ardoise recorded for the hooks" [ "$(git -C "$BARE" config ardoise.bin)" = "$(readlink -f "$ARDOISE")" ]
t "install: branch main, no forced pushes" [ "$(git -C "$BARE" config ardoise.branch)/$(git -C "$BARE" config ardoise.allowForce)" = "main/false" ]
run hooks install "$BARE" --root "$ROOT"
t "install again: nothing to refuse" [ "$RC" -eq 0 ]
OTHER=$WORK/srv/autre.git
git init -q --bare "$OTHER"
printf '#!/bin/sh\necho mine\n' >"$OTHER/hooks/pre-receive"
run hooks install "$OTHER" --root "$ROOT"
t "someone else's hook is not replaced without --force" sh -c '[ "$1" -eq 2 ] && grep -q -- "--force" "$2" && grep -q mine "$3"' - "$RC" "$WORK/err" "$OTHER/hooks/pre-receive"
run hooks install "$OTHER" --root "$ROOT" --force
t "--force replaces it" sh -c '[ "$1" -eq 0 ] && cmp -s "$2" "$3"' - "$RC" "$OTHER/hooks/pre-receive" "$TOP/hooks/pre-receive"

# installed layout: PREFIX/bin/ardoise finds PREFIX/share/ardoise/hooks
mkdir -p "$WORK/prefix/bin" "$WORK/prefix/share/ardoise/hooks"
cp "$ARDOISE" "$WORK/prefix/bin/ardoise"
cp "$TOP/hooks/pre-receive" "$TOP/hooks/post-receive" "$WORK/prefix/share/ardoise/hooks/"
git init -q --bare "$WORK/srv/cm1.git"
RC=0
env -u ARDOISE_HOOKS "$WORK/prefix/bin/ardoise" hooks install "$WORK/srv/cm1.git" --root "$ROOT" >"$WORK/out" 2>&1 || RC=$?
t "installed ardoise finds its hooks in share/ardoise/hooks" sh -c '[ "$1" -eq 0 ] && [ -x "$2/hooks/post-receive" ] && [ "$(git -C "$2" config ardoise.bin)" = "$3" ]' - "$RC" "$WORK/srv/cm1.git" "$WORK/prefix/bin/ardoise"
RC=0
env ARDOISE_HOOKS="$WORK/nowhere" "$ARDOISE" hooks install "$WORK/srv/cm1.git" --root "$ROOT" >"$WORK/out" 2>"$WORK/err" || RC=$?
t "hook scripts not found: system error naming ARDOISE_HOOKS" sh -c '[ "$1" -eq 3 ] && grep -q ARDOISE_HOOKS "$2"' - "$RC" "$WORK/err"

# --- helpers -----------------------------------------------------------------
N=0
# ci DIR: commit everything with the next fixed date
ci() { N=$((N + 1)); commitall "$1" "2026-02-01T10:$(printf %02d $((N / 60))):$(printf %02d $((N % 60)))+00:00" "commit $N"; }
# post DIR SLUG TITLE [EXTRA BODY]
post() { printf -- '---\ntitle: "%s"\ndate: 2026-01-15\n---\nTexte de %s.\n%s\n' "$3" "$3" "${4:-}" >"$1/posts/2026-01-15-$2.md"; }
# push DIR ARGS...: git push, output in $WORK/push.out and $PRC
push() { d=$1; shift; PRC=0; git -C "$d" push "$@" >"$WORK/push.out" 2>&1 || PRC=$?; cat "$WORK/push.out" >>"$WORK/pushes.out"; }
live() { readlink "$SITE/current"; }
releases() { ls "$SITE/releases" | grep -c '^[0-9a-f]*$'; }

A=$WORK/a
git clone -q "file://$BARE" "$A" 2>/dev/null
mkdir -p "$A/posts" "$A/media"
printf 'title: "CM2 A"\nlanguage: fr\nauthor: "Mme Martin"\n' >"$A/ardoise.yml"
printf '\211PNG\015\012\032\012\000\000\000\015IHDR\000\000\000\003\000\000\000\002\010\002\000\000\000\022\026\361M\000\000\000\020IDATx\332c\370\317\300\000A\014p\026\000A\322\005\373o\361\026\307\000\000\000\000IEND\256B`\202' >"$A/media/potager.png"
post "$A" potager "Le potager" '![Notre potager](../media/potager.png)'
ci "$A"
C1=$(git -C "$A" rev-parse HEAD)

# --- a good push is published ------------------------------------------------
push "$A" origin main
t "good push accepted" [ "$PRC" -eq 0 ]
t "pusher told the site is published" grep -q "site published: $C1" "$WORK/push.out"
t "current points at the pushed commit" [ "$(live)" = "releases/$C1" ]
t "published page has the post" grep -q 'Le potager' "$SITE/current/index.html"
t "published media" cmp "$SITE/current/media/potager.png" "$A/media/potager.png"
t "build.log records the publication" grep -q "published $C1" "$SITE/build.log"

# --- a bad post is refused with its message ----------------------------------
post "$A" oups "Oups" '
![absent](../media/absent.png)'
ci "$A"
push "$A" origin main
t "push with a content error refused" [ "$PRC" -ne 0 ]
t "pusher sees why, first" sh -c 'grep "remote:" "$1" | head -n 1 | grep -q "push refused: branch \"main\" has errors"' - "$WORK/push.out"
t "pusher sees the file:line of the error" grep -q 'posts/2026-01-15-oups.md:7:1: error: media file "../media/absent.png" not found' "$WORK/push.out"
t "refused commit not in the repository's main" [ "$(git -C "$BARE" rev-parse main)" = "$C1" ]
t "site unchanged after a refused push" [ "$(live)" = "releases/$C1" ]
LC_ALL=fr_FR.UTF-8 git -C "$A" push origin main >"$WORK/push.out" 2>&1
t "refusal in French for a French locale" grep -q 'push refusé : la branche « main » contient des erreurs' "$WORK/push.out"

# --- other branches: accepted unchecked, never published ---------------------
git -C "$A" push -q origin HEAD:refs/heads/brouillon-emma >"$WORK/push.out" 2>&1
t "draft branch with errors accepted" [ "$(git -C "$BARE" rev-parse brouillon-emma)" = "$(git -C "$A" rev-parse HEAD)" ]
t "draft branch not published" sh -c '[ "$(readlink "$1")" = "releases/$2" ] && [ "$(ls "$3" | grep -c "^[0-9a-f]*$")" -eq 1 ]' - "$SITE/current" "$C1" "$SITE/releases"
git -C "$A" reset -q --hard "$C1"

# --- history of the published branch ----------------------------------------
post "$A" semis "Les semis"
ci "$A"
C2=$(git -C "$A" rev-parse HEAD)
push "$A" origin main
t "second push published" [ "$(live)" = "releases/$C2" ]
git -C "$A" reset -q --hard "$C1"
post "$A" autre "Une autre histoire"
ci "$A"
C3=$(git -C "$A" rev-parse HEAD)
push "$A" origin +main
t "non-fast-forward push refused" sh -c '[ "$1" -ne 0 ] && grep -q "not a fast-forward" "$2"' - "$PRC" "$WORK/push.out"
t "main unchanged after it" [ "$(git -C "$BARE" rev-parse main)" = "$C2" ]
push "$A" origin :main
t "deleting the published branch refused" sh -c '[ "$1" -ne 0 ] && grep -q "cannot be deleted" "$2"' - "$PRC" "$WORK/push.out"
git -C "$BARE" config ardoise.allowForce true
push "$A" origin +main
t "forced push accepted when allowForce is set" [ "$PRC" -eq 0 -a "$(live)" = "releases/$C3" ]
git -C "$BARE" config ardoise.allowForce false

# --- a reader during a publication never sees a missing or partial page -----
# reader: reads current/index.html until $WORK/stop exists; counts reads,
# reads showing $1, and bad reads (missing, or not ending with </html>)
reader() {
	n=0 seen=0 bad=0
	while [ ! -e "$WORK/stop" ]; do
		n=$((n + 1))
		if c=$(cat "$SITE/current/index.html" 2>/dev/null); then
			case $c in *'</html>') ;; *) bad=$((bad + 1)) ;; esac
			case $c in *"$1"*) seen=$((seen + 1)) ;; esac
		else
			bad=$((bad + 1))
		fi
	done
	echo "$n $seen $bad" >"$WORK/reader.out"
}
rm -f "$WORK/stop"
reader "La mare" &
RPID=$!
sleep 0.3
post "$A" mare "La mare"
ci "$A"
C4=$(git -C "$A" rev-parse HEAD)
push "$A" origin main
sleep 0.3
: >"$WORK/stop"
wait "$RPID"
read -r RN RSEEN RBAD <"$WORK/reader.out"
t "publication under a reader: published" [ "$(live)" = "releases/$C4" ]
t "reader saw only whole pages ($RN reads, $RBAD bad)" [ "$RBAD" -eq 0 ]
t "reader saw the old site then the new ($RSEEN of $RN new)" [ "$RSEEN" -gt 0 -a "$RSEEN" -lt "$RN" ]

# --- two pushes racing: the newest commit ends published ---------------------
B2=$WORK/b
git clone -q "file://$BARE" "$B2"
post "$A" course-a "Course A"
ci "$A"
git -C "$B2" fetch -q "$A" main
git -C "$B2" reset -q --hard FETCH_HEAD
post "$B2" course-b "Course B"
ci "$B2"
git -C "$A" push -q origin main >"$WORK/race-a.out" 2>&1 &
P1=$!
git -C "$B2" push -q origin main >"$WORK/race-b.out" 2>&1 &
P2=$!
wait "$P1" "$P2"
# Both pushes may read the same old main: git then refuses the second ref
# update ("cannot lock ref") even though it would fast-forward; whichever
# won, its tip must be what is published.
TIP=$(git -C "$BARE" rev-parse main)
t "race: main is one of the pushed commits" sh -c '[ "$1" = "$2" ] || [ "$1" = "$3" ]' - "$TIP" "$(git -C "$A" rev-parse HEAD)" "$(git -C "$B2" rev-parse HEAD)"
t "race: main's tip is published" [ "$(live)" = "releases/$TIP" ]
t "race: no temporary link or staging left" sh -c '! { ls -A "$1"; ls -A "$1/releases"; } | grep -q "tmp\|current.new"' - "$SITE"
# the pupil whose push lost pushes again, as git told them
push "$B2" origin main
t "race: after the retry the newest commit is published" sh -c '[ "$1" = "releases/$2" ] && grep -q "Course B" "$3"' - "$(live)" "$(git -C "$B2" rev-parse HEAD)" "$SITE/current/index.html"

# Overlapping publications: a slow build of the first push still runs
# when the second push lands; its hook waits for the lock, then publishes
# the branch's tip, and the two never interleave.
printf '#!/bin/sh\ncase $1 in build) sleep 1 ;; esac\nexec "%s" "$@"\n' "$ARDOISE" >"$WORK/slow-ardoise"
chmod 755 "$WORK/slow-ardoise"
git -C "$BARE" config ardoise.bin "$WORK/slow-ardoise"
git -C "$A" pull -q --ff-only origin main 2>/dev/null
post "$A" lent-1 "Lent un"
ci "$A"
X1=$(git -C "$A" rev-parse HEAD)
echo "--- overlap" >>"$SITE/build.log"
git -C "$A" push -q origin main >"$WORK/slow-a.out" 2>&1 &
P1=$!
j=0
while [ "$(git -C "$BARE" rev-parse main)" != "$X1" ] && [ $j -lt 200 ]; do sleep 0.05; j=$((j + 1)); done
git -C "$B2" pull -q --ff-only origin main 2>/dev/null
post "$B2" lent-2 "Lent deux"
ci "$B2"
X2=$(git -C "$B2" rev-parse HEAD)
git -C "$B2" push -q origin main >"$WORK/slow-b.out" 2>&1 &
P2=$!
wait "$P1" "$P2"
git -C "$BARE" config ardoise.bin "$(readlink -f "$ARDOISE")"
t "overlap: both pushes accepted" [ "$(git -C "$BARE" rev-parse main)" = "$X2" ]
t "overlap: the newest commit is published" [ "$(live)" = "releases/$X2" ]
t "overlap: publications one after the other" sh -c 'sed -n "/^--- overlap/,\$p" "$1" | awk "/ building /{ if (b) exit 1; b = 1 } / published /{ b = 0 }"' - "$SITE/build.log"
git -C "$A" pull -q --ff-only origin main 2>/dev/null

# --- the last 5 releases are kept --------------------------------------------
i=0
while [ $i -lt 3 ]; do
	i=$((i + 1))
	post "$A" "serie-$i" "Série $i"
	ci "$A"
	push "$A" origin main
done
C5=$(git -C "$A" rev-parse HEAD)
t "pruned to the last 5 releases" [ "$(releases)" -eq 5 ]
t "the live release is kept" [ "$(live)" = "releases/$C5" -a -d "$SITE/releases/$C5" ]
t "the oldest are gone" [ ! -e "$SITE/releases/$C1" -a ! -e "$SITE/releases/$C4" ]
t "an old release was updated into a new one" grep -q 'updating the old release' "$SITE/build.log"
"$ARDOISE" build "$BARE" --ref "$C5" -o "$WORK/c5-full" -q >/dev/null 2>&1
t "a release updated from an old one equals a full build" diff -r -x .ardoise "$SITE/releases/$C5" "$WORK/c5-full"

# --- a build failure is logged and leaves the previous release live ----------
# A theme override whose partial includes itself: check accepts it, only
# rendering finds it. Should check learn to see it, the release directory
# is blocked by a file instead, which no build can replace.
mkdir -p "$A/theme/templates"
printf '{{> post-meta}}\n' >"$A/theme/templates/post-meta.mustache"
ci "$A"
BAD=$(git -C "$A" rev-parse HEAD)
push "$A" origin main
if [ "$PRC" -ne 0 ]; then
	ok "check now refuses a partial including itself (push refused)"
	git -C "$A" reset -q --hard "$C5"
	post "$A" bloque "Bloqué"
	ci "$A"
	BAD=$(git -C "$A" rev-parse HEAD)
	: >"$SITE/releases/$BAD"
	push "$A" origin main
fi
t "failed build: the push itself succeeded" [ "$PRC" -eq 0 ]
t "failed build: pusher told to see build.log" grep -q "publication failed: see $SITE/build.log" "$WORK/push.out"
t "failed build: logged with ardoise's messages" sh -c 'grep -q "build of $1 failed" "$2" && grep -q "error:" "$2"' - "$BAD" "$SITE/build.log"
t "failed build: previous release still live" [ "$(live)" = "releases/$C5" ]
t "failed build: previous page still whole" grep -q '</html>' "$SITE/current/index.html"
rm -rf "$A/theme" "$SITE/releases/$BAD"
post "$A" repare "Réparé"
ci "$A"
C6=$(git -C "$A" rev-parse HEAD)
push "$A" origin main
t "next good push publishes again" [ "$(live)" = "releases/$C6" ]

# --- nginx serves the published site -----------------------------------------
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
	sh "$TOP/ci/nginx.sh" >"$WORK/nginx-install.out" 2>&1
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
NGX=$WORK/nginx
mkdir -p "$NGX/tmp"
PORT=""
# start_nginx PORT: returns 0 when it answers on 127.0.0.1:PORT
start_nginx() {
	# the server block is README.md's "Server for a school" one
	cat >"$NGX/nginx.conf" <<EOF
daemon off;
master_process off;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	access_log $NGX/access.log;
	client_body_temp_path $NGX/tmp/body;
	proxy_temp_path $NGX/tmp/proxy;
	fastcgi_temp_path $NGX/tmp/fastcgi;
	uwsgi_temp_path $NGX/tmp/uwsgi;
	scgi_temp_path $NGX/tmp/scgi;
	server {
		listen 127.0.0.1:$1;
		server_name localhost;
		location ~ /\. { return 404; }
		location ~ ^/(?<class>[A-Za-z0-9_-]+)(?<rest>/.*)?\$ {
			alias $ROOT/\$class/current\$rest;
			index index.html;
		}
	}
}
EOF
	"$NGINX" -e "$NGX/error.log" -p "$NGX/" -c "$NGX/nginx.conf" >>"$NGX/stderr" 2>&1 &
	NPID=$!
	j=0
	while [ $j -lt 50 ]; do
		curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
		kill -0 "$NPID" 2>/dev/null || break
		sleep 0.1
		j=$((j + 1))
	done
	stop_nginx
	return 1
}
if [ -x "$NGINX" ]; then
	for p in $((18000 + $$ % 900)) $((18900 + $$ % 100)) 18999 18998 18997; do
		if start_nginx "$p"; then PORT=$p; break; fi
	done
fi
if [ -z "$PORT" ]; then
	fail "nginx started on a loopback port" "$(cat "$NGX/stderr" "$NGX/error.log" "$WORK/nginx-install.out" 2>/dev/null)"
else
	ok "nginx started on 127.0.0.1:$PORT"
	U=http://127.0.0.1:$PORT/cm2a
	t "nginx serves the published page" sh -c 'curl -fsS "$1/" | grep -q "Réparé"' - "$U"
	t "nginx serves a media file" sh -c 'curl -fsS -o "$1" "$2/media/potager.png" && cmp "$1" "$3"' - "$WORK/got.png" "$U" "$A/media/potager.png"
	t "nginx redirects the class without its slash" sh -c 'curl -sS -o /dev/null -w "%{http_code}" "$1" | grep -q 301' - "$U"
	t "nginx hides the build cache" sh -c 'curl -sS -o /dev/null -w "%{http_code}" "$1/.ardoise/history" | grep -q 404' - "$U"
	t "nginx does not serve the log" sh -c 'curl -sS -o /dev/null -w "%{http_code}" "$1/build.log" | grep -q 404' - "$U"
	post "$A" printemps "Le printemps"
	ci "$A"
	push "$A" origin main
	t "after a new push nginx serves the new content" sh -c 'curl -fsS "$1/" | grep -q "Le printemps"' - "$U"
	stop_nginx
	t "nginx stopped" sh -c '! curl -s -o /dev/null "$1/"' - "$U"
fi

t "no sanitizer report in hooks or builds" sh -c '! grep -q "Sanitizer\|runtime error:" "$1" "$2"' - "$WORK/pushes.out" "$SITE/build.log"
echo "# hooks.sh took $(($(date +%s) - T0)) s"
finish
