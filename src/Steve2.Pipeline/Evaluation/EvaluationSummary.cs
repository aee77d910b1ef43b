namespace Steve2.Pipeline.Evaluation;

/// <summary>Aggregates episode outcomes per agent and task.</summary>
public static class EvaluationSummary
{
    /// <summary>The metrics every table shows as their own columns; the others are the task's own ("main") metrics.</summary>
    private static readonly string[] CommonMetrics = ["success", "iterations"];

    /// <summary>One row per agent x task, in the order agents and tasks first appear in <paramref name="outcomes"/>.</summary>
    public static IReadOnlyList<AgentTaskSummary> Summarize(IReadOnlyList<EpisodeOutcome> outcomes)
    {
        List<string> agents = outcomes.Select(o => o.Agent).Distinct().ToList();
        List<string> tasks = outcomes.Select(o => o.Task).Distinct().ToList();
        var rows = new List<AgentTaskSummary>();
        foreach (string task in tasks)
        {
            IReadOnlyList<string> metricNames = TaskMetrics(outcomes, task);
            foreach (string agent in agents)
            {
                List<EpisodeOutcome> episodes = outcomes.Where(o => o.Agent == agent && o.Task == task).ToList();
                if (episodes.Count == 0) continue;
                List<EpisodeOutcome> ran = episodes.Where(o => !o.Failed).ToList();
                var metrics = metricNames.Select(name => Describe(name, ran.Select(o => o.Metrics.GetValueOrDefault(name, double.NaN)))).ToList();
                rows.Add(new AgentTaskSummary(agent, task, episodes.Count, episodes.Count - ran.Count,
                    episodes.Count(o => o.Success) / (double)episodes.Count,
                    ran.Count == 0 ? null : ran.Average(o => o.Iterations),
                    episodes.Average(o => o.Seconds),
                    metrics));
            }
        }
        return rows;
    }

    /// <summary>The task's own metric names, in the order its episodes report them, without success and iterations.</summary>
    public static IReadOnlyList<string> TaskMetrics(IReadOnlyList<EpisodeOutcome> outcomes, string task) =>
        outcomes.Where(o => o.Task == task && !o.Failed).SelectMany(o => o.Metrics.Keys)
            .Where(k => !CommonMetrics.Contains(k)).Distinct().ToList();

    private static MetricSummary Describe(string name, IEnumerable<double> values)
    {
        double[] v = values.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0) return new MetricSummary(name, double.NaN, double.NaN, 0);
        double mean = v.Average();
        double std = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new MetricSummary(name, mean, std, v.Length);
    }
}
