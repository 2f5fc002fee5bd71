#!/bin/sh
# `make valgrind`: the golden build of content-example/ (build, rebuild,
# check, and a build of the same repository packed) under valgrind
# memcheck: zero errors and zero leaks required.
# usage: tests/valgrind.sh BUILD_DIR
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$1
case "$B" in /*) ;; *) B=$TOP/$B ;; esac
WORK=$(mktemp -d /tmp/ardoise-vg.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TZ=UTC LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1782864000
sh "$TOP/tests/mkexample.sh" "$WORK/repo" >/dev/null 2>&1
pass=0 fail=0
vg() {
	desc=$1; shift
	if valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect "$B/ardoise" "$@" >"$WORK/out" 2>"$WORK/vg"; then
		echo "ok - valgrind: $desc"; pass=$((pass + 1))
	else
		echo "not ok - valgrind: $desc"; sed 's/^/    /' "$WORK/vg" | head -40; fail=$((fail + 1))
	fi
}
vg "build of the example" build "$WORK/repo" -o "$WORK/site"
if diff -r -x .ardoise "$TOP/tests/regress/example" "$WORK/site" >/dev/null; then
	echo "ok - valgrind build matches the golden output"; pass=$((pass + 1))
else
	echo "not ok - valgrind build matches the golden output"; fail=$((fail + 1))
fi
vg "incremental rebuild" build "$WORK/repo" -o "$WORK/site"
vg "single-threaded build" build -j 1 "$WORK/repo" -o "$WORK/one" --force
vg "check" check "$WORK/repo"
# the same repository packed: trees, commits and posts then come through
# gitpack (pack reader, delta cache), not libgit2
cp -R "$WORK/repo" "$WORK/packed" && git -C "$WORK/packed" gc -q
vg "build of the packed example" build "$WORK/packed" -o "$WORK/psite"
if diff -r -x .ardoise "$TOP/tests/regress/example" "$WORK/psite" >/dev/null; then
	echo "ok - valgrind build of the packed example matches the golden output"; pass=$((pass + 1))
else
	echo "not ok - valgrind build of the packed example matches the golden output"; fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
