#!/usr/bin/env bash
# `make test-qgis344`: the README's test command on QGIS 3.44 LTR, in a Debian 13 (trixie) chroot
# with trixie-backports, built on first use and reused after (needs root and debootstrap).
#
#   scripts/chroot_test.sh [make target ...]     default target: test
#
# CHROOT (default /var/cache/landcover/trixie) is where the chroot lives; the working tree
# (tracked and untracked, not ignored, files) is copied into it fresh for every run, so
# uncommitted changes are tested too. Whatever the outcome, every mount made is undone.
#
# Before the targets, model files cross over (scripts/model_exchange.py): every kind of model
# written here must classify identically there, and the other way round.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CHROOT=${CHROOT:-/var/cache/landcover/trixie}
SUITE=trixie
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(test)

log() { printf '[chroot %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "scripts/chroot_test.sh needs root (debootstrap, chroot and mount)." >&2
	exit 2
fi

# The Debian mirror this machine's apt uses (deb822 sources first, then sources.list).
mirror() {
	local uri
	uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n 1)
	[ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n 1)
	echo "${uri:-http://deb.debian.org/debian}"
}

MOUNTED=()
cleanup() {
	local i
	for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
		umount -R "${MOUNTED[$i]}" 2>/dev/null || umount -lR "${MOUNTED[$i]}" 2>/dev/null || true
	done
}
trap cleanup EXIT

mount_into() { # type-or-bind source target
	mkdir -p "$3"
	if [ "$1" = bind ]; then
		mount --rbind "$2" "$3"
		mount --make-rslave "$3"
	else
		mount -t "$1" "$2" "$3"
	fi
	MOUNTED+=("$3")
}

MIRROR=$(mirror)
if [ ! -e "$CHROOT/.landcover-bootstrapped" ]; then
	command -v debootstrap >/dev/null || {
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
	}
	log "debootstrap $SUITE from $MIRROR into $CHROOT"
	rm -rf "$CHROOT"
	mkdir -p "$CHROOT"
	debootstrap --variant=minbase "$SUITE" "$CHROOT" "$MIRROR" >"$CHROOT.debootstrap.log" 2>&1 || {
		tail -n 30 "$CHROOT.debootstrap.log" >&2
		exit 1
	}
	touch "$CHROOT/.landcover-bootstrapped"
fi

# Sources and a pin that prefers trixie-backports wherever it has a package (QGIS 3.44 LTR), so
# that the plain `make setup` inside installs the backported QGIS.
cat >"$CHROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $MIRROR $SUITE-backports main
EOF
cat >"$CHROOT/etc/apt/preferences.d/backports" <<EOF
Package: *
Pin: release n=$SUITE-backports
Pin-Priority: 500
EOF
cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
cp /etc/ssl/certs/ca-certificates.crt "$CHROOT/etc/landcover-host-ca.crt" 2>/dev/null || true

mount_into proc proc "$CHROOT/proc"
mount_into bind /sys "$CHROOT/sys"
mount_into bind /dev "$CHROOT/dev"
mount_into tmpfs tmpfs "$CHROOT/tmp"

# The working tree, fresh for every run (a git checkout of it inside: make zip lists files with git).
WORK=/root/landcover
rm -rf "${CHROOT:?}$WORK"
mkdir -p "$CHROOT$WORK"
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - --no-recursion) |
	tar -xf - -C "$CHROOT$WORK"

EXCHANGE=/var/tmp/landcover-model-exchange
rm -rf "${CHROOT:?}$EXCHANGE"
log "models written on this machine"
make -C "$REPO" --no-print-directory setup >/dev/null
/usr/bin/python3 "$REPO/scripts/model_exchange.py" write "$CHROOT$EXCHANGE/host"

log "make ${TARGETS[*]} in $SUITE"
chroot "$CHROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
	LANG=C.UTF-8 CI="${CI:-}" DEBIAN_FRONTEND=noninteractive \
	bash -c "set -e
		command -v make >/dev/null && command -v git >/dev/null ||
			{ apt-get update -q && apt-get install -y -q --no-install-recommends make git ca-certificates; }
		cd $WORK
		git init -q && git add -A
		make --no-print-directory setup
		python3 scripts/model_exchange.py check $EXCHANGE/host
		python3 scripts/model_exchange.py write $EXCHANGE/chroot
		make ${TARGETS[*]}"

log "models written in $SUITE, read on this machine"
/usr/bin/python3 "$REPO/scripts/model_exchange.py" check "$CHROOT$EXCHANGE/chroot"
