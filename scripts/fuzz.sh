#!/usr/bin/env bash
# Fuzzes the parsers that take outside input (topology/config, IPAM state, hosts files, the simulator's Query
# requests and scenarios) with AFL++ driving SharpFuzz-instrumented assemblies, for a bounded time per target.
# Not part of scripts/test.sh or .ci/run. See docs/robustness.md.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     default: all targets, 300 s each
#
# TARGET is one of: topology ipam-state hosts sim-query sim-scenario.
# Prints per target: seconds run, executions, execs/s, crashes and hangs; copies each crashing or hanging input to
# fuzz/findings/<target>/ (named by content hash) and replays it to show the exception and the top of its stack.
# Exit code: 0 no findings, 1 findings, 2 bad usage or a setup failure.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(topology ipam-state hosts sim-query sim-scenario)
target=${1:-all}
seconds=${2:-300}
if [[ $target == all ]]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $target "* ]]; then
  targets=("$target")
else
  echo "error: unknown target '$target'; expected one of: all ${all_targets[*]}" >&2
  exit 2
fi
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "error: SECONDS must be a positive whole number of seconds, got '$seconds'" >&2
  exit 2
fi

lock=/tmp/romana-build.lock
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# AFL++ from Debian (afl-fuzz).
if ! command -v afl-fuzz >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "==> installing afl++"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
  else
    echo "error: afl-fuzz is not installed and this is not a root Debian shell; install the 'afl++' package" >&2
    exit 2
  fi
fi

# The sharpfuzz instrumenter, pinned in the local tool manifest (.config/dotnet-tools.json).
dotnet tool restore >/dev/null

# Publish the harness twice: a plain copy replays findings; the other gets its assemblies instrumented for afl-fuzz
# (instrumented code writes to afl's shared memory, so it only runs under afl-fuzz).
work=artifacts/fuzz
plain=$work/plain
bin=$work/bin
rm -rf "$plain" "$bin"
echo "==> publish fuzz/RomanaAws.Fuzz (Release)"
flock "$lock" dotnet publish fuzz/RomanaAws.Fuzz -c Release -nologo -v quiet -o "$plain" >/dev/null
cp -r "$plain" "$bin"
# Our parsers, and YamlDotNet so that afl-fuzz sees its way through YAML syntax into our binding code.
for dll in RomanaAws.Core.dll RomanaAws.VpcSim.dll YamlDotNet.dll; do
  dotnet tool run sharpfuzz "$bin/$dll" >/dev/null
done
echo "==> instrumented RomanaAws.Core.dll RomanaAws.VpcSim.dll YamlDotNet.dll"

export AFL_SKIP_CPUFREQ=1                       # no access to the CPU governor in containers
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1  # core_pattern may pipe to a crash handler we cannot change
export AFL_SKIP_BIN_CHECK=1                     # the target binary is dotnet; the instrumentation is in the assemblies
export AFL_NO_AFFINITY=1                        # the machine is shared; do not pin to a core
export AFL_NO_UI=1                              # status lines instead of the full-screen UI
export AFL_FORKSRV_INIT_TMOUT=60000             # the .NET fork server takes a while to start and JIT
export AFL_QUIET=1

summary=()
total_findings=0
for t in "${targets[@]}"; do
  out=$work/out/$t
  rm -rf "$out"
  mkdir -p "$out"
  dict=()
  [[ -f fuzz/dict/$t.dict ]] && dict=(-x "fuzz/dict/$t.dict")
  echo "==> afl-fuzz $t for ${seconds}s (waiting for $lock)"
  # The fuzzer holds the lock for its whole run: it uses a full core.
  set +e
  flock "$lock" afl-fuzz -V "$seconds" -t 5000 -m none -i "fuzz/corpus/$t" -o "$out" "${dict[@]}" \
    -- dotnet "$bin/RomanaAws.Fuzz.dll" "$t" >"$out/afl.log" 2>&1
  status=$?
  set -e
  stats=$out/default/fuzzer_stats
  if [[ ! -f $stats ]]; then
    echo "error: afl-fuzz for $t ended (exit $status) without fuzzer_stats; last lines of $out/afl.log:" >&2
    tail -n 20 "$out/afl.log" >&2
    exit 2
  fi
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  run_time=$(stat run_time)
  execs=$(stat execs_done)
  crashes=$(stat saved_crashes)
  hangs=$(stat saved_hangs)
  : "${crashes:=$(stat unique_crashes)}" "${hangs:=$(stat unique_hangs)}"
  rate=$(awk -v e="$execs" -v s="$run_time" 'BEGIN { printf "%.0f", (s > 0 ? e / s : 0) }')

  # Findings: one file per distinct input, named by its content hash, so reruns do not duplicate them.
  findings=$PWD/fuzz/findings/$t
  new=()
  for kind in crashes hangs; do
    for f in "$out/default/$kind"/id*; do
      [[ -f $f ]] || continue
      mkdir -p "$findings"
      name=${kind%es}
      name=${name%s}-$(sha1sum "$f" | cut -c1-12)
      cp "$f" "$findings/$name"
      new+=("$findings/$name")
    done
  done
  total_findings=$((total_findings + crashes + hangs))
  summary+=("$(printf '%-13s %8s %12s %9s %8s %6s' "$t" "$run_time" "$execs" "$rate" "$crashes" "$hangs")")

  if ((${#new[@]})); then
    echo "==> $t: replaying ${#new[@]} finding(s) (distinct exception and top frame):"
    dotnet "$plain/RomanaAws.Fuzz.dll" "$t" "${new[@]}" 2>&1 | sed -n 's/^.*: FINDING \([^:]*\):.*$/\1/p' | sort | uniq -c | sort -rn || true
    echo "    (one line per input: dotnet $plain/RomanaAws.Fuzz.dll $t fuzz/findings/$t/* [--stack])"
  fi
done

echo
printf '%-13s %8s %12s %9s %8s %6s\n' target seconds executions execs/s crashes hangs
printf '%s\n' "${summary[@]}"
echo "findings (crashing and hanging inputs): fuzz/findings/<target>/; afl-fuzz output: $work/out/<target>/"
((total_findings == 0)) || exit 1
