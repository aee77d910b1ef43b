using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// The sizes of one <c>steve2 experiment</c> run (DISTILLATION.md, "The experiment"): teacher episodes recorded per task,
/// behaviour cloning, the DAgger rounds with DPO + MLE, and the evaluation seeds. <c>quick</c> is sized for the 2-core CPU;
/// <c>full</c> is the README's; <c>tiny</c> is the test suite's end-to-end run (mechanics only, seconds). Every profile's DPO
/// has the anchor term (factor 1, the reference's demonstrations included: DISTILLATION.md, "The anchor term"): without it,
/// the pairs-only runs lost the reference's collection and block search. Every DPO run keeps its best step on held-out
/// episodes (<see cref="DpoSelection"/>; DISTILLATION.md, "Which step is kept"): a fixed step count over-fitted rounds with
/// few pairs.
/// </summary>
public sealed record ExperimentProfile(
    string Name,
    IReadOnlyList<string> Tasks,
    int RecordSeeds,
    int? RecordIterations,
    StudentTrainOptions Bc,
    DaggerRunOptions Dagger,
    IReadOnlyList<int> EvalSeeds,
    int? EvalIterations,
    int Parallel)
{
    public static IReadOnlyList<string> Names { get; } = ["quick", "full", "tiny"];

    public static ExperimentProfile Quick { get; } = new("quick", TaskCatalog.Names, 20, 30,
        new StudentTrainOptions { Preset = "tiny", Steps = 1500, BatchSize = 32, LearningRate = 3e-3, ValidateEvery = 500, ValidationLimit = 150, CheckpointEvery = 100 },
        new DaggerRunOptions
        {
            Rounds = 2, Schedule = "exponential:0.5", SeedsPerRound = 2, MaxIterations = 30,
            Dpo = new DpoOptions { Steps = 150, BatchSize = 8, LearningRate = 3e-4, CheckpointEvery = 25, Anchor = 1, HoldoutFraction = 0.3 },
        },
        Enumerable.Range(0, 20).ToArray(), 40, 2);

    public static ExperimentProfile Full { get; } = new("full", TaskCatalog.Names, 40, null,
        new StudentTrainOptions { Preset = "small", Steps = 2000, BatchSize = 16, LearningRate = 1e-3 },
        new DaggerRunOptions
        {
            Rounds = 3, Schedule = "exponential:0.5", SeedsPerRound = 4,
            Dpo = new DpoOptions { Steps = 400, BatchSize = 8, LearningRate = 2e-4, CheckpointEvery = 50, Anchor = 1 },
        },
        Enumerable.Range(0, 100).ToArray(), null, 2);

    /// <summary>Two tasks (one navigation, creation), one seed, a handful of iterations and steps: the end-to-end test's size.</summary>
    public static ExperimentProfile Tiny { get; } = new("tiny", ["exploration", "creation"], 1, 3,
        new StudentTrainOptions { Preset = "tiny", Steps = 3, BatchSize = 4, ValidateEvery = 3, ValidationLimit = 4, CheckpointEvery = 2, WarmupSteps = 1 },
        new DaggerRunOptions
        {
            Rounds = 1, Schedule = "exponential:0.5", SeedsPerRound = 1, MaxIterations = 3, MaxRetries = 0, Tasks = ["exploration", "creation"],
            Dpo = new DpoOptions { Steps = 2, BatchSize = 2, CheckpointEvery = 1, WarmupSteps = 1, Anchor = 1 },
        },
        [0], 3, 2);

    public static ExperimentProfile Get(string name) => name switch
    {
        "quick" => Quick,
        "full" => Full,
        "tiny" => Tiny,
        _ => throw new ArgumentException($"Unknown profile '{name}': one of {string.Join(", ", Names)}."),
    };

    /// <summary>The profile with the DAgger rounds on the profile's tasks.</summary>
    public ExperimentProfile Resolved() => this with { Dagger = Dagger with { Tasks = Tasks, Parallel = Parallel } };
}
