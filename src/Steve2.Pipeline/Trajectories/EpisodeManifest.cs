using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Trajectories;

/// <summary>
/// manifest.json of one recorded episode: what was played, by whom, how it ended and what the
/// folder holds. Written last, just before the folder is renamed into place: an episode folder with
/// a manifest is complete. <see cref="Split"/> says whether the seed is a training or an evaluation
/// seed of its task (<see cref="TrajectoryFormat.Splits"/>): a trainer must never learn from evaluation episodes.
/// </summary>
public sealed record EpisodeManifest(
    int FormatVersion,
    string Task,
    int Seed,
    string Agent,
    string Split,
    TrajectoryGoal Goal,
    TrajectoryResult Result,
    int Steps,
    int Images,
    int ExpertSteps,
    DateTimeOffset RecordedUtc,
    double Seconds);

/// <summary>The goal as the agents (and the student) were given it; <see cref="TargetImage"/> is a file in the episode folder.</summary>
public sealed record TrajectoryGoal(
    string Instruction,
    int IterationBudget,
    int AgentCount,
    string? TargetName,
    string? TargetImage,
    string? TargetSound,
    IReadOnlyDictionary<string, int>? Materials,
    string? BuildingDescription,
    TrajectoryPosition? BuildSite,
    int? BuildSiteSize = null,
    string? BuildMaterial = null,
    IReadOnlyList<string>? BuildMaterials = null);

/// <summary>The task's score of the episode (the stable metric names of TASKS.md).</summary>
public sealed record TrajectoryResult(bool Success, int Iterations, IReadOnlyDictionary<string, double> Metrics);

/// <summary>A block position as written in a manifest (<c>{"x": 1, "y": 64, "z": -2}</c>).</summary>
public sealed record TrajectoryPosition(int X, int Y, int Z)
{
    public static TrajectoryPosition? From(BlockPos? p) => p is { } v ? new TrajectoryPosition(v.X, v.Y, v.Z) : null;

    public BlockPos ToBlockPos() => new(X, Y, Z);
}
