#!/bin/bash
# Runs on a CUDA machine that has PyTorch but no .NET (the shipped checkpoint was made this way):
# unpacks .NET and the vqvae app made by pack.sh, binds TorchSharp to PyTorch's libtorch through
# LD_LIBRARY_PATH, trains on the embedded defaults with --device cuda, and copies the run's files to
# $OUT. VQ/PR override the step counts, BUDGET the seconds allowed; a run cut short is finished
# from its last checkpoint. SMOKE=1 first generates once on the GPU. V2=1 trains imagination v2 instead:
# it writes the composed corpus first (COUNT records, 48000 by default) and trains on it with the
# material channel (--materials --corpus; TRAINING.md, "Materials"); EXTRA adds train options.
# On the device machine: `run` with carry [".gpu/dotnet.tar.xz", ".gpu/app.tar.xz"] (50 MB; not the whole .gpu/,
# which with student.sh's steve2.tar.xz beside them passes the 64 MiB a run carries) and `bash tools/gpu-train/run.sh`.
set -u
T0=$(date +%s)
mkdir -p /tmp/dn /tmp/app && tar -xJf .gpu/dotnet.tar.xz -C /tmp/dn && tar -xJf .gpu/app.tar.xz -C /tmp/app || exit 3
TL=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__)+"/lib")')
python3 -c 'import torch;print("torch",torch.__version__,torch.cuda.get_device_name(0))'
export LD_LIBRARY_PATH=$TL:${LD_LIBRARY_PATH:-} DOTNET_ROOT=/tmp/dn OMP_WAIT_POLICY=PASSIVE DOTNET_CLI_TELEMETRY_OPTOUT=1
V="/tmp/dn/dotnet /tmp/app/vqvae.dll"
echo "unpacked after $(( $(date +%s) - T0 )) s"
[ "${SMOKE:-0}" = 1 ] && timeout 90 $V generate "a tall stone tower with a pyramid roof" --device cuda --model /tmp/app/Checkpoints/default.ckpt --output /tmp/smoke 2>&1 | tail -15
R=/tmp/run
ARGS="--output $R --device cuda --corpus-count 48000 --vqvae-steps ${VQ:-4000} --vqvae-batch 32 --prior-steps ${PR:-6000} --prior-batch 64 --eval-every 1000 ${EXTRA:-}"
if [ "${V2:-0}" = 1 ]; then
  $V corpus --composed --count ${COUNT:-48000} --output /tmp/v2-train.jsonl > $OUT/corpus.log 2>&1 || { tail -5 $OUT/corpus.log; exit 4; }
  echo "composed corpus written after $(( $(date +%s) - T0 )) s"
  ARGS="$ARGS --materials --corpus /tmp/v2-train.jsonl"
fi
LEFT=$(( ${BUDGET:-500} - ($(date +%s) - T0) ))
echo "training with $LEFT s: $ARGS"
timeout -s INT $LEFT $V train $ARGS > $OUT/train.log 2>&1
echo "train rc=$? after $(( $(date +%s) - T0 )) s"
tail -5 $OUT/train.log
if [ ! -f $R/model.ckpt ]; then
  read ST VS PS < <(python3 - <<'PY'
import json
last=None
for l in open('/tmp/run/metrics.jsonl'):
    try: last=json.loads(l)
    except Exception: pass
print(last['Stage'], last['Step'], last['Step'])
PY
)
  echo "interrupted in $ST at step $VS: finalizing"
  if [ "$ST" = vqvae ]; then echo "stopped in the autoencoder stage: nothing to ship"; else timeout 60 $V train ${ARGS/--prior-steps ${PR:-6000}/--prior-steps $PS} >> $OUT/train.log 2>&1; fi
fi
cp $R/model.ckpt $R/metrics.jsonl $R/curves-*.png $OUT/ 2>/dev/null
ls -la $OUT
echo "done after $(( $(date +%s) - T0 )) s"
