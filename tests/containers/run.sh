#!/usr/bin/env bash
# The images built and run here, end to end (not part of `dotnet test`: it needs a Docker engine, root, ~3 GB of disk
# and several minutes). deploy/CONTAINERS.md shows a run's output and what it measured.
#
#   sudo tests/containers/run.sh            # prints PASS/FAIL per check, the measurements, then `N passed, N failed`
#
# 1. a Docker engine: the running one, else dockerd started here (apt-get install docker.io docker-compose
#    debootstrap when missing), in its own process group, stopped by its pid at the end;
# 2. a base image made locally from Debian packages (tests/containers/make-base.sh: debootstrap + docker import; no
#    registry is needed);
# 3. the apps published outside the container (dotnet publish, as publish-check.sh does), into
#    artifacts/container-publish/{experts,pipeline};
# 4. both targets built through the Dockerfile's build arguments (RUNTIME_IMAGE=SDK_IMAGE=the local base,
#    APP_SOURCE=prebuilt); sizes measured; non-root, read-only app folder, HEALTHCHECK checked;
# 5. compose.yaml: the experts up, time to SERVING measured (a probe every 0.25 s from outside) and to Docker's
#    "healthy"; the quick path (`--profile quick run --rm record`, then `eval`) with its outputs on the volume;
# 6. the fault: the experts container killed in the middle of a recording and started again; the episodes that met
#    the outage are not kept (record exits 2), the same command again plays them (it resumes), and the episodes
#    complete are counted against those expected, with no `.partial` folder left, no kept episode played while the
#    host was down, and every episode readable (`trajectories inspect`);
# 7. the recording container itself killed; the same command again resumes.
# Everything runs on 127.0.0.1 under the compose project `steve2-ct`, removed at the end (volume included).
set -uo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"
export OMP_WAIT_POLICY=PASSIVE DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

base="${BASE_IMAGE:-steve2-local/debian-dotnet:bookworm}"
project=steve2-ct
work="$(mktemp -d "${TMPDIR:-/tmp}/steve2-containers.XXXXXX")"
passed=0; failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
check() { local name="$1"; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
note() { echo "MEASURED $*" | tee -a "$work/measured.txt"; }
now() { date +%s.%N; }
# trajectories inspect's table: every row's "rules agree" cell (the last, agree/with facts) must be n/n.
rules_agree() { grep -oE '[0-9]+/[0-9]+ *│ *$' "$1" | tr -d '│ ' | awk -F/ '{ rows++ } $1 != $2 { bad = 1 } END { exit (bad || rows == 0) }'; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- 1. the engine ------------------------------------------------------------------------------------------------
docker_bin="$(command -v /usr/bin/docker || command -v docker || true)"
dockerd_pid=""
engine_up() { [ -n "$docker_bin" ] && "$docker_bin" info >/dev/null 2>&1; }
if ! engine_up; then
  if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null || ! command -v docker-compose >/dev/null; then
    echo "== apt-get install docker.io docker-compose debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose debootstrap >"$work/apt.log" 2>&1 \
      || { tail -5 "$work/apt.log"; echo "0 passed, 1 failed"; exit 1; }
    docker_bin=/usr/bin/docker
  fi
  echo "== starting dockerd (log: $work/dockerd.log)"
  setsid dockerd >"$work/dockerd.log" 2>&1 </dev/null &
  dockerd_pid=$!
  for _ in $(seq 1 60); do engine_up && break; sleep 0.5; done
  if ! engine_up; then
    echo "dockerd did not start:"; tail -20 "$work/dockerd.log"; kill "$dockerd_pid" 2>/dev/null
    echo "0 passed, 1 failed"; exit 1
  fi
fi
D="$docker_bin"
# docker-compose 1.29 (Debian 12) or the compose v2 plugin.
if command -v docker-compose >/dev/null; then compose=(docker-compose -p "$project"); else compose=("$D" compose -p "$project"); fi

key="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export STEVE2_EXPERTS_API_KEY="$key"
export STEVE2_EXPERTS_KEY_SHA256="$(printf %s "$key" | sha256sum | cut -d' ' -f1)"
export STEVE2_EXPERTS_PORT="${STEVE2_EXPERTS_PORT:-15080}"
export STEVE2_PARALLEL=2

cleanup() {
  "${compose[@]}" --profile quick --profile pipeline down -v --remove-orphans >/dev/null 2>&1
  if [ -n "$dockerd_pid" ]; then kill "$dockerd_pid" 2>/dev/null; wait "$dockerd_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
"${compose[@]}" --profile quick --profile pipeline down -v --remove-orphans >/dev/null 2>&1   # a previous run's leftovers

# ---- 2. the base image --------------------------------------------------------------------------------------------
t0="$(now)"
if DOCKER="$D" tests/containers/make-base.sh "$base" >"$work/base.log" 2>&1; then pass "base image $base from Debian packages"; else cat "$work/base.log"; fail "base image"; fi
note "base image: $(since "$t0") s to make (or find), $(( $("$D" image inspect -f '{{.Size}}' "$base" 2>/dev/null || echo 0) / 1000000 )) MB"

# ---- 3. the apps, published outside --------------------------------------------------------------------------------
t0="$(now)"
rm -rf artifacts/container-publish
if dotnet publish src/Expert.Host -c Release -o artifacts/container-publish/experts -v quiet -nologo >"$work/publish.log" 2>&1 \
   && dotnet publish src/Steve2.Pipeline -c Release -o artifacts/container-publish/pipeline -v quiet -nologo >>"$work/publish.log" 2>&1; then
  pass "dotnet publish of the expert host and the pipeline"
else
  tail -20 "$work/publish.log"; fail "dotnet publish"; echo "$passed passed, $failed failed"; exit 1
fi
note "publish: $(since "$t0") s"

# ---- 4. the images -------------------------------------------------------------------------------------------------
for target in experts pipeline; do
  t0="$(now)"
  if DOCKER_BUILDKIT=1 "$D" build --target "$target" --build-arg RUNTIME_IMAGE="$base" --build-arg SDK_IMAGE="$base" \
       --build-arg APP_SOURCE=prebuilt -t "steve2-$target:cpu" . >"$work/build-$target.log" 2>&1; then
    pass "docker build --target $target (APP_SOURCE=prebuilt, RUNTIME_IMAGE=$base)"
  else
    tail -30 "$work/build-$target.log"; fail "docker build --target $target"
  fi
  size=$("$D" image inspect -f '{{.Size}}' "steve2-$target:cpu" 2>/dev/null || echo 0)
  note "image steve2-$target:cpu: $((size / 1000000)) MB (base $(( $("$D" image inspect -f '{{.Size}}' "$base") / 1000000 )) MB), built in $(since "$t0") s"
  check "steve2-$target:cpu runs as uid 1654, not root" test "$("$D" image inspect -f '{{.Config.User}}' "steve2-$target:cpu")" = 1654
  check "steve2-$target:cpu: /app is read-only to its user" \
    test "$("$D" run --rm --entrypoint sh "steve2-$target:cpu" -c 'touch /app/x 2>/dev/null && echo writable || echo read-only')" = read-only
done
check "steve2-experts:cpu has a HEALTHCHECK running the host's probe" \
  bash -c "'$D' image inspect -f '{{json .Config.Healthcheck.Test}}' steve2-experts:cpu | grep -q '\"probe\"'"
check "steve2-pipeline:cpu starts steve2" bash -c "'$D' run --rm steve2-pipeline:cpu --help | grep -q 'steve2'"

# ---- 5. compose: the experts, the quick path ----------------------------------------------------------------------------
probe="artifacts/container-publish/experts/Expert.Host"
t0="$(now)"
"${compose[@]}" up -d --no-build experts >"$work/up.log" 2>&1 || { cat "$work/up.log"; fail "compose up experts"; }
container="$("${compose[@]}" ps -q experts)"
serving=""
for _ in $(seq 1 480); do
  if "$probe" probe "http://127.0.0.1:$STEVE2_EXPERTS_PORT" >/dev/null 2>&1; then serving="$(since "$t0")"; break; fi
  sleep 0.25
done
check "the experts container answers SERVING on 127.0.0.1:$STEVE2_EXPERTS_PORT" test -n "$serving"
healthy=""
for _ in $(seq 1 120); do
  if [ "$("$D" inspect -f '{{.State.Health.Status}}' "$container" 2>/dev/null)" = healthy ]; then healthy="$(since "$t0")"; break; fi
  sleep 0.5
done
check "Docker reports the experts healthy (the image's probe)" test -n "$healthy"
note "experts start-up: SERVING ${serving:-never} s after \`compose up\` (probe from outside every 0.25 s, each probe ~0.3 s); Docker 'healthy' ${healthy:-never} s (healthcheck every 5 s)"
note "experts memory after start: $("$D" stats --no-stream --format '{{.MemUsage}}' "$container")"
check "the experts' root file system is read-only" bash -c "! '$D' exec '$container' sh -c 'touch /x' 2>/dev/null"
check "the experts refuse a call without the API key" bash -c "'$D' run --rm --network ${project}_default -e STEVE2_EXPERTS_API_KEY= steve2-pipeline:cpu \
  eval --experts http://experts:5080 --agents teacher --tasks creation --seeds 0 --max-iterations 1 --output /tmp/x 2>&1 | grep -q 'wants an API key'"

volume="$("$D" volume inspect -f '{{.Mountpoint}}' "${project}_data")"
t0="$(now)"
STEVE2_TASKS=all STEVE2_RECORD_SEEDS=1000000-1000001 STEVE2_MAX_ITERATIONS=10 \
  "${compose[@]}" --profile quick run --rm record >"$work/record.log" 2>&1
rc=$?
check "quick path: compose run --rm record exits 0" test "$rc" = 0
note "quick record (teacher, 5 tasks x 2 training seeds, budgets capped at 10, --parallel 2, experts over gRPC): $(since "$t0") s, $(grep -o 'recorded [0-9]* episodes' "$work/record.log")"
check "quick path: 10 complete episodes on the volume" test "$(find "$volume/trajectories" -name manifest.json | wc -l)" = 10
"${compose[@]}" run --rm pipeline trajectories inspect trajectories >"$work/inspect.log" 2>&1
check "quick path: trajectories inspect reads and checks all 10" test $? = 0 -a "$(grep -c '10 complete episodes, 0 unfinished' "$work/inspect.log")" = 1
check "quick path: every recorded decision is the rules' again (rules agree n/n)" rules_agree "$work/inspect.log"
t0="$(now)"
STEVE2_TASKS=all STEVE2_EVAL_SEEDS=0-1 STEVE2_MAX_ITERATIONS=10 "${compose[@]}" --profile quick run --rm eval >"$work/eval.log" 2>&1
rc=$?
check "quick path: compose run --rm eval exits 0" test "$rc" = 0
note "quick eval (teacher and teacher-no-expert, 5 tasks x 2 evaluation seeds, capped at 10): $(since "$t0") s"
check "quick path: the report is on the volume (results.md, .csv, .json, plots)" \
  test -f "$volume/runs/eval/results.md" -a -f "$volume/runs/eval/results.json" -a -f "$volume/runs/eval/plots/creation.png"
check "quick path: the report names the experts container" grep -q 'experts: http://experts:5080' "$volume/runs/eval/results.md"

# A sharded eval through compose, merged: the same tables as the unsharded one (only the run's date, machines and
# expert hosts differ).
for k in 0 1; do
  "${compose[@]}" run --rm pipeline eval --experts http://experts:5080 --agents teacher,teacher-no-expert --tasks all --seeds 0-1 \
    --max-iterations 10 --parallel 2 --shard "$k/2" --output "runs/eval-shards/$k" >"$work/shard-$k.log" 2>&1
done
"${compose[@]}" run --rm pipeline eval merge runs/eval-shards/0 runs/eval-shards/1 --output runs/eval-merged >"$work/merge.log" 2>&1
check "the merged report says so" grep -q '^- merged from 2 shards' "$volume/runs/eval-merged/results.md"
check "two eval shards merged equal the unsharded report's tables" bash -c \
  "diff <(grep -v -e '^- date' -e '^- machine' -e '^- merged' -e '^- experts' '$volume/runs/eval/results.md') <(grep -v -e '^- date' -e '^- machine' -e '^- merged' -e '^- experts' '$volume/runs/eval-merged/results.md')"

# Client-side balancing by DNS, as the Kubernetes Jobs do it (here the name resolves to the one experts container).
"${compose[@]}" run --rm pipeline record --experts dns:///experts:5080 --agents teacher --tasks exploration --seeds 1000050-1000051 \
  --max-iterations 10 --parallel 2 --output dns-check >"$work/dns.log" 2>&1
check "record --experts dns:///experts:5080 (the replicas a name resolves to) records its 2 episodes" \
  test $? = 0 -a "$(find "$volume/dns-check" -name manifest.json | wc -l)" = 2

# ---- 6. the fault: the experts killed in the middle of a recording -----------------------------------------------------
tasks=exploration,object-search
seeds=1000100-1000129
expected=60
t0="$(now)"
STEVE2_TASKS="$tasks" STEVE2_RECORD_SEEDS="$seeds" STEVE2_MAX_ITERATIONS=30 \
  "${compose[@]}" --profile quick run --rm record record --experts http://experts:5080 --agents teacher --tasks "$tasks" \
  --seeds "$seeds" --max-iterations 30 --parallel 2 --output fault >"$work/fault.log" 2>&1 &
recorder=$!
complete() { find "$volume/fault" -name manifest.json 2>/dev/null | wc -l; }
for _ in $(seq 1 2400); do [ "$(complete)" -ge 8 ] && break; kill -0 "$recorder" 2>/dev/null || break; sleep 0.1; done
before="$(complete)"
"$D" kill "$container" >/dev/null
killed_at="$(since "$t0")"
sleep 2
restarted=no
if [ "$("$D" inspect -f '{{.State.Running}}' "$container")" != true ]; then
  "${compose[@]}" up -d --no-build experts >/dev/null 2>&1   # `docker kill` is a manual stop: the restart policy leaves it down
else
  restarted="by its restart policy"
fi
for _ in $(seq 1 240); do "$probe" probe "http://127.0.0.1:$STEVE2_EXPERTS_PORT" >/dev/null 2>&1 && break; sleep 0.25; done
back_at="$(since "$t0")"
wait "$recorder"; first_rc=$?
after_first="$(complete)"
runs=1
rc=$first_rc
while [ "$rc" != 0 ] && [ "$runs" -lt 3 ]; do   # the pipeline's retry: run the same command again; it resumes
  "${compose[@]}" --profile quick run --rm record record --experts http://experts:5080 --agents teacher --tasks "$tasks" \
    --seeds "$seeds" --max-iterations 30 --parallel 2 --output fault >>"$work/fault.log" 2>&1
  rc=$?; runs=$((runs + 1))
done
final="$(complete)"
partial="$(find "$volume/fault" -maxdepth 2 -name '*.partial' | wc -l)"
not_kept="$(grep -o '([0-9]* were already complete, [0-9]* failed)' "$work/fault.log" | head -1)"
degraded="$(grep -l 'failed (Unavailable\|could not be reached' "$volume"/fault/*/*/expert/context.jsonl 2>/dev/null | wc -l)"
note "fault: experts killed at ${killed_at} s with $before/$expected episodes complete, SERVING again at ${back_at} s (restarted: ${restarted/no/by compose up}); first record: exit $first_rc, $after_first complete $not_kept; $runs run(s) of the same command in all; final $final/$expected complete, $partial .partial left, $degraded kept episodes with an unreachable-host call"
grep -E '^(recorded|failed:)' "$work/fault.log" | head -6 | sed 's/^/  record: /'
check "fault: the experts were killed mid-recording (some but not all episodes complete)" test "$before" -gt 0 -a "$before" -lt "$expected"
check "fault: the episodes played during the outage were not kept (record exit 2), the same command again played them" test "$first_rc" = 2 -a "$rc" = 0
check "fault: every expected episode is complete ($final of $expected)" test "$final" = "$expected"
check "fault: no half-written (.partial) episode is left" test "$partial" = 0
check "fault: no kept episode was played while the host was down" test "$degraded" = 0
"${compose[@]}" run --rm pipeline trajectories inspect fault >"$work/fault-inspect.log" 2>&1
check "fault: trajectories inspect reads and checks all of them" test $? = 0 -a "$(grep -c "$expected complete episodes, 0 unfinished" "$work/fault-inspect.log")" = 1
check "fault: every recorded decision is the rules' again, through the outage (rules agree n/n)" rules_agree "$work/fault-inspect.log"
grep -E 'complete episodes|teacher' "$work/fault-inspect.log" | head -4 | sed 's/^/  inspect: /'

# ---- 7. the other fault: the recording itself killed; the same command again resumes ---------------------------------
seeds=1000200-1000219
expected=40
record_fault2() {
  "${compose[@]}" --profile quick run --rm record record --experts http://experts:5080 --agents teacher --tasks "$tasks" \
    --seeds "$seeds" --max-iterations 30 --parallel 2 --output fault2 >>"$work/fault2.log" 2>&1
}
complete2() { find "$volume/fault2" -name manifest.json 2>/dev/null | wc -l; }
record_fault2 &
recorder=$!
for _ in $(seq 1 2400); do [ "$(complete2)" -ge 6 ] && break; kill -0 "$recorder" 2>/dev/null || break; sleep 0.1; done
"$D" kill $("$D" ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.oneoff=True) >/dev/null
wait "$recorder"; killed_rc=$?
before="$(complete2)"
left="$(find "$volume/fault2" -maxdepth 2 -name '*.partial' | wc -l)"
record_fault2; rc=$?
final="$(complete2)"
partial="$(find "$volume/fault2" -maxdepth 2 -name '*.partial' | wc -l)"
note "fault 2: the recording container killed (exit $killed_rc) with $before/$expected complete and $left .partial folders; the same command again: exit $rc, '$(grep -o '[0-9]* were already complete' "$work/fault2.log" | tail -1)', final $final/$expected complete, $partial .partial left"
check "fault 2: the killed recording left episodes to play" test "$before" -lt "$expected"
check "fault 2: the re-run kept the $before complete episodes and played the rest" grep -q "($before were already complete, 0 failed)" "$work/fault2.log"
check "fault 2: every expected episode is complete ($final of $expected), none half-written" test "$final" = "$expected" -a "$partial" = 0

echo
echo "== measured"
cat "$work/measured.txt"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
