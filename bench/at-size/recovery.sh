#!/usr/bin/env bash
# Restart and catch-up at the pre-filled size (docs/PERFORMANCE.md, "At size: 2 million keys"), on
# the raftkv cluster that 'raftkv bench --keep-data --out RUN' left in RUN/raftkv (nodes 1-3 of
# conf/cluster.conf, HTTP ports 8081-8083), run from the repository root:
#   bench/at-size/recovery.sh runs/bench-2m
# Restarts the cluster, kills a follower with kill -9, overwrites keys with the bench's own wrk
# script until the leader writes a snapshot (at most 10 minutes), restarts the follower and times
# its catch-up, then times 'down' and 'up', and reads three keys back. Every wait polls /metrics.
set -uo pipefail
RUN=${1:?usage: bench/at-size/recovery.sh RUN_DIR}
[ -f "$RUN/raftkv/cluster.conf" ] || { echo "no $RUN/raftkv/cluster.conf: run 'raftkv bench --keep-data --out $RUN' first" >&2; exit 2; }
./raftkv --version >/dev/null || exit 2   # builds now if needed, so that no timing below includes a build
DIR=$RUN/raftkv; CF=$DIR/cluster.conf
ts() { date +%s.%N; }
since() { echo "$(ts) - $1" | bc | xargs printf '%.1f'; }
metric() { curl -s --max-time 2 "http://127.0.0.1:$((8080 + $1))/metrics" | awk -v m="$2" '$1==m {printf "%d", $2}'; }
leader() { for n in 1 2 3; do [ "$(metric $n raftkv_raft_is_leader)" = 1 ] && echo $n && return; done; }
rss() { for n in 1 2 3; do p=$(cat $DIR/node-$n.pid 2>/dev/null); [ -n "$p" ] && ps -o rss= -p $p | awk -v n=$n '{printf "node %d %.0f MiB  ", n, $1/1024}'; done; echo; }
echo "data: $(du -sh $DIR/data | cut -f1)"; for n in 1 2 3; do echo "  node-$n: $(du -sh $DIR/data/node-$n | cut -f1), snapshots $(ls -la $DIR/data/node-$n/raft-snapshots 2>/dev/null | awk 'NR>3{printf "%s ", $5}')"; done

echo "== restart: raftkv up"
t=$(ts); ./raftkv up -f $CF --run-dir $DIR --timeout 300s || exit 1
echo "leader agreed after $(since $t) s"
L=$(leader); C=$(metric $L raftkv_raft_commit_index)
for n in 1 2 3; do until [ "$(metric $n raftkv_raft_applied_index)" -ge "$C" ] 2>/dev/null; do sleep 0.2; done; done
echo "every node applied through $C after $(since $t) s"; rss

echo "== catch-up: kill -9 a follower, overwrite with wrk until the leader writes a snapshot, restart the follower"
L=$(leader); F=$(( L % 3 + 1 )); echo "leader $L, follower $F"
kill -9 $(cat $DIR/node-$F.pid)
before=$(grep -c "Snapshot through index" $DIR/node-$L.log)
wrk -t2 -c64 -d600s --timeout 10s -s $RUN/raftkv-put-64.lua http://127.0.0.1:$((8080 + L)) > $DIR/catch-up-wrk.out 2>&1 &
W=$!; t=$(ts)
until [ "$(grep -c "Snapshot through index" $DIR/node-$L.log)" -gt "$before" ] || ! kill -0 $W 2>/dev/null; do sleep 1; done
kill $W 2>/dev/null; wait $W 2>/dev/null
echo "overwrote for $(since $t) s until the leader's snapshot: $(grep "Snapshot through index" $DIR/node-$L.log | tail -1 | sed 's/.*Snapshot/Snapshot/')"
C=$(metric $L raftkv_raft_commit_index); echo "leader commit $C; follower $F starting"
t=$(ts); ./raftkv up -f $CF --run-dir $DIR --timeout 300s >/dev/null || exit 1
until [ "$(metric $F raftkv_raft_applied_index)" -ge "$C" ] 2>/dev/null; do sleep 0.2; done
echo "follower $F applied through $C $(since $t) s after 'up'"; grep "Installed the leader's snapshot" $DIR/node-$F.log | tail -1; rss

echo "== down, then up again"
t=$(ts); ./raftkv down -f $CF --run-dir $DIR; echo "down in $(since $t) s"
t=$(ts); ./raftkv up -f $CF --run-dir $DIR --timeout 300s >/dev/null || exit 1
L=$(leader); C=$(metric $L raftkv_raft_commit_index); echo "leader agreed after $(since $t) s"
for n in 1 2 3; do until [ "$(metric $n raftkv_raft_applied_index)" -ge "$C" ] 2>/dev/null; do sleep 0.2; done; done
echo "every node applied through $C after $(since $t) s"; rss
for k in 0 999999 1999999; do key=$(printf "k%015d" $k); echo "$key: $(curl -s http://127.0.0.1:$((8080 + L))/v1/kv/$key | wc -c) bytes"; done
./raftkv down -f $CF --run-dir $DIR
