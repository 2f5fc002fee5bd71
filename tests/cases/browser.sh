# The example site in a real browser (Debian's Chromium, through
# playwright-core): axe-core WCAG 2.1 A/AA (no serious or critical
# violation), no console error, no failed or external request, no
# horizontal scroll at 375x667 and 1280x800 (tests/browser/check.js); and
# html-validate over every page, zero errors (tests/browser/validate.js).
# ci/browser.sh installs what is missing (network needed the first time
# only). The browser part runs with the plain build only: the sanitizer
# build's output is the same site (example.sh checks builds are identical).
. "$TOP/tests/lib.sh"
B=$TOP/tests/browser
t0=$(date +%s)

# Processes whose command line holds $WORK (the browser's profile is made
# under $WORK/tmp): printed, and killed by pid when $1 is "kill".
ours() {
	for f in /proc/[0-9]*/cmdline; do
		p=${f#/proc/}; p=${p%/cmdline}
		[ "$p" = "$$" ] && continue
		c=$(tr '\0' ' ' 2>/dev/null <"$f") || continue
		case $c in *"$WORK/tmp"*)
			echo "$p $(printf '%s' "$c" | cut -c1-100)"
			[ "${1:-}" = kill ] && kill -9 "$p" 2>/dev/null ;;
		esac
	done
	return 0
}
trap 'ours kill >/dev/null; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# pass_through NAME LOG RC: shows a checker's lines and adds its counts
pass_through() {
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$2" | tail -n 1)
	grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$2"
	if [ -z "$line" ]; then
		fail "$1 gives a result line (exit $3)" "$(tail -n 30 "$2")"
		return 0
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
	[ "$3" -eq 0 ] || [ "$f" -gt 0 ] || fail "$1 exited $3 with no failure"
	[ "$3" -ne 0 ] || [ "$f" -eq 0 ] || fail "$1 exited 0 with $f failures"
	return 0
}

sh "$TOP/tests/mkexample.sh" "$WORK/repo" >/dev/null 2>&1
run build "$WORK/repo" -o "$WORK/site"
t "example builds" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || { finish; exit; }
case $ARDOISE in
*/san/*)
	ok "browser stage runs with the plain build only"
	finish
	exit
	;;
esac

if sh "$TOP/ci/browser.sh" >"$WORK/install" 2>&1; then
	ok "ci/browser.sh: chromium, node and the npm packages are installed"
else
	fail "ci/browser.sh: chromium, node and the npm packages are installed" "$(tail -n 30 "$WORK/install")"
	finish
	exit
fi
t1=$(date +%s)

mkdir -p "$WORK/tmp" "$WORK/home"
# node with a private HOME and TMPDIR: Chromium's profile and caches stay in $WORK
js() { TMPDIR=$WORK/tmp HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home XDG_CACHE_HOME=$WORK/home \
	node "$@"; }

# The checkers first run on tests/browser/selftest/, a site with planted
# faults: a checker that passes everything must not pass.
S=$B/selftest
before=$FAIL
rc=0; js "$B/check.js" "$S" >"$WORK/self" 2>&1 || rc=$?
t "check.js fails on the planted faults" [ "$rc" -eq 1 ]
for want in 'index.html axe' 'index.html no console error' \
	'index.html no failed or external request' 'index.html no horizontal scroll at 375x667' \
	'index.html no horizontal scroll at 1280x800' 'cahiers/demo/p1.html no console error' \
	'cahiers/demo/p1.html no failed or external request'; do
	t "check.js finds: $want" grep -q "^not ok - $want" "$WORK/self"
done
t "check.js opens a notebook's cover, first page and print page" \
	grep -q '^# 5 pages checked: index.html posts/a.html cahiers/demo/index.html cahiers/demo/p1.html cahiers/demo/imprimer.html$' "$WORK/self"
t "check.js passes clean pages" grep -q '^ok - cahiers/demo/imprimer.html axe' "$WORK/self"
[ "$FAIL" -eq "$before" ] || sed 's/^/    self-test: /' "$WORK/self"
rc=0; js "$B/validate.js" "$S" >"$WORK/self" 2>&1 || rc=$?
t "validate.js fails on the planted errors" [ "$rc" -eq 1 ]
t "validate.js finds them" grep -q '^not ok - index.html html-validate (2 errors)' "$WORK/self"
t "validate.js passes clean pages" grep -q '^ok - posts/a.html html-validate' "$WORK/self"

# The example site.
t2=$(date +%s)
rc=0; js "$B/check.js" "$WORK/site" >"$WORK/check" 2>&1 || rc=$?
pass_through check.js "$WORK/check" "$rc"
t3=$(date +%s)
rc=0; js "$B/validate.js" "$WORK/site" >"$WORK/valid" 2>&1 || rc=$?
pass_through validate.js "$WORK/valid" "$rc"
# The search box: typed on the home page, submitted, the expected post
# first on search.html ("ecole" finds "École"; the class-only post is
# not in the public index), and the time of a search.
rc=0; js "$B/search.js" "$WORK/site" --bench 'ecole=posts/carnaval.html' 'Écoutez=posts/chorale.html' \
	'potager=posts/potager.html' 'la chromato=cahiers/experiences-sciences/02-la-chromatographie.html' \
	'ÉCRINS=-' >"$WORK/search" 2>&1 || rc=$?
pass_through search.js "$WORK/search" "$rc"
t4=$(date +%s)

# The USB package, unzipped as a family would: every internal link of the
# home page, a post and a notebook loads cleanly from file://, and the
# search box finds the expected post first.
run pack "$WORK/site" --usb "$WORK/site.zip"
t "the USB package is made" [ "$RC" -eq 0 ]
rm -rf "$WORK/usb" && mkdir -p "$WORK/usb"
t "the USB package unzips" unzip -q "$WORK/site.zip" -d "$WORK/usb"
t "the package opens at index.html, with LISEZ-MOI.html" [ -f "$WORK/usb/index.html" ] && [ -f "$WORK/usb/LISEZ-MOI.html" ]
rc=0; js "$B/links.js" "$WORK/usb" index.html posts/potager.html \
	cahiers/cahier-de-vie-ms/index.html LISEZ-MOI.html >"$WORK/links" 2>&1 || rc=$?
pass_through links.js "$WORK/links" "$rc"
rc=0; js "$B/search.js" "$WORK/usb" 'ecole=posts/carnaval.html' 'potager=posts/potager.html' >"$WORK/usbsearch" 2>&1 || rc=$?
pass_through "search.js (USB)" "$WORK/usbsearch" "$rc"
t5=$(date +%s)

left=$(ours kill)
t "no browser process left" [ -z "$left" ]
[ -z "$left" ] || echo "$left" | sed 's/^/    killed: /'
echo "# times: install check $((t1 - t0))s (with the build), self-test $((t2 - t1))s," \
	"browser $((t3 - t2))s, html-validate $((t4 - t3))s, total $(($(date +%s) - t0))s"
finish
