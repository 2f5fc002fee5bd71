#!/bin/sh
# Runs every fuzzer of BUILD_DIR for SECONDS each, from the committed seeds,
# and reports executions, coverage and crashes. Exit 1 when one crashed.
# usage: tests/fuzz/run.sh BUILD_DIR SECONDS
set -u
B=$1 SECS=$2
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export ARDOISE_THEMES="$TOP/themes"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
pass=0 fail=0
for f in "$B"/fuzz_*; do
	[ -x "$f" ] || continue
	name=${f##*/fuzz_}
	work="$B/corpus/$name"
	mkdir -p "$work" "$B/crashes"
	log="$B/$name.log"
	# every crash found so far stays a regression test
	if [ -d "$TOP/tests/fuzz/regress/$name" ]; then
		if "$f" "$TOP/tests/fuzz/regress/$name"/* >"$log.regress" 2>&1; then
			echo "ok - fuzz $name: past crashes fixed ($(ls "$TOP/tests/fuzz/regress/$name" | wc -l))"
			pass=$((pass + 1))
		else
			echo "not ok - fuzz $name: a past crash is back (see $log.regress)"
			fail=$((fail + 1))
		fi
	fi
	"$f" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$B/crashes/$name-" "$work" "$TOP/tests/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	stats=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		echo "ok - fuzz $name: $stats"
		pass=$((pass + 1))
	else
		echo "not ok - fuzz $name (exit $rc): see $log and $B/crashes/"
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -n 5 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
