#!/bin/sh
# Regenerates the golden output of content-example/ (tests/regress/example).
# Review the diff before committing it.
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/ardoise-regress.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1782864000
sh "$TOP/tests/mkexample.sh" "$tmp/repo" >/dev/null
"$TOP/$BUILD/ardoise" build "$tmp/repo" -o "$tmp/site"
rm -rf "$TOP/tests/regress/example"
cp -R "$tmp/site" "$TOP/tests/regress/example"
rm -rf "$TOP/tests/regress/example/.ardoise"
echo "tests/regress/example regenerated"
