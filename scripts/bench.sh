#!/usr/bin/env bash
# Runs the benchmarks (BenchmarkDotNet) and the measured state-file run. Record the results, with the date and the
# machine, in docs/benchmarks.md. Not part of the tests: numbers are never asserted by a test.
#   scripts/bench.sh            everything
#   scripts/bench.sh FILTER     only BenchmarkDotNet benchmarks matching FILTER (e.g. '*AllocateRelease*')
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
filter=${1:-*}
echo "==> machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm), dotnet $(dotnet --version), $(date -u +%Y-%m-%d)"
dotnet build benchmarks/RomanaAws.Benchmarks -c Release -nologo -v quiet
echo "==> measured run: state file size, save and load through the file store"
dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --state-file 7
echo "==> measured run: ipam plan against the number of hosts (10k, 20k, 50k, 200k; in process and through the CLI)"
dotnet build src/RomanaAws.Cli -c Release -nologo -v quiet
dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --plan-scale src/RomanaAws.Cli/bin/Release/net10.0/romana-aws.dll
if [[ -x /usr/bin/etcd ]]; then
  echo "==> measured run: the 5,000-host / 25,000-block state loaded from a 3-member etcd in a fresh process, beside the file store"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --etcd-load 7
  echo "==> measured run: block claims on etcd through two controller processes (latency one at a time, throughput with 16 agents)"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --claims 200 10
  echo "==> measured run: takeover after kill -9 of the leader (${TAKEOVER_TRIALS:-20} trials; anchor: client-go's 15 s lease, ${ANCHOR_TRIALS:-5} trials)"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --takeover "${TAKEOVER_TRIALS:-20}" "${ANCHOR_TRIALS:-5}"
else
  echo "==> skipping the etcd runs (no /usr/bin/etcd: apt-get install etcd-server, or run scripts/test.sh as root once)"
fi
echo "==> measured run: EC2 calls per reconcile against the simulator (and kubenet's per-node model)"
dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --ec2-calls
if [[ $(id -u) -eq 0 ]]; then
  echo "==> measured run: node agent in a network namespace (first sync, incremental sync, rule counts)"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --agent
  echo "==> measured run: NetworkPolicy at 10,000 pods / 100 namespaces / 200 policies: rules against owner-only and one-rule-per-pod,"
  echo "    and the agent process watching the Kubernetes API stand-in: first sync, memory, API event → rule in force (50 events)"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --netpol src/RomanaAws.Cli/bin/Release/net10.0/romana-aws.dll 50
  echo "==> measured run: routing modes bgp and ospf in the two-rack lab: outage after a host dies (GoBGP, FRR bgpd with and without BFD, FRR ospfd; ${RACK_TRIALS:-5} trials each), prefixes at the router for 5,000 hosts"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --rack-convergence "${RACK_TRIALS:-5}"
  echo "==> measured run: failover times (50 trials per path)"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --failover 50
  echo "==> measured run: CNI ADD/DEL, romana-aws-cni vs ptp + host-local side by side (200 pods), 100 concurrent ADDs, agent restart"
  scripts/publish-cni.sh artifacts/cni >/dev/null
  ROMANA_CNI_PLUGIN="$PWD/artifacts/cni/romana-aws-cni" scripts/cni-lab/cni-bench.sh 200
  echo "==> measured run: the images: sizes, cold starts (anchor: the same CLI JIT-compiled), controller and agent in containerd"
  scripts/image-bench.sh 20
  echo "==> measured run: the lab (3 zones, 9 workers, 27 containerd pods): build time, TCP+UDP matrix, failover in packets"
  echo "    (${LAB_TRIALS:-20} trials per path; the control-plane failover times above are its anchor), policy, growth, mirroring delay"
  ROMANA_CNI_PLUGIN="$PWD/artifacts/cni/romana-aws-cni" src/RomanaAws.Cli/bin/Release/net10.0/romana-aws lab up --pods-per-node 3 --failover "${LAB_TRIALS:-20}" --policy --grow 1
else
  echo "==> NetworkPolicy rule counts at 10,000 pods (the agent run needs root)"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --netpol - 0
  echo "==> skipping the agent and CNI runs (need root for network namespaces); failover times:"
  dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --failover 50
fi
echo "==> BenchmarkDotNet ($filter)"
dotnet run -c Release --project benchmarks/RomanaAws.Benchmarks --no-build -- --filter "$filter" --artifacts artifacts/benchmarks
