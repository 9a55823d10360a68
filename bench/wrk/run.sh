#!/usr/bin/env bash
# Drives one node's HTTP gateway with wrk and reads the node process's CPU time and voluntary
# context switches (all its threads) over the run, per request.
#   bench/wrk/run.sh SCRIPT URL CONNECTIONS SECONDS PID
# e.g. bench/wrk/run.sh put http://127.0.0.1:8081 64 15 "$(cat run/node-1.pid)"
set -euo pipefail
script=$1 url=$2 conns=$3 secs=$4 pid=$5
here=$(dirname "$0")
# Threads come and go during a run; one that ended between the glob and the read is skipped.
switches() { { cat /proc/"$pid"/task/*/status 2>/dev/null || true; } | awk '/^voluntary_ctxt_switches/ {s += $2} END {print s}'; }
cputicks() { awk '{print $14 + $15}' /proc/"$pid"/stat; }
threads=2; [ "$conns" -lt 2 ] && threads=1
s0=$(switches); c0=$(cputicks)
out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s "$here/$script.lua" "$url")
s1=$(switches); c1=$(cputicks)
echo "$out"
reqs=$(echo "$out" | awk '/requests in/ {print $1}')
hz=$(getconf CLK_TCK)
awk -v r="$reqs" -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v hz="$hz" -v secs="$secs" 'BEGIN {
  printf "node: %.1f voluntary context switches per request, %.0f us CPU per request, %.0f%% CPU\n", s / r, c / hz * 1e6 / r, c / hz / secs * 100 }'
