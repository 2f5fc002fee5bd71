#!/bin/sh
# Installs Debian's nginx-light when no nginx is there (the hooks test
# serves a published site with it). Safe to run again: does nothing when
# nginx is installed. Does not start or enable the system service.
set -eu
command -v nginx >/dev/null 2>&1 && exit 0
[ -x /usr/sbin/nginx ] && exit 0
echo "ci/nginx.sh: installing nginx-light"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the package must not start the system nginx on port 80
# (we run our own on a loopback port); removed again afterwards.
rcd=/usr/sbin/policy-rc.d
made_rcd=false
if [ ! -e "$rcd" ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$rcd" >/dev/null
	$SUDO chmod 755 "$rcd"
	made_rcd=true
fi
status=0
$SUDO apt-get update -qq || status=$?
[ "$status" -eq 0 ] && { $SUDO apt-get install -y -qq --no-install-recommends nginx-light >/dev/null || status=$?; }
$made_rcd && $SUDO rm -f "$rcd"
exit "$status"
