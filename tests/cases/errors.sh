# Every content error gets its own message at path:line:col, all of them are
# reported in one run, the exit status is 1, and nothing is written.
. "$TOP/tests/lib.sh"
R=$WORK/repo
newrepo "$R"

# has MSG-REGEX: the last run's stderr matches
has() { grep -Eq -- "$1" "$WORK/err"; }

cat >"$R/posts/2020-01-01-ok.md" <<'X'
---
title: "Bonne"
date: 2020-01-01
---
Un texte.
X
commitall "$R" "2020-01-01T10:00:00+01:00"

post() { cat >"$R/posts/$1"; }

# one file per error, then a single build
post 2020-01-02-yaml.md <<'X'
---
title: "Mauvais YAML
date: 2020-01-02
---
X
post 2020-01-03-notitle.md <<'X'
---
date: 2020-01-03
---
Pas de titre.
X
post 2020-01-04-tags.md <<'X'
---
title: "Tags"
tags: 3
---
X
printf -- '---\ntitle: "UTF-8"\n---\nOn \351crit mal.\n' >"$R/posts/2020-01-05-utf8.md"
printf 'GIF89a' >"$R/posts/photo.gif"
post 2020-01-06-date.md <<'X'
---
title: "Date"
date: 2020-02-31
---
X
post 2020-01-07-baddate.md <<'X'
---
title: "Date"
date: 31/02/2020
---
X
post 2020-01-08-alias.md <<'X'
---
title: &a "Alias"
author: *a
---
X
post 2020-01-09-media.md <<'X'
---
title: "Media"
---

Texte.

![une photo](../media/absente.jpg)
X
post 2020-01-10-link.md <<'X'
---
title: "Lien"
---
Voir [cet article](2020-01-99-nulle-part.md).
X
post 2020-01-11-visibility.md <<'X'
---
title: "Visibilité"
visibility: secret
---
X
post 2020-01-12-unclosed.md <<'X'
---
title: "Pas fermé"
X
post 2020-01-13-deep.md <<'X'
---
title: "Profond"
x: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
---
X
mkdir -p "$R/posts/a" "$R/posts/b"
printf -- '---\ntitle: "A"\n---\n' >"$R/posts/a/2020-01-14-double.md"
printf -- '---\ntitle: "B"\n---\n' >"$R/posts/b/2020-01-14-double.md"
post 2020-01-15-outside.md <<'X'
---
title: "Dehors"
---
![x](../../etc/passwd)
X
commitall "$R" "2020-02-01T10:00:00+01:00"

mkdir -p "$WORK/site"
echo keep >"$WORK/site/index.html"
mkdir -p "$WORK/site/.ardoise"
run build "$R" -o "$WORK/site"
t "exit status 1 on content errors" [ "$RC" -eq 1 ]
t "invalid YAML named at its line" has 'posts/2020-01-02-yaml.md:[2-5]:[0-9]+: error: '
t "missing title" has 'posts/2020-01-03-notitle.md:1:1: error: no title'
t "tags: 3 is a type error at its line:col" has 'posts/2020-01-04-tags.md:3:7: error: .*tags'
t "invalid UTF-8 at its line" has 'posts/2020-01-05-utf8.md:4:[0-9]+: error: invalid UTF-8'
t "a non-Markdown file in posts/" has 'posts/photo.gif: error: not a Markdown post'
t "a date that does not exist" has 'posts/2020-01-06-date.md:3:7: error: date "2020-02-31" does not exist'
t "a date in a wrong format" has 'posts/2020-01-07-baddate.md:3:7: error: date "31/02/2020" is not a date'
t "YAML aliases refused" has 'posts/2020-01-08-alias.md:3:[0-9]+: error: .*alias'
t "missing media file at its line" has 'posts/2020-01-09-media.md:7:1: error: media file "../media/absente.jpg" not found'
t "missing .md link target at its line" has 'posts/2020-01-10-link.md:4:[0-9]+: error: link to "2020-01-99-nulle-part.md", which does not exist'
t "bad visibility" has 'posts/2020-01-11-visibility.md:3:[0-9]+: error: .*visibility'
t "unclosed front matter" has 'posts/2020-01-12-unclosed.md:1:[0-9]+: error: '
t "nesting limit" has 'posts/2020-01-13-deep.md:3:[0-9]+: error: .*(nest|deep)'
t "duplicate slugs name both files" has 'posts/b/2020-01-14-double.md: error: same address "2020-01-14-double" as posts/a/2020-01-14-double.md'
t "a path leaving the repository" has 'posts/2020-01-15-outside.md:4:1: error: "../../etc/passwd" leads outside'
t "previous output untouched" [ "$(cat "$WORK/site/index.html")" = keep ]
t "no staging directory left" [ -z "$(ls -A "$WORK" | grep '\.tmp-')" ]
t "a summary line counts the errors" has '^ardoise: 1[0-9] error'

# check reports the same and writes nothing
run check "$R"
t "check: exit 1" [ "$RC" -eq 1 ]
t "check: same errors" has 'posts/2020-01-03-notitle.md:1:1: error: no title'

# a missing repository or ref is a usage error (2)
run build "$WORK/nulle-part" -o "$WORK/x"
t "not a repository: exit 2" [ "$RC" -eq 2 ]
t "not a repository: message" has 'not a git repository'
run build "$R" --ref no-such-branch -o "$WORK/x"
t "unknown ref: exit 2" [ "$RC" -eq 2 ]
t "unknown ref: message names it" has 'no-such-branch'
run build "$R" --audience everyone
t "bad --audience: exit 2" [ "$RC" -eq 2 ]

# a non-empty folder ardoise did not make is never replaced
mkdir -p "$WORK/mine"; echo "mon travail" >"$WORK/mine/lettre.txt"
git -C "$R" rm -rq posts && gitat "2020-03-01T10:00:00+01:00" -C "$R" commit -qm clean
mkdir -p "$R/posts"
printf -- '---\ntitle: "Bonne"\n---\nTexte.\n' >"$R/posts/2020-01-01-ok.md"
commitall "$R" "2020-03-02T10:00:00+01:00"
run build "$R" -o "$WORK/mine"
t "foreign folder refused" [ "$RC" -eq 3 ]
t "foreign folder intact" [ "$(cat "$WORK/mine/lettre.txt")" = "mon travail" ]
run build "$R" -o "$WORK/site"
t "a good build then succeeds" [ "$RC" -eq 0 ]
t "and replaces the old site" [ -f "$WORK/site/posts/ok.html" ]

# libxml2 is loaded when the feed is first written: one that cannot be
# loaded stops the build with the package to reinstall, the site as it was
mkdir -p "$WORK/badlib"
printf 'int ardoise_stand_in;\n' >"$WORK/badlib/x.c"
if cc -shared -fPIC -o "$WORK/badlib/libxml2.so.2" "$WORK/badlib/x.c" 2>"$WORK/err"; then
	before=$(cat "$WORK/site/index.html")
	printf -- '---\ntitle: "Nouvelle"\n---\nTexte.\n' >"$R/posts/2020-03-03-new.md"
	commitall "$R" "2020-03-03T10:00:00+01:00"
	LD_LIBRARY_PATH=$WORK/badlib
	export LD_LIBRARY_PATH
	run build "$R" -o "$WORK/site"
	unset LD_LIBRARY_PATH
	t "libxml2 unusable: exit 3" [ "$RC" -eq 3 ]
	t "libxml2 unusable: the package to reinstall" has 'cannot load libxml2.so.2 .*reinstall the libxml2 package'
	t "libxml2 unusable: the site as it was" [ "$(cat "$WORK/site/index.html")" = "$before" ]
	run build "$R" -o "$WORK/site"
	t "libxml2 back: the build publishes" [ "$RC" -eq 0 ]
	t "libxml2 back: with the new post" [ -f "$WORK/site/posts/new.html" ]
else
	fail "cc makes a stand-in library" "$(cat "$WORK/err")"
fi
finish
