#!/bin/sh
# Installs what tests/cases/pack.sh needs beyond ci/deps.sh: epubcheck
# (with a Java runtime), zip tools. Does nothing when all are present.
set -eu
PKGS="epubcheck default-jre-headless unzip"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
command -v apt-get >/dev/null || exit 1
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
