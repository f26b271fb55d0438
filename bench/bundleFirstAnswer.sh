#!/bin/sh
# Unpack-to-first-answer of the offline bundle: unpack into a fresh temp dir, start the daemon with the bundled
# node, and ask `client health` until it answers (each try is a whole CLI process, as an operator's would be).
# Prints the milliseconds of each phase. Run it under a whole-process timer (e.g. /usr/bin/time -v) for repeats.
#   sh bench/bundleFirstAnswer.sh [release/diskpredict-<version>-linux-<arch>.tar.gz]
set -eu
bundle=${1:-$(ls release/diskpredict-*-linux-*.tar.gz | head -n 1)}
t=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$t"' EXIT
pid=''
ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(ms)
tar -xzf "$bundle" -C "$t"
t1=$(ms)
root=$(echo "$t"/diskpredict-*)
"$root/bin/diskpredict" daemon --socket "$t/d.sock" --db "$t/d.db" --config "$root/etc/config.json" 2>"$t/daemon.log" &
pid=$!
until "$root/bin/diskpredict" client health --socket "$t/d.sock" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$t/daemon.log" >&2; exit 1; }
  sleep 0.02
done
t2=$(ms)
echo "unpack $((t1 - t0)) ms, start to first health answer $((t2 - t1)) ms, unpack-to-first-answer $((t2 - t0)) ms"
