namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// The figures of one agent on one task over its seeds. <see cref="SuccessRate"/> counts failed
/// episodes as unsuccessful; the means are over the episodes that ran to their end.
/// </summary>
/// <param name="Metrics">Each task metric (TASKS.md names) with its mean and spread, in the order the task reports them.</param>
public sealed record AgentTaskSummary(
    string Agent,
    string Task,
    int Episodes,
    int Failed,
    double SuccessRate,
    double? MeanIterations,
    double MeanSeconds,
    IReadOnlyList<MetricSummary> Metrics);

/// <summary>Mean and sample standard deviation of one metric over <see cref="Count"/> episodes (NaN values are left out).</summary>
public sealed record MetricSummary(string Name, double Mean, double StdDev, int Count);
