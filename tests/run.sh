#!/bin/sh
# The test runner: unit tests, then every integration case, with the plain
# build and the ASan/UBSan build. Last line: "N passed, N failed".
# usage: tests/run.sh BUILD_DIR [SAN_BUILD_DIR]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
export TOP
cd "$TOP" || exit 3
pass=0
fail=0
log=$(mktemp /tmp/ardoise-run.XXXXXX)

# add_counts NAME STATUS LOGFILE: adds the last "N passed, N failed" line
add_counts() {
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$3" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok - $1 (no result line, exit $2)"
		tail -n 30 "$3" | sed 's/^/    /'
		fail=$((fail + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $1 exited $2"
		tail -n 30 "$3" | sed 's/^/    /'
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	grep '^not ok' "$3" >/dev/null && { grep -A12 '^not ok' "$3" | head -n 80; }
	echo "$1: $p passed, $f failed"
}

for b in "$@"; do
	case "$b" in *san*) variant=asan ;; *) variant=plain ;; esac
	for u in "$b"/tests/test_*; do
		case "$u" in *.o|*.d) continue ;; esac
		[ -x "$u" ] || continue
		ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			"$u" >"$log" 2>&1
		add_counts "$variant unit $(basename "$u")" $? "$log"
	done
	for c in tests/cases/*.sh; do
		case "$b" in /*) bin=$b/ardoise ;; *) bin=$TOP/$b/ardoise ;; esac
		ARDOISE="$bin" sh "$c" >"$log" 2>&1
		add_counts "$variant $(basename "$c" .sh)" $? "$log"
	done
done
rm -f "$log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
