# Sourced by run.sh (Ceph on this host) and run-in-chroot.sh (Ceph of a Debian suite in a chroot): the throw-away
# cluster and the end-to-end checks of daemon/ceph-mgr/diskprediction_local, the same on every release.
#
# The caller sets, before `e2e_main`:
#   IN=(...)   prefix that runs a command where Ceph is installed (empty on the host; `chroot R env -i ...`)
#   D          the cluster directory as Ceph's processes see it; HD the same directory seen from this host
#   ROOTFS     '' on the host, the chroot's root otherwise (where /usr/share/ceph/mgr is read)
#   e2e_after_stop   optional function run by the teardown after every process is stopped (unmounts)
# Knobs (environment): MODULE_SRC (module directory to test), MGR_MODULE_PATH (instead: load every module, ours
# included, from this directory as installed, e.g. /usr/share/ceph/mgr after `apt-get install ./diskpredict_*.deb`),
# DAEMON_CMD (command that runs the diskpredict daemon; `--socket S --db F --model M` are appended), MODEL, KEEP=1
# (keep the cluster directory), DISKPREDICT_SHARED (../shared). Output: PASS/FAIL lines, then "N passed, M failed" last; exit 0 only if all pass.

E2E_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$E2E_HERE/../.." && pwd)
SHARED=${DISKPREDICT_SHARED:-$ROOT/../shared}
BACKBLAZE="$SHARED/data/backblaze/bb_2018-01-01_2018-09-30_ST4000DM000_allfailed_plus_healthy15pct__disk-failure-prediction.csv.gz"
MODULE_SRC=${MODULE_SRC:-$ROOT/daemon/ceph-mgr/diskprediction_local}
DAEMON_CMD=${DAEMON_CMD:-node $ROOT/dist/lib/cli/main.js daemon}
MGR_MODULE_PATH=${MGR_MODULE_PATH:-}
# Z300K1Z7 failed on 2018-07-xx with reallocated sectors 0 -> 22784 and pending 16 -> 41944 in its last 12 days;
# Z302SQKG ran all of 2018-01..09 without a reallocated or pending sector.
FAILING_SERIAL=Z300K1Z7
HEALTHY_SERIAL=Z302SQKG
# Real Seagate devids have three parts (model-firmware-ish suffix, then serial); 17.2+'s legacy import of
# device_health_metrics-style objects only takes names of that shape.
FAILDEV=ST4000DM000-1F2168_$FAILING_SERIAL
GOODDEV=ST4000DM000-1F2168_$HEALTHY_SERIAL
# The daemon's model; the test expects our shipped default. MODEL=rules runs it with the rule scorer instead.
MODEL=${MODEL:-default}
PY=/usr/bin/python3             # this host's Debian python3 (stdlib only here; a pyenv python3 may come first)
started_at=$SECONDS
passed=0
failed=0
pids=()                          # every PID started here, in start order
HD=${HD:-}
IN=("${IN[@]}")
# Runs a Ceph program where Ceph is installed. `command` on the host: the ceph/rados functions below share the
# programs' names, and calling them through an empty prefix would recurse forever.
run_in() { if ((${#IN[@]})); then "${IN[@]}" "$@"; else command "$@"; fi; }
# For `run_exec PROGRAM ... &`: a function run with & is a subshell, so it must exec (chroot and env exec too) for
# $! to be the program's PID, the one the teardown stops.
run_exec() { if ((${#IN[@]})); then exec "${IN[@]}" "$@"; else exec "$@"; fi; }

exec 3>&1 4>&2                   # the real stdout/stderr, for messages from inside redirected checks
log() { printf '[%3ds] %s\n' $((SECONDS - started_at)) "$*" >&3; }
pass() { passed=$((passed + 1)); log "PASS - $1"; }
fail() { failed=$((failed + 1)); log "FAIL - $1"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

e2e_teardown() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM   # `timeout` signals the whole group again: finish cleaning up regardless
  exec 1>&3 2>&4     # an exit from inside a check whose output went to /dev/null
  if ((rc != 0)) && [ -n "$HD" ] && [ -d "$HD" ]; then
    log "aborted (rc=$rc); log tails:"
    for f in "$HD"/log/*.log "$HD"/log/*.out "$HD"/daemon.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }; done
  fi
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do [ -n "${pids[i]}" ] && stop_pid "${pids[i]}"; done
  if [ -n "$HD" ] && [ -d "$HD" ]; then
    if [ "${KEEP:-0}" = 1 ]; then log "kept $HD"; else rm -rf "$HD"; fi
  fi
  if declare -F e2e_after_stop >/dev/null; then e2e_after_stop || true; fi
  ((rc == 0 && failed == 0)) || { ((failed > 0)) || failed=1; }
  log "done in $((SECONDS - started_at))s"
  echo "$passed passed, $failed failed"
  exit $((failed > 0 ? 1 : 0))
}
trap e2e_teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stop_pid() {
  local pid=$1 n
  kill -0 "$pid" 2>/dev/null || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for ((n = 0; n < 300; n++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "pid $pid ($(ps -o comm= -p "$pid" 2>/dev/null)) ignored SIGTERM for 30s: SIGKILL"
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

e2e_skip_without_data() {
  if [ ! -f "$BACKBLAZE" ]; then
    log "SKIP - $BACKBLAZE not found: the e2e test needs the shared SMART data beside the project"
    trap - EXIT
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
  fi
}

e2e_build_daemon() {
  if [[ $DAEMON_CMD == "node $ROOT/dist/lib/cli/main.js daemon" ]] && [ ! -f "$ROOT/dist/lib/cli/main.js" ]; then
    log "building the daemon (npx tsc)"
    (cd "$ROOT" && npx tsc -p tsconfig.json)
  fi
}

# A port nobody listens on now (the mon's), and a 50-port window for the mgr and OSD, so several clusters
# (16.2 on the host, 18.2 and 20.2 in chroots) can run at once.
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
free_window() {
  $PY -c '
import random, socket
for _ in range(200):
    base = random.randrange(20000, 29950)
    try:
        for p in range(base, base + 50):
            s = socket.socket(); s.bind(("127.0.0.1", p)); s.close()
    except OSError:
        continue
    print(base); break'
}

ceph() { run_in ceph --conf "$D/ceph.conf" "$@"; }
rados() { run_in rados --conf "$D/ceph.conf" "$@"; }

e2e_write_conf() {
  PORT=$(free_port)
  BIND_MIN=$(free_window)
  FSID=$($PY -c 'import uuid; print(uuid.uuid4())')
  cat >"$HD/ceph.conf" <<EOF
[global]
fsid = $FSID
mon_host = v2:127.0.0.1:$PORT
public_addr = 127.0.0.1
public_network = 127.0.0.0/8
ms_bind_msgr1 = false
ms_bind_port_min = $BIND_MIN
ms_bind_port_max = $((BIND_MIN + 49))
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
}

# Our module is a copy beside links to every stock module (mgr_module_path holds one directory).
e2e_module_path() {
  local entry
  if [ -n "$MGR_MODULE_PATH" ]; then
    [ -f "$ROOTFS$MGR_MODULE_PATH/diskprediction_local/daemon_client.py" ] \
      || { log "FAIL - $MGR_MODULE_PATH/diskprediction_local is not this project's module"; exit 1; }
    log "mgr modules from $MGR_MODULE_PATH (as installed)"
    return
  fi
  for entry in "$ROOTFS"/usr/share/ceph/mgr/*; do
    [ "$(basename "$entry")" = __pycache__ ] || ln -s "/usr/share/ceph/mgr/$(basename "$entry")" "$HD/mgr-modules/"
  done
  rm -f "$HD/mgr-modules/diskprediction_local"
  cp -r "$MODULE_SRC" "$HD/mgr-modules/diskprediction_local"
  find "$HD/mgr-modules/diskprediction_local" -name __pycache__ -prune -exec rm -rf {} +
  # Reef runs each module in a sub-interpreter, where a PyO3 bcrypt (trixie's 4.x) cannot load, and its mgr_util
  # imports bcrypt at the top: every module would fail. The harness's stub (only dashboard/restful hash with it).
  if [ "$CEPH_MAJOR" = 18 ] && compgen -G "$ROOTFS/usr/lib/python3/dist-packages/bcrypt/_bcrypt*.so" >/dev/null; then
    cp "$ROOT/daemon/ceph-mgr/releases/stubs/bcrypt.py" "$HD/mgr-modules/bcrypt.py"
    log "Ceph 18 with a PyO3 bcrypt: using the bcrypt stub in mgr_module_path"
  fi
}

# 12 days of history per disk, keys %Y%m%d-%H%M%S UTC. 16.2 reads the pool device_health_metrics directly;
# 17.2+ keep metrics in sqlite in .mgr and import such objects from .mgr's default namespace when devicehealth
# starts (the respawn at `mgr module enable`).
e2e_inject() {
  local devid=$1 serial=$2 pool key value
  pool=$([ "$CEPH_MAJOR" -ge 17 ] && echo .mgr || echo device_health_metrics)
  while IFS=$'\t' read -r key value; do
    rados -p "$pool" setomapval "$devid" "$key" "$value"
  done < <($PY "$E2E_HERE/backblaze_history.py" "$BACKBLAZE" "$serial" 12)
}

start_daemon() {
  # shellcheck disable=SC2086  # DAEMON_CMD is a command line
  $DAEMON_CMD --socket "$HD/run/diskpredict.sock" --db "$HD/diskpredict.db" --model "$MODEL" >>"$HD/daemon.log" 2>&1 &
  DAEMON_PID=$!
  pids+=($DAEMON_PID)
}

e2e_main() {
  CEPH_VERSION=$(run_in ceph --version | awk '{print $3}')
  CEPH_MAJOR=${CEPH_VERSION%%.*}
  log "ceph $CEPH_VERSION"
  mkdir -p "$HD"/{run,crash,log,mon,mgr/ceph-x,osd,mgr-modules,tools}
  cp "$E2E_HERE/fake_device.py" "$HD/tools/"
  e2e_write_conf
  e2e_module_path

  log "starting mon, mgr, osd on 127.0.0.1:$PORT (mgr/osd ports $BIND_MIN-$((BIND_MIN + 49)))"
  run_in monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$PORT]" "$D/monmap" >/dev/null
  run_in ceph-mon --conf "$D/ceph.conf" --mkfs -i a --monmap "$D/monmap"
  # chroot and env exec, so $! is the Ceph daemon itself
  run_exec ceph-mon -f --conf "$D/ceph.conf" -i a >"$HD/log/mon.out" 2>&1 & pids+=($!)
  wait_for 30 "mon quorum" ceph quorum_status
  run_exec ceph-mgr -f --conf "$D/ceph.conf" -i x >"$HD/log/mgr.out" 2>&1 & pids+=($!)
  mgr_available() { ceph mgr stat -f json | $PY -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["available"] else 1)'; }
  wait_for 60 "mgr available" mgr_available
  local osd_uuid osd_id
  osd_uuid=$($PY -c 'import uuid; print(uuid.uuid4())')
  osd_id=$(ceph osd new "$osd_uuid")
  mkdir -p "$HD/osd/ceph-$osd_id"
  run_in ceph-osd --conf "$D/ceph.conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$HD/log/osd-mkfs.log" 2>&1
  run_exec ceph-osd -f --conf "$D/ceph.conf" -i "$osd_id" >"$HD/log/osd.out" 2>&1 & pids+=($!)
  local metrics_pool
  metrics_pool=$([ "$CEPH_MAJOR" -ge 17 ] && echo .mgr || echo device_health_metrics)
  pool_exists() { rados lspools | grep -qx -- "$1"; }
  wait_for 90 "$metrics_pool pool" pool_exists "$metrics_pool"
  log "cluster up"

  log "starting the diskpredict daemon (model $MODEL): $DAEMON_CMD"
  start_daemon
  daemon_listening() {
    kill -0 "$DAEMON_PID" 2>/dev/null || { log "the daemon exited: $(tail -n 3 "$HD/daemon.log")"; exit 1; }
    test -S "$HD/run/diskpredict.sock"
  }
  wait_for 60 "daemon socket" daemon_listening

  run_exec /usr/bin/python3 "$D/tools/fake_device.py" "$D/ceph.conf" e2edisk fakehost "sdy=$FAILDEV" "sdz=$GOODDEV" \
    >"$HD/log/fake-device.log" 2>&1 & pids+=($!)
  device_listed() { ceph device ls | grep -q -- "$1"; }
  wait_for 30 "$FAILDEV in ceph device ls" device_listed "$FAILDEV"
  wait_for 30 "$GOODDEV in ceph device ls" device_listed "$GOODDEV"

  e2e_inject "$FAILDEV" "$FAILING_SERIAL"
  e2e_inject "$GOODDEV" "$HEALTHY_SERIAL"

  log "configuring and enabling diskprediction_local"
  ceph config set mgr mgr/diskprediction_local/socket_path "$D/run/diskpredict.sock"
  ceph config set mgr mgr/diskprediction_local/sleep_interval 2
  ceph config set mgr mgr/diskprediction_local/timeout 5
  ceph config set mgr mgr/diskprediction_local/predictor_model "$MODEL"
  ceph config set global device_failure_prediction_mode local
  check "ceph mgr module ls lists diskprediction_local" bash -c '[[ $1 == *diskprediction_local* ]]' _ \
    "$(ceph mgr module ls -f json 2>&1)"
  ceph mgr module enable diskprediction_local
  metric_count() { ceph device get-health-metrics "$1" | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
  has_12() { [ "$(metric_count "$1")" = 12 ]; }
  check "12 samples of $FAILDEV stored by devicehealth" wait_for 60 "12 samples" has_12 "$FAILDEV"
  # a check, not an abort: a module whose commands are broken (20.2 without its own registry) still gets the rest
  check "ceph diskpredict status answers" wait_for 60 "ceph diskpredict status" ceph diskpredict status
  local status_json
  status_json=$(ceph diskpredict status 2>&1 || true)
  check "ceph diskpredict status reports a reachable daemon and its model" \
    $PY -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if s["daemon"]["reachable"] and s["daemon"]["model"]["name"] else 1)' "$status_json"

  local predicted
  predicted=$(ceph device predict-life-expectancy "$FAILDEV" 2>&1 || true)
  log "predict-life-expectancy $FAILDEV -> $predicted"
  check "ceph device predict-life-expectancy $FAILDEV prints <2w" test "$predicted" = '<2w'
  predicted=$(ceph device predict-life-expectancy "$GOODDEV" 2>&1 || true)
  log "predict-life-expectancy $GOODDEV -> $predicted"
  check "ceph device predict-life-expectancy $GOODDEV prints >6w" test "$predicted" = '>6w'

  local explained
  explained=$(ceph diskpredict explain "$FAILDEV" 2>&1 || true)
  printf '%s\n' "$explained" | sed 's/^/    /'
  check "ceph diskpredict explain names status Bad with p14 and reasons" \
    bash -c '[[ $1 == *"status:           Bad (<2w)"* && $1 == *"p14:"* && $1 == *"top reasons:"* ]]' _ "$explained"

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
  good_is_open_ended() {
    [ -n "$(life_field "$GOODDEV" life_expectancy_min)" ] && ! has_max_within "$GOODDEV" 100000
  }
  # devicehealth's own daily pass (scrape_all -> predict_all_devices -> our module): clear what the commands above
  # recorded, then wake devicehealth with a 1 s scrape frequency.
  ceph device rm-life-expectancy "$FAILDEV"
  ceph device rm-life-expectancy "$GOODDEV"
  local log_mark
  log_mark=$(wc -l <"$HD/log/ceph-mgr.x.log")
  ceph config set mgr mgr/devicehealth/scrape_frequency 1
  ceph device monitoring on
  check "devicehealth's pass set $FAILDEV's life expectancy to end within 14 days" \
    wait_for 90 "life expectancy" has_max_within "$FAILDEV" 14
  log "$FAILDEV: life_expectancy_min=$(life_field "$FAILDEV" life_expectancy_min) max=$(life_field "$FAILDEV" life_expectancy_max)"
  check "devicehealth's pass set $GOODDEV's life expectancy open-ended (>6w)" wait_for 30 "good life expectancy" good_is_open_ended
  log "$GOODDEV: life_expectancy_min=$(life_field "$GOODDEV" life_expectancy_min) max=$(life_field "$GOODDEV" life_expectancy_max)"
  # Attribute the pass: our "prediction pass" line shares its thread with devicehealth's "Check health".
  pass_in_devicehealth_thread() {
    tail -n +"$log_mark" "$HD/log/ceph-mgr.x.log" | $PY -c '
import re, sys
ours, theirs = set(), set()
for line in sys.stdin:
    fields = line.split()
    if len(fields) < 3:
        continue
    # the logger name after INFO is "root" on 16.2/18.2 and the module name on 20.2
    if re.search(r"\[diskprediction_local INFO [^]]*\] prediction pass: 2 device\(s\)", line):
        ours.add(fields[1])
    elif re.search(r"\[devicehealth INFO [^]]*\] Check health", line):
        theirs.add(fields[1])
sys.exit(0 if ours & theirs else 1)'
  }
  check "the pass ran in devicehealth's serve thread (mgr log)" pass_in_devicehealth_thread
  ceph config set mgr mgr/devicehealth/scrape_frequency 86400

  ceph device check-health >/dev/null
  device_health_warns() { ceph health detail | grep -q DEVICE_HEALTH; }
  check "ceph health detail shows DEVICE_HEALTH" wait_for 30 "DEVICE_HEALTH" device_health_warns
  local detail
  detail=$(ceph health detail)
  printf '%s\n' "$detail" | sed 's/^/    /'
  check "DEVICE_HEALTH names $FAILDEV" grep -q -- "$FAILDEV" <<<"$detail"
  check "DEVICE_HEALTH does not name the healthy $GOODDEV" bash -c '! grep -q -- "$1" <<<"$2"' _ "$GOODDEV" "$detail"
  check "mgr log records the decision with device, status and reasons" \
    grep -q "device $FAILDEV: Bad (<2w).*reasons: " "$HD/log/ceph-mgr.x.log"

  log "stopping the daemon (pid $DAEMON_PID)"
  stop_pid "$DAEMON_PID"
  pids=("${pids[@]/$DAEMON_PID}")   # stopped: never signal that number again
  unreachable_raised() { ceph health detail | grep -q DISKPREDICT_DAEMON_UNREACHABLE; }
  check "stopping the daemon raises DISKPREDICT_DAEMON_UNREACHABLE" wait_for 45 "our health check" unreachable_raised
  local down_answer
  down_answer=$(ceph device predict-life-expectancy "$FAILDEV" 2>&1 && echo "(rc 0)" || true)
  log "predict-life-expectancy while down -> $down_answer"
  check "ceph device predict-life-expectancy fails while the daemon is down" \
    bash -c '[[ $1 == *"diskprediction_local is not available"* ]]' _ "$down_answer"

  log "restarting the daemon"
  start_daemon
  unreachable_cleared() { ! ceph health detail | grep -q DISKPREDICT_DAEMON_UNREACHABLE; }
  check "the health check clears when the daemon is back" wait_for 45 "health check cleared" unreachable_cleared
  predicted=$(ceph device predict-life-expectancy "$FAILDEV" 2>&1 || true)
  check "predictions work again after the restart" test "$predicted" = '<2w'

  detail=$(ceph health detail)
  check "no MGR_MODULE_ERROR (nor a failed dependency) in ceph health detail" \
    bash -c '! grep -q "MGR_MODULE_ERROR\|MGR_MODULE_DEPENDENCY" <<<"$1"' _ "$detail"
  # Crash reports: ceph-mgr writes one into crash_dir per exception that reaches it (no ceph-crash agent runs
  # here, so nothing is posted). Stock modules write some under a relocated mgr_module_path; ours must write none.
  local metas ours
  metas=$(find "$HD/crash" -name meta 2>/dev/null | sort)
  ours=0
  [ -z "$metas" ] || ours=$( (grep -l diskprediction_local $metas || true) | wc -l)
  log "crash reports: $(printf '%s\n' "$metas" | grep -c . || true) in total, $ours from diskprediction_local"
  [ "$ours" = 0 ] || grep -h "\"mgr_python_exception\"\|\"backtrace\"" $(grep -l diskprediction_local $metas) | head -20 >&3 || true
  check "no crash report from diskprediction_local" test "$ours" = 0
  check "no unhandled exception from diskprediction_local in the mgr log" \
    bash -c '! grep -E "diskprediction_local.*(Traceback|Exception calling|Unhandled exception)|Exception calling .* on diskprediction_local" "$1"' _ \
    "$HD/log/ceph-mgr.x.log"
  E2E_CRASHES_OURS=$ours
}
