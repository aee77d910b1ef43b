namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// The figures of one agent on one task over its seeds, each with its 95% interval. <see cref="SuccessRate"/>
/// counts failed episodes as unsuccessful (Wilson score interval); the means are over the episodes that
/// ran to their end (percentile bootstrap interval). EVALUATION.md says how the intervals are computed.
/// </summary>
/// <param name="Metrics">Each task metric (TASKS.md names) with its mean, spread and interval, in the order the task reports them.</param>
public sealed record AgentTaskSummary(
    string Agent,
    string Task,
    int Episodes,
    int Failed,
    double SuccessRate,
    double? MeanIterations,
    double MeanSeconds,
    IReadOnlyList<MetricSummary> Metrics,
    double SuccessRateCiLow,
    double SuccessRateCiHigh,
    double? MeanIterationsCiLow,
    double? MeanIterationsCiHigh);

/// <summary>
/// Mean, sample standard deviation and 95% bootstrap interval [<see cref="CiLow"/>, <see cref="CiHigh"/>] of
/// the mean of one metric over <see cref="Count"/> episodes (NaN values are left out; all NaN when none is left).
/// </summary>
public sealed record MetricSummary(string Name, double Mean, double StdDev, int Count, double CiLow, double CiHigh);

/// <summary>
/// Two agents on one task: every figure's difference (<see cref="AgentA"/> − <see cref="AgentB"/>) with its
/// 95% interval, in the order of the task's table (success rate, mean iterations, the task's metrics).
/// </summary>
public sealed record AgentComparison(string Task, string AgentA, string AgentB, IReadOnlyList<FigureComparison> Figures);

/// <summary>
/// One figure's difference between two agents. <see cref="Significant"/> when the 95% interval
/// [<see cref="CiLow"/>, <see cref="CiHigh"/>] excludes zero. <see cref="Pairs"/> &gt; 0: paired by seed, the mean of
/// that many per-seed differences with its bootstrap interval; 0: unpaired (the agents played different seeds),
/// Newcombe's interval for the success rate, a bootstrap interval of the difference of means otherwise
/// (<see cref="EvaluationSummary.Difference"/>). NaN throughout when either agent has no value.
/// </summary>
public sealed record FigureComparison(string Figure, double Difference, double CiLow, double CiHigh, bool Significant, int Pairs = 0);
