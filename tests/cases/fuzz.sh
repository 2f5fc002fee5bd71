# The fuzzers' smoke run (`make fuzz` runs them for longer): each libFuzzer
# harness of tests/fuzz/ runs for a few seconds from the committed seeds,
# with ASan and UBSan; any crash fails. Run once, with the plain build.
. "$TOP/tests/lib.sh"
case "$ARDOISE" in
*/san/*) ok "fuzz smoke runs once, with the plain build"; finish; exit ;;
esac
B=$(dirname "$ARDOISE")/fuzz
if make -C "$TOP" -s BUILD="$B" CC=clang FUZZ=1 fuzzers >"$WORK/make.log" 2>&1; then
	ok "fuzzers build with clang and -fsanitize=fuzzer"
else
	fail "fuzzers build with clang and -fsanitize=fuzzer" "$(tail -20 "$WORK/make.log")"
	finish; exit
fi
sh "$TOP/tests/fuzz/run.sh" "$B" "${FUZZ_SMOKE_SECONDS:-10}" >"$WORK/fuzz.log" 2>&1
grep -E '^(ok|not ok) ' "$WORK/fuzz.log"
PASS=$((PASS + $(grep -c '^ok ' "$WORK/fuzz.log")))
FAIL=$((FAIL + $(grep -c '^not ok ' "$WORK/fuzz.log")))
finish
