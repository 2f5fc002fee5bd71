# The source is git, not the working tree: a bare clone at a ref, branch,
# tag, commit id; --worktree reads uncommitted files instead.
. "$TOP/tests/lib.sh"
R=$WORK/repo
newrepo "$R"
printf -- '---\ntitle: "Version un"\ndate: 2020-01-01\n---\nPremière version.\n' >"$R/posts/2020-01-01-a.md"
commitall "$R" "2020-01-01T10:00:00+01:00"
git -C "$R" tag v1
first=$(git -C "$R" rev-parse HEAD)
printf -- '---\ntitle: "Version deux"\ndate: 2020-01-01\n---\nDeuxième version.\n' >"$R/posts/2020-01-01-a.md"
commitall "$R" "2020-01-02T10:00:00+01:00"
git clone -q --bare "$R" "$WORK/bare.git"
# the working tree now holds something else, uncommitted
printf -- '---\ntitle: "Pas commité"\ndate: 2020-01-01\n---\nBrouillon local.\n' >"$R/posts/2020-01-01-a.md"

run build "$WORK/bare.git" -o "$WORK/o1"
t "bare repository at HEAD" grep -q 'Version deux' "$WORK/o1/posts/a.html"
run build "$WORK/bare.git" --ref v1 -o "$WORK/o2"
t "bare repository at a tag" grep -q 'Version un' "$WORK/o2/posts/a.html"
run build "$WORK/bare.git" --ref "$first" -o "$WORK/o3"
t "at a commit id" grep -q 'Version un' "$WORK/o3/posts/a.html"
run build "$WORK/bare.git" --ref 'main~1' -o "$WORK/o4"
t "at a revspec" grep -q 'Version un' "$WORK/o4/posts/a.html"
run build "$R" -o "$WORK/o5"
t "non-bare repository: the commit wins over the working tree" grep -q 'Version deux' "$WORK/o5/posts/a.html"
run build "$R" --worktree -o "$WORK/o6"
t "--worktree reads uncommitted work" grep -q 'Pas commité' "$WORK/o6/posts/a.html"
t "bare repo is left untouched (no checkout)" [ ! -e "$WORK/bare.git/posts" ]

# the history cache in the output: a rebuild after new commits gives the
# same site as a build from scratch
run build "$R" -o "$WORK/inc"
printf -- '---\ntitle: "Un autre"\n---\nNouveau.\n' >"$R/posts/2020-02-01-b.md"
GIT_AUTHOR_NAME="Emma" commitall "$R" "2020-02-01T10:00:00+01:00"
git -C "$R" checkout -q -- . 2>/dev/null
run build "$R" -o "$WORK/inc"
t "rebuild with the history cache succeeds" [ "$RC" -eq 0 ]
t "history cache written" [ -s "$WORK/inc/.ardoise/history" ]
run build "$R" -o "$WORK/fresh"
t "cached rebuild equals a fresh build" diff -r -x .ardoise "$WORK/inc" "$WORK/fresh"
t "author from git through the cache" grep -q 'Emma' "$WORK/inc/posts/b.html"
printf 'garbage' >"$WORK/inc/.ardoise/history"
run build "$R" -o "$WORK/inc"
t "a corrupt cache is not trusted" diff -r -x .ardoise "$WORK/inc" "$WORK/fresh"
# libgit2 parses no bundle of certificate authorities when it starts
# (gen/nocerts.c): the dynamic loader binds its reference to ardoise's own
# definition, which loads nothing
LD_DEBUG=bindings "$ARDOISE" --version >/dev/null 2>"$WORK/bindings"
t "libgit2's certificate loading bound to ardoise's, which loads nothing" \
    grep -q "libgit2[^ ]* .*to [^ ]*ardoise .*mbedtls_x509_crt_parse_file" "$WORK/bindings"
finish
