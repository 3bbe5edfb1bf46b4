#!/usr/bin/env bash
# Benchmark anchor for issue 11: Debian's reference ptp + host-local ADD and DEL latency, invoked directly as a
# runtime does (CNI_* env + config on stdin), each pod against a fresh network namespace created here.
# The "host" is the netns rcni-bh (so the host veths and ip_forward never touch the machine's own netns).
# Usage: anchor-bench.sh [N=200]   Prints: ptp+host-local ADD p50/p99, DEL p50/p99 in ms.
# Take the shared build lock around it on a shared machine: flock /tmp/romana-build.lock scripts/cni-lab/anchor-bench.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
rcni_need_root
rcni_install
n=${1:-200}
[[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 250 ]] || die "N: '$n' is not a count from 1 to 250 (one /24 of pods)"

dir=$(mktemp -d /tmp/rcni-bench.XXXXXX)
cleanup() {
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep '^rcni-b' || true); do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$dir"
}
cleanup; trap cleanup EXIT
mkdir -p "$dir"
ip netns add rcni-bh
ip -n rcni-bh link set lo up

conf=$(cat <<JSON
{ "cniVersion": "1.0.0", "name": "rcni-bench", "type": "ptp", "mtu": 1500,
  "ipam": { "type": "host-local", "dataDir": "$dir/ipam", "ranges": [[{ "subnet": "10.250.0.0/24" }]],
            "routes": [{ "dst": "0.0.0.0/0" }] } }
JSON
)

# one plugin call as a runtime makes it, timed with bash's EPOCHREALTIME (no fork for the clock)
call() { # command, container id, netns path -> prints elapsed microseconds
  local t0 t1 out
  t0=${EPOCHREALTIME/./}
  if ! out=$(CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 CNI_IFNAME=eth0 CNI_PATH="$RCNI_PLUGINS" \
      nsenter --net=/run/netns/rcni-bh -- "$RCNI_PLUGINS/ptp" <<<"$conf"); then
    die "ptp $1 of $2 failed: ${out:0:300}"
  fi
  t1=${EPOCHREALTIME/./}
  echo $((t1 - t0))
}

: >"$dir/add"; : >"$dir/del"
for i in $(seq "$n"); do ip netns add "rcni-bp$i"; done
for i in $(seq "$n"); do call ADD "rcni-bench-$i" "/run/netns/rcni-bp$i" >>"$dir/add"; done
for i in $(seq "$n"); do call DEL "rcni-bench-$i" "/run/netns/rcni-bp$i" >>"$dir/del"; done
left=$(find "$dir/ipam/rcni-bench" -name '10.*' | wc -l)
((left == 0)) || die "$left addresses still allocated after DEL"

pct() { # file, percentile -> ms (nearest rank)
  sort -n "$1" | awk -v p="$2" '{v[NR]=$1} END {r=int((p*NR+99)/100); if (r<1) r=1; printf "%.1f", v[r]/1000}'
}
printf 'ptp+host-local (%s, %d pods, invoked as a runtime does): ADD p50 %s ms p99 %s ms; DEL p50 %s ms p99 %s ms\n' \
  "$(dpkg-query -W -f '${Version}' containernetworking-plugins)" "$n" \
  "$(pct "$dir/add" 50)" "$(pct "$dir/add" 99)" "$(pct "$dir/del" 50)" "$(pct "$dir/del" 99)"
