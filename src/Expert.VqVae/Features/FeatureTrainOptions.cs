namespace Expert.VqVae.Features;

/// <summary>Options of <see cref="FeatureTrainer"/> (the `vqvae train-features` command); defaults are the shipped run's.</summary>
public sealed record FeatureTrainOptions
{
    public string OutputDir { get; init; } = "runs/features";

    /// <summary>Seed of the TRAIN-split corpus the net learns from; validation uses the train split at seed + 1000.</summary>
    public int CorpusSeed { get; init; } = 1;

    public int TrainCount { get; init; } = 5000;

    /// <summary>Validation examples: train-split records of another corpus seed (chooses checkpoint-best).</summary>
    public int ValidationCount { get; init; } = 400;

    /// <summary>Held-out examples: TEST-split records (combinations never trained on), measured once at the end, never used to choose.</summary>
    public int HeldOutCount { get; init; } = 400;

    /// <summary>Share of every set's examples that are degraded builds (<see cref="BuildDegradation"/>).</summary>
    public double DegradedShare { get; init; } = 0.5;

    public int Steps { get; init; } = 3000;
    public int Batch { get; init; } = 48;
    public float LearningRate { get; init; } = 2e-3f;
    public int WarmupSteps { get; init; } = 30;
    public int EvalEvery { get; init; } = 250;
    public int Seed { get; init; } = 1;
    public string Device { get; init; } = "auto";

    /// <summary>libtorch threads (0 = one per core).</summary>
    public int Threads { get; init; }

    public bool Resume { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the command-line flag to change.</summary>
    public FeatureTrainOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(OutputDir)) throw new ArgumentException("--output must name a folder.");
        if (TrainCount < 1 || ValidationCount < 1 || HeldOutCount < 0)
            throw new ArgumentException("--train-count and --validation-count must be at least 1, --held-out-count at least 0.");
        if (DegradedShare is < 0 or > 1 || double.IsNaN(DegradedShare)) throw new ArgumentException($"--degraded-share must be in [0, 1], got {DegradedShare}.");
        if (Steps < 1) throw new ArgumentException($"--steps must be at least 1, got {Steps}.");
        if (Batch < 1) throw new ArgumentException($"--batch must be at least 1, got {Batch}.");
        if (!(LearningRate > 0)) throw new ArgumentException($"--lr must be positive, got {LearningRate}.");
        if (WarmupSteps < 0) throw new ArgumentException($"--warmup must be 0 or more, got {WarmupSteps}.");
        if (EvalEvery < 1) throw new ArgumentException($"--eval-every must be at least 1, got {EvalEvery}.");
        if (Threads < 0) throw new ArgumentException($"--threads must be 0 or more, got {Threads}.");
        return this;
    }
}
