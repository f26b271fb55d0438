#!/usr/bin/env bash
# Builds (once) and caches a Debian SUITE chroot with Ceph's mon, mgr, osd and CLI for run-in-chroot.sh, as a
# zstd tarball outside the repo: $DISKPREDICT_CI_CACHE/chroots/SUITE.tar.zst (default /var/cache/diskpredict-ci).
# debootstrap --variant=minbase, then apt inside the chroot; no service starts (policy-rc.d) and nothing of the
# host's apt configuration is touched. Prints the tarball's path last. Runs as root.
# Usage: chroot-image.sh SUITE        (trixie = Ceph 18.2, sid = Ceph 20.2)
set -euo pipefail
SUITE=${1:?usage: chroot-image.sh SUITE}
CACHE=${DISKPREDICT_CI_CACHE:-/var/cache/diskpredict-ci}
IMAGE="$CACHE/chroots/$SUITE.tar.zst"
# The mirror this machine's apt already uses.
MIRROR=${MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
if [ -s "$IMAGE" ] && [ "${REBUILD:-0}" != 1 ]; then echo "$IMAGE"; exit 0; fi
[ "$(id -u)" = 0 ] || { echo "must run as root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}
command -v zstd >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zstd >/dev/null
}
mkdir -p "$CACHE/chroots"
R=$(mktemp -d "$CACHE/chroots/.build-$SUITE.XXXXXX")
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true; done
  if ! findmnt -rno TARGET | grep -q "^$R"; then rm -rf --one-file-system "$R"; fi
}
trap cleanup EXIT
t0=$SECONDS
echo "debootstrap $SUITE from $MIRROR into $R" >&2
debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR" >"$R.debootstrap.log" 2>&1 \
  || { tail -n 20 "$R.debootstrap.log" >&2; rm -f "$R.debootstrap.log"; exit 1; }
rm -f "$R.debootstrap.log"
echo "debootstrap took $((SECONDS - t0))s" >&2
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
chmod +x "$R/usr/sbin/policy-rc.d"
mount -t proc proc "$R/proc" && mounted+=("$R/proc")
t1=$SECONDS
# sid's Release on a frozen mirror has expired; the signature is still checked.
chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get -qq -o Acquire::Check-Valid-Until=false update &&
         apt-get install -y -qq --no-install-recommends ceph-mon ceph-mgr ceph-osd ceph-common python3 >/dev/null &&
         apt-get clean && rm -rf /var/lib/apt/lists/*'
echo "ceph install took $((SECONDS - t1))s: $(chroot "$R" ceph --version)" >&2
umount "$R/proc"; mounted=()
tar -C "$R" --numeric-owner -cf - . | zstd -q -3 -T0 -o "$IMAGE.tmp"
mv "$IMAGE.tmp" "$IMAGE"
echo "cached $IMAGE ($(du -h "$IMAGE" | cut -f1)) after $((SECONDS - t0))s" >&2
echo "$IMAGE"
