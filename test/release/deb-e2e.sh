#!/usr/bin/env bash
# The .deb on this machine, as root: lintian shows no error; `apt-get install ./diskpredict_*.deb` works and lays
# out what docs/deploy.md says (user, state dir, conffile, units enabled but not started, the mgr module in Ceph's
# directory); the daemon runs from the package's binary as its user; the real-Ceph end-to-end test
# (test/ceph-e2e/run.sh) passes with the module loaded from /usr/share/ceph/mgr and the daemon from /usr/bin;
# `apt-get purge` leaves nothing but the system user (kept, as Debian does). Always purges at the end.
#   bash test/release/deb-e2e.sh            (after `npm run package:deb`; prints "N passed, M failed" last)
# SKIP_CEPH=1 skips the Ceph part (then the Ceph packages are not installed either).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$ROOT/package.json")
ARCH=$(dpkg --print-architecture)
DEB=$ROOT/release/diskpredict_${VERSION}_${ARCH}.deb
started_at=$SECONDS
passed=0
failed=0
log() { printf '[%3ds] %s\n' $((SECONDS - started_at)) "$*"; }
pass() { passed=$((passed + 1)); log "PASS - $1"; }
fail() { failed=$((failed + 1)); log "FAIL - $1"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -o DPkg::Lock::Timeout=900 "$@"; }   # other work on this machine may hold the dpkg lock

[ "$(id -u)" = 0 ] || { echo "must run as root (installs and purges the package)"; exit 1; }
[ -f "$DEB" ] || { echo "no $DEB: run npm run package:deb first"; exit 1; }
if dpkg -s diskpredict >/dev/null 2>&1; then echo "diskpredict is already installed here; purge it first"; exit 1; fi

DAEMON_PID=''
T=$(mktemp -d /tmp/diskpredict-deb.XXXXXX)
finish() {
  local rc=$?
  [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null || true
  if dpkg -s diskpredict >/dev/null 2>&1; then apt_get purge -y -qq diskpredict >/dev/null 2>&1 || true; fi
  rm -rf "$T"
  ((rc == 0)) || failed=$((failed + 1))
  log "done in $((SECONDS - started_at))s"
  echo "$passed passed, $failed failed"
  exit $((failed > 0 ? 1 : 0))
}
trap finish EXIT

command -v lintian >/dev/null || { apt_get update -qq; apt_get install -y -qq --no-install-recommends lintian >/dev/null; }
lintian --show-overrides "$DEB" >"$T/lintian.txt" 2>&1 || true
sed 's/^/    /' "$T/lintian.txt"
check "lintian reports no error" bash -c '! grep -q "^E:" "$1"' _ "$T/lintian.txt"

if [ "${SKIP_CEPH:-0}" != 1 ] && ! command -v ceph-mgr >/dev/null; then
  log "installing Debian's ceph packages first (so the package install below is timed alone)"
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends ceph-mon ceph-mgr ceph-osd ceph-mgr-modules-core ceph-common >/dev/null
fi

t0=$SECONDS
check "apt-get install ./$(basename "$DEB")" apt_get install -y -qq --no-install-recommends "$DEB"
log "package installed in $((SECONDS - t0))s ($(du -k "$DEB" | cut -f1) KiB .deb)"

check "/usr/bin/diskpredict runs the bundled node with the native addon" \
  bash -c '/usr/bin/diskpredict --version | grep -q "native addon: on"'
check "system user diskpredict exists" id diskpredict
check "/var/lib/diskpredict belongs to diskpredict" test "$(stat -c %U "/var/lib/diskpredict")" = diskpredict
check "/etc/diskpredict/config.json is a conffile" bash -c 'dpkg-query -W -f="\${Conffiles}" diskpredict | grep -q /etc/diskpredict/config.json'
check "the mgr module is in Ceph's module directory" test -f /usr/share/ceph/mgr/diskprediction_local/daemon_client.py
check "the package provides ceph-mgr-diskprediction-local" \
  bash -c 'dpkg-query -W -f="\${Provides} \${Conflicts} \${Replaces}" diskpredict | grep -o ceph-mgr-diskprediction-local | wc -l | grep -qx 3'
check "diskpredict.socket is enabled" test -L /etc/systemd/system/sockets.target.wants/diskpredict.socket
check "diskpredict.service is enabled" test -L /etc/systemd/system/multi-user.target.wants/diskpredict.service
if [ -d /run/systemd/system ]; then
  log "systemd runs here: the socket may have been started"
else
  check "nothing was started (no systemd here)" bash -c '! pgrep -u diskpredict >/dev/null'
fi

# The unit's command line, as the unit's user, with the state in /var/lib/diskpredict.
mkdir -p "$T/run" && chown diskpredict "$T/run" && chmod 0755 "$T"
runuser -u diskpredict -- /usr/bin/diskpredict daemon --config /etc/diskpredict/config.json --socket "$T/run/s" \
  --db /var/lib/diskpredict/diskpredict.db 2>"$T/daemon.log" &
DAEMON_PID=$!
for _ in $(seq 100); do [ -S "$T/run/s" ] && break; sleep 0.1; done
check "the daemon runs as diskpredict and answers health" \
  bash -c '/usr/bin/diskpredict client health --socket "$1" | grep -q "\"ok\": true"' _ "$T/run/s"
check "its history is in /var/lib/diskpredict" test -f /var/lib/diskpredict/diskpredict.db
kill "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true; DAEMON_PID=''

if [ "${SKIP_CEPH:-0}" = 1 ]; then
  log "SKIP - real-Ceph end-to-end test (SKIP_CEPH=1)"
else
  log "real-Ceph end-to-end test against the installed package"
  if MGR_MODULE_PATH=/usr/share/ceph/mgr DAEMON_CMD="/usr/bin/diskpredict daemon --config /etc/diskpredict/config.json" \
    bash "$ROOT/test/ceph-e2e/run.sh" 2>&1 | tee "$T/e2e.log" | sed 's/^/    /'; then
    pass "test/ceph-e2e/run.sh with the installed module and daemon ($(tail -n 1 "$T/e2e.log"))"
  else
    fail "test/ceph-e2e/run.sh with the installed module and daemon ($(tail -n 1 "$T/e2e.log"))"
  fi
  enabled=$(sed -n 's/^\[ *\([0-9]*\)s\] configuring and enabling.*/\1/p' "$T/e2e.log")
  answered=$(sed -n 's/^\[ *\([0-9]*\)s\] predict-life-expectancy .* -> <2w$/\1/p' "$T/e2e.log" | head -n 1)
  [ -n "$enabled" ] && [ -n "$answered" ] && log "first prediction through Ceph: ${answered}s into run.sh, $((answered - enabled))s after enabling the module"
fi

t0=$SECONDS
check "apt-get purge diskpredict" apt_get purge -y -qq diskpredict
log "purged in $((SECONDS - t0))s"
for path in /usr/lib/diskpredict /usr/bin/diskpredict /etc/diskpredict /var/lib/diskpredict \
  /usr/share/ceph/mgr/diskprediction_local /lib/systemd/system/diskpredict.service /lib/systemd/system/diskpredict.socket \
  /etc/systemd/system/sockets.target.wants/diskpredict.socket /etc/systemd/system/multi-user.target.wants/diskpredict.service \
  /var/lib/systemd/deb-systemd-helper-enabled/diskpredict.socket.dsh-also /var/lib/systemd/deb-systemd-helper-enabled/diskpredict.service.dsh-also \
  /var/lib/systemd/deb-systemd-helper-masked/diskpredict.socket /var/lib/systemd/deb-systemd-helper-masked/diskpredict.service; do
  check "purge removed $path" test ! -e "$path" -a ! -L "$path"
done
check "dpkg forgot the package" bash -c '! dpkg -s diskpredict >/dev/null 2>&1'
id diskpredict >/dev/null 2>&1 && log "kept by policy: the system user diskpredict (remove with: deluser --system diskpredict)"
