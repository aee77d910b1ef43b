namespace Steve2.Pipeline.Evaluation.ImageMetric;

/// <summary>
/// Figures computed over a set of episodes rather than averaged over them (the creation FID): one value per
/// agent and task with its 95% bootstrap interval over episodes, and every pair of agents' difference.
/// </summary>
/// <param name="Method">One line on how the figures were computed (the feature net, its checkpoint).</param>
public sealed record SetMetricReport(string Method, IReadOnlyList<SetMetricSummary> Rows, IReadOnlyList<SetMetricComparison> Comparisons);

/// <summary>One agent's set figure on a task, over <see cref="Episodes"/> episodes, with its 95% interval.</summary>
/// <param name="Parts">What the value is made of, by name (the FID's <c>mean_term</c> and <c>covariance_term</c>), or null.</param>
public sealed record SetMetricSummary(string Task, string Agent, string Metric, double Value, double CiLow, double CiHigh, int Episodes,
    IReadOnlyDictionary<string, double>? Parts = null);

/// <summary>
/// <see cref="AgentA"/>'s figure minus <see cref="AgentB"/>'s on the same episodes' seeds, with the 95% interval of a
/// paired bootstrap over those seeds; <see cref="Significant"/> when it excludes 0.
/// </summary>
public sealed record SetMetricComparison(string Task, string Metric, string AgentA, string AgentB, double Difference, double CiLow, double CiHigh, bool Significant, int Episodes);
