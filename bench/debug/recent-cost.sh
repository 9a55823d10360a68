#!/usr/bin/env bash
# The cost of the continuous JFR recording behind /debug/jfr/recent (docs/PROFILING.md, "What it
# costs"), on 3-node clusters on this machine, in two ways:
#  1. Turns under load: raftkv.debug.enabled off and on in turns (off, on, off, on, ...: drift and a
#     busy machine hit both), each on a fresh cluster, an unmeasured warm-up, then SECONDS of wrk
#     (bench/wrk/SCRIPT.lua, CONNECTIONS connections) against the leader: throughput, and the three
#     nodes' CPU time per request.
#  2. Paired idle: an off and an on cluster side by side, idle for 60 s after a short load, so both
#     see the same machine at the same time: the CPU the three nodes of each take doing nothing.
# Also prints the size of a /debug/jfr/recent dump. Run from the repository root:
#   bench/debug/recent-cost.sh [ROUNDS=3] [SECONDS=20] [CONNECTIONS=16] [SCRIPT=put]
# Its own ports (HTTP 18081-18083 and 18091-18093, Artery 35521-35523 and 35531-35533) and a
# temporary directory, removed at the end.
set -euo pipefail
rounds=${1:-3} secs=${2:-20} conns=${3:-16} script=${4:-put}
warmup=10 idle_secs=60
hz=$(getconf CLK_TCK)
./raftkv --version >/dev/null || exit 2   # builds now if needed, so that no turn includes a build
work=$(mktemp -d)
down() { ./raftkv down -f "$work/$1/cluster.conf" --run-dir "$work/$1/run" >/dev/null 2>&1 || true; }
trap 'down a; down b; rm -rf "$work"' EXIT

up() { # NAME MODE OFFSET: a fresh cluster under $work/NAME, ports offset by OFFSET
  local name=$1 mode=$2 offset=$3 dir=$work/$1 n
  rm -rf "$dir"; mkdir -p "$dir"
  { echo 'raftkv.cluster.nodes = ['
    for n in 1 2 3; do
      echo "  { id = $n, host = \"127.0.0.1\", artery-port = $((35520 + offset + n)), http-port = $((18080 + offset + n)), data-dir = \"$dir/data/node-$n\" }"
    done
    echo ']'; } > "$dir/cluster.conf"
  echo "raftkv.debug.enabled = $mode" > "$dir/app.conf"
  ./raftkv up -f "$dir/cluster.conf" -c "$dir/app.conf" --run-dir "$dir/run" --timeout 120s >/dev/null 2> >(grep -v 'waiting for a leader' >&2)
}

leader_url() { # NAME OFFSET
  local leader
  leader=$(curl -s "http://127.0.0.1:$((18081 + $2))/v1/cluster" | sed -n 's/.*"leader":\([0-9]*\).*/\1/p')
  echo "http://127.0.0.1:$((18080 + $2 + leader))"
}

ticks() { # NAME: its three nodes' CPU time so far, in clock ticks (user + system, all threads)
  local sum=0 n
  for n in 1 2 3; do sum=$((sum + $(awk '{print $14 + $15}' /proc/"$(cat "$work/$1/run/node-$n.pid")"/stat))); done
  echo "$sum"
}

echo "== turns under load: $rounds x (off, on), ${warmup} s warm-up, ${secs} s of $script@$conns"
for r in $(seq 1 "$rounds"); do
  for mode in off on; do
    up a "$mode" 0
    url=$(leader_url a 0)
    wrk -t2 -c"$conns" -d"${warmup}s" -s bench/wrk/"$script".lua "$url" >/dev/null
    c0=$(ticks a)
    out=$(wrk -t2 -c"$conns" -d"${secs}s" -s bench/wrk/"$script".lua "$url")
    c1=$(ticks a)
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    awk -v m="$mode" -v r="$r" -v rps="$rps" -v reqs="$reqs" -v c=$((c1 - c0)) -v hz="$hz" 'BEGIN {
      printf "%-4s round %d: %7.0f req/s, %5.0f us of the nodes'"'"' CPU per request\n", m, r, rps, c / hz * 1e6 / reqs }'
    if [ "$mode" = on ]; then
      echo "     the leader's /debug/jfr/recent: $(( $(curl -s -o /dev/null -w '%{size_download}' "$url/debug/jfr/recent") / 1024 )) KiB"
    fi
    down a
  done
done

echo "== paired idle: an off and an on cluster side by side, ${idle_secs} s after ${warmup} s of load each"
up a off 0; up b on 10
wrk -t2 -c"$conns" -d"${warmup}s" -s bench/wrk/"$script".lua "$(leader_url a 0)" >/dev/null
wrk -t2 -c"$conns" -d"${warmup}s" -s bench/wrk/"$script".lua "$(leader_url b 10)" >/dev/null
a0=$(ticks a); b0=$(ticks b)
sleep "$idle_secs"   # the measurement's window, not a wait for a condition
a1=$(ticks a); b1=$(ticks b)
awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v hz="$hz" -v s="$idle_secs" 'BEGIN {
  printf "off: %.1f%% of a core for its three nodes; on: %.1f%%; the recording: %.1f%% of a core per node\n",
    a / hz / s * 100, b / hz / s * 100, (b - a) / hz / s * 100 / 3 }'
