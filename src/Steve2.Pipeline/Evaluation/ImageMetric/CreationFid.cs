using Expert.VqVae.Features;
using Steve2.Pipeline.Evaluation.Statistics;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Evaluation.ImageMetric;

/// <summary>
/// The creation FID (TASKS.md, EVALUATION.md): for each agent, the Fréchet distance
/// (<see cref="FrechetDistance"/>) between the features of its built regions and the features of the target
/// regions over the same seeds, the features being the penultimate layer of the project's own feature net
/// (<see cref="BuildingFeatureExtractor"/>, Expert.VqVae/Features/FEATURES.md) over the front, side, top
/// and isometric renders at 64 x 64. Lower is better; 0 means the two sets' feature Gaussians coincide.
/// <para>
/// FID is a property of a set: it is computed over the seeds on which every agent's episode ran to its end
/// (so all agents are compared with one target set), and its 95% interval comes from a paired percentile
/// bootstrap over those seeds (<see cref="Resamples"/> resamples; each resample draws seeds, and the built
/// and target features of the drawn seeds together). The same draws give each pair of agents' difference.
/// </para>
/// </summary>
public static class CreationFid
{
    public const string Task = "creation";
    public const string Metric = "fid";

    /// <summary>The parts of each agent's FID (<see cref="FrechetReference.Terms"/>): the sets' means apart, and their spreads apart.</summary>
    public const string MeanTerm = "mean_term", CovarianceTerm = "covariance_term";

    /// <summary>Fewer resamples than the means' 2,000: each one is a covariance and two eigen decompositions per agent.</summary>
    public const int Resamples = 500;

    /// <summary>
    /// The FID of every agent with captured creation grids, or null when no episode has them (no creation
    /// task, or every episode was resumed from a recording).
    /// </summary>
    public static SetMetricReport? Evaluate(IReadOnlyList<EpisodeOutcome> outcomes, Func<IReadOnlyList<VoxelGrid>, double[][]> features, string method)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(features);
        List<EpisodeOutcome> creation = outcomes.Where(o => o.Task == Task).ToList();
        List<string> agents = creation.Select(o => o.Agent).Distinct().ToList();
        if (agents.Count == 0) return null;
        // The seeds on which every agent's episode left grids, in order.
        List<int> seeds = creation.Select(o => o.Seed).Distinct().Order()
            .Where(seed => agents.All(a => creation.Any(o => o.Agent == a && o.Seed == seed && o.Creation is not null))).ToList();
        if (seeds.Count < 2) return null;

        EpisodeOutcome Of(string agent, int seed) => creation.First(o => o.Agent == agent && o.Seed == seed && o.Creation is not null);
        // One target set: the targets of a seed are the same for every agent.
        double[][] target = features(seeds.Select(s => Of(agents[0], s).Creation!.Target).ToList());
        List<double[][]> built = agents.Select(a => features(seeds.Select(s => Of(a, s).Creation!.Built).ToList())).ToList();

        double[] Fids(IReadOnlyList<int> picks)
        {
            var reference = new FrechetReference(GaussianStatistics.Of(picks.Select(i => (IReadOnlyList<double>)target[i]).ToList()));
            return built.Select(b => reference.DistanceTo(GaussianStatistics.Of(picks.Select(i => (IReadOnlyList<double>)b[i]).ToList()))).ToArray();
        }

        int[] all = Enumerable.Range(0, seeds.Count).ToArray();
        double[] point = Fids(all);
        var targetReference = new FrechetReference(GaussianStatistics.Of(all.Select(i => (IReadOnlyList<double>)target[i]).ToList()));
        List<IReadOnlyDictionary<string, double>> parts = built.Select(b =>
        {
            var (meanTerm, covarianceTerm) = targetReference.Terms(GaussianStatistics.Of(b.Cast<IReadOnlyList<double>>().ToList()));
            return (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { [MeanTerm] = meanTerm, [CovarianceTerm] = covarianceTerm };
        }).ToList();
        var pairs = new List<(int A, int B)>();
        for (int a = 0; a < agents.Count; a++)
            for (int b = a + 1; b < agents.Count; b++) pairs.Add((a, b));
        IReadOnlyList<Interval> intervals = Bootstrap.StatisticIntervals(seeds.Count, agents.Count + pairs.Count, picks =>
        {
            double[] fids = Fids(picks);
            return [.. fids, .. pairs.Select(p => fids[p.A] - fids[p.B])];
        }, StableSeed.From([Task, Metric, .. agents]), Resamples);

        var rows = agents.Select((a, i) => new SetMetricSummary(Task, a, Metric, point[i], intervals[i].Low, intervals[i].High, seeds.Count, parts[i])).ToList();
        var comparisons = pairs.Select((p, k) =>
        {
            Interval ci = intervals[agents.Count + k];
            return new SetMetricComparison(Task, Metric, agents[p.A], agents[p.B], point[p.A] - point[p.B], ci.Low, ci.High, ci.ExcludesZero, seeds.Count);
        }).ToList();
        return new SetMetricReport(method, rows, comparisons);
    }

    /// <summary><see cref="Evaluate(IReadOnlyList{EpisodeOutcome}, Func{IReadOnlyList{VoxelGrid}, double[][]}, string)"/> with a loaded feature net.</summary>
    public static SetMetricReport? Evaluate(IReadOnlyList<EpisodeOutcome> outcomes, BuildingFeatureExtractor extractor) =>
        Evaluate(outcomes, extractor.Extract,
            $"Fréchet distance between the {extractor.FeatureSize}-d features of the built and the target regions' renders (front, side, top, isometric, 64 px) " +
            $"under the project's feature net ({Path.GetFileName(extractor.Path)}, step {extractor.Header.Step}, validation family accuracy " +
            $"{extractor.Header.Metrics.GetValueOrDefault("val/accuracy/family", double.NaN):F3}); lower is better. 95% intervals: paired percentile bootstrap over seeds ({Resamples} resamples).");
}
