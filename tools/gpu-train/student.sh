#!/bin/bash
# Trains the student on a CUDA machine that has PyTorch but no .NET, and plays it there: unpacks .NET and
# the steve2 app made by `APP=steve2 pack.sh`, binds TorchSharp to PyTorch's libtorch through
# LD_LIBRARY_PATH, records the no-expert teacher's trajectories on the training seeds the shipped student
# was cloned from (Student/STUDENT.md), trains a student from scratch (PRESET, base by default; STEPS,
# BATCH, LR; roles and tasks balanced) within BUDGET seconds, then, with the time left, evaluates it
# against the no-expert teacher on every evaluation seed. Copies student.ckpt (or the best checkpoint of
# a run cut short), metrics.jsonl, the curves and the evaluation report to $OUT.
# A dry run here, without unpacking: STEVE2=path/to/steve2 DEVICE=cpu PRESET=tiny STEPS=2 QUICK=1.
# On the device machine: `run` with carry [".gpu/dotnet.tar.xz", ".gpu/steve2.tar.xz"] (62 MB together, under
# its 64 MiB; .NET's runtime and ASP.NET Core's, which steve2 needs) and `bash tools/gpu-train/student.sh`.
set -u
T0=$(date +%s)
if [ -z "${STEVE2:-}" ]; then
  mkdir -p /tmp/dn /tmp/app && tar -xJf .gpu/dotnet.tar.xz -C /tmp/dn && tar -xJf .gpu/steve2.tar.xz -C /tmp/app || exit 3
  TL=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__)+"/lib")')
  python3 -c 'import torch;print("torch",torch.__version__,torch.cuda.get_device_name(0))'
  export LD_LIBRARY_PATH=$TL:${LD_LIBRARY_PATH:-} DOTNET_ROOT=/tmp/dn DOTNET_CLI_TELEMETRY_OPTOUT=1
  STEVE2="/tmp/dn/dotnet /tmp/app/steve2.dll"
fi
export OMP_WAIT_POLICY=PASSIVE
DEVICE=${DEVICE:-cuda} PAR=${PAR:-$(nproc)} D=/tmp/student-data R=/tmp/student-run
echo "ready after $(( $(date +%s) - T0 )) s"

# The shipped student's recordings: every task on 100 training seeds, 500 more of collection and object
# search, 200 more of block search (QUICK: 2 seeds a task, and 2 evaluation seeds a task played 5 iterations).
if [ "${QUICK:-0}" = 1 ]; then
  $STEVE2 record --agents teacher-no-expert --tasks all --seeds 1000000-1000001 --parallel $PAR --output $D > $OUT/record.log 2>&1 || exit 4
  SEEDS=0-1 LIMIT="--max-iterations 5"
else
  { $STEVE2 record --agents teacher-no-expert --tasks all --seeds 1000000-1000099 --parallel $PAR --output $D &&
    $STEVE2 record --agents teacher-no-expert --tasks collection,object-search --seeds 1000100-1000599 --parallel $PAR --output $D &&
    $STEVE2 record --agents teacher-no-expert --tasks block-search --seeds 1000100-1000299 --parallel $PAR --output $D; } > $OUT/record.log 2>&1 || exit 4
  SEEDS=0-99 LIMIT=
fi
echo "recorded after $(( $(date +%s) - T0 )) s: $(tail -1 $OUT/record.log)"

# Training gets BUDGET less what recording took and what the evaluation is given (EVAL_S, 0: no evaluation).
LEFT=$(( ${BUDGET:-480} - ${EVAL_S:-150} - ($(date +%s) - T0) ))
ARGS="--data $D --output $R --preset ${PRESET:-base} --device $DEVICE --steps ${STEPS:-3000} --batch ${BATCH:-64} --lr ${LR:-1e-3} --balance-roles --balance-tasks --validate-every ${VAL:-500}"
echo "training with $LEFT s: $ARGS"
timeout -s INT $LEFT $STEVE2 train-student $ARGS > $OUT/train.log 2>&1
echo "train rc=$? after $(( $(date +%s) - T0 )) s"; tail -4 $OUT/train.log
CKPT=$R/student.ckpt
[ -f $CKPT ] || CKPT=$R/checkpoint-best.ckpt
[ -f $CKPT ] || { echo "no checkpoint written"; exit 5; }
cp $CKPT $OUT/student.ckpt; cp $R/metrics.jsonl $R/curves-*.png $OUT/ 2>/dev/null

if [ "${EVAL_S:-150}" -gt 0 ]; then
  LEFT=$(( ${BUDGET:-480} - ($(date +%s) - T0) ))
  timeout $(( LEFT > 30 ? LEFT : 30 )) $STEVE2 eval --agents student,teacher-no-expert --student $OUT/student.ckpt --tasks all --seeds $SEEDS $LIMIT \
    --parallel $PAR --device $DEVICE --output $OUT/eval > $OUT/eval.log 2>&1
  echo "eval rc=$? after $(( $(date +%s) - T0 )) s"; tail -2 $OUT/eval.log
fi
ls -la $OUT
echo "done after $(( $(date +%s) - T0 )) s"
