using Steve2.Pipeline.Evaluation.Statistics;

namespace Steve2.Pipeline.Evaluation;

/// <summary>Aggregates episode outcomes per agent and task, with 95% intervals, and compares agents pairwise.</summary>
public static class EvaluationSummary
{
    /// <summary>The figure name of the success rate in comparisons and seeds.</summary>
    public const string SuccessRateFigure = "success rate";

    /// <summary>The figure name of the mean iterations in comparisons and seeds.</summary>
    public const string IterationsFigure = "mean iterations";

    /// <summary>The metrics every table shows as their own columns; the others are the task's own ("main") metrics.</summary>
    private static readonly string[] CommonMetrics = ["success", "iterations"];

    /// <summary>One row per agent x task, in the order agents and tasks first appear in <paramref name="outcomes"/>.</summary>
    public static IReadOnlyList<AgentTaskSummary> Summarize(IReadOnlyList<EpisodeOutcome> outcomes)
    {
        var rows = new List<AgentTaskSummary>();
        foreach (string task in Tasks(outcomes))
        {
            IReadOnlyList<string> metricNames = TaskMetrics(outcomes, task);
            foreach (string agent in Agents(outcomes, task))
            {
                List<EpisodeOutcome> episodes = Episodes(outcomes, agent, task);
                List<EpisodeOutcome> ran = episodes.Where(o => !o.Failed).ToList();
                var metrics = metricNames.Select(name => Describe(agent, task, name, MetricValues(ran, name))).ToList();
                int successes = episodes.Count(o => o.Success);
                Interval rate = WilsonInterval.Of(successes, episodes.Count);
                Interval? iterations = ran.Count == 0 ? null : Bootstrap.MeanInterval(IterationValues(ran), StableSeed.From(agent, task, IterationsFigure));
                rows.Add(new AgentTaskSummary(agent, task, episodes.Count, episodes.Count - ran.Count,
                    successes / (double)episodes.Count,
                    ran.Count == 0 ? null : ran.Average(o => o.Iterations),
                    episodes.Average(o => o.Seconds),
                    metrics,
                    rate.Low, rate.High, iterations?.Low, iterations?.High));
            }
        }
        return rows;
    }

    /// <summary>
    /// For every task with two or more agents, every pair of agents (in the order they first appear) and
    /// every figure: the difference, its 95% interval and whether it is significant (the interval excludes 0);
    /// see <see cref="Difference"/>.
    /// </summary>
    public static IReadOnlyList<AgentComparison> Compare(IReadOnlyList<EpisodeOutcome> outcomes)
    {
        var comparisons = new List<AgentComparison>();
        foreach (string task in Tasks(outcomes))
        {
            List<string> agents = Agents(outcomes, task);
            for (int i = 0; i < agents.Count; i++)
                for (int j = i + 1; j < agents.Count; j++)
                    comparisons.Add(Difference(outcomes, task, agents[i], agents[j]));
        }
        return comparisons;
    }

    /// <summary>
    /// Agent <paramref name="a"/> − agent <paramref name="b"/> on <paramref name="task"/>, every figure of the task's table.
    /// When both played the same seeds, once each, the difference is <b>paired by seed</b>: the mean of the per-seed
    /// differences over the seeds where both have a value, with the percentile bootstrap interval of that mean (a seed's
    /// world is the same for both, so what the seed makes easy or hard cancels). Otherwise the groups are compared
    /// unpaired: Newcombe's interval for the success rate, a bootstrap of the difference of means for the rest.
    /// </summary>
    public static AgentComparison Difference(IReadOnlyList<EpisodeOutcome> outcomes, string task, string a, string b)
    {
        IReadOnlyList<string> metricNames = TaskMetrics(outcomes, task);
        List<EpisodeOutcome> episodesA = Episodes(outcomes, a, task), episodesB = Episodes(outcomes, b, task);
        var figures = new List<FigureComparison>();
        if (SameSeedsOnceEach(episodesA, episodesB))
        {
            var bySeed = episodesB.ToDictionary(o => o.Seed);
            var pairs = episodesA.Select(x => (A: x, B: bySeed[x.Seed])).ToList();
            var ran = pairs.Where(p => !p.A.Failed && !p.B.Failed).ToList();
            figures.Add(Paired(a, b, task, SuccessRateFigure, pairs.Select(p => (Success(p.A), Success(p.B)))));
            figures.Add(Paired(a, b, task, IterationsFigure, ran.Select(p => ((double)p.A.Iterations, (double)p.B.Iterations))));
            figures.AddRange(metricNames.Select(name => Paired(a, b, task, name,
                ran.Select(p => (p.A.Metrics.GetValueOrDefault(name, double.NaN), p.B.Metrics.GetValueOrDefault(name, double.NaN))))));
            return new AgentComparison(task, a, b, figures);
        }
        List<EpisodeOutcome> ranA = episodesA.Where(o => !o.Failed).ToList(), ranB = episodesB.Where(o => !o.Failed).ToList();
        int successesA = episodesA.Count(o => o.Success), successesB = episodesB.Count(o => o.Success);
        figures.Add(Figure(SuccessRateFigure, successesA / (double)episodesA.Count - successesB / (double)episodesB.Count,
            NewcombeInterval.Difference(successesA, episodesA.Count, successesB, episodesB.Count), 0));
        figures.Add(MeansDifference(a, b, task, IterationsFigure, IterationValues(ranA), IterationValues(ranB)));
        figures.AddRange(metricNames.Select(name => MeansDifference(a, b, task, name, MetricValues(ranA, name), MetricValues(ranB, name))));
        return new AgentComparison(task, a, b, figures);
    }

    private static bool SameSeedsOnceEach(List<EpisodeOutcome> a, List<EpisodeOutcome> b)
    {
        var seeds = a.Select(o => o.Seed).ToHashSet();
        return a.Count > 0 && seeds.Count == a.Count && b.Count == a.Count && seeds.SetEquals(b.Select(o => o.Seed));
    }

    private static double Success(EpisodeOutcome o) => o.Success ? 1 : 0;

    /// <summary>The mean per-seed difference over the pairs where both values are defined, and its bootstrap interval.</summary>
    private static FigureComparison Paired(string a, string b, string task, string figure, IEnumerable<(double A, double B)> pairs)
    {
        double[] differences = pairs.Where(p => !double.IsNaN(p.A) && !double.IsNaN(p.B)).Select(p => p.A - p.B).ToArray();
        if (differences.Length == 0) return Figure(figure, double.NaN, Interval.None, 0);
        return Figure(figure, differences.Average(), Bootstrap.MeanInterval(differences, StableSeed.From(a, b, task, figure)), differences.Length);
    }

    /// <summary>The task's own metric names, in the order its episodes report them, without success and iterations.</summary>
    public static IReadOnlyList<string> TaskMetrics(IReadOnlyList<EpisodeOutcome> outcomes, string task) =>
        outcomes.Where(o => o.Task == task && !o.Failed).SelectMany(o => o.Metrics.Keys)
            .Where(k => !CommonMetrics.Contains(k)).Distinct().ToList();

    private static List<string> Tasks(IReadOnlyList<EpisodeOutcome> outcomes) => outcomes.Select(o => o.Task).Distinct().ToList();

    /// <summary>The agents with episodes of <paramref name="task"/>, in the order agents first appear in the whole run.</summary>
    private static List<string> Agents(IReadOnlyList<EpisodeOutcome> outcomes, string task) =>
        outcomes.Select(o => o.Agent).Distinct().Where(a => outcomes.Any(o => o.Agent == a && o.Task == task)).ToList();

    private static List<EpisodeOutcome> Episodes(IReadOnlyList<EpisodeOutcome> outcomes, string agent, string task) =>
        outcomes.Where(o => o.Agent == agent && o.Task == task).ToList();

    private static double[] IterationValues(IEnumerable<EpisodeOutcome> ran) => ran.Select(o => (double)o.Iterations).ToArray();

    /// <summary>The metric's values over the episodes that ran, NaN (undefined) values left out.</summary>
    private static double[] MetricValues(IEnumerable<EpisodeOutcome> ran, string name) =>
        ran.Select(o => o.Metrics.GetValueOrDefault(name, double.NaN)).Where(x => !double.IsNaN(x)).ToArray();

    private static MetricSummary Describe(string agent, string task, string name, double[] v)
    {
        if (v.Length == 0) return new MetricSummary(name, double.NaN, double.NaN, 0, double.NaN, double.NaN);
        double mean = v.Average();
        double std = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        Interval ci = Bootstrap.MeanInterval(v, StableSeed.From(agent, task, name));
        return new MetricSummary(name, mean, std, v.Length, ci.Low, ci.High);
    }

    private static FigureComparison MeansDifference(string a, string b, string task, string figure, double[] valuesA, double[] valuesB)
    {
        if (valuesA.Length == 0 || valuesB.Length == 0) return Figure(figure, double.NaN, Interval.None, 0);
        return Figure(figure, valuesA.Average() - valuesB.Average(),
            Bootstrap.DifferenceOfMeansInterval(valuesA, valuesB, StableSeed.From(a, b, task, figure)), 0);
    }

    private static FigureComparison Figure(string figure, double difference, Interval ci, int pairs) =>
        new(figure, difference, ci.Low, ci.High, ci.ExcludesZero, pairs);
}
