#!/usr/bin/env bash
# CNI benchmark for issue 11: romana-aws-cni (+ the agent's socket) against Debian's reference ptp + host-local,
# side by side in the same run, each invoked exactly as a runtime does (CNI_* env + config on stdin, via nsenter
# into the "host" netns rcni-bh), every pod a fresh network namespace made here. ADD and DEL alternate between the
# two plugins pod by pod so both see the same machine load. Then: N concurrent ADDs on one node (slowest reported,
# both plugins), and the agent's restart (kill -9) to its first served ADD.
# Usage: cni-bench.sh [N=200]   (root; take the shared build lock on a shared machine)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
rcni_need_root
rcni_install
rcni_romana_build
n=${1:-200}
[[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 250 ]] || die "N: '$n' is not a count from 1 to 250 (one /24 of pods per plugin)"
concurrent=100

dir=$(mktemp -d /tmp/rcni-bench.XXXXXX)
cleanup() {
  local ns
  [[ -f $dir/agent.pid ]] && kill -9 "$(<"$dir/agent.pid")" 2>/dev/null || true
  umount "$dir/run" 2>/dev/null || true
  for ns in $(ip netns list | awk '{print $1}' | grep '^rcni-b' || true); do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$dir"
}
cleanup; trap cleanup EXIT
mkdir -p "$dir/bin" "$dir/run"
rcni_plugin_dir "$dir/bin"
# The agent's socket and checkpoint on tmpfs, as on a node (/run/romana-aws); host-local keeps its files on disk
# as it does on a node (/var/lib/cni/networks).
mount -t tmpfs -o size=16m,mode=0700 rcni-bench "$dir/run"
ip netns add rcni-bh
ip -n rcni-bh link set lo up

ref_conf=$(cat <<JSON
{ "cniVersion": "1.0.0", "name": "rcni-bench", "type": "ptp", "mtu": 1500,
  "ipam": { "type": "host-local", "dataDir": "$dir/ipam", "ranges": [[{ "subnet": "10.250.0.0/24" }]],
            "routes": [{ "dst": "0.0.0.0/0" }] } }
JSON
)
our_conf='{ "cniVersion": "1.0.0", "name": "romana-aws", "type": "romana-aws-cni", "agentSocket": "'$dir'/run/cni.sock", "mtu": 1500 }'
cat >"$dir/desired.json" <<JSON
{ "instanceId": "i-00000001", "groups": ["10.251.0.0/23"],
  "blocks": [$(for b in 0 64 128 192; do printf '{ "cidr": "10.251.0.%d/26", "owner": "default" },' $b; done) { "cidr": "10.251.1.0/26", "owner": "default" }],
  "peers": [], "owners": {} }
JSON

agent_start() {
  nsenter --net=/run/netns/rcni-bh -- "$ROMANA_AWS" agent --desired "$dir/desired.json" --instance-id i-00000001 --listen 127.0.0.1:9612 \
    --cni-socket "$dir/run/cni.sock" --cni-checkpoint "$dir/run/ipam.json" >>"$dir/agent.log" 2>&1 &
  echo $! >"$dir/agent.pid"
}

# one plugin call as a runtime makes it, timed with bash's EPOCHREALTIME (no fork for the clock)
call() { # plugin, config, command, container id, netns path -> prints elapsed microseconds
  local t0 t1 out
  t0=${EPOCHREALTIME/./}
  if ! out=$(CNI_COMMAND=$3 CNI_CONTAINERID=$4 CNI_NETNS=$5 CNI_IFNAME=eth0 CNI_PATH="$dir/bin" \
      nsenter --net=/run/netns/rcni-bh -- "$dir/bin/$1" <<<"$2"); then
    die "$1 $3 of $4 failed: ${out:0:300}"
  fi
  t1=${EPOCHREALTIME/./}
  echo $((t1 - t0))
}

pct() { # file, percentile -> ms (nearest rank)
  sort -n "$1" | awk -v p="$2" '{v[NR]=$1} END {r=int((p*NR+99)/100); if (r<1) r=1; printf "%.1f", v[r]/1000}'
}

agent_start
for _ in $(seq 400); do [[ -S $dir/run/cni.sock ]] && break; sleep 0.05; done
[[ -S $dir/run/cni.sock ]] || { cat "$dir/agent.log" >&2; die "the agent did not open its socket"; }
sleep 1   # first sync done: blocks known

log "$n pods per plugin, ADD then DEL, alternating plugins pod by pod"
: >"$dir/our.add"; : >"$dir/our.del"; : >"$dir/ref.add"; : >"$dir/ref.del"
for i in $(seq "$n"); do ip netns add "rcni-bo$i"; ip netns add "rcni-br$i"; done
for i in $(seq "$n"); do
  call romana-aws-cni "$our_conf" ADD "bench-o$i" "/run/netns/rcni-bo$i" >>"$dir/our.add"
  call ptp "$ref_conf" ADD "bench-r$i" "/run/netns/rcni-br$i" >>"$dir/ref.add"
done
for i in $(seq "$n"); do
  call romana-aws-cni "$our_conf" DEL "bench-o$i" "/run/netns/rcni-bo$i" >>"$dir/our.del"
  call ptp "$ref_conf" DEL "bench-r$i" "/run/netns/rcni-br$i" >>"$dir/ref.del"
done
left=$(find "$dir/ipam/rcni-bench" -name '10.*' | wc -l)
((left == 0)) || die "host-local: $left addresses still allocated after DEL"
grep -q '"attachments":\[\]' "$dir/run/ipam.json" || die "romana-aws: addresses still held after DEL: $(head -c 300 "$dir/run/ipam.json")"
for i in $(seq "$n"); do ip netns del "rcni-bo$i"; ip netns del "rcni-br$i"; done

printf 'romana-aws-cni (Native AOT + agent socket), %d pods: ADD p50 %s ms p99 %s ms; DEL p50 %s ms p99 %s ms\n' "$n" \
  "$(pct "$dir/our.add" 50)" "$(pct "$dir/our.add" 99)" "$(pct "$dir/our.del" 50)" "$(pct "$dir/our.del" 99)"
printf 'ptp+host-local (%s), %d pods:             ADD p50 %s ms p99 %s ms; DEL p50 %s ms p99 %s ms\n' \
  "$(dpkg-query -W -f '${Version}' containernetworking-plugins)" "$n" \
  "$(pct "$dir/ref.add" 50)" "$(pct "$dir/ref.add" 99)" "$(pct "$dir/ref.del" 50)" "$(pct "$dir/ref.del" 99)"

concurrent_adds() { # plugin, config, prefix -> prints slowest ms, all ms in file
  local plugin=$1 conf=$2 p=$3 pids=() k t0 t1
  for k in $(seq "$concurrent"); do ip netns add "rcni-b$p$k"; done
  : >"$dir/$p.conc"
  t0=${EPOCHREALTIME/./}
  for k in $(seq "$concurrent"); do call "$plugin" "$conf" ADD "bench-$p$k" "/run/netns/rcni-b$p$k" >>"$dir/$p.conc" & pids+=($!); done
  wait "${pids[@]}"
  t1=${EPOCHREALTIME/./}
  (($(wc -l <"$dir/$p.conc") == concurrent)) || die "$plugin: not every concurrent ADD finished"
  printf '%s concurrent ADDs (%s): all done in %s ms, slowest %s ms, p50 %s ms\n' "$concurrent" "$plugin" $(((t1 - t0) / 1000)) "$(pct "$dir/$p.conc" 100)" "$(pct "$dir/$p.conc" 50)"
}
concurrent_adds romana-aws-cni "$our_conf" co
distinct=$(grep -o '"address":"[0-9.]*"' "$dir/run/ipam.json" | sort -u | wc -l)
((distinct == concurrent)) || die "romana-aws: $distinct distinct addresses for $concurrent concurrent ADDs"
concurrent_adds ptp "$ref_conf" cr

# agent restart (kill -9) to the first ADD it serves: the plugin is retried as a runtime retries a failed ADD
kill -9 "$(<"$dir/agent.pid")"; wait "$(<"$dir/agent.pid")" 2>/dev/null || true
ip netns add rcni-bfirst
t0=${EPOCHREALTIME/./}
agent_start
tries=0
until CNI_COMMAND=ADD CNI_CONTAINERID=bench-first CNI_NETNS=/run/netns/rcni-bfirst CNI_IFNAME=eth0 CNI_PATH="$dir/bin" \
    nsenter --net=/run/netns/rcni-bh -- "$dir/bin/romana-aws-cni" <<<"$our_conf" >/dev/null 2>&1; do
  tries=$((tries + 1)); ((tries < 3000)) || die "the restarted agent served no ADD"; sleep 0.01
done
t1=${EPOCHREALTIME/./}
restored=$(grep -o '"address":"[0-9.]*"' "$dir/run/ipam.json" | sort -u | wc -l)
printf 'agent restart (kill -9, %d addresses in the checkpoint) to first served ADD: %s ms (%d refused ADDs before it)\n' "$((restored - 1))" $(((t1 - t0) / 1000)) "$tries"
