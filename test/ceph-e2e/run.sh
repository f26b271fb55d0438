#!/usr/bin/env bash
# End-to-end test of daemon/ceph-mgr/diskprediction_local on a real, throw-away Ceph cluster (Debian's 16.2
# packages): mon + mgr + memstore OSD on 127.0.0.1 in a temp dir, cephx off, our module beside the stock ones,
# two disks registered through a librados service daemon, 12 days of real Backblaze SMART rows injected into
# device_health_metrics, and the project's daemon answering. Runs as root; installs the packages if missing.
# Kills only the PIDs it started, removes its temp dir (KEEP=1 keeps it), and prints "N passed, M failed" last.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/test/ceph-e2e"
SHARED=${DISKPREDICT_SHARED:-$ROOT/../shared}
BACKBLAZE="$SHARED/data/backblaze/bb_2018-01-01_2018-09-30_ST4000DM000_allfailed_plus_healthy15pct__disk-failure-prediction.csv.gz"
# Z300K1Z7 failed on 2018-07-xx with reallocated sectors 0 -> 22784 and pending 16 -> 41944 in its last 12 days;
# Z302SQKG ran all of 2018-01..09 without a reallocated or pending sector.
FAILING_SERIAL=Z300K1Z7
HEALTHY_SERIAL=Z302SQKG
FAILDEV=ST4000DM000_$FAILING_SERIAL
GOODDEV=ST4000DM000_$HEALTHY_SERIAL
# The daemon's model; the test expects our shipped default. MODEL=rules runs it with the rule scorer instead.
MODEL=${MODEL:-default}
# Knobs for testing an installed package (test/release/deb-e2e.sh): MGR_MODULE_PATH=/usr/share/ceph/mgr loads every
# module, ours included, from that directory as installed (default: a temp dir of links to the stock modules plus a
# copy of ours); DAEMON_CMD is the daemon command, given --socket, --db and --model after it (default: this tree's).
MGR_MODULE_PATH=${MGR_MODULE_PATH:-}
DAEMON_CMD=${DAEMON_CMD:-node $ROOT/dist/lib/cli/main.js daemon}
PY=/usr/bin/python3             # the one with Debian's rados binding (a pyenv python3 may come first in PATH)
started_at=$SECONDS
passed=0
failed=0
pids=()                          # every PID started here, in start order
D=''

exec 3>&1 4>&2                   # the real stdout/stderr, for messages from inside redirected checks
log() { printf '[%3ds] %s\n' $((SECONDS - started_at)) "$*" >&3; }
pass() { passed=$((passed + 1)); log "PASS - $1"; }
fail() { failed=$((failed + 1)); log "FAIL - $1"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

teardown() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM   # `timeout` signals the whole group again: finish cleaning up regardless
  exec 1>&3 2>&4     # an exit from inside a check whose output went to /dev/null
  if ((rc != 0)) && [ -n "$D" ]; then
    log "aborted (rc=$rc); log tails:"
    for f in "$D"/log/*.log "$D"/log/*.out "$D"/daemon.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }; done
  fi
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do [ -n "${pids[i]}" ] && stop_pid "${pids[i]}"; done
  if [ -n "$D" ]; then
    if [ "${KEEP:-0}" = 1 ]; then log "kept $D"; else rm -rf "$D"; fi
  fi
  ((rc == 0 && failed == 0)) || { ((failed > 0)) || failed=1; }
  log "done in $((SECONDS - started_at))s"
  echo "$passed passed, $failed failed"
  exit $((failed > 0 ? 1 : 0))
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stop_pid() {
  local pid=$1 n
  kill -0 "$pid" 2>/dev/null || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for ((n = 0; n < 300; n++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# wait_for SECONDS DESCRIPTION COMMAND... : retry until the command succeeds.
wait_for() {
  local limit=$1 what=$2; shift 2
  local until=$((SECONDS + limit))
  while ((SECONDS < until)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "timed out after ${limit}s waiting for $what"
  return 1
}

[ "$(id -u)" = 0 ] || { echo "must run as root (installs packages, runs ceph daemons)"; exit 1; }

if [ ! -f "$BACKBLAZE" ]; then
  log "SKIP - $BACKBLAZE not found: the e2e test needs the shared SMART data beside the project"
  trap - EXIT
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi

if ! command -v ceph-mgr >/dev/null || ! command -v ceph-osd >/dev/null || ! command -v ceph-mon >/dev/null \
  || ! command -v ceph >/dev/null || [ ! -d /usr/share/ceph/mgr/devicehealth ]; then
  log "installing Debian's ceph packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ceph-mon ceph-mgr ceph-osd ceph-mgr-modules-core ceph-common >/dev/null
fi
log "ceph $(ceph --version | awk '{print $3}')"

if [ ! -f "$ROOT/dist/lib/cli/main.js" ] && [[ $DAEMON_CMD == *"$ROOT/dist/"* ]]; then
  log "building the daemon (npx tsc)"
  (cd "$ROOT" && npx tsc -p tsconfig.json)
fi

D=$(mktemp -d /tmp/diskpredict-ceph-e2e.XXXXXX)
mkdir -p "$D"/{run,crash,log,mon,mgr/ceph-x,osd,mgr-modules}
CONF=$D/ceph.conf
SOCK=$D/diskpredict.sock
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
FSID=$($PY -c 'import uuid; print(uuid.uuid4())')
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon_host = v2:127.0.0.1:$PORT
public_addr = 127.0.0.1
public_network = 127.0.0.0/8
ms_bind_msgr1 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
auth_allow_insecure_global_id_reclaim = false
run_dir = $D/run
crash_dir = $D/crash
mon_data = $D/mon/\$cluster-\$id
mgr_data = $D/mgr/\$cluster-\$id
osd_data = $D/osd/\$cluster-\$id
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_data_avail_warn = 1
mon_data_avail_crit = 0
mgr_initial_modules =
mgr_disabled_modules =
mgr_module_path = ${MGR_MODULE_PATH:-$D/mgr-modules}
[mon]
admin_socket = $D/run/\$cluster-\$name.asok
log_file = $D/log/\$cluster-\$name.log
mon_cluster_log_file = default=$D/log/ceph.\$channel.log cluster=$D/log/ceph.log
[mgr]
admin_socket = $D/run/\$cluster-\$name.asok
log_file = $D/log/\$cluster-\$name.log
[osd]
admin_socket = $D/run/\$cluster-\$name.asok
log_file = $D/log/\$cluster-\$name.log
osd_objectstore = memstore
memstore_device_bytes = 268435456
[client]
admin_socket =
log_file =
EOF
ceph() { command ceph --conf "$CONF" "$@"; }
rados() { command rados --conf "$CONF" "$@"; }

if [ -n "$MGR_MODULE_PATH" ]; then
  [ -f "$MGR_MODULE_PATH/diskprediction_local/daemon_client.py" ] \
    || { log "FAIL - $MGR_MODULE_PATH/diskprediction_local is not this project's module"; exit 1; }
  log "mgr modules from $MGR_MODULE_PATH (as installed)"
else
  # Our module is a copy beside links to every stock module (mgr_module_path holds one directory).
  for entry in /usr/share/ceph/mgr/*; do ln -s "$entry" "$D/mgr-modules/"; done
  rm -f "$D/mgr-modules/diskprediction_local"
  cp -r "$ROOT/daemon/ceph-mgr/diskprediction_local" "$D/mgr-modules/"
  find "$D/mgr-modules/diskprediction_local" -name __pycache__ -prune -exec rm -rf {} +
fi

log "starting mon, mgr, osd on 127.0.0.1:$PORT"
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$PORT]" "$D/monmap" >/dev/null
ceph-mon --conf "$CONF" --mkfs -i a --monmap "$D/monmap"
ceph-mon -f --conf "$CONF" -i a >"$D/log/mon.out" 2>&1 & pids+=($!)
wait_for 30 "mon quorum" ceph quorum_status
ceph-mgr -f --conf "$CONF" -i x >"$D/log/mgr.out" 2>&1 & pids+=($!)
mgr_available() { ceph mgr stat -f json | $PY -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["available"] else 1)'; }
wait_for 60 "mgr available" mgr_available
OSD_UUID=$($PY -c 'import uuid; print(uuid.uuid4())')
OSD_ID=$(ceph osd new "$OSD_UUID")
mkdir -p "$D/osd/ceph-$OSD_ID"
ceph-osd --conf "$CONF" -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >"$D/log/osd-mkfs.log" 2>&1
ceph-osd -f --conf "$CONF" -i "$OSD_ID" >"$D/log/osd.out" 2>&1 & pids+=($!)
pool_exists() { rados lspools | grep -qx device_health_metrics; }
wait_for 60 "device_health_metrics pool" pool_exists
log "cluster up"

start_daemon() {
  # shellcheck disable=SC2086 # DAEMON_CMD is a command line: split into words on purpose
  $DAEMON_CMD --socket "$SOCK" --db "$D/diskpredict.db" --model "$MODEL" >>"$D/daemon.log" 2>&1 &
  DAEMON_PID=$!
  pids+=($DAEMON_PID)
}
log "starting the diskpredict daemon (model $MODEL): $DAEMON_CMD"
start_daemon
pids+=($DAEMON_PID)
daemon_listening() {
  kill -0 "$DAEMON_PID" 2>/dev/null || { log "the daemon exited: $(tail -n 3 "$D/daemon.log")"; exit 1; }
  test -S "$SOCK"
}
wait_for 60 "daemon socket" daemon_listening

$PY "$HERE/fake_device.py" "$CONF" e2edisk fakehost "sdy=$FAILDEV" "sdz=$GOODDEV" >"$D/log/fake-device.log" 2>&1 &
pids+=($!)
device_listed() { ceph device ls | grep -q "$1"; }
wait_for 30 "$FAILDEV in ceph device ls" device_listed "$FAILDEV"
wait_for 30 "$GOODDEV in ceph device ls" device_listed "$GOODDEV"

inject() {
  local devid=$1 serial=$2 key value
  while IFS=$'\t' read -r key value; do
    rados -p device_health_metrics setomapval "$devid" "$key" "$value"
  done < <($PY "$HERE/backblaze_history.py" "$BACKBLAZE" "$serial" 12)
}
inject "$FAILDEV" "$FAILING_SERIAL"
inject "$GOODDEV" "$HEALTHY_SERIAL"
metric_count() { ceph device get-health-metrics "$1" | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
check "12 samples of $FAILDEV stored in device_health_metrics" test "$(metric_count "$FAILDEV")" = 12

log "configuring and enabling diskprediction_local"
ceph config set mgr mgr/diskprediction_local/socket_path "$SOCK"
ceph config set mgr mgr/diskprediction_local/sleep_interval 2
ceph config set mgr mgr/diskprediction_local/timeout 5
ceph config set mgr mgr/diskprediction_local/predictor_model "$MODEL"
ceph config set global device_failure_prediction_mode local
ceph mgr module enable diskprediction_local
wait_for 90 "ceph diskpredict status" ceph diskpredict status
status_json=$(ceph diskpredict status)
check "ceph diskpredict status reports a reachable daemon and its model" \
  $PY -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if s["daemon"]["reachable"] and s["daemon"]["model"]["name"] else 1)' "$status_json"

predicted=$(ceph device predict-life-expectancy "$FAILDEV" 2>&1 || true)
log "predict-life-expectancy $FAILDEV -> $predicted"
check "ceph device predict-life-expectancy $FAILDEV prints <2w" test "$predicted" = '<2w'
predicted=$(ceph device predict-life-expectancy "$GOODDEV" 2>&1 || true)
log "predict-life-expectancy $GOODDEV -> $predicted"
check "ceph device predict-life-expectancy $GOODDEV prints >6w" test "$predicted" = '>6w'

explained=$(ceph diskpredict explain "$FAILDEV" 2>&1 || true)
printf '%s\n' "$explained" | sed 's/^/    /'
check "ceph diskpredict explain names status Bad with p14 and reasons" \
  bash -c '[[ $1 == *"status:           Bad (<2w)"* && $1 == *"p14:"* && $1 == *"top reasons:"* ]]' _ "$explained"

# The module's serve() runs its first pass as soon as it starts (no earlier pass is stored).
life_field() {
  ceph device ls -f json | $PY -c '
import json, sys
for d in json.load(sys.stdin):
    if d["devid"] == sys.argv[1]:
        print(d.get(sys.argv[2]) or "")' "$1" "$2"
}
has_max_within() {  # the device's life_expectancy_max is set and at most $2 days away
  local max; max=$(life_field "$1" life_expectancy_max)
  [ -n "$max" ] && [ "$max" != 0.000000 ] && \
    $PY -c 'import sys,datetime as d; m=d.datetime.strptime(sys.argv[1][:10],"%Y-%m-%d"); sys.exit(0 if (m-d.datetime.utcnow()).days <= int(sys.argv[2]) else 1)' "$max" "$2"
}
check "periodic pass set $FAILDEV's life expectancy to end within 14 days" wait_for 60 "life expectancy" has_max_within "$FAILDEV" 14
log "$FAILDEV: life_expectancy_min=$(life_field "$FAILDEV" life_expectancy_min) max=$(life_field "$FAILDEV" life_expectancy_max)"
good_is_open_ended() {
  [ -n "$(life_field "$GOODDEV" life_expectancy_min)" ] && ! has_max_within "$GOODDEV" 100000
}
check "periodic pass set $GOODDEV's life expectancy open-ended (>6w)" wait_for 30 "good life expectancy" good_is_open_ended
log "$GOODDEV: life_expectancy_min=$(life_field "$GOODDEV" life_expectancy_min) max=$(life_field "$GOODDEV" life_expectancy_max)"

ceph device check-health >/dev/null
device_health_warns() { ceph health detail | grep -q DEVICE_HEALTH; }
check "ceph health detail shows DEVICE_HEALTH" wait_for 30 "DEVICE_HEALTH" device_health_warns
detail=$(ceph health detail)
printf '%s\n' "$detail" | sed 's/^/    /'
check "DEVICE_HEALTH names $FAILDEV" grep -q "$FAILDEV" <<<"$detail"
check "DEVICE_HEALTH does not name the healthy $GOODDEV" bash -c '! grep -q "$1" <<<"$2"' _ "$GOODDEV" "$detail"
check "mgr log records the decision with device, status and reasons" \
  grep -q "device $FAILDEV: Bad (<2w).*reasons: " "$D/log/ceph-mgr.x.log"

log "stopping the daemon (pid $DAEMON_PID)"
stop_pid "$DAEMON_PID"
pids=("${pids[@]/$DAEMON_PID}")   # stopped: never signal that number again
unreachable_raised() { ceph health detail | grep -q DISKPREDICT_DAEMON_UNREACHABLE; }
check "stopping the daemon raises DISKPREDICT_DAEMON_UNREACHABLE" wait_for 45 "our health check" unreachable_raised
down_answer=$(ceph device predict-life-expectancy "$FAILDEV" 2>&1 && echo "(rc 0)" || true)
log "predict-life-expectancy while down -> $down_answer"
check "ceph device predict-life-expectancy fails while the daemon is down" \
  bash -c '[[ $1 == *"diskprediction_local is not available"* ]]' _ "$down_answer"

log "restarting the daemon"
start_daemon
unreachable_cleared() { ! ceph health detail | grep -q DISKPREDICT_DAEMON_UNREACHABLE; }
check "the health check clears when the daemon is back" wait_for 45 "health check cleared" unreachable_cleared
