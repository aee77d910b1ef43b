#!/usr/bin/env bash
# Runs outside Docker what the Dockerfile runs inside it (no Docker engine on the project's
# machines): the same `dotnet publish`, the published host started as ENTRYPOINT starts it
# (`dotnet Expert.Host.dll` in the output folder), and the HEALTHCHECK's probe against it.
#
#   tests/Expert.Host.Tests/publish-check.sh                  # expects SERVING on the shipped checkpoint
#   EXPECT=NotServing CHECKPOINT=/some/file tests/Expert.Host.Tests/publish-check.sh
#       # before a checkpoint exists: checks publish, start, libtorch load and health wiring only
#
# Publishes into a fresh temporary folder (about 0.5 GB with libtorch) and deletes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
export OMP_WAIT_POLICY=PASSIVE DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

expect="${EXPECT:-Serving}"
out="$(mktemp -d "${TMPDIR:-/tmp}/expert-host-publish.XXXXXX")"
log="$out.log"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$out" "$log"
}
trap cleanup EXIT

echo "== dotnet publish src/Expert.Host -c Release -o $out -p:TorchBackend=${TORCH_BACKEND:-cpu}"
dotnet publish src/Expert.Host -c Release -o "$out" -p:TorchBackend="${TORCH_BACKEND:-cpu}" -v quiet -nologo

# As in the image: the published folder is the working directory, the address comes from ASPNETCORE_URLS
# (port 0 here: any free port, read back from the host's log), logs as JSON.
env_args=(ASPNETCORE_URLS=http://127.0.0.1:0 Logging__Console__FormatterName=json)
if [ -n "${CHECKPOINT:-}" ]; then env_args+=(Model__CheckpointPath="$CHECKPOINT"); fi
echo "== (cd $out && ${env_args[*]} dotnet Expert.Host.dll)"
(cd "$out" && exec env "${env_args[@]}" dotnet Expert.Host.dll) >"$log" 2>&1 &
pid=$!

address=""
for _ in $(seq 1 120); do
  address="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)"
  [ -n "$address" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then echo "The host exited at start:"; cat "$log"; exit 1; fi
  sleep 0.5
done
[ -n "$address" ] || { echo "The host never reported its address:"; cat "$log"; exit 1; }

echo "== dotnet Expert.Host.dll probe $address   (the HEALTHCHECK), expecting $expect"
status=""
line=""
for _ in $(seq 1 120); do   # the model may take a while to load
  line="$(dotnet "$out/Expert.Host.dll" probe "$address" || true)"
  status="${line##*: }"
  [ "$status" = "$expect" ] && break
  sleep 1
done
echo "$line"
if [ "$status" != "$expect" ]; then echo "Expected $expect. Host log:"; cat "$log"; exit 1; fi
if ! kill -0 "$pid" 2>/dev/null; then echo "The host died:"; cat "$log"; exit 1; fi
echo "publish-check: OK ($expect at $address)"
