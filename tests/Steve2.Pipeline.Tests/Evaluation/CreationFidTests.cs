using System.Text.Json;
using Expert.VqVae.Corpus;
using Expert.VqVae.Features;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Evaluation.ImageMetric;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Tests.Teacher;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Evaluation;

/// <summary>The creation FID's input, set statistics and report, with a hand-made feature function (the net's maths and
/// its behaviour on real renders are tested in Expert.VqVae.Tests/Features and Shipped).</summary>
public sealed class CreationFidTests
{
    /// <summary>Blocks, centroid and top of a grid: a feature that tells complete builds from half ones.</summary>
    private static double[][] Features(IReadOnlyList<VoxelGrid> grids) => grids.Select(g =>
    {
        double n = 0, sx = 0, sy = 0, sz = 0, top = 0;
        for (int y = 0; y < g.SizeY; y++)
            for (int z = 0; z < g.SizeZ; z++)
                for (int x = 0; x < g.SizeX; x++)
                    if (g[x, y, z]) { n++; sx += x; sy += y; sz += z; top = Math.Max(top, y); }
        return n == 0 ? new double[5] : new[] { n, sx / n, sy / n, sz / n, top };
    }).ToArray();

    private static VoxelGrid Box(int seed)
    {
        var g = new VoxelGrid(8, 6, 8);
        g.FillBox(2, 0, 2, 2 + seed % 3 + 1, seed % 4, 2 + seed % 2 + 2);
        return g;
    }

    private static VoxelGrid Half(VoxelGrid g)
    {
        VoxelGrid h = g.Clone();
        for (int i = 0; i < h.Volume; i += 2) h.SetIndex(i, false);
        return h;
    }

    private static EpisodeOutcome Creation(string agent, int seed, VoxelGrid? built) =>
        new(agent, "creation", seed, true, 10, new Dictionary<string, double> { ["iou"] = 1 }, null, 1, null,
            Creation: built is null ? null : new CreationGrids(built, Box(seed)));

    private static List<EpisodeOutcome> Outcomes()
    {
        var outcomes = new List<EpisodeOutcome>();
        for (int seed = 0; seed < 12; seed++)
        {
            outcomes.Add(Creation("exact", seed, Box(seed)));
            outcomes.Add(Creation("half", seed, Half(Box(seed))));
            outcomes.Add(Creation("gappy", seed, seed == 5 ? null : Box(seed)));   // seed 5 failed: left out for every agent
        }
        outcomes.Add(new EpisodeOutcome("exact", "exploration", 0, true, 3, new Dictionary<string, double>(), null, 1, null));
        return outcomes;
    }

    [Fact]
    public void The_site_framing_of_the_feature_net_is_the_creation_tasks_own()
    {
        foreach (CorpusRecord record in CorpusGenerator.Generate(new CorpusOptions { Seed = 4, Count = 6, Split = CorpusSplit.Test }))
        {
            VoxelGrid cropped = BuildingGrids.Crop(record.Grid);
            var site = new BuildSite(new BlockPos(0, 0, 0), cropped.SizeX, cropped.SizeY, cropped.SizeZ);
            Assert.Equal(site.TargetInRegion(cropped), FeatureRenders.Frame(record.Grid));
        }
    }

    [Fact]
    public void Capture_takes_the_built_and_target_regions_of_a_creation_scorer_only()
    {
        var world = new FakeWorld([]);
        var target = new VoxelGrid(2, 1, 2);
        target.FillBox(0, 0, 0, 1, 0, 1);
        var site = new BuildSite(new BlockPos(10, 10, 10), 2, 1, 2);
        world.SetBlock(new BlockPos(10, 10, 10), Block.OakPlanks);

        CreationGrids grids = CreationGrids.Capture(new CreationScorer("creation", 0, site, target), world)!;
        Assert.Equal(site.TargetInRegion(target), grids.Target);
        Assert.Equal(1, grids.Built.Count());
        Assert.True(grids.Built[BuildSite.Margin, 0, BuildSite.Margin]);
        Assert.Null(CreationGrids.Capture(new ExplorationScorer("exploration", 0, 1, 100), world));
    }

    [Fact]
    public void Fid_is_zero_for_exact_builds_higher_for_worse_ones_and_compared_on_common_seeds()
    {
        SetMetricReport report = CreationFid.Evaluate(Outcomes(), Features, "test features")!;

        Assert.Equal(["exact", "half", "gappy"], report.Rows.Select(r => r.Agent));
        Assert.All(report.Rows, r => Assert.Equal(("creation", "fid", 11), (r.Task, r.Metric, r.Episodes)));
        SetMetricSummary exact = report.Rows[0], half = report.Rows[1];
        Assert.Equal(0, exact.Value, 6);
        Assert.Equal((0.0, 0.0), (Math.Round(exact.CiLow, 6), Math.Round(exact.CiHigh, 6)));
        Assert.True(half.Value > 1, $"half builds scored {half.Value}");
        Assert.True(half.CiLow > 0 && half.CiLow <= half.CiHigh);
        Assert.Equal(0, report.Rows[2].Value, 6);   // same builds as exact on the common seeds
        Assert.Equal(half.Value, half.Parts![CreationFid.MeanTerm] + half.Parts[CreationFid.CovarianceTerm], 6);
        Assert.True(half.Parts[CreationFid.MeanTerm] > 0);

        SetMetricComparison exactVsHalf = report.Comparisons.Single(c => c is { AgentA: "exact", AgentB: "half" });
        Assert.Equal(-half.Value, exactVsHalf.Difference, 6);
        Assert.True(exactVsHalf.Significant);
        Assert.False(report.Comparisons.Single(c => c is { AgentA: "exact", AgentB: "gappy" }).Significant);
        Assert.Equal(3, report.Comparisons.Count);

        Assert.Null(CreationFid.Evaluate(Outcomes().Where(o => o.Task != "creation").ToList(), Features, "none"));
        Assert.Null(CreationFid.Evaluate(Outcomes().Select(o => o with { Creation = null }).ToList(), Features, "none"));
    }

    [Fact]
    public void The_report_shows_fid_beside_the_means_and_keeps_grids_out_of_the_json()
    {
        using var folder = new TestFolder();
        List<EpisodeOutcome> outcomes = Outcomes();
        var run = new EvaluationRun(new DateTimeOffset(2026, 12, 4, 21, 0, 0, TimeSpan.Zero), 5, "test machine", 2, null, null,
            ["exact", "half", "gappy"], new Dictionary<string, IReadOnlyList<int>> { ["creation"] = Enumerable.Range(0, 12).ToList() }, outcomes,
            SetMetrics: CreationFid.Evaluate(outcomes, Features, "test features"));

        EvaluationReport.Write(folder.Path, run);

        string md = File.ReadAllText(Path.Combine(folder.Path, EvaluationReport.MarkdownFile));
        Assert.Contains("| agent | episodes | failed | success rate | mean iterations | iou | fid (set) |", md);
        Assert.Contains("| exact | 12 | 0 | 1.00 [", md);
        Assert.Contains("- set figures over the 11 seeds where every agent's episode ran to its end: test features", md);
        Assert.Contains("- exact vs half: fid -", md);
        Assert.Contains("- half: fid ", md);
        Assert.Contains(" = mean_term ", md);
        Assert.DoesNotContain("fid (set)", md.Split("## exploration")[1]);
        Assert.Equal(40 + 4 * 250, PngImages.Decode(File.ReadAllBytes(Path.Combine(folder.Path, "plots", "creation.png"))).Width);   // success, iterations, iou, fid

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder.Path, EvaluationReport.JsonFile)));
        JsonElement sets = json.RootElement.GetProperty("set_metrics");
        Assert.Equal(3, sets.GetProperty("rows").GetArrayLength());
        Assert.Equal("fid", sets.GetProperty("rows")[0].GetProperty("metric").GetString());
        Assert.False(json.RootElement.GetProperty("episodes")[0].TryGetProperty("creation", out _));
    }
}
