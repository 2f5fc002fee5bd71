#!/bin/sh
# Installs the Debian packages ardoise needs to build and test, and only
# those missing. Safe to run again: it does nothing when all are present.
set -eu
PKGS="build-essential pkg-config git python3 libxml2-utils curl util-linux
libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev
libxml2-dev libarchive-dev libxxhash-dev
libvips-dev libheif-examples libimage-exiftool-perl imagemagick ffmpeg"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "ci/deps.sh: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
