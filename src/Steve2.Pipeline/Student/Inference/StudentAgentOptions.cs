namespace Steve2.Pipeline.Student.Inference;

/// <summary>
/// How the student plays: its checkpoint (default: the shipped one beside the binaries), the device
/// (auto: CUDA when present), how tokens are picked (greedy by default), how many times an unusable answer is
/// sampled again before the safe default, and the largest batch of model calls gathered across episodes.
/// </summary>
public sealed record StudentAgentOptions
{
    /// <summary>The shipped checkpoint in the source tree (copied beside the binaries when present).</summary>
    public const string SourceCheckpoint = "src/Steve2.Pipeline/Student/Checkpoints/student.ckpt";

    /// <summary>The shipped checkpoint beside the running binaries.</summary>
    public static string ShippedCheckpoint => Path.Combine(AppContext.BaseDirectory, "Student", "Checkpoints", "student.ckpt");

    public string? ModelPath { get; init; }

    /// <summary>For a student made around a pretrained decoder: its folder when it is no longer where the checkpoint says (its files are checked against the checkpoint's hashes).</summary>
    public string? DecoderFolder { get; init; }
    public string Device { get; init; } = "auto";
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    /// <summary>
    /// Answers asked again after one the critic refuses or has a concern about (a greedy student's retries branch a refused
    /// answer: <see cref="StudentAsking"/>), before the safe default or the first usable answer. Five since 2026-12-06 (with the build concerns, two retries found
    /// the plan's step in fewer creation episodes: STUDENT.md, "Measured 20:24-"), ten since 2026-12-07 (object search seed
    /// 66 won, creation 0.05 iterations sooner, nothing worse beyond one creation seed: "Measured 2026-12-07").
    /// </summary>
    public int MaxRetries { get; init; } = 10;
    public int MaxBatch { get; init; } = 16;

    /// <summary>Seeds every question's random stream (<see cref="StudentAsking.QuestionRandom"/>): sampled answers are the same in every run.</summary>
    public int Seed { get; init; } = 7;

    public string ResolvedModelPath => ModelPath ?? ShippedCheckpoint;

    public StudentAgentOptions Validated()
    {
        Sampling.Validated();
        if (MaxRetries is < 0 or > 10 || MaxBatch < 1)
            throw new ArgumentException($"The student's retries must be in 0..10 (got {MaxRetries}) and its batch at least 1 (got {MaxBatch}).");
        if (!File.Exists(ResolvedModelPath))
            throw new ArgumentException(ModelPath is null
                ? $"No shipped student checkpoint at {ShippedCheckpoint}: train one (steve2 train-student) and pass --student PATH."
                : $"No student checkpoint at {ModelPath}.");
        return this;
    }
}
