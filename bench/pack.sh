#!/bin/sh
# USB package benchmark: the 10,000-post corpus with 300 KB media
# (mkcorpus.py --media-kb 300, cached in $BENCH_DIR), built with ardoise,
# then packed by `ardoise pack --usb` and by `zip -qr`, alternated twice,
# each to a new file. Prints seconds and peak memory, and the ratio.
# Usage: bench/pack.sh BUILD [POSTS]
set -eu
B=${1:-build}
N=${2:-10000}
ARDOISE=$(cd "$B" && pwd)/ardoise
TOP=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${ARDOISE_SHARED:-$TOP/../shared}
D=${BENCH_DIR:-/tmp/ardoise-bench}
C=$D/pack-corpus-$N
mkdir -p "$D"
command -v zip >/dev/null || { echo "bench/pack.sh: installing zip"; apt-get install -y -qq zip >/dev/null; }
if [ ! -f "$C.ok" ]; then
	echo "bench/pack.sh: making the corpus ($N posts, 300 KB media)..."
	rm -rf "$C"
	python3 "$SHARED/bench/mkcorpus.py" "$C" --posts "$N" --media-kb 300 >/dev/null
	touch "$C.ok"
fi
S=$D/pack-site-$N
"$ARDOISE" build --worktree -q "$C" -o "$S" 2>/dev/null || true
[ -f "$S/index.html" ] || { echo "bench/pack.sh: the build failed"; exit 1; }
W=$(mktemp -d "$D/pack-run.XXXXXX")
trap 'rm -rf "$W"' EXIT
echo "bench/pack.sh: waiting 35 s after the build's deletions (ext4 inode allocation)"
sleep 35
a="" z=""
for r in 1 2; do
	/usr/bin/time -f "%e %M" -o "$W/t" "$ARDOISE" pack "$S" --usb "$W/a$r.zip" >/dev/null 2>&1
	a="$a $(cat "$W/t")"
	(cd "$S" && /usr/bin/time -f "%e %M" -o "$W/t" zip -qr "$W/z$r.zip" . -x '.ardoise/*')
	z="$z $(cat "$W/t")"
done
python3 - "$a" "$z" "$(find "$S" -type f -not -path '*/.ardoise/*' | wc -l)" "$(du -sm "$S" | cut -f1)" <<'PY'
import sys, statistics
def runs(s):
    v = s.split(); return [float(x) for x in v[0::2]], [int(x) for x in v[1::2]]
at, am = runs(sys.argv[1]); zt, zm = runs(sys.argv[2])
print(f"USB PACKAGE ({sys.argv[3]} files, {sys.argv[4]} MB site, 300 KB media)")
print(f"  ardoise pack --usb   {statistics.median(at):7.2f} s  peak {max(am)//1024} MB   runs {' '.join(f'{x:.2f}' for x in at)}")
print(f"  zip -qr              {statistics.median(zt):7.2f} s  peak {max(zm)//1024} MB   runs {' '.join(f'{x:.2f}' for x in zt)}")
r = statistics.median(zt) / statistics.median(at)
print(f"  {'PASS' if r >= 2 else 'FAIL'}  at least 2x faster than zip -qr: {r:.1f}x")
PY
cmp -s "$W/a1.zip" "$W/a2.zip" && echo "  the two packages are byte-identical" || echo "  WARNING: the two packages differ"
