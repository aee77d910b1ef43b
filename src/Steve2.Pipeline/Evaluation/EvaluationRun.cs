using Steve2.Pipeline.Evaluation.ImageMetric;

namespace Steve2.Pipeline.Evaluation;

/// <summary>Everything a report states about one evaluation: when, where, what was run and every episode.</summary>
/// <param name="Seeds">The seeds each task was played on.</param>
/// <param name="MaxIterations">The iteration cap of a smoke run, or null for the tasks' own budgets.</param>
/// <param name="SetMetrics">Figures of sets of episodes (the creation FID), or null when none was computed.</param>
/// <param name="ExpertHost">Where the experts were: an address, "in process (address)", or null when no agent needed them.</param>
/// <param name="Shard">The shard this run played (<c>K/N</c>, <see cref="Evaluation.Shard"/>), or null when it played every planned episode.</param>
/// <param name="MergedShards">How many shards' reports <see cref="EvaluationMerge"/> joined into this one, or null for a report of one run.</param>
/// <param name="TeacherBackends">The teacher's backends per role when a teacher configuration was given (<c>--teacher-config</c>), or null (the rules).</param>
public sealed record EvaluationRun(
    DateTimeOffset StartedUtc,
    double Seconds,
    string Machine,
    int Parallelism,
    string? ExpertHost,
    string? RecordDirectory,
    IReadOnlyList<string> Agents,
    IReadOnlyDictionary<string, IReadOnlyList<int>> Seeds,
    IReadOnlyList<EpisodeOutcome> Episodes,
    int? MaxIterations = null,
    string? TeacherBackends = null,
    SetMetricReport? SetMetrics = null,
    string? Shard = null,
    int? MergedShards = null)
{
    /// <summary>This machine in words: name, cores, operating system, runtime.</summary>
    public static string DescribeMachine() =>
        $"{System.Environment.MachineName}, {System.Environment.ProcessorCount} cores, " +
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {System.Environment.Version}";
}
