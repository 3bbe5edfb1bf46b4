#!/usr/bin/env bash
# Two containerd "nodes" joined by a bridge, containers started by containerd's own CNI integration
# (`ctr run --cni`). By default the network is RomanaAws's: each node runs `romana-aws agent` (desired state
# from a file: its blocks and its peer's) with the CNI socket, the agent writes the node's conflist
# (romana-aws-cni + chained portmap) once it can serve ADDs, and containerd calls romana-aws-cni.
# `--reference` runs the same checks on Debian's ptp + host-local instead. Shows: node1 -> node2 container,
# node1 -> own-node container, a portmap hostPort, a deleted container's address free again, kill -9 of the
# agent between ADDs losing nothing, and (romana) 100 concurrent container starts on one node with distinct
# addresses. Cleans up (prefix rcni-) on exit. Prints PASS/FAIL per check; exit 0 when all pass.
#
#   switch netns rcni-sw: bridge br0
#   node netns rcni-n1: eth0 10.99.0.1/24, pods 10.244.1.0/24 (blocks 10.244.1.0/26, 10.244.1.64/26)
#   node netns rcni-n2: eth0 10.99.0.2/24, pods 10.244.2.0/24 (blocks 10.244.2.0/26, 10.244.2.64/26)
# Each node also has its own mount namespace ($RCNI_RUN/nN/mnt) in which /etc/cni/net.d and /opt/cni/bin
# are bind mounts: ctr run --cni reads exactly those two fixed paths (go-cni defaults), in ctr's own
# mount namespace. Usage: lab.sh [--reference] [--keep] [--concurrent N]  (`lab.sh --down` removes a kept lab)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
rcni_need_root

keep=0 mode=romana concurrent=100
while (($#)); do
  case $1 in
    --down) rcni_cleanup; log "lab removed"; exit 0 ;;
    --keep) keep=1 ;;
    --reference) mode=reference ;;
    --concurrent) concurrent=${2:?--concurrent needs a count}; shift ;;
    *) die "unknown argument '$1' (expected --reference, --keep, --concurrent N or --down)" ;;
  esac
  shift
done
[[ $concurrent =~ ^[0-9]+$ && $concurrent -le 120 ]] || die "--concurrent '$concurrent': a count from 0 to 120 (the node's two /26 blocks, less the pods already running)"
rcni_install
[[ $mode == reference ]] || rcni_romana_build
rcni_cleanup   # idempotent: start from nothing
((keep)) || trap rcni_cleanup EXIT

# /run/containerd is per node too: the runc shim keeps runc's state in /run/containerd/runc/<ns>/<id>
# whatever --state says, so two nodes sharing it collide ("container with given ID already exists")
mkdir -p "$RCNI_RUN" /etc/cni/net.d /opt/cni/bin /run/containerd
# a private mount point so the per-node mount namespaces can be pinned by bind mounts under it
mount --bind "$RCNI_RUN" "$RCNI_RUN"
mount --make-private "$RCNI_RUN"
plugins=$RCNI_PLUGINS
if [[ $mode == romana ]]; then plugins=$RCNI_RUN/bin; rcni_plugin_dir "$plugins"; fi

ip netns add rcni-sw
ip -n rcni-sw link add br0 type bridge
ip -n rcni-sw link set br0 up

node_up() { # node index, node address, pod CIDR, peer pod CIDR, peer address
  local i=$1 addr=$2 cidr=$3 peer_cidr=$4 peer=$5 n="n$1" d="$RCNI_RUN/n$1"
  mkdir -p "$d"/{net.d,root,state,ipam,run-containerd}
  ip netns add "rcni-$n"
  ip link add "rcni-$n-eth0" netns "rcni-$n" type veth peer name "rcni-$n-sw" netns rcni-sw
  ip -n rcni-sw link set "rcni-$n-sw" master br0 up
  ip -n "rcni-$n" link set "rcni-$n-eth0" name eth0
  ip -n "rcni-$n" addr add "$addr/24" dev eth0
  ip -n "rcni-$n" link set lo up
  ip -n "rcni-$n" link set eth0 up
  if [[ $mode == reference ]]; then
    ip -n "rcni-$n" route add "$peer_cidr" via "$peer"
    ip netns exec "rcni-$n" sysctl -qw net.ipv4.ip_forward=1
  fi

  # the node's own mount namespace, pinned at $d/mnt; CNI dirs are bind mounts inside it only
  touch "$d/mnt"
  unshare --mount="$d/mnt" --propagation private sh -c "
    mount --bind '$d/net.d' /etc/cni/net.d
    mount --bind '$plugins' /opt/cni/bin
    mount --bind '$d/run-containerd' /run/containerd"

  # host-local keeps its allocations in dataDir (default /var/lib/cni/networks): one file per address
  [[ $mode == reference ]] && cat >"$d/net.d/10-rcni.conflist" <<JSON
{ "cniVersion": "1.0.0", "name": "rcni",
  "plugins": [
    { "type": "ptp", "mtu": 1500,
      "ipam": { "type": "host-local", "dataDir": "$d/ipam", "ranges": [[{ "subnet": "$cidr" }]],
                "routes": [{ "dst": "0.0.0.0/0" }] } },
    { "type": "portmap", "snat": true, "capabilities": { "portMappings": true } $( ((i == 2)) && echo ', "runtimeConfig": { "portMappings": [{ "hostPort": 8080, "containerPort": 80, "protocol": "tcp" }] }' ) }
  ] }
JSON
  rcni_containerd_up "$n"
  rcni_ctr "$n" images import --snapshotter native "$RCNI_RUN/image.tar" >/dev/null
  [[ $mode == romana ]] && agent_up "$i" "$peer"
  log "node $n up: $addr, pods $cidr, containerd $d/containerd.sock ($mode network)"
}

# The node's desired state (what the controller would serve): its blocks, its peer's blocks via the peer.
desired() { # node index, peer index, peer address
  local i=$1 j=$2
  cat <<JSON
{ "instanceId": "i-0000000$i", "groups": ["10.244.$i.0/24"],
  "blocks": [{ "cidr": "10.244.$i.0/26", "owner": "default" }, { "cidr": "10.244.$i.64/26", "owner": "default" }],
  "peers": [{ "instanceId": "i-0000000$j", "ip": "$3",
              "blocks": [{ "cidr": "10.244.$j.0/26", "owner": "default" }, { "cidr": "10.244.$j.64/26", "owner": "default" }] }],
  "owners": { "default": ["10.244.1.0/26", "10.244.1.64/26", "10.244.2.0/26", "10.244.2.64/26"] } }
JSON
}

# What an agent that did not come up was doing: its log, the commands it is waiting on (iptables, ipset, ip), who
# holds the xtables lock, and its /healthz.
agent_stuck() { # node index
  local n="n$1" d="$RCNI_RUN/n$1" pid
  pid=$(cat "$d/agent.pid")
  { echo "--- agent.log of $n"; cat "$d/agent.log"
    echo "--- processes of the agent (pid $pid)"; ps -o pid,etime,stat,args --ppid "$pid" --pid "$pid" || true
    echo "--- holders of /run/xtables.lock"; fuser -v /run/xtables.lock 2>&1 || true
    # A thread in state D waits in the kernel: where (rtnl or netns teardown by another test, a mount, the disk).
    echo "--- kernel waits of the agent's threads"
    for t in /proc/"$pid"/task/*; do echo "$(basename "$t") $(cat "$t/stat" 2>/dev/null | awk '{print $3}') $(cat "$t/wchan" 2>/dev/null)"; done | sort -k3 | uniq -c -f1 || true
    echo "--- kernel stack of the agent"; cat "/proc/$pid/stack" 2>/dev/null || true
    echo "--- other processes in state D"; ps -eo pid,stat,wchan:32,args | awk '$2 ~ /^D/' | head -20 || true
    echo "--- /healthz"; timeout 3 nsenter --net="/run/netns/rcni-$n" -- curl -s -m 2 http://127.0.0.1:9612/healthz || true
    echo; } >&2
}

# Starts node N's agent inside the node (its netns and mount ns: the conflist lands in the node's
# /etc/cni/net.d) and waits until it has written the conflist: the sign that it serves ADDs.
agent_up() { # node index, peer address
  local i=$1 n="n$1" d="$RCNI_RUN/n$1"
  desired "$i" $((3 - i)) "$2" >"$d/desired.json"
  rm -f "$d/net.d/10-romana-aws.conflist"
  nsenter --net="/run/netns/rcni-$n" --mount="$d/mnt" -- "$ROMANA_AWS" agent --desired "$d/desired.json" --instance-id "i-0000000$i" \
    --listen 127.0.0.1:9612 --poll-seconds 1 --resync-seconds 5 --cni-socket "$d/cni.sock" --cni-checkpoint "$d/cni-ipam.json" \
    --cni-conf-dir /etc/cni/net.d --cni-mtu 1500 >>"$d/agent.log" 2>&1 &
  echo $! >"$d/agent.pid"
  # Up to 90 s: under a loaded CI machine (2 cores, the other CNI tests running beside the lab) the agent once took more
  # than 10, and once sat over 30 s in state D (a kernel wait) before its first conflist; agent_stuck shows where.
  for _ in $(seq 1800); do [[ -s $d/net.d/10-romana-aws.conflist ]] && break; sleep 0.05; done
  [[ -s $d/net.d/10-romana-aws.conflist ]] || { agent_stuck "$i"; die "agent of $n wrote no conflist"; }
  # ctr passes no capability args: give n2's portmap a static runtimeConfig (libcni leaves it as is)
  ((i == 2)) && sed -i 's/"snat": true/"snat": true, "runtimeConfig": { "portMappings": [{ "hostPort": 8080, "containerPort": 80, "protocol": "tcp" }] }/' "$d/net.d/10-romana-aws.conflist"
  return 0
}
agent_kill9() { local d="$RCNI_RUN/n$1"; kill -9 "$(<"$d/agent.pid")"; wait "$(<"$d/agent.pid")" 2>/dev/null || true; }

# Starts container ID on node N through ctr run --cni in the foreground (backgrounded here), so that when
# the task exits ctr itself calls CNI DEL (a detached `ctr run -d --cni` never calls DEL).
run_pod() { # node, id, command...
  local n=$1 id=$2; shift 2
  rcni_ctr "$n" run --cni --rm --null-io --snapshotter native "$RCNI_IMAGE" "rcni-$id" "$@" \
    >"$RCNI_RUN/$n/$id.log" 2>&1 &
  echo $! >"$RCNI_RUN/$n/$id.ctr.pid"
  local ip=""
  for _ in $(seq 100); do
    ip=$(rcni_ctr "$n" tasks exec --exec-id "ip$RANDOM" "rcni-$id" ip -4 -o addr show eth0 2>/dev/null | awk '{print $4}' | cut -d/ -f1) || true
    [[ -n $ip ]] && break
    sleep 0.1
  done
  [[ -n $ip ]] || { cat "$RCNI_RUN/$n/$id.log" >&2; die "pod $id on $n got no address"; }
  echo "$ip"
}
stop_pod() { # node, id: kill the task; the waiting ctr then runs CNI DEL and removes the container
  local n=$1 id=$2 pid
  pid=$(<"$RCNI_RUN/$n/$id.ctr.pid")
  rcni_ctr "$n" tasks kill -s KILL "rcni-$id" >/dev/null
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  ! kill -0 "$pid" 2>/dev/null || die "ctr run of $id did not exit"
}
pexec() { local n=$1 id=$2; shift 2; rcni_ctr "$n" tasks exec --exec-id "x$RANDOM" "rcni-$id" "$@"; }

"$here/build-image.sh" "$RCNI_RUN/image.tar" >/dev/null
node_up 1 10.99.0.1 10.244.1.0/24 10.244.2.0/24 10.99.0.2
node_up 2 10.99.0.2 10.244.2.0/24 10.244.1.0/24 10.99.0.1

a=$(run_pod n1 a sleep 3600)
b=$(run_pod n1 b sleep 3600)
c=$(run_pod n2 c httpd -f -p 80 -h /www)
log "pods: a=$a (n1) b=$b (n1) c=$c (n2)"
log "pod a, as the $mode plugin set it up:"; pexec n1 a ip addr show eth0 >&2; pexec n1 a ip route >&2
log "node n1 routes:"; rcni_in n1 ip route >&2

fail=0
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then log "PASS $what"; else log "FAIL $what"; fail=1; fi; }
check "a (n1) pings c (n2) across nodes" pexec n1 a ping -c 2 -W 2 "$c"
check "a (n1) pings b on its own node" pexec n1 a ping -c 2 -W 2 "$b"
# busybox-static's wget segfaults in this image (static glibc resolver without NSS); nc speaks HTTP fine
http_get() { pexec n1 a sh -c "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $1 $2" 2>/dev/null | tail -1; }
got=$(http_get "$c" 80 || true)
check "a (n1) fetches c's httpd directly (got '$got')" test "$got" = rcni-hello
got=$(http_get 10.99.0.2 8080 || true)
check "portmap: a (n1) reaches c via node n2 hostPort 10.99.0.2:8080 (got '$got')" test "$got" = rcni-hello
if [[ $mode == reference ]]; then
  recorded() { test -f "$RCNI_RUN/n1/ipam/rcni/$1"; }
else
  recorded() { grep -q "\"address\":\"$1\"" "$RCNI_RUN/n1/cni-ipam.json"; }
fi
check "the IPAM recorded a's address $a" recorded "$a"
stop_pod n1 a
not() { ! "$@"; }
check "deleting a (ctr ran CNI DEL) freed $a" not recorded "$a"
check "deleting a removed its host route" sh -c "! nsenter --net=/run/netns/rcni-n1 ip route | grep -q '^$a '"
a2=$(run_pod n1 a2 sleep 3600)
check "a deleted container's address is free again: a2 got $a2 (lowest free, a had $a)" test "$a2" = "$a"
stop_pod n2 c
check "deleting c removed its portmap DNAT chain" sh -c "! nsenter --net=/run/netns/rcni-n2 iptables-save -t nat | grep -q 'CNI-DN-'"

if [[ $mode == romana ]]; then
  # kill -9 of the agent between ADDs: the checkpoint keeps a2 and b; the restarted agent hands e a new address
  agent_kill9 1
  agent_up 1 10.99.0.2
  e=$(run_pod n1 e sleep 3600)
  check "after kill -9 of the agent, e got $e, distinct from a2=$a2 and b=$b" test "$e" != "$a2" -a "$e" != "$b"
  check "after kill -9 the checkpoint still holds a2 and b" sh -c "grep -q '\"address\":\"$a2\"' $RCNI_RUN/n1/cni-ipam.json && grep -q '\"address\":\"$b\"' $RCNI_RUN/n1/cni-ipam.json"
  check "a2 (started before the kill) still pings b" pexec n1 a2 ping -c 1 -W 2 "$b"

  if ((concurrent > 0)); then
    log "starting $concurrent containers on n1 at once"
    t0=${EPOCHREALTIME/./}
    starts=()
    for k in $(seq "$concurrent"); do (run_pod n1 "m$k" sleep 3600 >"$RCNI_RUN/n1/m$k.ip" 2>/dev/null || echo FAIL >"$RCNI_RUN/n1/m$k.ip") & starts+=($!); done
    wait "${starts[@]}"   # only these: the pods' own ctr run processes are background jobs too
    t1=${EPOCHREALTIME/./}
    got=$(cat "$RCNI_RUN"/n1/m*.ip | grep -c '^10\.244\.1\.' || true)
    distinct=$(cat "$RCNI_RUN"/n1/m*.ip "$RCNI_RUN"/n1/*.ip 2>/dev/null | grep '^10\.244' | sort -u | wc -l)
    log "$concurrent concurrent container starts took $(((t1 - t0) / 1000)) ms"
    check "$concurrent concurrent ctr run --cni on n1: all got an address ($got)" test "$got" -eq "$concurrent"
    check "$concurrent concurrent: all addresses distinct from each other and from a2, b, e" test "$(sort -u "$RCNI_RUN"/n1/m*.ip | grep -c '^10' || true)" -eq "$concurrent" -a "$(cat "$RCNI_RUN"/n1/m*.ip | grep -cxF -e "$a2" -e "$b" -e "$e" || true)" -eq 0
    check "$concurrent concurrent: one host route per pod on n1" test "$(nsenter --net=/run/netns/rcni-n1 ip route | grep -c ' dev rmn' || true)" -eq $((concurrent + 3))
    : "$distinct"
  fi
fi
((fail == 0)) && log "lab: all checks passed" || log "lab: some checks FAILED"
exit "$fail"
