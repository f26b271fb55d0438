#!/usr/bin/env bash
# Runs the native addon's exerciser (test/native/exercise-addon.mjs: every export, valid and invalid inputs) under
# valgrind memcheck, once per built addon (cmake-js and node-gyp copies, else the installed one).
#
# Fails on any invalid read/write, use of uninitialised memory, or definite/indirect leak. Node runs --jitless so
# memcheck sees no self-modifying JIT code (the addon's own code is unaffected), and with --expose-gc so the
# exerciser can collect its garbage before the leak check. Node's own "possibly lost"/"still reachable" blocks at
# exit (its heap and threads, not the addon's) are not errors. native/valgrind.supp suppresses only V8's
# conservative stack scan (it reads uninitialised stack words by design).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
  echo "valgrind-native: valgrind is not installed" >&2
  exit 1
fi

declare -A addons=()
[ -f build/cmake/Release/diskpredict_native.node ] && addons[cmake]=build/cmake/Release/diskpredict_native.node
[ -f build/gyp/diskpredict_native.node ] && addons[gyp]=build/gyp/diskpredict_native.node
if ((${#addons[@]} == 0)) && [ -f build/Release/diskpredict_native.node ]; then
  addons[installed]=build/Release/diskpredict_native.node
fi
if ((${#addons[@]} == 0)); then
  echo "valgrind-native: no addon built; run npm run build:native first" >&2
  exit 1
fi

mkdir -p artifacts
status=0
for variant in "${!addons[@]}"; do
  addon=${addons[$variant]}
  log="artifacts/valgrind-$variant.log"
  echo "valgrind-native: $addon (log: $log)"
  if valgrind --tool=memcheck --error-exitcode=1 --leak-check=full \
      --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
      --track-origins=yes --suppressions=native/valgrind.supp --log-file="$log" \
      node --jitless --expose-gc test/native/exercise-addon.mjs "$addon"; then
    grep -E 'ERROR SUMMARY|definitely lost|indirectly lost' "$log" | sed 's/^==[0-9]*== */  /'
  else
    status=1
    echo "valgrind-native: FAILED for $addon; see $log" >&2
    tail -n 60 "$log" >&2
  fi
done
exit $status
