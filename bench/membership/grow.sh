#!/usr/bin/env bash
# A learner's catch-up and promotion, and the client throughput while it happens
# (docs/PERFORMANCE.md, "Membership: a learner's catch-up and promotion"). Run from the repository
# root; see --help. Every wait polls /metrics or /v1/members and has a deadline; every node it
# started is stopped on exit.
set -uo pipefail

usage() {
  cat <<'EOF'
Usage: bench/membership/grow.sh [--keys N] [--value-bytes B] [--connections C] [--put-percent P]
                                [--warmup S] [--window S] [--change-timeout S] [--prefill-timeout S]
                                [--out DIR] [--keep-data]

Starts a fresh 3-node cluster with 'raftkv up' (conf/cluster.conf's nodes 1-3 and ports, data under
DIR), pre-fills N keys k<15 digits> with values of B bytes (wrk, bench/membership/prefill.lua, 64
connections at the leader, each key written once), then starts a steady load at the leader (wrk,
bench/membership/load.lua: C connections, P% puts of B bytes, the rest linearizable gets, over the
same keys, so the state stays at its size). After --warmup S it measures the throughput for
--window S ("before"), then starts node 4 with
  raftkv node --id 4 --host 127.0.0.1 --artery-port 25524 --http-port 8084 --data-dir DIR/data/node-4 --join 127.0.0.1:8081
(with the JVM options 'raftkv up' gave node 1) and times, from that command:
  learner     the leader's /v1/members lists node 4 as a learner, in a committed configuration
  lag<=max    the leader's lag for node 4 is at most raftkv.raft.learner-trailing-entries-max
              (1,000): the leader's promotion clock runs from there
  caught up   node 4's applied index (its /metrics) reaches the leader's commit index read just
              before it in the same poll
  voter       the leader's /v1/members lists node 4 as a voter, in a committed configuration
and when node 4's HTTP API first answers (its JVM's start). The throughput during the change is the
load's from node 4's start to its promotion, and in each step; then it measures --window S again
("after"). Throughput is counted at the node wrk drives
(raftkv_http_requests_total of PUT and GET /v1/kv/{key}, 2xx answers), every second into
DIR/throughput.tsv with that node's term; each poll of the change goes into DIR/change.tsv. Prints
a summary and one Markdown row. RAFTKV_NODE_JAVA_OPTS replaces the nodes' JVM options as with
'raftkv up' (node 4 gets node 1's).

  --keys N             pre-filled keys (default 10000)
  --value-bytes B      bytes per value (default 1024)
  --connections C      the load's connections (default 16)
  --put-percent P      the load's share of puts (default 70)
  --warmup S           load before the "before" window (default 30)
  --window S           the "before" and "after" windows (default 30)
  --change-timeout S   the longest wait from node 4's start to its promotion (default 900)
  --prefill-timeout S  the longest pre-fill (default 120 + N/200)
  --out DIR            the run's directory (default runs/grow-<N>-<yyyyMMdd-HHmmss>)
  --keep-data          keep DIR/data (default: removed on exit; 1M keys of 1 KiB are ~4 GB)
Needs wrk, curl, jq, bc; ports 8081-8084 and 25521-25524 free. Exit 0 when node 4 became a voter,
1 when a step failed or timed out (what and why is printed), 2 on bad usage.
EOF
}

KEYS=10000 VALUE=1024 CONNS=16 PUTPCT=70 WARMUP=30 WINDOW=30 CHANGE_TIMEOUT=900 PREFILL_TIMEOUT= OUT= KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --keys) KEYS=$2; shift 2 ;;
    --value-bytes) VALUE=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --put-percent) PUTPCT=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    --change-timeout) CHANGE_TIMEOUT=$2; shift 2 ;;
    --prefill-timeout) PREFILL_TIMEOUT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --keep-data) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in KEYS VALUE CONNS PUTPCT WARMUP WINDOW CHANGE_TIMEOUT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "$v must be a whole number, was '${!v}'" >&2; exit 2; }
done
[ "$KEYS" -ge 1 ] && [ "$CONNS" -ge 1 ] && [ "$PUTPCT" -le 100 ] || { echo "bad --keys, --connections or --put-percent" >&2; exit 2; }
PREFILL_TIMEOUT=${PREFILL_TIMEOUT:-$((120 + KEYS / 200))}
for tool in wrk curl jq bc; do command -v $tool >/dev/null || { echo "$tool is missing (apt-get install $tool)" >&2; exit 2; }; done
cd "$(dirname "$0")/../.." || exit 2
HERE=bench/membership
for p in 8081 8082 8083 8084 25521 25522 25523 25524; do
  if ss -ltn "( sport = :$p )" | grep -q LISTEN; then echo "port $p is in use: another cluster is running ('raftkv down' it first)" >&2; exit 2; fi
done
./raftkv --version >/dev/null || exit 2   # builds now if needed, so that no timing below includes a build

OUT=${OUT:-runs/grow-$KEYS-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
CF=$OUT/cluster.conf
STAB=$(grep -h -E '^\s*learner-stabilization-time' conf/application.conf actors/src/main/resources/reference.conf | head -1 | sed -E 's/.*= *([0-9]+)s.*/\1/')
TRAIL=$(grep -h -E '^\s*learner-trailing-entries-max' conf/application.conf actors/src/main/resources/reference.conf | head -1 | sed -E 's/.*= *([0-9]+).*/\1/')
cat > "$CF" <<EOF
raftkv.cluster {
  system-name = "raftkv"
  nodes = [
    { id = 1, host = "127.0.0.1", artery-port = 25521, http-port = 8081, data-dir = "$OUT/data/node-1" }
    { id = 2, host = "127.0.0.1", artery-port = 25522, http-port = 8082, data-dir = "$OUT/data/node-2" }
    { id = 3, host = "127.0.0.1", artery-port = 25523, http-port = 8083, data-dir = "$OUT/data/node-3" }
  ]
}
EOF

ts() { date +%s.%N; }
since() { echo "$(ts) - $1" | bc | xargs printf '%.1f'; }
dt() { echo "$2 - $1" | bc | xargs printf '%.1f'; }
load() { uptime | sed 's/.*load average: /load average /'; }
metric() { curl -s --max-time 2 "http://127.0.0.1:$((8080 + $1))/metrics" | awk -v m="$2" '$1==m {printf "%d", $2}'; }
leader() { for n in 1 2 3 4; do [ "$(metric $n raftkv_raft_is_leader)" = 1 ] && echo $n && return; done; }
# the 2xx and the other answers to PUT and GET /v1/kv/{key} that node $1 has given
counters() {
  curl -s --max-time 2 "http://127.0.0.1:$((8080 + $1))/metrics" | awk '
    /^raftkv_http_requests_total\{route="(PUT|GET) \/v1\/kv\/\{key\}"/ {
      if (match($0, /status="2[0-9][0-9]"/)) ok += $NF; else bad += $NF }
    END { printf "%d %d", ok, bad }'
}
# the same, with node $1's term and whether it leads, for the 1-second samples
sample() {
  curl -s --max-time 2 "http://127.0.0.1:$((8080 + $1))/metrics" | awk '
    /^raftkv_http_requests_total\{route="(PUT|GET) \/v1\/kv\/\{key\}"/ {
      if (match($0, /status="2[0-9][0-9]"/)) ok += $NF; else bad += $NF }
    $1 == "raftkv_raft_term" { term = $2 } $1 == "raftkv_raft_is_leader" { il = $2 }
    END { printf "%d %d %d %d", ok, bad, term, il }'
}
rate() { echo "($3 - $1) / ($4 - $2)" | bc -l | xargs printf '%.0f'; }  # ok0 t0 ok1 t1
rss() { for n in 1 2 3 4; do p=$(cat "$OUT/node-$n.pid" 2>/dev/null); [ -n "$p" ] && ps -o rss= -p "$p" | awk -v n=$n '{printf "node %d %.0f MiB  ", n, $1/1024}'; done; echo; }
fail() { echo "FAILED: $*" >&2; exit 1; }

WRK= SAMPLER= N4=
cleanup() {
  trap - EXIT INT TERM
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  [ -n "$WRK" ] && kill -INT "$WRK" 2>/dev/null && wait "$WRK" 2>/dev/null
  if [ -n "$N4" ] && kill -0 "$N4" 2>/dev/null; then
    kill -TERM "$N4"; for _ in $(seq 60); do kill -0 "$N4" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$N4" 2>/dev/null && kill -KILL "$N4"
    echo "node 4 stopped"
  fi
  ./raftkv down -f "$CF" --run-dir "$OUT"
  if [ "$KEEP" = 1 ]; then echo "data kept in $OUT/data"; else rm -rf "$OUT/data"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "== $(date -Is) grow.sh: $KEYS keys of $VALUE bytes, load $CONNS connections at $PUTPCT% puts; run in $OUT"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(load)"
echo "== raftkv up (fresh data directories)"
t=$(ts); ./raftkv up -f "$CF" --run-dir "$OUT" --timeout 120s >"$OUT/up.out" 2>&1 || { cat "$OUT/up.out"; fail "raftkv up"; }
L=$(leader); echo "leader node $L after $(since $t) s"
[ -n "$L" ] || fail "no leader"

echo "== pre-fill: $KEYS keys of $VALUE bytes at node $L (wrk, 64 connections, at most $PREFILL_TIMEOUT s)"
rm -f "$OUT"/prefill-thread-*
t=$(ts); deadline=$(( $(date +%s) + PREFILL_TIMEOUT ))
wrk -t2 -c64 -d"$((PREFILL_TIMEOUT + 5))s" --timeout 10s -s $HERE/prefill.lua "http://127.0.0.1:$((8080 + L))" -- "$KEYS" 2 "$VALUE" "$OUT" >"$OUT/prefill-wrk.out" 2>&1 &
WRK=$!
last=0 EXPECT=$((KEYS * (16 + VALUE)))
while [ "$(ls "$OUT"/prefill-thread-* 2>/dev/null | wc -l)" -lt 2 ]; do
  kill -0 $WRK 2>/dev/null || fail "wrk stopped during the pre-fill: $(cat "$OUT/prefill-wrk.out")"
  [ "$(date +%s)" -lt $deadline ] || fail "the pre-fill did not finish within $PREFILL_TIMEOUT s"
  sleep 1
  sb=$(metric $L raftkv_kv_state_bytes)
  if [ "${sb:-0}" -ge $EXPECT ]; then echo "  the leader's state holds every key (it applies a put before answering it, so this usually comes first)"; break; fi
  if [ $(( $(date +%s) - last )) -ge 10 ]; then
    last=$(date +%s)
    echo "  $(since $t) s: state ${sb:-?} bytes ($(( ${sb:-0} / (16 + VALUE) )) keys), $(load)"
  fi
done
kill -INT $WRK 2>/dev/null; wait $WRK 2>/dev/null; WRK=
PREFILL_S=$(since $t)
cat "$OUT"/prefill-thread-* 2>/dev/null | awk '{w += $1; f += $2} END {printf "%d %d\n", w, f}' > "$OUT/prefill-counts"
read -r w f < "$OUT/prefill-counts"
[ "$f" -eq 0 ] || fail "$f keys of the pre-fill were not answered 204"
grep -E 'Socket errors|Non-2xx' "$OUT/prefill-wrk.out"
echo "pre-filled $KEYS keys in $PREFILL_S s ($(echo "$KEYS / $PREFILL_S" | bc) keys/s); $(load)"
L=$(leader); C=$(metric $L raftkv_raft_commit_index)
dl=$(( $(date +%s) + 300 ))
for n in 1 2 3; do
  until [ "$(metric $n raftkv_raft_applied_index)" -ge "$C" ] 2>/dev/null; do
    [ "$(date +%s)" -lt $dl ] || fail "node $n did not apply through $C within 300 s"; sleep 0.2
  done
done
STATE=$(metric $L raftkv_kv_state_bytes)
[ "$STATE" -eq $EXPECT ] || fail "the state is $STATE bytes after the pre-fill, not $KEYS x (16 + $VALUE) = $EXPECT"
echo "every node applied through $C; state $STATE bytes; leader node $L: snapshots $(metric $L raftkv_snapshots_written_total), last $(metric $L raftkv_snapshot_last_bytes) bytes; log entries $(metric $L raftkv_raft_log_entries)"
for n in 1 2 3; do echo "  node-$n data: $(du -sb "$OUT/data/node-$n" | cut -f1) bytes"; done
rss

TOTAL=$((WARMUP + 2 * WINDOW + CHANGE_TIMEOUT + 60))
echo "== load: wrk -t2 -c$CONNS at node $L, $PUTPCT% puts of $VALUE bytes over the $KEYS keys (at most $TOTAL s)"
wrk -t2 -c"$CONNS" -d"${TOTAL}s" --timeout 10s --latency -s $HERE/load.lua "http://127.0.0.1:$((8080 + L))" -- "$KEYS" "$VALUE" "$PUTPCT" >"$OUT/load-wrk.out" 2>&1 &
WRK=$!
T=$L   # the node wrk drives, whose answers are counted
TERM0=$(metric $L raftkv_raft_term)
( echo "time ok non2xx term is_leader"; while kill -0 $WRK 2>/dev/null; do echo "$(ts) $(sample $T)"; sleep 1; done ) >"$OUT/throughput.tsv" &
SAMPLER=$!
sleep "$WARMUP"
read -r ok0 bad0 <<<"$(counters $T)"; t0=$(ts)
sleep "$WINDOW"
read -r ok1 bad1 <<<"$(counters $T)"; t1=$(ts)
BEFORE=$(rate $ok0 $t0 $ok1 $t1)
echo "before: $BEFORE req/s over $(dt $t0 $t1) s ($((bad1 - bad0)) non-2xx); $(load)"

echo "== node 4 joins through node 1 (learner-stabilization-time ${STAB}s, learner-trailing-entries-max $TRAIL)"
JOPTS=$(tr '\0' '\n' < /proc/"$(cat "$OUT/node-1.pid")"/cmdline | sed -n '2,/^-cp$/p' | grep -v '^-cp$' | tr '\n' ' ')
echo "node 4's JVM options (node 1's): $JOPTS"
read -r oks bads <<<"$(counters $T)"; ts0=$(ts)
RAFTKV_JAVA_OPTS="$JOPTS" ./raftkv node --id 4 --host 127.0.0.1 --artery-port 25524 --http-port 8084 \
  --data-dir "$OUT/data/node-4" --join 127.0.0.1:8081 >"$OUT/node-4.log" 2>&1 &
N4=$!; echo $N4 > "$OUT/node-4.pid"
deadline=$(( $(date +%s) + CHANGE_TIMEOUT ))
th= tl= tg= tc= tv= tstable= lastlag=x poll=0 L=$(leader)
echo "time leader term node4_role node4_lag node4_applied leader_commit configuration_index" > "$OUT/change.tsv"
# one poll: the leader's /metrics (its commit index, the configuration in force and its index,
# node 4's role and lag in it) and node 4's (its applied index): two requests
leaderview() {
  curl -s --max-time 2 "http://127.0.0.1:$((8080 + $1))/metrics" | awk '
    $1 == "raftkv_raft_is_leader" { il = $2 } $1 == "raftkv_raft_commit_index" { c = $2 } $1 == "raftkv_raft_configuration_index" { ci = $2 }
    $1 == "raftkv_raft_term" { term = $2 }
    /^raftkv_raft_member_lag_entries\{member="4",/ { match($0, /role="[a-z]+"/); r = substr($0, RSTART + 6, RLENGTH - 7); lag = $NF }
    END { printf "%d %d %d %s %s %d", il, c, ci, r == "" ? "none" : r, lag == "" ? "-" : sprintf("%d", lag), term }'
}
while [ -z "$tv" ]; do
  kill -0 $N4 2>/dev/null || fail "node 4 stopped: $(tail -5 "$OUT/node-4.log")"
  [ "$(date +%s)" -lt $deadline ] || fail "node 4 was not a voter within $CHANGE_TIMEOUT s (learner: ${tl:-no}, caught up: ${tc:-no})"
  sleep 0.1
  [ -n "$L" ] || { L=$(leader); continue; }
  read -r il lc ci role lag term <<<"$(leaderview $L)"
  [ "$il" = 1 ] || { L=$(leader); continue; }
  committed=false; [ "$lc" -ge "$ci" ] && committed=true
  ap=$(metric 4 raftkv_raft_applied_index)
  now=$(ts)
  echo "$now $L $term $role $lag ${ap:--} $lc $ci" >> "$OUT/change.tsv"
  if [ -z "$th" ] && [ -n "$ap" ]; then th=$now; echo "  node 4's HTTP API answers after $(dt $ts0 $th) s"; fi
  if [ -z "$tl" ] && [ "$role" = learner ] && [ "$committed" = true ]; then
    tl=$now; read -r okl badl <<<"$(counters $T)"; echo "  learner after $(dt $ts0 $tl) s; $(load)"
  fi
  if [[ $lag =~ ^[0-9]+$ ]]; then
    if [ "$lag" -le "$TRAIL" ]; then
      [ -z "$tg" ] && tg=$now && echo "  lag <= $TRAIL after $(dt $ts0 $tg) s"
      [ "$lastlag" != low ] && tstable=$now
      lastlag=low
    else lastlag=high; fi
  fi
  if [ -z "$tc" ] && [ -n "$tl" ] && [ -n "$ap" ] && [ -n "$lc" ] && [ "$ap" -ge "$lc" ]; then
    tc=$now; read -r okc badc <<<"$(counters $T)"; echo "  caught up (applied $ap >= leader's commit $lc) after $(dt $ts0 $tc) s; $(load)"
  fi
  if [ "$role" = voter ] && [ "$committed" = true ]; then
    tv=$now; read -r okv badv <<<"$(counters $T)"; echo "  voter after $(dt $ts0 $tv) s; $(load)"
  fi
  poll=$((poll + 1))
  [ $((poll % 50)) -eq 0 ] && echo "  $(dt $ts0 $now) s: $role, lag $lag, node 4 applied ${ap:-?}, leader node $L (term $term) commit ${lc:-?}"
  [ -n "${lastterm:-}" ] && [ "$term" != "$lastterm" ] && echo "  $(dt $ts0 $now) s: leader node $L in term $term (was term $lastterm)"
  lastterm=$term
done
echo "$poll polls in $(dt $ts0 $tv) s"
[ -n "$tl" ] || { tl=$tv; okl=$okv; echo "  (never seen as a learner: promoted between two polls)"; }
if [ -z "$tc" ]; then tc=$tv; okc=$okv; echo "  (never seen applied through the leader's commit before its promotion; counted as caught up at promotion)"; fi
DURING=$(rate $oks $ts0 $okv $tv)
echo "during: $DURING req/s over $(dt $ts0 $tv) s ($((badv - bads)) non-2xx): start to learner $(rate $oks $ts0 $okl $tl), learner to caught up $(rate $okl $tl $okc $tc), caught up to voter $(rate $okc $tc $okv $tv) req/s"
SNAP=$(grep -h "Installed the leader's snapshot" "$OUT/node-4.log" | tail -1 | sed 's/.*Installed/Installed/')
echo "node 4: ${SNAP:-installed no snapshot: caught up from the log alone}"
echo "node 4's lag last went to <= $TRAIL at $(dt $ts0 $tstable) s, $(dt $tstable $tv) s before its promotion"
# the slowest and fastest second of the change, from the 1-second samples
MINMAX=$(awk -v a="$ts0" -v b="$tv" 'NR == 1 { next } NR > 2 && $1 > a && $1 <= b && p != "" { r = ($2 - pok) / ($1 - p); if (min == "" || r < min) min = r; if (r > max) max = r }
  { p = $1; pok = $2 } END { printf "%.0f %.0f", min, max }' "$OUT/throughput.tsv")
echo "slowest and fastest 1-s throughput during the change: $MINMAX req/s"

sleep "$WINDOW"
read -r ok2 bad2 <<<"$(counters $T)"; t2=$(ts)
AFTER=$(rate $okv $tv $ok2 $t2)
echo "after: $AFTER req/s over $(dt $tv $t2) s ($((bad2 - badv)) non-2xx); $(load)"
kill $SAMPLER 2>/dev/null; SAMPLER=
kill -INT $WRK 2>/dev/null; wait $WRK 2>/dev/null; WRK=
grep '^load:' "$OUT/load-wrk.out"
L=$(leader); C=$(metric $L raftkv_raft_commit_index); dl=$(( $(date +%s) + 120 ))
until [ "$(metric 4 raftkv_raft_applied_index)" -ge "$C" ] 2>/dev/null; do [ "$(date +%s)" -lt $dl ] || break; sleep 0.2; done
echo "after the load: leader node $L commit $C; node 4 applied $(metric 4 raftkv_raft_applied_index), state $(metric 4 raftkv_kv_state_bytes) bytes (leader's $(metric $L raftkv_kv_state_bytes))"
curl -s --max-time 5 "http://127.0.0.1:$((8080 + L))/v1/members" | jq -c '[.members[] | {id, role, lag}]'
echo "leader: node $T in term $TERM0 when the load started, node $L in term $(metric $L raftkv_raft_term) at the end"
for n in 1 2 3 4; do
  echo "  node $n: $(curl -s --max-time 2 "http://127.0.0.1:$((8080 + n))/metrics" | awk '/^raftkv_raft_role_changes_total/ {match($0, /role="[a-z]+"/); printf "%s %d  ", substr($0, RSTART + 6, RLENGTH - 7), $NF}')"
done
rss
echo "== summary"
echo "keys $KEYS x $VALUE B, state $STATE bytes; pre-fill $PREFILL_S s"
echo "node 4: learner $(dt $ts0 $tl) s, lag<=$TRAIL $( [ -n "$tg" ] && dt $ts0 $tg || echo -) s, caught up $(dt $ts0 $tc) s, voter $(dt $ts0 $tv) s ($(echo "$tv - $ts0 - $STAB" | bc | xargs printf '%.1f') s net of the ${STAB} s stabilization)"
echo "throughput (req/s, $CONNS connections, $PUTPCT% puts): before $BEFORE, during $DURING, after $AFTER"
echo "| $(printf "%'d" $KEYS) | $STATE | $(dt $ts0 $tl) s | $(dt $ts0 $tc) s ($( [ -n "$SNAP" ] && echo "$SNAP" | sed -E 's/.*index ([0-9]+): ([0-9]+) bytes.*/snapshot through \1, \2 bytes/' || echo "log only")) | $(dt $ts0 $tv) s ($(echo "$tv - $ts0 - $STAB" | bc | xargs printf '%.1f') s net) | $BEFORE / $DURING / $AFTER |"
echo "$(load)"
