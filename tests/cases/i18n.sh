#!/bin/sh
# Messages: every msgid of the sources translated in po/fr.po; French when
# the environment says French (the fr_FR.UTF-8 locale from ci/deps.sh, or
# only LANG with the locale missing), English otherwise.
. "$TOP/tests/lib.sh"
if command -v xgettext >/dev/null && command -v msgmerge >/dev/null; then
	xgettext -k_ -kN_ --from-code=UTF-8 -o "$WORK/ardoise.pot" "$TOP"/gen/*.c 2>/dev/null
	cp "$TOP/po/fr.po" "$WORK/fr.po"
	msgmerge -q --update --backup=none "$WORK/fr.po" "$WORK/ardoise.pot" 2>/dev/null
	un=$(msgattrib --untranslated "$WORK/fr.po"; msgattrib --only-fuzzy "$WORK/fr.po")
	[ -z "$un" ] && ok "every message of gen/*.c is translated in po/fr.po" ||
		fail "every message of gen/*.c is translated in po/fr.po (make pot, msgmerge, translate)" "$(echo "$un" | grep '^msgid' | head -20)"
	msgfmt --check -o /dev/null "$TOP/po/fr.po" && ok "po/fr.po passes msgfmt --check" || fail "po/fr.po passes msgfmt --check"
else
	fail "gettext tools are missing: run ci/deps.sh"
fi
R=$WORK/r
newrepo "$R"
printf -- '---\ntitle: "Oups"\ndate: 31/02/2020\n---\nTexte\n' >"$R/posts/2020-01-01-oups.md"
commitall "$R" "2026-03-16T10:00:00"
LANGUAGE=fr LC_ALL=fr_FR.UTF-8 run build "$R" -o "$WORK/o"
[ "$RC" -eq 1 ] && grep -q "la date « 31/02/2020 » n'existe pas : écrivez-la AAAA-MM-JJ" "$WORK/err" &&
	ok "LC_ALL=fr_FR.UTF-8: French messages" || fail "LC_ALL=fr_FR.UTF-8: French messages" "$(cat "$WORK/err")"
LC_ALL= LANGUAGE= LANG=fr_FR.UTF-8 run build "$R" -o "$WORK/o"
grep -q "n'existe pas" "$WORK/err" && grep -q "rien n'a été écrit" "$WORK/err" && ok "LANG=fr_FR.UTF-8: French messages" ||
	fail "LANG=fr_FR.UTF-8: French messages" "$(cat "$WORK/err")"
LC_ALL= LANGUAGE= LANG=fr_BE.UTF-8 run build "$R" -o "$WORK/o"
grep -q "n'existe pas" "$WORK/err" && ok "LANG=fr_BE.UTF-8 without that locale: still French" ||
	fail "LANG=fr_BE.UTF-8 without that locale: still French" "$(cat "$WORK/err")"
LANGUAGE= LC_ALL=C.UTF-8 run build "$R" -o "$WORK/o"
grep -q 'is not a date: write it YYYY-MM-DD' "$WORK/err" && ! grep -q "n'existe" "$WORK/err" &&
	ok "C.UTF-8: English messages" || fail "C.UTF-8: English messages" "$(cat "$WORK/err")"
LANGUAGE= LC_ALL= LANG=en_GB.UTF-8 run build "$R" -o "$WORK/o"
grep -q 'nothing was written' "$WORK/err" && ok "LANG=en_GB.UTF-8: English messages" || fail "LANG=en_GB.UTF-8: English messages" "$(cat "$WORK/err")"
LANGUAGE=fr LC_ALL=fr_FR.UTF-8 run --help
grep -q "crée un nouveau blog de classe" "$WORK/out" && ok "--help in French" || fail "--help in French" "$(head "$WORK/out")"
LANGUAGE= LC_ALL=C.UTF-8 run --version
grep -q '^ardoise [0-9]' "$WORK/out" && ok "--version" || fail "--version"
finish
