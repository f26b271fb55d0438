#!/usr/bin/env bash
# The end-to-end test of run.sh (checks in e2e-lib.sh) against another Debian suite's Ceph, in a throw-away chroot:
#   run-in-chroot.sh trixie     Ceph 18.2 (Reef)        run-in-chroot.sh sid     Ceph 20.2 (Tentacle)
# The chroot comes from chroot-image.sh's cached tarball (built on first use, ~1-2 min, cached outside the repo in
# $DISKPREDICT_CI_CACHE/chroots) and is unpacked afresh into a tmpfs under /var/tmp for each run, then unmounted. Ceph's daemons
# run inside it (chroot + env -i); the project's daemon runs on this host and binds its socket inside the chroot's
# cluster directory, where the module finds it. Ports are random, so it can run beside run.sh and another suite.
# Runs as root; mounts proc, sys, dev, a private devpts and shm under the chroot only, and unmounts them at the end.
# Knobs: as run.sh (MODULE_SRC, DAEMON_CMD, MODEL, KEEP, DISKPREDICT_SHARED), DISKPREDICT_CI_CACHE.
set -euo pipefail
case "${1:-}" in
  trixie | 18.2) SUITE=trixie ;;
  sid | 20.2) SUITE=sid ;;
  *) echo "usage: run-in-chroot.sh trixie|sid   (or 18.2|20.2)" >&2; exit 2 ;;
esac
IN=()
ROOTFS=''
HD=''
R=''
mounted=()
e2e_after_stop() {
  local i
  # Safety net: a process still rooted in our chroot was started here but missed by the PID list (a bug).
  local proc left=()
  if [ -n "$R" ]; then
    for proc in /proc/[0-9]*; do
      [ "$(readlink "$proc/root" 2>/dev/null)" = "$R" ] && left+=("${proc#/proc/}")
    done
  fi
  if ((${#left[@]})); then
    log "processes left in the chroot (stopping them): $(ps -o pid=,comm= -p "$(IFS=,; echo "${left[*]}")" | tr '\n' ' ')"
    for proc in "${left[@]}"; do stop_pid "$proc"; done
  fi
  if [ "${KEEP:-0}" = 1 ] && [ -n "$R" ]; then
    log "kept the chroot $R (a tmpfs; unmount it when done)"
    return 0
  fi
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || log "cannot unmount ${mounted[i]}"
  done
  mounted=()
  [ -n "$R" ] && [ -d "$R" ] || return 0
  if findmnt -rno TARGET | grep -q "^$R"; then
    log "left $R in place: something is still mounted there"
  else
    rmdir "$R"
  fi
}
source "$(dirname "$0")/e2e-lib.sh"

[ "$(id -u)" = 0 ] || { echo "must run as root (chroot, mounts, ceph daemons)"; exit 1; }
e2e_skip_without_data
e2e_build_daemon

image=$(bash "$E2E_HERE/chroot-image.sh" "$SUITE" 2>>"${TMPDIR:-/tmp}/diskpredict-chroot-image.log" | tail -n 1) || {
  log "cannot build the $SUITE chroot: $(tail -n 5 "${TMPDIR:-/tmp}/diskpredict-chroot-image.log")"; exit 1; }
R=$(mktemp -d "/var/tmp/diskpredict-chroot-$SUITE.XXXXXX")
# A tmpfs (about 0.8 GB used): unpacking is quicker and the teardown is one umount (rm -rf took 30 s on disk).
mount -t tmpfs -o size=2g,mode=0755 "diskpredict-$SUITE" "$R" && mounted+=("$R")
t=$SECONDS
zstd -q -dc "$image" | tar -C "$R" -x
log "unpacked $image into $R in $((SECONDS - t))s"
mount -t proc proc "$R/proc" && mounted+=("$R/proc")
mount -t sysfs sysfs "$R/sys" && mounted+=("$R/sys")
mount --bind /dev "$R/dev" && mounted+=("$R/dev")   # not recursive: a private devpts and shm follow
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$R/dev/pts" && mounted+=("$R/dev/pts")
mount -t tmpfs -o mode=1777,size=256m shm "$R/dev/shm" && mounted+=("$R/dev/shm")

# env -i: no host variable leaks in (a pyenv python3 on PATH, CEPH_* settings); UTC, as devicehealth's
# legacy import reads the omap keys as local time.
IN=(chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root TZ=UTC)
ROOTFS=$R
D=/cluster
HD=$R/cluster
e2e_main
