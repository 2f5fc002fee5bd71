# Crash safety: ardoise killed with SIGKILL at random points of a build
# leaves the previous site intact and complete (or the new one whole),
# nothing temporary in the published tree, and the next build succeeds.
# A full disk gives a clear error and leaves the previous site intact.
. "$TOP/tests/lib.sh"
SHARED=${ARDOISE_SHARED:-$TOP/../shared}
python3 "$SHARED/bench/mkcorpus.py" "$WORK/c" --posts 300 --git >/dev/null 2>&1
run build "$WORK/c" -o "$WORK/site"
t "first build" [ "$RC" -eq 0 ]
cp -a "$WORK/site" "$WORK/old"
printf 'title: "Un autre titre"\nlanguage: fr\n' >"$WORK/c/ardoise.yml"
commitall "$WORK/c" "2026-06-30T10:00:00+02:00" "titre"
run build "$WORK/c" -o "$WORK/new" --force
t "reference build of the new commit" [ "$RC" -eq 0 ]

same() { diff -rq -x .ardoise "$1" "$2" >/dev/null 2>&1; }
runs=50 intact=0 newer=0 broken=""
i=0
while [ $i -lt $runs ]; do
	i=$((i + 1))
	delay=$(awk -v s="$i" 'BEGIN { srand(s); printf "%.3f", rand() * 0.8 }')
	"$ARDOISE" build "$WORK/c" -o "$WORK/site" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if same "$WORK/site" "$WORK/old"; then
		intact=$((intact + 1))
	elif same "$WORK/site" "$WORK/new"; then
		newer=$((newer + 1))
		rm -rf "$WORK/site" && cp -a "$WORK/old" "$WORK/site"
	else
		broken="$broken $i(${delay}s)"
		rm -rf "$WORK/site" && cp -a "$WORK/old" "$WORK/site"
	fi
	if find "$WORK/site" -name '*.tmp*' | grep -q .; then
		broken="$broken tmp@$i"
	fi
done
t "$runs kills: the site is always the old one or the new one, whole ($intact old, $newer new)" [ -z "$broken" ]
t "kills landed before the end of the build in most runs" [ "$intact" -gt 0 ]
run build "$WORK/c" -o "$WORK/site"
t "the next build succeeds" [ "$RC" -eq 0 ]
t "and gives the new site" same "$WORK/site" "$WORK/new"
t "no staging directory left next to the site" [ -z "$(ls -A "$WORK" | grep '^\.site\.tmp-')" ]

# the same for packing: the package is the old one or the new one, whole
run pack "$WORK/old" --usb "$WORK/site.zip"
t "pack of the old site" [ "$RC" -eq 0 ]
cp "$WORK/site.zip" "$WORK/old.zip"
run pack "$WORK/new" --usb "$WORK/new.zip"
t "pack of the new site" [ "$RC" -eq 0 ]
i=0 broken="" pold=0 pnew=0
while [ $i -lt $runs ]; do
	i=$((i + 1))
	delay=$(awk -v s="$i" 'BEGIN { srand(s + 100); printf "%.3f", rand() * 0.3 }')
	"$ARDOISE" pack "$WORK/new" --usb "$WORK/site.zip" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if cmp -s "$WORK/site.zip" "$WORK/old.zip"; then
		pold=$((pold + 1))
	elif cmp -s "$WORK/site.zip" "$WORK/new.zip"; then
		pnew=$((pnew + 1))
		cp "$WORK/old.zip" "$WORK/site.zip"
	else
		broken="$broken $i(${delay}s)"
		cp "$WORK/old.zip" "$WORK/site.zip"
	fi
done
t "$runs kills of a pack: the package is always the old one or the new one ($pold old, $pnew new)" [ -z "$broken" ]
run pack "$WORK/new" --usb "$WORK/site.zip"
t "the next pack succeeds" [ "$RC" -eq 0 ] && cmp -s "$WORK/site.zip" "$WORK/new.zip"

# a full disk: a small tmpfs holding one site but not two
mnt=$WORK/petit
mkdir -p "$mnt"
size=$(du -sk "$WORK/old" | cut -f1)
if mount -t tmpfs -o size=$((size * 3 / 2))k tmpfs "$mnt" 2>"$WORK/mount.err"; then
	trap 'umount "$mnt" 2>/dev/null; rm -rf "$WORK"' EXIT
	cp -a "$WORK/old" "$mnt/site"
	run build "$WORK/c" -o "$mnt/site" --force
	t "full disk: exit 3" [ "$RC" -eq 3 ]
	t "full disk: a clear message" grep -q 'No space left on device' "$WORK/err"
	t "full disk: the previous site is intact" same "$mnt/site" "$WORK/old"
	t "full disk: no staging left" [ -z "$(ls -A "$mnt" | grep '\.tmp-')" ]
	umount "$mnt"
else
	fail "full disk test needs to mount a tmpfs (root)" "$(cat "$WORK/mount.err")"
fi
finish
