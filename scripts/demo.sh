#!/usr/bin/env bash
# The end-to-end demo on the embedded development broker. Run through `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
OUT=demo-output
mkdir -p "$OUT/logs"
rm -f "$OUT/bootstrap"

echo "==> starting the development broker (log: $OUT/logs/devbroker.log)"
"$BIN/mia" devbroker --bootstrap-file "$OUT/bootstrap" >"$OUT/logs/devbroker.log" 2>&1 &
broker=$!
trap 'kill -TERM $broker 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$OUT/bootstrap" ] && break; sleep 0.1; done
[ -s "$OUT/bootstrap" ] || { echo "error: the development broker did not start; see $OUT/logs/devbroker.log" >&2; exit 1; }
export MIA_KAFKA_BOOTSTRAP=$(cat "$OUT/bootstrap")
echo "    bootstrap: $MIA_KAFKA_BOOTSTRAP"

echo "==> topics, as the cluster reports them"
"$BIN/mia" topics list

echo "==> the same cluster through kcat (raw librdkafka)"
kcat -L -b "$MIA_KAFKA_BOOTSTRAP" | grep -E '^ [0-9]+ (brokers|topics):'

if [ "${KEEP_RUNNING:-0}" = 1 ]; then
  echo "==> the broker keeps running; press Ctrl-C to stop it"
  wait $broker
else
  kill -TERM $broker
  wait $broker && echo "==> the development broker stopped cleanly"
fi
trap - EXIT
