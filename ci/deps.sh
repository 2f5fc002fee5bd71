#!/bin/sh
# Installs the Debian packages ardoise needs to build and test, and only
# those missing. Safe to run again: it does nothing when all are present.
set -eu
PKGS="build-essential pkg-config git python3 libxml2-utils curl util-linux
clang libclang-rt-14-dev valgrind zip unzip
libmicrohttpd-dev gettext locales tmux
libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev
libxml2-dev libarchive-dev libxxhash-dev nettle-dev zlib1g-dev libdeflate-dev
libvips-dev libheif-examples libimage-exiftool-perl imagemagick ffmpeg"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ -n "$missing" ]; then
	echo "ci/deps.sh: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# tests/cases/i18n.sh runs the French catalogue for real: it needs the
# fr_FR.UTF-8 locale (made once; localedef is idempotent anyway)
if ! locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\{0,1\}8'; then
	echo "ci/deps.sh: generating the fr_FR.UTF-8 locale"
	$SUDO localedef -i fr_FR -f UTF-8 fr_FR.UTF-8
fi
