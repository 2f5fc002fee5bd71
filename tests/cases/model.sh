# The model: drafts, future posts, class-only posts and audiences, dates and
# authors from git, slugs, tags, unknown keys, symlinks and submodules.
. "$TOP/tests/lib.sh"
R=$WORK/repo
newrepo "$R"
cat >"$R/posts/2020-03-16-potager.md" <<'X'
---
title: "Le potager"
date: 2020-03-16 10:30
tags: [jardin, Sciences]
materiel:
  - {nom: loupe, quantite: 12}
---
Nous avons planté des radis. Voir [la suite](2020-04-01-suite.md).
X
cat >"$R/posts/2020-04-01-suite.md" <<'X'
---
title: "La suite"
tags: [sciences]
---
Les radis ont poussé.
X
commitall "$R" "2020-03-20T09:00:00+01:00" "potager"
GIT_AUTHOR_NAME="Lucas" gitat "2020-04-02T08:15:00+02:00" -C "$R" commit -q --allow-empty -m vide
cat >"$R/posts/2020-05-01-brouillon.md" <<'X'
---
title: "Brouillon"
draft: true
---
X
cat >"$R/posts/2099-01-01-futur.md" <<'X'
---
title: "Futur"
date: 2099-01-01
---
X
cat >"$R/posts/2020-05-02-classe.md" <<'X'
---
title: "Pour les familles"
date: 2020-05-02
visibility: class
---
Photos de la classe ![photo](../media/classe.png)
X
mkdir -p "$R/media"; cp "$TOP/content-example/media/potager.png" "$R/media/classe.png"
printf 'x' >"$R/media/inutile.png"
ln -s /etc/passwd "$R/posts/lien.md"
GIT_AUTHOR_NAME="Emma" commitall "$R" "2020-05-03T09:00:00+02:00" "more"
# the first post, edited later by someone else: updated moves, date does not
printf '\nMise à jour.\n' >>"$R/posts/2020-04-01-suite.md"
GIT_AUTHOR_NAME="Emma" commitall "$R" "2020-06-10T18:00:00+02:00" "edit"

run build "$R" -o "$WORK/pub"
t "public build succeeds" [ "$RC" -eq 0 ]
t "symlink named in a warning" grep -q 'posts/lien.md.*symbolic link' "$WORK/err"
t "post page written with the short slug" [ -f "$WORK/pub/posts/potager.html" ]
t "draft left out" [ ! -e "$WORK/pub/posts/brouillon.html" ]
t "future post left out" [ ! -e "$WORK/pub/posts/futur.html" ]
t "class-only post left out of the public build" [ ! -e "$WORK/pub/posts/classe.html" ]
t "its media not published either" [ ! -e "$WORK/pub/media/classe.png" ]
t "unreferenced media not published" [ ! -e "$WORK/pub/media/inutile.png" ]
t "class-only post absent from the feed" sh -c "! grep -q 'Pour les familles' '$WORK/pub/feed.xml'"
t "link to a post's .md rewritten to its page" grep -q 'href="suite.html"' "$WORK/pub/posts/potager.html"
t "date from front matter" grep -q 'datetime="2020-03-16T10:30:00"' "$WORK/pub/posts/potager.html"
t "date from the first commit when missing" grep -q 'datetime="2020-03-20T09:00:00+01:00"' "$WORK/pub/posts/suite.html"
t "French human date" grep -q '16 mars 2020' "$WORK/pub/posts/potager.html"
t "author from the first commit" grep -q 'Mme Martin' "$WORK/pub/posts/suite.html"
t "updated from the last commit" grep -q '2020-06-10T18:00:00+02:00' "$WORK/pub/posts/suite.html"
t "tags merged by slug (Sciences, sciences)" [ -f "$WORK/pub/tags/sciences.html" ]
t "tag page lists both posts" sh -c "grep -c 'posts/\(potager\|suite\).html' '$WORK/pub/tags/sciences.html' | grep -qv '^0$' && grep -q potager '$WORK/pub/tags/sciences.html' && grep -q suite '$WORK/pub/tags/sciences.html'"
t "monthly archive" [ -f "$WORK/pub/archives/2020-03.html" ]
t "archives index" [ -f "$WORK/pub/archives/index.html" ]
t "accessibility page" [ -f "$WORK/pub/accessibilite.html" ]
t "no sitemap without base_url" [ ! -e "$WORK/pub/sitemap.xml" ]

run build "$R" --audience class -o "$WORK/cls"
t "class build succeeds" [ "$RC" -eq 0 ]
t "class-only post included with --audience class" [ -f "$WORK/cls/posts/classe.html" ]
t "with its media" [ -f "$WORK/cls/media/classe.png" ]
t "class-only post still absent from the feed" sh -c "! grep -q 'Pour les familles' '$WORK/cls/feed.xml'"

# unknown keys reach templates as params (a theme override shows them)
mkdir -p "$R/theme/templates"
cp "$TOP/themes/default/templates/post.mustache" "$R/theme/templates/post.mustache"
sed -i 's|{{{content}}}|{{{content}}}<p id="mat">{{#params.materiel}}{{nom}}={{quantite}};{{/params.materiel}}</p>|' "$R/theme/templates/post.mustache"
commitall "$R" "2020-06-11T10:00:00+02:00" "theme"
run build "$R" -o "$WORK/pub"
t "theme override used and unknown nested keys kept" grep -q '<p id="mat">loupe=12;</p>' "$WORK/pub/posts/potager.html"

# base_url gives a sitemap with absolute URLs
printf 'title: "Test"\nbase_url: "https://cm2.example/blog"\n' >"$R/ardoise.yml"
commitall "$R" "2020-06-12T10:00:00+02:00" "url"
run build "$R" -o "$WORK/pub"
t "sitemap with base_url" grep -q '<loc>https://cm2.example/blog/posts/potager.html</loc>' "$WORK/pub/sitemap.xml"
t "feed self link" grep -q 'href="https://cm2.example/blog/feed.xml"' "$WORK/pub/feed.xml"
t "feed and sitemap are well-formed XML" xmllint --noout "$WORK/pub/feed.xml" "$WORK/pub/sitemap.xml"

# same short slug in two places: the full file names are used
mkdir -p "$R/posts/2021"
printf -- '---\ntitle: "Autre potager"\ndate: 2021-03-16\n---\nx\n' >"$R/posts/2021/2021-03-16-potager.md"
commitall "$R" "2021-03-17T10:00:00+01:00" "slug"
run build "$R" -o "$WORK/pub"
t "clashing short slugs fall back to full names" [ -f "$WORK/pub/posts/2021-03-16-potager.html" ] && [ -f "$WORK/pub/posts/2020-03-16-potager.html" ]
finish
