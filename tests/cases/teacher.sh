#!/bin/sh
# ardoise init / new for teachers, and the progress bar of long builds.
. "$TOP/tests/lib.sh"
cd "$WORK" || exit 3

# init: a new class repository with its first commit by the given author
run init classe --title "CM2 A" --school "École Jules Verne" --author "Mme Durand" </dev/null
[ "$RC" -eq 0 ] && ok "init succeeds" || fail "init succeeds" "$(cat "$WORK/err")"
grep -q 'title: "CM2 A"' classe/ardoise.yml && grep -q 'school: "École Jules Verne"' classe/ardoise.yml &&
	ok "init writes ardoise.yml" || fail "init writes ardoise.yml" "$(cat classe/ardoise.yml)"
[ -f classe/posts/2026-07-01-comment-ecrire-un-article.md ] && [ -f classe/cahiers/notre-cahier/cahier.yml ] &&
	[ -f classe/.gitignore ] && ok "init writes a first post, a notebook, .gitignore" ||
	fail "init writes a first post, a notebook, .gitignore" "$(find classe -path '*/.git' -prune -o -print)"
grep -q 'ardoise new post' classe/posts/*.md && ok "the first post explains how to write one" ||
	fail "the first post explains how to write one"
[ "$(git -C classe log --format=%an)" = "Mme Durand" ] && [ -z "$(git -C classe status --porcelain)" ] &&
	ok "init makes one clean first commit by the author" || fail "init makes one clean first commit by the author" "$(git -C classe log; git -C classe status)"
grep -q 'cd classe' "$WORK/out" && ok "init says what to do next" || fail "init says what to do next" "$(cat "$WORK/out")"
before=$(git -C classe rev-parse HEAD)
run init classe --title X </dev/null
[ "$RC" -eq 1 ] && grep -q 'already exists' "$WORK/err" && [ "$(git -C classe rev-parse HEAD)" = "$before" ] &&
	grep -q 'CM2 A' classe/ardoise.yml && ok "init never touches an existing repository" ||
	fail "init never touches an existing repository" "rc $RC $(cat "$WORK/err")"
mkdir vide
run init vide </dev/null
[ "$RC" -eq 0 ] && grep -q 'title: "Le blog de la classe"' vide/ardoise.yml && ok "init accepts an empty folder, with defaults off a terminal" ||
	fail "init accepts an empty folder, with defaults off a terminal" "$(cat "$WORK/err")"
run init
[ "$RC" -eq 2 ] && ok "init without DIR is a usage error" || fail "init without DIR is a usage error"
run init --help
[ "$RC" -eq 0 ] && grep -q 'usage: ardoise init' "$WORK/out" && ok "init --help" || fail "init --help"

# new: files named from the title, dated today, never reused
cd classe || exit 3
run new post "Sortie au musée d'Amiens"
f=posts/2026-07-01-sortie-au-musee-d-amiens.md
[ "$RC" -eq 0 ] && [ -f "$f" ] && grep -q "^$f\$" "$WORK/out" && ok "new post: ASCII slug without accents, today's date" ||
	fail "new post: ASCII slug without accents, today's date" "$(cat "$WORK/out" "$WORK/err"; ls posts)"
grep -q '^title: "Sortie au musée d'"'"'Amiens"$' "$f" && grep -q '^date: 2026-07-01$' "$f" && ok "new post: front matter" ||
	fail "new post: front matter" "$(cat "$f")"
run new post "Sortie au musée d'Amiens"
[ "$RC" -eq 0 ] && [ -f posts/2026-07-01-sortie-au-musee-d-amiens-2.md ] && ok "new post: a second post of the same title gets -2" ||
	fail "new post: a second post of the same title gets -2" "$(ls posts)"
run new post 'Le "grand" jour'
grep -q '^title: "Le \\"grand\\" jour"$' posts/2026-07-01-le-grand-jour.md && ok "new post: quotes escaped in YAML" ||
	fail "new post: quotes escaped in YAML" "$(cat posts/*grand*)"
run new cahier "Nos plantations"
[ "$RC" -eq 0 ] && grep -q 'title: "Nos plantations"' cahiers/nos-plantations/cahier.yml && [ -f cahiers/nos-plantations/01-premiere-page.md ] &&
	ok "new cahier: a notebook folder with a first page" || fail "new cahier: a notebook folder with a first page" "$(cat "$WORK/err")"
run new page "À propos"
[ "$RC" -eq 0 ] && grep -q 'title: "À propos"' pages/a-propos.md && ok "new page" || fail "new page" "$(cat "$WORK/err")"
run new poeme "X"
[ "$RC" -eq 2 ] && grep -q 'post, cahier or page' "$WORK/err" && ok "new: unknown kind says which exist" || fail "new: unknown kind says which exist"
run new post "!!!"
[ "$RC" -eq 2 ] && ok "new: a title without letters is refused" || fail "new: a title without letters is refused"
run build --worktree -o "$WORK/site" -q
[ "$RC" -eq 0 ] && [ -f "$WORK/site/posts/sortie-au-musee-d-amiens.html" ] && [ -f "$WORK/site/cahiers/nos-plantations/index.html" ] &&
	ok "the scaffolded blog builds" || fail "the scaffolded blog builds" "$(cat "$WORK/err")"
cd "$WORK" || exit 3
run new post "Hors dépôt"
[ "$RC" -eq 2 ] && grep -q 'ardoise init' "$WORK/err" && ok "new outside a class blog says where to go" || fail "new outside a class blog says where to go"

# progress: on a terminal (a pty from script(1)) only, never with -q
for i in $(seq 1 40); do printf -- '---\ntitle: "Article %s"\ndate: 2026-01-%02d\n---\nTexte.\n' "$i" $((i % 28 + 1)) >classe/posts/2026-01-01-a$i.md; done
if command -v script >/dev/null; then
	script -qec "'$ARDOISE' build '$WORK/classe' --worktree -o '$WORK/p1' --force" /dev/null >"$WORK/tty" 2>&1
	grep -q 'building.*files' "$WORK/tty" && grep -q "$(printf '\r')" "$WORK/tty" && ok "progress bar on a terminal" ||
		fail "progress bar on a terminal" "$(od -c "$WORK/tty" | head)"
	NO_COLOR=1 script -qec "'$ARDOISE' build '$WORK/classe' --worktree -o '$WORK/p1' --force" /dev/null >"$WORK/tty" 2>&1
	grep -q '#' "$WORK/tty" && ! grep -q "$(printf '\033')\[7m" "$WORK/tty" && ok "NO_COLOR: a plain bar" ||
		fail "NO_COLOR: a plain bar" "$(od -c "$WORK/tty" | head)"
	script -qec "'$ARDOISE' build '$WORK/classe' --worktree -o '$WORK/p1' --force --quiet" /dev/null >"$WORK/tty" 2>&1
	! grep -q 'files' "$WORK/tty" && ok "--quiet: no progress on a terminal" || fail "--quiet: no progress on a terminal" "$(cat "$WORK/tty")"
else
	fail "script(1) is missing: install util-linux"
fi
run build "$WORK/classe" --worktree -o "$WORK/p2"
[ "$RC" -eq 0 ] && [ ! -s "$WORK/err" ] && ok "no progress when stderr is not a terminal" || fail "no progress when stderr is not a terminal" "$(cat "$WORK/err")"
finish
