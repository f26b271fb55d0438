#!/usr/bin/env bash
# End-to-end test of daemon/ceph-mgr/diskprediction_local on a real, throw-away Ceph cluster (this host's Debian
# packages, 16.2 on bookworm): mon + mgr + memstore OSD on 127.0.0.1 in a temp dir, cephx off, our module beside
# the stock ones, two disks registered through a librados service daemon, 12 days of real Backblaze SMART rows
# injected for devicehealth, and the project's daemon answering. The checks are in e2e-lib.sh, shared with
# run-in-chroot.sh (other Ceph releases). Runs as root; installs the packages if missing.
# Kills only the PIDs it started, removes its temp dir (KEEP=1 keeps it), and prints "N passed, M failed" last.
# Knobs: MODULE_SRC, DAEMON_CMD, MODEL, KEEP, DISKPREDICT_SHARED (see e2e-lib.sh).
set -euo pipefail
IN=()
ROOTFS=''
HD=''
source "$(dirname "$0")/e2e-lib.sh"

[ "$(id -u)" = 0 ] || { echo "must run as root (installs packages, runs ceph daemons)"; exit 1; }
e2e_skip_without_data

if ! command -v ceph-mgr >/dev/null || ! command -v ceph-osd >/dev/null || ! command -v ceph-mon >/dev/null \
  || ! command -v ceph >/dev/null || [ ! -d /usr/share/ceph/mgr/devicehealth ]; then
  log "installing Debian's ceph packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ceph-mon ceph-mgr ceph-osd ceph-mgr-modules-core ceph-common >/dev/null
fi
e2e_build_daemon

D=$(mktemp -d /tmp/diskpredict-ceph-e2e.XXXXXX)
HD=$D
e2e_main
