using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// One of the paper's five tasks. A task makes an instance per seed: the episode to create, then, on
/// that episode, the goal the agents are given and the scorer that measures them. Evaluation seeds
/// and data seeds are disjoint ranges (<see cref="TaskSeeds"/>), documented in TASKS.md.
/// </summary>
public interface ITaskDefinition
{
    /// <summary>Stable name: "object-search", "block-search", "exploration", "collection", "creation".</summary>
    string Name { get; }

    TaskSeeds Seeds { get; }

    /// <summary>The episode to create for a seed (world seed, agents, spawn).</summary>
    EpisodeSpec Episode(int seed);

    /// <summary>Prepares a created episode (chooses the target, clears a building site...) and returns the goal and its scorer.</summary>
    TaskSetup Setup(int seed, IEnvironment environment);
}

/// <summary>Seed ranges of a task: evaluation seeds are never used to make training data.</summary>
/// <param name="Evaluation">The documented evaluation seeds.</param>
/// <param name="TrainingFirst">First seed of the training-data range (inclusive); the range runs to int.MaxValue.</param>
public sealed record TaskSeeds(IReadOnlyList<int> Evaluation, int TrainingFirst)
{
    public bool IsEvaluationSeed(int seed) => Evaluation.Contains(seed);
    public bool IsTrainingSeed(int seed) => seed >= TrainingFirst;
}

public sealed record TaskSetup(TaskGoal Goal, ITaskScorer Scorer);

/// <summary>
/// What the agents are told. <see cref="Instruction"/> is the text every agent (and the student)
/// reads; the other fields are the same goal in structured form for the given modality. Ground truth
/// the agents must not know (where the target is, the target grid) stays in the scorer.
/// </summary>
public sealed record TaskGoal(
    string Task,
    int Seed,
    string Instruction,
    int IterationBudget,
    int AgentCount,
    string? TargetName = null,
    RgbImage? TargetImage = null,
    string? TargetSound = null,
    IReadOnlyDictionary<string, int>? Materials = null,
    string? BuildingDescription = null,
    BlockPos? BuildSite = null,
    int? BuildSiteSize = null,
    string? BuildMaterial = null,
    IReadOnlyList<string>? BuildMaterials = null);

/// <summary>Watches an episode step by step and scores it at the end.</summary>
public interface ITaskScorer
{
    /// <summary>Called after every code action of every agent.</summary>
    void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world);

    /// <summary>True once the goal is reached (the episode may stop early).</summary>
    bool IsComplete { get; }

    /// <summary>The task's figures for the episode, under stable names (TASKS.md).</summary>
    TaskResult Finish(int iterationsUsed, IWorldQuery world);
}

/// <summary>One episode's score. <see cref="Metrics"/> use stable names such as "success", "iterations", "diamonds", "area_revealed", "accuracy", "iou", "image_distance".</summary>
public sealed record TaskResult(string Task, int Seed, bool Success, int Iterations, IReadOnlyDictionary<string, double> Metrics);
