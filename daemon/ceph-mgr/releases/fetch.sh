#!/usr/bin/env bash
# Downloads Debian's ceph-mgr, ceph-mgr-modules-core and the pure-Python python3-ceph-common and
# python3-ceph-argparse (which mgr_module.py imports) of each suite and unpacks them, so the release harness
# (test_ceph_releases.py) can load our module with that release's own mgr framework (mgr_module.py & co).
# bookworm = Ceph 16.2, trixie = 18.2, sid = 20.2. Each suite gets a PRIVATE apt configuration (its own sources
# list, state and cache under the cache dir): the host's apt sources are never read, changed or upgraded, and
# nothing is installed. Already-unpacked suites are reused; the .debs stay in the cache between runs.
# Usage: fetch.sh [SUITE...]   Cache: $DISKPREDICT_CI_CACHE/ceph-mgr (default /var/cache/diskpredict-ci).
# Exit 0 when every suite is unpacked; 2 when some could not be downloaded (the harness then skips them).
set -uo pipefail
CACHE=${DISKPREDICT_CI_CACHE:-/var/cache/diskpredict-ci}/ceph-mgr
MIRROR=${MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ $# -gt 0 ] || set -- bookworm trixie sid
missing=0
for suite in "$@"; do
  dir="$CACHE/$suite"
  if [ -f "$dir/root/.unpacked" ]; then echo "$suite: cached ($(cat "$dir/root/.unpacked"))"; continue; fi
  mkdir -p "$dir/apt/etc/sources.list.d" "$dir/apt/etc/preferences.d" "$dir/apt/state/lists/partial" \
    "$dir/apt/cache/archives/partial" "$dir/debs"
  : >"$dir/apt/state/status"
  printf 'deb [signed-by=%s] %s %s main\n' "$KEYRING" "$MIRROR" "$suite" >"$dir/apt/etc/sources.list"
  apt=(apt-get -q -o "Dir::Etc::SourceList=$dir/apt/etc/sources.list" -o "Dir::Etc::SourceParts=$dir/apt/etc/sources.list.d"
    -o "Dir::Etc::Preferences=$dir/apt/etc/preferences" -o "Dir::Etc::PreferencesParts=$dir/apt/etc/preferences.d"
    -o "Dir::State=$dir/apt/state" -o "Dir::State::status=$dir/apt/state/status" -o "Dir::Cache=$dir/apt/cache"
    -o Acquire::Check-Valid-Until=false -o Debug::NoLocking=1)
  # sid's Release on a frozen mirror has expired (Check-Valid-Until=false); signatures are still verified.
  if ! "${apt[@]}" update >"$dir/apt-update.log" 2>&1; then
    echo "$suite: apt-get update failed (see $dir/apt-update.log)"; missing=$((missing + 1)); continue
  fi
  if ! (cd "$dir/debs" && rm -f ./*.deb && "${apt[@]}" download ceph-mgr ceph-mgr-modules-core python3-ceph-common python3-ceph-argparse >"$dir/apt-download.log" 2>&1); then
    echo "$suite: apt-get download failed (see $dir/apt-download.log)"; missing=$((missing + 1)); continue
  fi
  rm -rf "$dir/root" && mkdir -p "$dir/root"
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  version=$(dpkg-deb -f "$dir"/debs/ceph-mgr_*.deb Version)
  echo "$version" >"$dir/root/.unpacked"
  rm -rf "$dir/apt/state/lists"   # the indexes are big; the .debs and the unpacked tree are what is reused
  echo "$suite: ceph-mgr $version unpacked in $dir/root"
done
((missing == 0)) || exit 2
