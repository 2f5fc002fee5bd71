# Shared helpers of the integration tests (tests/cases/*.sh), sourced.
# Each case prints "ok - ..." / "not ok - ..." lines and ends with
# "N passed, N failed" (finish); tests/run.sh adds them up.
# $ARDOISE is the binary under test; $TOP the repository root.
set -u
PASS=0
FAIL=0
export TZ=UTC LC_ALL=C.UTF-8
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Mme Martin" GIT_AUTHOR_EMAIL=martin@ecole.example
export GIT_COMMITTER_NAME="Mme Martin" GIT_COMMITTER_EMAIL=martin@ecole.example
export SOURCE_DATE_EPOCH=1782864000	# 2026-07-01: posts after it are "future"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99

WORK=$(mktemp -d /tmp/ardoise-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

ok() { echo "ok - $1"; PASS=$((PASS + 1)); }
fail() { echo "not ok - $1"; FAIL=$((FAIL + 1)); [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/    /' | head -40; return 0; }
# t DESC CMD...: passes when CMD succeeds
t() { desc=$1; shift; if out=$("$@" 2>&1); then ok "$desc"; else fail "$desc" "$out"; fi; }
# tnot DESC CMD...: passes when CMD fails
tnot() { desc=$1; shift; if out=$("$@" 2>&1); then fail "$desc" "$out"; else ok "$desc"; fi; }
finish() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; }

# Runs ardoise, saving stderr in $WORK/err and the exit status in $RC.
# A sanitizer report (exit 99) is always a failure of its own.
run() {
	RC=0
	"$ARDOISE" "$@" >"$WORK/out" 2>"$WORK/err" || RC=$?
	if [ "$RC" -eq 99 ] || grep -q 'Sanitizer\|runtime error:' "$WORK/err"; then
		fail "sanitizer clean: ardoise $*" "$(cat "$WORK/err")"
	fi
	return 0
}

# git with fixed dates: gitat DATE args...
gitat() { d=$1; shift; GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" git -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }

# newrepo DIR: an empty class repository with an ardoise.yml
newrepo() {
	rm -rf "$1"; mkdir -p "$1/posts"
	git -c init.defaultBranch=main init -q "$1"
	printf 'title: "Test"\nlanguage: fr\nauthor: "Mme Martin"\n' >"$1/ardoise.yml"
}
# commitall DIR DATE [MSG]
commitall() { git -C "$1" add -A && gitat "$2" -C "$1" commit -qm "${3:-commit}"; }
