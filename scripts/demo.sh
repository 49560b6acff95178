#!/usr/bin/env bash
# The end-to-end demo on the embedded development broker. Run through `make demo`.
# PARTICIPANTS, SEED and KEEP_RUNNING=1 change what it does.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release}
OUT=demo-output
DATA=demo-data
PARTICIPANTS=${PARTICIPANTS:-2500}
SEED=${SEED:-1}
rm -rf "$OUT" "$DATA"
mkdir -p "$OUT/logs" "$DATA"
pids=()
names=()

fail() {
  echo "demo failed: $1" >&2
  [ -n "${2:-}" ] && echo "see its log: $2" >&2
  stop_all
  exit 1
}

start() {  # start NAME COMMAND...: runs a process in the background with its log in $OUT/logs/NAME.log
  local name=$1; shift
  "$@" >"$OUT/logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

stop_all() {  # workers first, the broker (started first) last
  local status=0
  local order=()
  for index in "${!pids[@]}"; do order=("$index" "${order[@]}"); done
  for index in "${order[@]}"; do
    kill -TERM "${pids[$index]}" 2>/dev/null || true
    wait "${pids[$index]}" 2>/dev/null && echo "    ${names[$index]} stopped cleanly" && continue
    echo "    ${names[$index]} exited with status $? (log: $OUT/logs/${names[$index]}.log)" >&2
    status=1
  done
  pids=()
  return $status
}
trap 'stop_all >/dev/null 2>&1 || true' EXIT

export MIA_PSEUDONYM_KEY=${MIA_PSEUDONYM_KEY:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}

echo "==> 1. the development broker (log: $OUT/logs/devbroker.log)"
start devbroker "$BIN/mia" devbroker --partitions 12 --bootstrap-file "$OUT/bootstrap"
for _ in $(seq 1 100); do [ -s "$OUT/bootstrap" ] && break; sleep 0.1; done
[ -s "$OUT/bootstrap" ] || fail "the development broker did not start" "$OUT/logs/devbroker.log"
export MIA_KAFKA_BOOTSTRAP=$(cat "$OUT/bootstrap")
echo "    bootstrap: $MIA_KAFKA_BOOTSTRAP"
"$BIN/mia" topics list --partitions 12 >/dev/null || fail "topics are missing" "$OUT/logs/devbroker.log"

echo "==> 2. the workers: mia-notifier, and two replicas of mia-capacity sharing one store"
start notifier "$BIN/mia-notifier" --database "$DATA/notifier.sqlite" --http-port 9101 --session-timeout-ms 6000
start capacity-1 "$BIN/mia-capacity" --database "$DATA/capacity.sqlite" --http-port 9102 --session-timeout-ms 6000
sleep 2  # the first replica creates the store's tables
start capacity-2 "$BIN/mia-capacity" --database "$DATA/capacity.sqlite" --http-port 9103 --session-timeout-ms 6000

echo "==> 3. a simulated programme: $PARTICIPANTS participants, seed $SEED, with faulty records"
"$BIN/mia" simulate --participants "$PARTICIPANTS" --seed "$SEED" --faults --out "$DATA/simulation" | sed 's/^/    /'
for kind in asf-capacity calendar-busy referral followup outcome; do
  "$BIN/mia" publish "$kind" "$DATA/simulation/$kind.ndjson" --skip-invalid \
    >"$OUT/logs/publish-$kind.log" 2>&1 || [ $? = 1 ] || fail "publishing $kind" "$OUT/logs/publish-$kind.log"
  echo "    $kind: $(tail -n 1 "$OUT/logs/publish-$kind.log")"
done

echo "==> 4. waiting for the workers to catch up"
metric() { curl -sf "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 ~ "^"name"(\\{|$)" { sum += $NF } END { print sum + 0 }'; }
# The records on a worker's input topics, from the watermarks: the worker is done when it has consumed them all.
records_on() { "$BIN/mia" topics list --partitions 12 --offsets | awk -v topics="$1" 'BEGIN { n = split(topics, t, " "); for (i = 1; i <= n; i++) want[t[i]] = 1 } ($1 in want) { sum += $3 } END { print sum + 0 }'; }
# wait_for NAME "PORTS" "TOPICS": until the worker's replicas have consumed every record of its input topics.
wait_for() {
  local name=$1 ports=$2 inputs consumed processed dead port
  inputs=$(records_on "$3")
  for _ in $(seq 1 240); do
    consumed=0 processed=0 dead=0
    for port in $ports; do
      consumed=$((consumed + $(metric "$port" mia_messages_consumed_total | cut -d. -f1)))
      processed=$((processed + $(metric "$port" mia_messages_processed_total | cut -d. -f1)))
      dead=$((dead + $(metric "$port" mia_messages_dead_lettered_total | cut -d. -f1)))
    done
    printf '\r    %-9s consumed %6s of %6s, processed %6s, dead letters %4s' "$name" "$consumed" "$inputs" "$processed" "$dead"
    if [ "$consumed" -ge "$inputs" ]; then echo; return 0; fi
    sleep 1
  done
  echo
  fail "$name did not catch up within 4 minutes" "$OUT/logs/$name*.log"
}
# Capacity first: the notifier also reads what capacity publishes.
wait_for capacity "9102 9103" "mia.asf.v1 mia.referral.v1 mia.outcome.v1 mia.request.v1"
sleep 2  # the last outbox relay
wait_for notifier "9101" "mia.referral.v1 mia.followup.v1 mia.outcome.v1 mia.meeting.v1 mia.placement.v1"
"$BIN/mia" topics list --partitions 12 --offsets >"$OUT/topics.txt" || fail "the development broker dropped records: see $OUT/topics.txt"

echo "==> 5. summary"
kcat -C -b "$MIA_KAFKA_BOOTSTRAP" -t mia.notification.v1 -e -q -f '%s\n' >"$OUT/notifications.ndjson"
echo "    notifications by kind:"
python3 - "$OUT/notifications.ndjson" <<'PY'
import collections, json, sys
kinds = collections.Counter(json.loads(line)["data"]["kind"] for line in open(sys.argv[1]) if line.strip())
for kind, count in kinds.most_common():
    print(f"      {kind:24} {count}")
PY
echo "    ASF places, occupancy and waitlists (mia asf status):"
"$BIN/mia" asf status --database "$DATA/capacity.sqlite" | sed 's/^/      /'
for worker in notifier capacity; do
  reasons=$(kcat -C -b "$MIA_KAFKA_BOOTSTRAP" -t "mia.dlq.$worker" -e -q -f '%h\n' \
    | tr ',' '\n' | sed -n 's/^mia-error-reason=//p' | cut -c1-90 | sort | uniq -c | sort -rn | head -5)
  echo "    dead letters of mia-$worker: ${reasons:-none (mia publish rejected the faulty records before Kafka)}" \
    | sed '2,$s/^/      /'
done

if [ "${KEEP_RUNNING:-0}" = 1 ]; then
  echo "==> everything keeps running: bootstrap $MIA_KAFKA_BOOTSTRAP; metrics on http://127.0.0.1:9101/metrics (notifier), :9102 and :9103 (capacity)"
  echo "    press Ctrl-C to stop"
  wait
fi

echo "==> 6. stopping everything with SIGTERM"
trap - EXIT
stop_all || { echo "demo failed: a process did not exit cleanly" >&2; exit 1; }
echo "==> done; logs in $OUT/logs"
