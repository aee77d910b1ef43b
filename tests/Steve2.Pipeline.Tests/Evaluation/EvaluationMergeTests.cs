using System.Text.Json;
using System.Text.Json.Nodes;
using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Evaluation.ImageMetric;
using Steve2.Pipeline.Tests.Cli;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Evaluation;

/// <summary>Sharded runs merged back into the one report: the unsharded run's files, byte for byte where the run's own description allows.</summary>
public sealed class EvaluationMergeTests
{
    private static readonly string[] Agents = ["teacher", "teacher-no-expert"];
    private static readonly Dictionary<string, IReadOnlyList<int>> Seeds = new() { ["collection"] = [0, 1, 2, 3], ["exploration"] = [5, 6, 7], ["creation"] = [0, 1, 2, 3, 4] };

    /// <summary>A small stand-in for the FID's feature net: blocks, mean height, top.</summary>
    private static double[][] Features(IReadOnlyList<VoxelGrid> grids) => grids.Select(g =>
    {
        double n = 0, sy = 0, top = 0;
        for (int y = 0; y < g.SizeY; y++)
            for (int z = 0; z < g.SizeZ; z++)
                for (int x = 0; x < g.SizeX; x++)
                    if (g[x, y, z]) { n++; sy += y; top = Math.Max(top, y); }
        return n == 0 ? new double[3] : new[] { n, sy / n, top };
    }).ToArray();

    private static VoxelGrid Box(int seed, int shrink)
    {
        var g = new VoxelGrid(8, 6, 8);
        g.FillBox(1, 0, 1, 1 + seed % 3 + 2 - shrink, seed % 4 + 1, 1 + seed % 2 + 3);
        return g;
    }

    private static SetMetricReport? Fid(IReadOnlyList<EpisodeOutcome> episodes) => CreationFid.Evaluate(episodes, Features, "test features");

    /// <summary>Outcomes in plan order (task, seed, agent) with NaN metrics, a failed episode, unequal metric sets and creation grids.</summary>
    private static List<EpisodeOutcome> PlannedOutcomes()
    {
        var outcomes = new List<EpisodeOutcome>();
        foreach ((string task, IReadOnlyList<int> seeds) in Seeds)
            foreach (int seed in seeds)
                foreach (string agent in Agents)
                {
                    if (task == "exploration" && seed == 6 && agent == "teacher")
                    {
                        outcomes.Add(new EpisodeOutcome(agent, task, seed, false, 0, new Dictionary<string, double>(), "TimeoutException: slow", 1.5, null));
                        continue;
                    }
                    if (task == "creation")
                    {
                        outcomes.Add(new EpisodeOutcome(agent, task, seed, false, 4, new Dictionary<string, double> { ["iou"] = 0.1 * seed + agent.Length * 0.01 }, null, 0.5, null,
                            Creation: new CreationGrids(Box(seed, agent == "teacher" ? 0 : 1 + seed % 2), Box(seed, 0))));
                        continue;
                    }
                    double x = seed * 0.37 + agent.Length * 0.011;
                    var metrics = new Dictionary<string, double> { ["success"] = seed % 2, ["iterations"] = 3 + seed, [task == "collection" ? "accuracy" : "area_revealed"] = x };
                    if (task == "collection") metrics["missing"] = seed == 1 ? double.NaN : seed / 3.0;
                    outcomes.Add(new EpisodeOutcome(agent, task, seed, seed % 2 == 1, 3 + seed, metrics, null, 0.25 + seed, $"/data/traj/{task}/{seed}/{agent}"));
                }
        return outcomes;
    }

    private static EvaluationRun Run(IReadOnlyList<EpisodeOutcome> episodes, string? shard) =>
        new(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero), 12.5, "m, 2 cores", 2, "http://experts:5080", "/data/traj", Agents, Seeds, episodes,
            MaxIterations: 8, TeacherBackends: null, SetMetrics: shard is null ? Fid(episodes) : null, Shard: shard);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Merged_shards_write_the_unsharded_report_byte_for_byte_once_the_run_header_is_the_same(int count)
    {
        using var folder = new TestFolder();
        List<EpisodeOutcome> all = PlannedOutcomes();
        EvaluationReport.Write(folder.Sub("all"), Run(all, null));
        var parts = new List<EvaluationMerge.Part>();
        foreach (int k in Enumerable.Range(0, count).Reverse())   // any order of folders
        {
            string shardFolder = folder.Sub($"shard-{k}");
            EvaluationReport.Write(shardFolder, Run(new Shard(k, count).Select(all), $"{k}/{count}"));
            parts.Add(EvaluationMerge.Read(shardFolder));
        }

        EvaluationRun merged = EvaluationMerge.Merge(parts);
        Assert.Equal(count, merged.MergedShards);
        Assert.Equal(2 * count, merged.Parallelism);
        Assert.NotNull(Fid(merged.Episodes));   // the grids came back from each shard's creation-grids.json
        EvaluationReport.Write(folder.Sub("merged"), merged with { Parallelism = 2, MergedShards = null, SetMetrics = Fid(merged.Episodes) });

        string[] files = Directory.GetFiles(folder.Sub("all"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder.Sub("all"), f)).Order().ToArray();
        Assert.Equal(["creation-grids.json", "plots/collection.png", "plots/creation.png", "plots/exploration.png", "results.csv", "results.json", "results.md"], files);
        foreach (string file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(folder.Sub("all"), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(folder.Sub("merged"), file))), file);
    }

    [Fact]
    public void Missing_repeated_unsharded_or_foreign_shards_are_refused_by_name()
    {
        using var folder = new TestFolder();
        List<EpisodeOutcome> all = PlannedOutcomes();
        EvaluationMerge.Part Write(string name, EvaluationRun run)
        {
            EvaluationReport.Write(folder.Sub(name), run);
            return EvaluationMerge.Read(folder.Sub(name));
        }
        EvaluationMerge.Part s0 = Write("s0", Run(new Shard(0, 3).Select(all), "0/3"));
        EvaluationMerge.Part s1 = Write("s1", Run(new Shard(1, 3).Select(all), "1/3"));
        EvaluationMerge.Part s2 = Write("s2", Run(new Shard(2, 3).Select(all), "2/3"));
        EvaluationMerge.Part whole = Write("whole", Run(all, null));
        EvaluationMerge.Part otherCount = Write("half", Run(new Shard(1, 2).Select(all), "1/2"));
        EvaluationMerge.Part wrongEpisodes = Write("wrong", Run(new Shard(0, 3).Select(all.Skip(1).ToList()), "2/3"));
        EvaluationMerge.Part otherCap = Write("cap", Run(new Shard(2, 3).Select(all), "2/3") with { MaxIterations = 9 });

        string Refusal(params EvaluationMerge.Part[] parts) => Assert.Throws<ArgumentException>(() => EvaluationMerge.Merge(parts)).Message;

        Assert.Contains("shard(s) 2/3 missing", Refusal(s0, s1));
        Assert.Contains("shard 1/3 is given twice", Refusal(s0, s1, s1, s2));
        Assert.Contains("unsharded run", Refusal(s0, whole));
        Assert.Contains("is a shard of 3", Refusal(s0, otherCount));
        Assert.Contains("iteration cap", Refusal(s0, s1, otherCap));
        Assert.Contains("which is shard 1/3's", Refusal(s0, s1, wrongEpisodes));
        Assert.Equal(all.Count, EvaluationMerge.Merge([s2, s0, s1]).Episodes.Count);
    }

    /// <summary>
    /// The real world and agent through the command line: the unsharded eval and three shards merged by `eval merge` agree on
    /// every figure and the plots; only the run's start, wall time, parallelism and episode seconds differ. (Creation's grids and
    /// FID through the files are covered above: loading the FID's feature net four times would make this test slow.)
    /// </summary>
    [Fact]
    public async Task Eval_shards_merged_on_the_command_line_equal_the_unsharded_eval()
    {
        using var folder = new TestFolder();
        string[] common = ["eval", "--agents", "teacher-no-expert", "--tasks", "collection,exploration", "--seeds", "0-2", "--max-iterations", "2", "--parallel", "2"];
        CliRun whole = await CliRun.RunAsync([.. common, "--output", folder.Sub("all")]);
        Assert.True(whole.ExitCode == CliApp.Ok, whole.Output + whole.Error);
        var shards = new List<string>();
        for (int k = 0; k < 3; k++)
        {
            CliRun part = await CliRun.RunAsync([.. common, "--shard", $"{k}/3", "--output", folder.Sub($"s{k}")]);
            Assert.True(part.ExitCode == CliApp.Ok, part.Output + part.Error);
            Assert.Contains($"shard {k}/3", part.Output);
            shards.Add(folder.Sub($"s{k}"));
        }
        CliRun merge = await CliRun.RunAsync(["eval", "merge", .. shards, "--output", folder.Sub("merged")]);
        Assert.True(merge.ExitCode == CliApp.Ok, merge.Output + merge.Error);
        Assert.Contains("merged 3 shards", merge.Output);

        foreach (string file in new[] { "plots/collection.png", "plots/exploration.png" })
            Assert.True(File.ReadAllBytes(Path.Combine(folder.Sub("all"), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(folder.Sub("merged"), file))), file);
        string[] Markdown(string f) => File.ReadAllLines(Path.Combine(f, "results.md")).Where(l => !l.StartsWith("- date:") && !l.StartsWith("- merged from")).ToArray();
        Assert.Equal(Markdown(folder.Sub("all")), Markdown(folder.Sub("merged")));
        Assert.Equal(Json(folder.Sub("all")), Json(folder.Sub("merged")));
    }

    [Fact]
    public async Task Record_shards_into_one_folder_record_every_episode_once()
    {
        using var folder = new TestFolder();
        string[] common = ["record", "--agents", "teacher-no-expert", "--tasks", "collection,exploration", "--seeds", "1000000-1000002", "--max-iterations", "1",
            "--parallel", "2", "--output", folder.Path];
        int played = 0;
        for (int k = 0; k < 4; k++)
        {
            CliRun part = await CliRun.RunAsync([.. common, "--shard", $"{k}/4"]);
            Assert.True(part.ExitCode == CliApp.Ok, part.Output + part.Error);
            played += int.Parse(part.Output.Split("recorded ")[1].Split(' ')[0]);
        }
        CliRun again = await CliRun.RunAsync(common);   // unsharded: everything is already there

        Assert.Equal(6, played);
        Assert.Contains("recorded 0 episodes", again.Output);
        Assert.Contains("6 were already complete", again.Output);
        Assert.Equal(6, new TrajectoryReader(folder.Path).Episodes().Select(e => (e.Manifest.Task, e.Manifest.Seed)).Distinct().Count());
    }

    /// <summary>results.json without what describes the run rather than its episodes (times, machine, parallelism, the merge count).</summary>
    private static string Json(string folder)
    {
        JsonNode root = JsonNode.Parse(File.ReadAllBytes(Path.Combine(folder, "results.json")))!;
        void Strip(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                foreach (string key in new[] { "seconds", "mean_seconds", "started_utc", "machine", "parallelism", "merged_shards", "expert_host" }) o.Remove(key);
                foreach (KeyValuePair<string, JsonNode?> child in o.ToList()) Strip(child.Value);
            }
            else if (node is JsonArray a) foreach (JsonNode? child in a) Strip(child);
        }
        Strip(root);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
