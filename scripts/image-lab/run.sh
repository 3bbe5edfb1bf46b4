#!/usr/bin/env bash
# Runs the built images for real, in a node made of a network and a mount namespace with its own containerd (as the
# CNI lab's nodes): the controller image against the EC2 simulator, the agent image's init container installing the
# CNI plugin, the agent image with host networking and the DaemonSet's mounts and security context, and a pod whose
# network the installed plugin makes. Everything stays in the node's namespaces and on its loopback.
#   scripts/image-lab/run.sh CONTROLLER.tar AGENT.tar [-- AGENT-CTR-FLAGS...]
# AGENT-CTR-FLAGS are what the kops DaemonSet declares for the agent, as ctr flags (--privileged, --cap-add CAP_…,
# --cap-drop CAP_…, --mount …); the image test derives them from the manifest, and these from its init containers:
#   IMAGE_LAB_FORWARDING_FLAGS, IMAGE_LAB_FORWARDING_COMMAND   the enable-forwarding init container (no command: none)
#   IMAGE_LAB_INSTALL_FLAGS                                    the install-cni init container
#   IMAGE_LAB_AGENT_CAPEFF                                     the agent process's expected CapEff (hex), checked
#   IMAGE_LAB_EXPECT_ERROR=REGEX   the flags are not enough: the agent must not serve, and its /healthz must say why
# Prints "==> PASS <check>" / "==> FAIL <check>"; exit 1 on a failure.
set -euo pipefail
export RCNI_RUN=${RCNI_RUN:-/run/rimg}
# shellcheck source=../cni-lab/lib.sh
source "$(dirname "$0")/../cni-lab/lib.sh"
rcni_need_root
controller_tar=${1:?usage: run.sh CONTROLLER.tar AGENT.tar [-- AGENT-CTR-FLAGS...]}
agent_tar=${2:?usage: run.sh CONTROLLER.tar AGENT.tar [-- AGENT-CTR-FLAGS...]}
shift 2
[[ ${1:-} == -- ]] && shift
agent_flags=("$@")
expect_error=${IMAGE_LAB_EXPECT_ERROR:-}
read -r -a forwarding_flags <<<"${IMAGE_LAB_FORWARDING_FLAGS:-}"
read -r -a forwarding_command <<<"${IMAGE_LAB_FORWARDING_COMMAND:-}"
read -r -a install_flags <<<"${IMAGE_LAB_INSTALL_FLAGS:---privileged}"
controller_tar=$(realpath "$controller_tar") agent_tar=$(realpath "$agent_tar")
[[ -f $controller_tar && -f $agent_tar ]] || die "no image archives at $controller_tar and $agent_tar (scripts/build-image.sh --local --archive DIR)"
rcni_romana_build

n=img d=$RCNI_RUN/img
cleanup() { rcni_cleanup; }
cleanup
trap cleanup EXIT
fail=0
check() { local what=$1; shift; if "$@"; then log "PASS $what"; else log "FAIL $what"; fail=1; fi; }

# The node: loopback and an eth0 with node-a1's address (the agent's routes go via its peers on that subnet); a veth
# whose peer stays in the node (no dummy module in every kernel), so nothing leaves it.
mkdir -p "$RCNI_RUN" /etc/cni/net.d /opt/cni/bin /run/containerd /run/romana-aws /var/run/netns
touch /run/xtables.lock   # the DaemonSet's hostPath FileOrCreate, as the kubelet would make it
mkdir -p /lib/modules     # every real node has it (a build container may not)
mount --bind "$RCNI_RUN" "$RCNI_RUN"
mount --make-private "$RCNI_RUN"
mkdir -p "$d"/{net.d,bin,root,state,run-containerd,cni-run,etc,state-file}
cp -a "$RCNI_PLUGINS"/. "$d/bin"/   # the reference plugins only: the init container adds romana-aws-cni
ip netns add "rcni-$n"
ip -n "rcni-$n" link set lo up
ip -n "rcni-$n" link add eth0 type veth peer name eth0-peer
ip -n "rcni-$n" addr add 172.20.32.11/19 dev eth0
ip -n "rcni-$n" link set eth0-peer up
ip -n "rcni-$n" link set eth0 up
touch "$d/mnt"
unshare --mount="$d/mnt" --propagation private sh -c "
  mount --bind '$d/net.d' /etc/cni/net.d
  mount --bind '$d/bin' /opt/cni/bin
  mount --bind '$d/run-containerd' /run/containerd
  mount --bind '$d/cni-run' /run/romana-aws"
rcni_containerd_up "$n"

started=$(date +%s%N)
for tar in "$controller_tar" "$agent_tar"; do rcni_ctr "$n" images import --snapshotter native "$tar" >/dev/null; done
log "imported in $(( ($(date +%s%N) - started) / 1000000 )) ms: $(rcni_ctr "$n" images ls -q | grep -v rcni | tr '\n' ' ')"
controller_image=$(rcni_ctr "$n" images ls -q | grep ':controller-' | head -1)
agent_image=$(rcni_ctr "$n" images ls -q | grep ':agent-' | head -1)
[[ -n $controller_image && -n $agent_image ]] || die "the archives hold no NAME:controller-TAG and NAME:agent-TAG image"
"$RCNI_REPO/scripts/cni-lab/build-image.sh" "$d/pod-image.tar" >/dev/null
rcni_ctr "$n" images import --snapshotter native "$d/pod-image.tar" >/dev/null

# The EC2 simulator on the node's loopback (test infrastructure, from the build), then the controller image.
# (nsenter itself, not the rcni_in function, so that $! is the simulator: nsenter execs it; rcni_cleanup kills it by this file)
nsenter --net="/run/netns/rcni-$n" --mount="$d/mnt" -- "$ROMANA_AWS" sim --scenario "$RCNI_REPO/examples/sim-3zone.yaml" --port 4566 >"$d/sim.log" 2>&1 &
echo $! >"$d/agent.pid"
disown
for _ in $(seq 100); do rcni_in "$n" curl -s -o /dev/null http://127.0.0.1:4566/ && break; sleep 0.1; done
sed 's|stateFile: romana-ipam-state.json|stateFile: /var/lib/romana-aws/state.json|' "$RCNI_REPO/examples/controller.yaml" >"$d/etc/config.yaml"
chown 1654:1654 "$d/state-file"
started=$(date +%s%N)
rcni_ctr "$n" run -d --net-host --snapshotter native \
  --mount "type=bind,src=$d/etc,dst=/etc/romana-aws,options=rbind:ro" \
  --mount "type=bind,src=$d/state-file,dst=/var/lib/romana-aws,options=rbind:rw" \
  --log-uri "file://$d/controller.log" "$controller_image" rimg-controller >/dev/null
ready() { rcni_in "$n" curl -sf -m 2 http://127.0.0.1:9610/readyz >/dev/null 2>&1; }
for _ in $(seq 600); do ready && break; sleep 0.05; done
controller_ms=$(( ($(date +%s%N) - started) / 1000000 ))
check "controller image answers /readyz (started in $controller_ms ms)" ready
log "cold start: controller container to /readyz: $controller_ms ms"
task_uid() { local pid; pid=$(rcni_ctr "$n" tasks ls | awk -v t="$1" '$1 == t {print $2}'); awk '/^Uid:/{print $2}' "/proc/$pid/status"; }
check "controller runs as the image's non-root user 1654" test "$(task_uid rimg-controller)" = 1654

# The agent image's init containers, as declared: forwarding on for the node, then the plugin into its /opt/cni/bin.
forwarding() { [[ $(nsenter --net="/run/netns/rcni-$n" cat /proc/sys/net/ipv4/ip_forward) == 1 ]]; }
if ((${#forwarding_command[@]})); then
  rcni_ctr "$n" run --rm --null-io --net-host --snapshotter native "${forwarding_flags[@]}" "$agent_image" rimg-forwarding "${forwarding_command[@]}" >"$d/forwarding.log" 2>&1 || true
  check "init container turned IP forwarding on for the node" forwarding
fi
rcni_ctr "$n" run --rm --null-io --net-host --snapshotter native "${install_flags[@]}" \
  "$agent_image" rimg-install-cni /app/romana-aws cni install --from /opt/romana-aws/romana-aws-cni --bin-dir /host/opt/cni/bin >"$d/install-cni.log" 2>&1 || true
check "init container installed romana-aws-cni into the node's /opt/cni/bin" test -x "$d/bin/romana-aws-cni"

# The agent with the DaemonSet's security context and mounts (host paths as they are, inside the node).
started=$(date +%s%N)
rcni_ctr "$n" run -d --net-host --snapshotter native --log-uri "file://$d/agent.log" "${agent_flags[@]}" "$agent_image" rimg-agent \
  /app/romana-aws agent --controller http://127.0.0.1:9610/ --instance-id i-0a000000000000002 --listen 127.0.0.1:9612 \
  --poll-seconds 1 --resync-seconds 5 --cni-socket /run/romana-aws/cni.sock --cni-checkpoint /run/romana-aws/cni-ipam.json \
  --cni-conf-dir /host/etc/cni/net.d --cni-mtu 1500 >/dev/null
healthz() { rcni_in "$n" curl -s -m 2 http://127.0.0.1:9612/healthz 2>/dev/null || true; }
if [[ -n $expect_error ]]; then
  for _ in $(seq 300); do healthz | grep -Eq "$expect_error" && break; sleep 0.1; done
  log "agent /healthz: $(healthz | tr -d '\n' | cut -c1-400)"
  says_why() { healthz | grep -Eq "$expect_error"; }
  check "without what the manifest declares the agent does not serve, and says why" says_why
  no_conflist() { [[ ! -e $d/net.d/10-romana-aws.conflist ]]; }
  check "and it wrote no conflist (the runtime sees no network it cannot serve)" no_conflist
  exit "$fail"
fi
for _ in $(seq 1200); do [[ -s $d/net.d/10-romana-aws.conflist ]] && break; sleep 0.05; done
agent_ms=$(( ($(date +%s%N) - started) / 1000000 ))
check "agent image wrote its conflist (serving ADDs $agent_ms ms after start)" test -s "$d/net.d/10-romana-aws.conflist"
log "cold start: agent container to its first conflist: $agent_ms ms"
check "agent's CNI socket is root's only (0600)" test "$(stat -c %a "$d/cni-run/cni.sock")" = 600
capeff() { local pid; pid=$(rcni_ctr "$n" tasks ls | awk '$1 == "rimg-agent" {print $2}'); awk '/^CapEff:/{print $2}' "/proc/$pid/status"; }
log "agent process: CapEff $(capeff)"
if [[ -n ${IMAGE_LAB_AGENT_CAPEFF:-} ]]; then
  check "agent process has exactly the declared capabilities (CapEff $IMAGE_LAB_AGENT_CAPEFF)" test "$(capeff)" = "$IMAGE_LAB_AGENT_CAPEFF"
fi

# A pod: containerd runs the installed plugin with the agent's conflist; the address comes from the agent's block.
rcni_ctr "$n" run --cni --rm --null-io --snapshotter native "$RCNI_IMAGE" rimg-pod sleep 120 >"$d/pod.log" 2>&1 &
ip=""
for _ in $(seq 200); do
  ip=$(rcni_ctr "$n" tasks exec --exec-id "ip$RANDOM" rimg-pod ip -4 -o addr show eth0 2>/dev/null | awk '{print $4}' | cut -d/ -f1) || true
  [[ -n $ip ]] && break
  sleep 0.1
done
log "pod address: ${ip:-none}"
in_pod_network() { [[ $ip == 100.* ]]; }
check "a pod got an address of the pod network from the agent image's plugin" in_pod_network
routed() { local r; r=$(nsenter --net="/run/netns/rcni-$n" ip route get "$ip") || return 1; [[ $r == *" dev "* && $r != *" dev eth0 "* && $r != *" dev lo "* ]]; }
check "the node routes the pod's address to the pod's veth" routed
((fail == 0)) || { for f in containerd.log sim.log controller.log forwarding.log install-cni.log agent.log pod.log; do echo "--- $f"; tail -20 "$d/$f" 2>/dev/null; done >&2; }
exit "$fail"
