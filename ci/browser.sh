#!/bin/sh
# Installs what the browser stage (tests/cases/browser.sh) needs, and only
# what is missing: Debian's chromium and a font, Node.js and npm, then the
# npm packages of tests/browser/ at the versions of its package-lock.json.
# Safe to run again: when everything is there it does nothing and needs no
# network, so the stage runs offline after the first install.
# Works as root (CI, a fresh Debian 12) or through sudo.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$here/tests/browser

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

# Debian packages. chromium is run from /usr/bin/chromium (Playwright never
# downloads a browser); axe's colour-contrast rule needs real glyphs.
PKGS="chromium fonts-dejavu-core"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
missing=""
for p in $PKGS; do
	case $p in nodejs | npm) missing="$missing $p"; continue ;; esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "ci/browser.sh: installing Debian packages:$missing" >&2
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi
[ -x /usr/bin/chromium ] || { echo "ci/browser.sh: no /usr/bin/chromium" >&2; exit 1; }

# html-validate 9 needs Node >= 18.19 (Debian 12 has 18.19.0).
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>18||(a===18&&b>=19)?0:1)'; then
	echo "ci/browser.sh: Node $(node --version) is too old (18.19 or newer needed)" >&2
	exit 1
fi

# npm packages: `npm ci` when node_modules/ does not match the lock file
# (a stamp holds the lock file's hash). playwright-core installs no browser;
# the variable keeps it so whatever the version.
stamp=$dir/node_modules/.ardoise-lock
want=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	echo "ci/browser.sh: npm ci in tests/browser/" >&2
	(cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts \
		--no-audit --no-fund --prefer-offline --loglevel=error >&2)
	echo "$want" >"$stamp"
fi
