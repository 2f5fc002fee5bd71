#!/bin/sh
# make bench: ardoise against Hugo (enableGitInfo) and against the floor.
#
#   sh bench/run.sh [BUILD]      (BUILD: the build directory holding ardoise, default build)
#
# Environment:
#   BENCH_POSTS   corpus size for the comparison            (default 10000)
#   BENCH_RUNS    timed runs per tool, alternated            (default 3)
#   BENCH_CACHED_RUNS  rebuilds per kind (one post edited, nothing
#                 changed) and checks, at a tenth of a second each (default 7)
#   BENCH_GROWTH  sizes for the growth table, "" to skip     (default "1000 10000 50000")
#   BENCH_DIR     corpora, outputs and the last report       (default /tmp/ardoise-bench)
#   ARDOISE_SHARED  the shared/ directory with bench/mkcorpus.py (default ../shared)
#
# Corpora are made once by shared/bench/mkcorpus.py (--git --hugo) and kept in
# BENCH_DIR (regenerated when missing or when mkcorpus.py changes). Every timed
# run writes to a new, empty output directory; outputs are deleted only at the
# very end: on ext4, creating inodes is very slow for ~30 s after many files
# were deleted, so no deletion may precede a timed run. The report is printed
# and kept in BENCH_DIR/last-report.txt. Targets are reported, never enforced.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE=$ROOT/bench
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
ARDOISE=$BUILD/ardoise
SHARED=${ARDOISE_SHARED:-$ROOT/../shared}
MKCORPUS=$SHARED/bench/mkcorpus.py
BENCH_DIR=${BENCH_DIR:-/tmp/ardoise-bench}
POSTS=${BENCH_POSTS:-10000}
RUNS=${BENCH_RUNS:-3}
CRUNS=${BENCH_CACHED_RUNS:-7}
GROWTH=${BENCH_GROWTH-1000 10000 50000}
SETTLE=35            # seconds: ext4's recently-deleted inode window is ~30 s
CMARK_EXT="-e table -e strikethrough -e autolink -e tagfilter -e tasklist"

say() { printf '%s\n' "bench: $*"; }
die() { printf '%s\n' "bench: error: $*" >&2; exit 1; }

is_count() { case $1 in ''|*[!0-9]*) return 1 ;; 0*) return 1 ;; esac; }
is_count "$POSTS" || die "BENCH_POSTS must be a positive integer (got '$POSTS')"
is_count "$RUNS" || die "BENCH_RUNS must be a positive integer (got '$RUNS')"
is_count "$CRUNS" || die "BENCH_CACHED_RUNS must be a positive integer (got '$CRUNS')"
for n in $GROWTH; do is_count "$n" || die "BENCH_GROWTH must list positive integers (got '$n')"; done
[ -x "$ARDOISE" ] || die "$ARDOISE not found: run make first (make bench does)"
[ -f "$MKCORPUS" ] || die "$MKCORPUS not found: set ARDOISE_SHARED to the shared/ directory"
command -v python3 >/dev/null || die "python3 is needed"
case $BENCH_DIR in /*) ;; *) BENCH_DIR=$(pwd)/$BENCH_DIR ;; esac
case $BENCH_DIR/ in "$ROOT"/*) die "BENCH_DIR must be outside the repository ($BENCH_DIR)" ;; esac
mkdir -p "$BENCH_DIR"
exec 9>"$BENCH_DIR/.lock"
flock -n 9 || die "another bench is running on $BENCH_DIR"

# ---- Debian packages ----------------------------------------------------------------------
need_pkg() {   # PACKAGE: install it with apt-get unless dpkg says it is installed
    if dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; then
        return 0
    fi
    [ "$(id -u)" = 0 ] || die "Debian package $1 is missing and installing it needs root (apt-get install $1)"
    say "installing Debian package $1 (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q "$1" >"$BENCH_DIR/apt.log" 2>&1; then
        apt-get update -q >>"$BENCH_DIR/apt.log" 2>&1 || true
        apt-get install -y -q "$1" >>"$BENCH_DIR/apt.log" 2>&1 ||
            die "apt-get install $1 failed (see $BENCH_DIR/apt.log)"
    fi
}
need_pkg hugo
need_pkg cmark-gfm
need_pkg time
[ -x /usr/bin/time ] || die "/usr/bin/time missing after installing the time package"

# ---- housekeeping: deletions and the ext4 window -----------------------------------------
DELETED=$BENCH_DIR/.last-deletion
note_deletion() { date +%s >"$DELETED"; }
settle() {      # wait until SETTLE seconds have passed since the last large deletion
    [ -f "$DELETED" ] || return 0
    sync
    left=$(( $(cat "$DELETED") + SETTLE - $(date +%s) ))
    if [ "$left" -gt 0 ]; then
        say "pausing ${left} s after deleting files (ext4 is slow to create inodes for ~30 s after deletions)"
        sleep "$left"
    fi
}

GEN_PID=
RUN=$BENCH_DIR/runs
on_exit() {
    st=$?
    if [ -n "$GEN_PID" ]; then kill "$GEN_PID" 2>/dev/null || true; wait "$GEN_PID" 2>/dev/null || true; fi
    if [ "$st" -ne 0 ]; then
        say "failed (status $st); outputs and logs kept in $RUN (the next run removes them)" >&2
    fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- corpora (cached) ---------------------------------------------------------------------
GEN_STAMP=$(sha256sum "$MKCORPUS" | cut -c1-16)
corpus() {      # N [hugo]: make sure BENCH_DIR/corpus-N (and with hugo corpus-N-hugo) exist; sets C, CH
    C=$BENCH_DIR/corpus-$1
    CH=$C-hugo
    want=${2:-}
    if [ -f "$C.ok" ] && [ -d "$C/.git" ]; then
        case $(cat "$C.ok") in
            "$GEN_STAMP hugo") [ -d "$CH/.git" ] && return 0 ;;
            "$GEN_STAMP") [ -z "$want" ] && return 0 ;;
        esac
    fi
    if [ -e "$C" ] || [ -e "$CH" ] || [ -e "$C.tmp" ] || [ -e "$C.tmp-hugo" ]; then
        say "removing stale corpus $C (incomplete, without Hugo twin, or mkcorpus.py changed)"
        rm -rf "$C" "$CH" "$C.tmp" "$C.tmp-hugo" "$C.md" "$C.ok"
        note_deletion
    fi
    say "generating a corpus of $1 posts with git history${want:+ and its Hugo twin} (once; cached in $BENCH_DIR)"
    if [ "$1" -gt 20000 ]; then
        say "  (mkcorpus.py writes one commit per post over a flat posts/ tree, so its git history costs"
        say "   grow with the square of the size: 50,000 posts take well over 30 minutes, once)"
    fi
    t0=$(date +%s)
    python3 "$MKCORPUS" "$C.tmp" --posts "$1" --git ${want:+--hugo} &
    GEN_PID=$!
    k=0
    while kill -0 "$GEN_PID" 2>/dev/null; do
        sleep 1
        k=$((k + 1))
        [ $((k % 20)) -eq 0 ] && kill -0 "$GEN_PID" 2>/dev/null || continue
        np=$(ls "$C.tmp/posts" 2>/dev/null | wc -l)
        nh=$(ls "$C.tmp-hugo/content/posts" 2>/dev/null | wc -l)
        if [ "$nh" -gt 0 ]; then stage="hugo twin: $nh/$1 posts"
        elif [ "$np" -ge "$1" ]; then stage="git history (git fast-import; long for big corpora)"
        else stage="posts: $np/$1"; fi
        say "  ... $(( $(date +%s) - t0 )) s, $stage"
    done
    st=0; wait "$GEN_PID" || st=$?
    GEN_PID=
    [ "$st" -eq 0 ] || die "mkcorpus.py failed for $1 posts (status $st)"
    mv "$C.tmp" "$C"
    if [ -n "$want" ]; then mv "$C.tmp-hugo" "$CH"; fi
    echo "$GEN_STAMP${want:+ hugo}" >"$C.ok"
    say "  corpus of $1 posts ready in $(( $(date +%s) - t0 )) s"
}

# All corpora first, so that no generation (or stale-corpus deletion) precedes a timed run.
corpus "$POSTS" hugo
for n in $GROWTH; do [ "$n" -eq "$POSTS" ] || corpus "$n"; done
corpus "$POSTS" hugo
MAIN=$C
MAINH=$CH
if [ ! -s "$MAIN.md" ]; then    # every post's Markdown, concatenated, for the cmark-gfm floor
    find "$MAIN/posts" -name '*.md' | LC_ALL=C sort | xargs cat >"$MAIN.md.tmp"
    mv "$MAIN.md.tmp" "$MAIN.md"
fi

# ---- timed phase --------------------------------------------------------------------------
if [ -e "$RUN" ]; then
    say "removing the outputs of the previous run ($RUN)"
    rm -rf "$RUN"
    note_deletion
fi
mkdir -p "$RUN/logs"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
RES=$RUN/results.jsonl
: >"$RES"
export HUGO_CACHEDIR="$BENCH_DIR/hugo-cache"
mkdir -p "$HUGO_CACHEDIR"
settle

# Every timed run starts with nothing left to write back: ardoise syncs its
# output before publishing it (syncfs), and would otherwise also pay for
# the previous tool's dirty pages.
M() { python3 "$HERE/measure.py" "$@"; }
ardoise_run() {   # OUT LOGNAME TAGS... : one timed ardoise build (ARDOISE_TIMING=1)
    out=$1 log=$RUN/logs/$2.log; shift 2
    sync
    ARDOISE_TIMING=1 M run "$RES" "$log" "$@" type=run -- "$ARDOISE" build "$REPO" -o "$out" ||
        die "ardoise build failed (see $log)"
}
hugo_run() {      # OUT LOGNAME TAGS...
    out=$1 log=$RUN/logs/$2.log; shift 2
    sync
    M run "$RES" "$log" "$@" type=run -- hugo --quiet -s "$REPOH" -d "$out" ||
        die "hugo failed (see $log)"
}
floor_round() {   # PHASE ROUND ARDOISE_OUT: cmark-gfm, git log, cp -r, one after the other
    ph=$1; shift
    sync
    say "  floor: cmark-gfm over the Markdown"
    # shellcheck disable=SC2086
    M run "$RES" "$RUN/logs/cmark-$1.log" phase="$ph" tool=cmark round="$1" type=run -- \
        cmark-gfm $CMARK_EXT "$MAIN.md" || die "cmark-gfm failed"
    say "  floor: git log --name-only"
    M run "$RES" "$RUN/logs/gitlog-$1.log" phase="$ph" tool=gitlog round="$1" type=run -- \
        git -C "$MAIN" log --name-only --format=%H || die "git log failed"
    say "  floor: cp -r of ardoise's output tree (its .ardoise/ cache left out)"
    mkdir "$RUN/$ph-cp-$1"
    M run "$RES" "$RUN/logs/cp-$1.log" phase="$ph" tool=cp round="$1" type=run -- \
        find "$2" -mindepth 1 -maxdepth 1 ! -name .ardoise -exec cp -r -t "$RUN/$ph-cp-$1" -- {} + ||
        die "cp failed"
}

REPO=$MAIN REPOH=$MAINH
say "warm-up (untimed): ardoise, hugo, floor on $POSTS posts"
ardoise_run "$RUN/warm-ardoise" warm-ardoise phase=warm tool=ardoise
hugo_run "$RUN/warm-hugo" warm-hugo phase=warm tool=hugo
floor_round warm 0 "$RUN/warm-ardoise" >/dev/null
say "full builds, $RUNS rounds alternated: ardoise, hugo, floor"
i=1
while [ "$i" -le "$RUNS" ]; do
    say "round $i/$RUNS: ardoise build ($POSTS posts)"
    ardoise_run "$RUN/ardoise-$i" "ardoise-$i" phase=main tool=ardoise round="$i" size="$POSTS"
    say "round $i/$RUNS: hugo build"
    hugo_run "$RUN/hugo-$i" "hugo-$i" phase=main tool=hugo round="$i"
    floor_round floor "$i" "$RUN/ardoise-$i"
    i=$((i + 1))
done
say "counting files written"
M count "$RES" "$RUN/ardoise-1" phase=main tool=ardoise type=count
M count "$RES" "$RUN/hugo-1" phase=main tool=hugo type=count

for n in $GROWTH; do
    [ "$n" -eq "$POSTS" ] && continue      # measured above, same corpus and conditions
    corpus "$n"
    REPO=$C
    say "growth: $n posts, warm-up (untimed) then $RUNS runs"
    ardoise_run "$RUN/growth-$n-warm" "growth-$n-warm" phase=warm tool=ardoise size="$n"
    i=1
    while [ "$i" -le "$RUNS" ]; do
        say "growth: $n posts, run $i/$RUNS"
        ardoise_run "$RUN/growth-$n-$i" "growth-$n-$i" phase=growth tool=ardoise size="$n" round="$i"
        i=$((i + 1))
    done
done

# Last, as ardoise replacing a previous output deletes files (see the header).
say "cached: scratch clone of the $POSTS-post corpus, first build, one rebuild that makes the spare tree, then $CRUNS x (one new commit, rebuild into the same directory)"
REPO=$RUN/cached-repo
git clone -q --no-local "$MAIN" "$REPO"
SITE=$RUN/cached-site
ardoise_run "$SITE" cached-first phase=cached tool=ardoise step=first
POST=$(cd "$REPO" && git ls-files 'posts/*.md' | LC_ALL=C sort -r | while read -r f; do
           grep -q '^draft: true' "$f" || { echo "$f"; break; }; done)
[ -n "$POST" ] || die "no published post found in $REPO"
# The first rebuild after a first build also makes the spare tree (the site
# before last, hard links to every file): a server pays it once, at its
# second push. Timed and reported apart; the push-to-publish figures are
# those of the pushes after it.
i=0
while [ "$i" -le "$CRUNS" ]; do
    printf '\nMise à jour n°%s : merci aux parents pour leur aide.\n' "$i" >>"$REPO/$POST"
    when="$((1782900000 + i * 60)) +0200"
    GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when git -C "$REPO" \
        -c user.name="Mme Martin" -c user.email=martin@ecole.example commit -q -a -m "Correction $i"
    M snap "$SITE" "$RUN/cached-snap-$i.json"
    if [ "$i" -eq 0 ]; then
        say "cached: first rebuild after one new commit, making the spare tree (edits $POST)"
        ardoise_run "$SITE" "cached-spare" phase=cached tool=ardoise step=spare round=0
    else
        say "cached: rebuild $i/$CRUNS after one new commit (edits $POST)"
        ardoise_run "$SITE" "cached-rebuild-$i" phase=cached tool=ardoise step=rebuild round="$i"
        M changed "$RES" "$RUN/cached-snap-$i.json" "$SITE" phase=cached step=rebuild round="$i" type=changed
    fi
    i=$((i + 1))
done

say "cached: $CRUNS x rebuild with nothing changed, then $CRUNS x ardoise check (issue 5 targets)"
i=1
while [ "$i" -le "$CRUNS" ]; do
    ardoise_run "$SITE" "cached-same-$i" phase=cached tool=ardoise step=same round="$i"
    i=$((i + 1))
done
i=1
while [ "$i" -le "$CRUNS" ]; do
    sync
    M run "$RES" "$RUN/logs/check-$i.log" phase=cached tool=ardoise step=check round="$i" type=run -- \
        "$ARDOISE" check "$REPO" || die "ardoise check failed (see $RUN/logs/check-$i.log)"
    i=$((i + 1))
done

# ---- report -------------------------------------------------------------------------------
REPORT=$BENCH_DIR/last-report.txt
echo
python3 "$HERE/report.py" "$RES" "$REPORT" \
    posts="$POSTS" runs="$RUNS" cached_runs="$CRUNS" growth="$GROWTH" corpus="$MAIN" \
    date="$(date -u '+%Y-%m-%d %H:%M UTC')" \
    version="$("$ARDOISE" --version 2>/dev/null | head -1)" binary="$ARDOISE" \
    load="$LOAD_START -> $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" \
    commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- gen 2>/dev/null || echo '+local changes')" \
    commits="$(git -C "$MAIN" rev-list --count HEAD)" \
    hugo="$(hugo version 2>/dev/null | cut -d' ' -f1-2)" \
    cmark="$(cmark-gfm --version 2>/dev/null | head -1 | cut -d' ' -f1-2)" \
    md_mb="$(du -m "$MAIN.md" | cut -f1)" \
    cpus="$(nproc)" mem="$(free -g | awk '/^Mem:/ {print $2 " GB RAM"}')" kernel="Linux $(uname -r)" \
    fs="$(df -T "$BENCH_DIR" | awk 'NR == 2 {print $2}')"
echo
say "report kept in $REPORT"

say "removing this run's outputs ($RUN)"
rm -rf "$RUN"
note_deletion
