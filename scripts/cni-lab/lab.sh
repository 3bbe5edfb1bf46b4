#!/usr/bin/env bash
# Two containerd "nodes" joined by a bridge, containers started by containerd's own CNI integration
# (`ctr run --cni`) with Debian's reference ptp + host-local (+ chained portmap) as the stand-in for
# romana-aws-cni. Shows: node1 -> node2 container, node1 -> own-node container, a portmap hostPort,
# and that a deleted container's address is free again. Cleans up (prefix rcni-) on exit.
#
#   switch netns rcni-sw: bridge br0
#   node netns rcni-n1: eth0 10.99.0.1/24, pods 10.244.1.0/24 (route to 10.244.2.0/24 via 10.99.0.2)
#   node netns rcni-n2: eth0 10.99.0.2/24, pods 10.244.2.0/24 (route to 10.244.1.0/24 via 10.99.0.1)
# Each node also has its own mount namespace ($RCNI_RUN/nN/mnt) in which /etc/cni/net.d and /opt/cni/bin
# are bind mounts: ctr run --cni reads exactly those two fixed paths (go-cni defaults), in ctr's own
# mount namespace. Usage: lab.sh [--keep]  (--keep leaves the lab up; run `lab.sh --down` to remove it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
rcni_need_root

case ${1:-} in
  --down) rcni_cleanup; log "lab removed"; exit 0 ;;
  --keep) keep=1 ;;
  *) keep=0 ;;
esac
rcni_install
rcni_cleanup   # idempotent: start from nothing
((keep)) || trap rcni_cleanup EXIT

# /run/containerd is per node too: the runc shim keeps runc's state in /run/containerd/runc/<ns>/<id>
# whatever --state says, so two nodes sharing it collide ("container with given ID already exists")
mkdir -p "$RCNI_RUN" /etc/cni/net.d /opt/cni/bin /run/containerd
# a private mount point so the per-node mount namespaces can be pinned by bind mounts under it
mount --bind "$RCNI_RUN" "$RCNI_RUN"
mount --make-private "$RCNI_RUN"

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
  ip -n "rcni-$n" route add "$peer_cidr" via "$peer"
  ip netns exec "rcni-$n" sysctl -qw net.ipv4.ip_forward=1

  # the node's own mount namespace, pinned at $d/mnt; CNI dirs are bind mounts inside it only
  touch "$d/mnt"
  unshare --mount="$d/mnt" --propagation private sh -c "
    mount --bind '$d/net.d' /etc/cni/net.d
    mount --bind '$RCNI_PLUGINS' /opt/cni/bin
    mount --bind '$d/run-containerd' /run/containerd"

  # host-local keeps its allocations in dataDir (default /var/lib/cni/networks): one file per address
  cat >"$d/net.d/10-rcni.conflist" <<JSON
{ "cniVersion": "1.0.0", "name": "rcni",
  "plugins": [
    { "type": "ptp", "mtu": 1500,
      "ipam": { "type": "host-local", "dataDir": "$d/ipam", "ranges": [[{ "subnet": "$cidr" }]],
                "routes": [{ "dst": "0.0.0.0/0" }] } },
    { "type": "portmap", "snat": true, "capabilities": { "portMappings": true } $( ((i == 2)) && echo ', "runtimeConfig": { "portMappings": [{ "hostPort": 8080, "containerPort": 80, "protocol": "tcp" }] }' ) }
  ] }
JSON
  cat >"$d/config.toml" <<TOML
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$d/containerd.sock"
[ttrpc]
  address = "$d/containerd.sock.ttrpc"
TOML
  # a simple command (not the rcni_in function) so that $! is containerd itself: nsenter execs it
  nsenter --net="/run/netns/rcni-$n" --mount="$d/mnt" -- containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
  echo $! >"$d/containerd.pid"
  for _ in $(seq 100); do rcni_ctr "$n" version >/dev/null 2>&1 && break; sleep 0.1; done
  rcni_ctr "$n" version >/dev/null || die "containerd of $n did not start; see $d/containerd.log"
  rcni_ctr "$n" images import --snapshotter native "$RCNI_RUN/image.tar" >/dev/null
  log "node $n up: $addr, pods $cidr, containerd $d/containerd.sock"
}

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
log "pod a, as ptp set it up:"; pexec n1 a ip addr show eth0 >&2; pexec n1 a ip route >&2
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
check "host-local recorded a's address" test -f "$RCNI_RUN/n1/ipam/rcni/$a"
stop_pod n1 a
check "deleting a (ctr ran CNI DEL) freed $a" test ! -e "$RCNI_RUN/n1/ipam/rcni/$a"
check "deleting a removed its host route" sh -c "! nsenter --net=/run/netns/rcni-n1 ip route | grep -q '^$a '"
stop_pod n2 c
check "deleting c removed its portmap DNAT chain" sh -c "! nsenter --net=/run/netns/rcni-n2 iptables-save -t nat | grep -q 'CNI-DN-'"
stop_pod n1 b
((fail == 0)) && log "lab: all checks passed" || log "lab: some checks FAILED"
exit "$fail"
