using System.Text.Json;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Evaluation.Statistics;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Evaluation;

/// <summary>The figures of the report, by hand, and the files it writes.</summary>
public sealed class EvaluationReportTests
{
    private static EpisodeOutcome Ran(string agent, string task, int seed, bool success, int iterations, params (string Name, double Value)[] metrics) =>
        new(agent, task, seed, success, iterations, metrics.ToDictionary(m => m.Name, m => m.Value), null, 1.0, null);

    private static EpisodeOutcome Broke(string agent, string task, int seed) =>
        new(agent, task, seed, false, 0, new Dictionary<string, double>(), "InvalidOperationException: boom | bang", 0.5, null);

    private static readonly IReadOnlyList<EpisodeOutcome> Outcomes =
    [
        Ran("teacher", "creation", 0, true, 10, ("success", 1), ("iou", 0.5), ("image_distance", 0.2)),
        Ran("teacher", "creation", 1, false, 20, ("success", 0), ("iou", 0.3), ("image_distance", double.NaN)),
        Broke("teacher", "creation", 2),
        Ran("teacher-no-expert", "creation", 0, false, 30, ("iou", 0.1), ("image_distance", 0.6)),
        Ran("teacher", "block-search", 0, true, 5, ("diamonds", 3)),
    ];

    [Fact]
    public void Summaries_count_failures_as_unsuccessful_and_average_what_ran()
    {
        IReadOnlyList<AgentTaskSummary> summary = EvaluationSummary.Summarize(Outcomes);

        Assert.Equal(["teacher/creation", "teacher-no-expert/creation", "teacher/block-search"], summary.Select(s => $"{s.Agent}/{s.Task}"));
        AgentTaskSummary teacher = summary[0];
        Assert.Equal((3, 1), (teacher.Episodes, teacher.Failed));
        Assert.Equal(1.0 / 3, teacher.SuccessRate, 12);
        Assert.Equal(15, teacher.MeanIterations);
        Assert.Equal(["iou", "image_distance"], teacher.Metrics.Select(m => m.Name));
        MetricSummary iou = teacher.Metrics[0];
        Assert.Equal((0.4, 2), (iou.Mean, iou.Count));
        Assert.Equal(Math.Sqrt(0.02), iou.StdDev, 12);
        Assert.Equal((0.2, 1, 0.0), (teacher.Metrics[1].Mean, teacher.Metrics[1].Count, teacher.Metrics[1].StdDev)); // NaN left out
        Assert.Equal((0.3, 0.5), (iou.CiLow, iou.CiHigh), new ToleranceComparer());          // two values: the resampled means run from the smaller to the larger
        Assert.Equal((0.2, 0.2), (teacher.Metrics[1].CiLow, teacher.Metrics[1].CiHigh));    // one value: a point
        Assert.Equal((10.0, 20.0), (teacher.MeanIterationsCiLow!.Value, teacher.MeanIterationsCiHigh!.Value));
        Assert.Equal(WilsonInterval.Of(1, 3), new Interval(teacher.SuccessRateCiLow, teacher.SuccessRateCiHigh));
        Assert.Equal(["diamonds"], summary[2].Metrics.Select(m => m.Name));
    }

    [Fact]
    public void Writes_markdown_csv_json_and_plots_with_every_episode()
    {
        using var folder = new TestFolder();
        var run = new EvaluationRun(new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero), 12.3, "test machine", 2, "in process (http://127.0.0.1:1)", null,
            ["teacher", "teacher-no-expert"], new Dictionary<string, IReadOnlyList<int>> { ["creation"] = [0, 1, 2], ["block-search"] = [0] }, Outcomes);

        IReadOnlyList<string> files = EvaluationReport.Write(folder.Path, run);

        Assert.Equal(5, files.Count);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
        string md = File.ReadAllText(Path.Combine(folder.Path, EvaluationReport.MarkdownFile));
        Assert.Contains("- date: 2026-11-26 14:00 UTC", md);
        Assert.Contains("- seeds: creation 0-2; block-search 0", md);
        Assert.Contains("| agent | episodes | failed | success rate | mean iterations | iou | image_distance |", md);
        Assert.Contains("| teacher | 3 | 1 | 0.33 [0.06, 0.79] | 15 [10, 20] | 0.4 [0.3, 0.5] | 0.2 [0.2, 0.2] |", md);
        Assert.Contains("- teacher vs teacher-no-expert: success rate +0.33 [", md);
        Assert.Contains("| teacher | creation | 2 | InvalidOperationException: boom \\| bang |", md);
        Assert.Contains("![creation](plots/creation.png)", md);

        string[] csv = File.ReadAllLines(Path.Combine(folder.Path, EvaluationReport.CsvFile));
        Assert.Equal("agent,task,episodes,failed,success_rate,mean_iterations,mean_seconds,iou_mean,iou_std,image_distance_mean,image_distance_std,diamonds_mean,diamonds_std"
            + ",success_rate_ci_low,success_rate_ci_high,mean_iterations_ci_low,mean_iterations_ci_high,iou_ci_low,iou_ci_high,image_distance_ci_low,image_distance_ci_high,diamonds_ci_low,diamonds_ci_high", csv[0]);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("teacher,block-search,1,0,1,5,1,,,,,3,0,", csv[3]);   // the original columns first, unchanged
        Assert.EndsWith(",1,5,5,,,,,3,3", csv[3]);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder.Path, EvaluationReport.JsonFile)));
        Assert.Equal(5, json.RootElement.GetProperty("episodes").GetArrayLength());
        Assert.Equal("NaN", json.RootElement.GetProperty("episodes")[1].GetProperty("metrics").GetProperty("image_distance").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("summary").GetArrayLength());
        Assert.Equal("test machine", json.RootElement.GetProperty("run").GetProperty("machine").GetString());
        Assert.Equal("steve2-eval/1", json.RootElement.GetProperty("format").GetString());   // fields added, none renamed
        JsonElement first = json.RootElement.GetProperty("summary")[0];
        Assert.Equal(10, first.GetProperty("mean_iterations_ci_low").GetDouble());
        Assert.Equal(1.0 / 3, first.GetProperty("success_rate").GetDouble(), 12);
        Assert.True(first.GetProperty("success_rate_ci_low").GetDouble() < 1.0 / 3);
        Assert.Equal(0.5, first.GetProperty("metrics")[0].GetProperty("ci_high").GetDouble(), 12);
        JsonElement comparison = json.RootElement.GetProperty("comparisons").EnumerateArray().Single();
        Assert.Equal(("creation", "teacher", "teacher-no-expert"), (comparison.GetProperty("task").GetString(), comparison.GetProperty("agent_a").GetString(), comparison.GetProperty("agent_b").GetString()));
        Assert.Equal(["success rate", "mean iterations", "iou", "image_distance"], comparison.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("figure").GetString()));

        var plot = PngImages.Decode(File.ReadAllBytes(Path.Combine(folder.Path, "plots", "creation.png")));
        Assert.Equal(40 + 4 * 250, plot.Width); // success rate, iterations, iou, image_distance
    }

    [Fact]
    public void Plots_draw_their_labels_and_bars()
    {
        byte[] png = BarChart.RenderPng("title", ["a", "b"], [new ChartPanel("metric", [1.0, 0.5], [new Interval(0.9, 1.1), Interval.None])]);
        var image = PngImages.Decode(png);

        int Dark(int y0, int y1)
        {
            int n = 0;
            for (int y = y0; y < y1; y++)
                for (int x = 0; x < image.Width; x++)
                    if (image[x, y, 0] < 100 && image[x, y, 1] < 100 && image[x, y, 2] < 100) n++;
            return n;
        }
        Assert.True(Dark(8, 32) > 20, "the title is drawn");          // text needs a shipped font with NoDependencies
        Assert.True(Dark(image.Height - 45, image.Height) > 10, "the legend is drawn");
        Assert.Equal(0x1f, image[20 + 48 + 45, 200, 0]);                 // inside the first (blue) bar
    }

    /// <summary>20 seeds of an exploration-like task: "good" succeeds 18 times and reveals about 1000 columns, "twin" did
    /// exactly the same, "bad" succeeds 4 times and reveals about 400.</summary>
    private static IReadOnlyList<EpisodeOutcome> ThreeAgents()
    {
        var outcomes = new List<EpisodeOutcome>();
        for (int seed = 0; seed < 20; seed++)
        {
            outcomes.Add(Ran("good", "exploration", seed, seed % 10 != 0, 10 + seed % 3, ("area_revealed", 900 + seed * 10)));
            outcomes.Add(Ran("twin", "exploration", seed, seed % 10 != 0, 10 + seed % 3, ("area_revealed", 900 + seed * 10)));
            outcomes.Add(Ran("bad", "exploration", seed, seed % 5 == 0, 10 + seed % 3, ("area_revealed", 300 + seed * 10)));
        }
        return outcomes;
    }

    private static EvaluationRun RunOf(IReadOnlyList<EpisodeOutcome> outcomes) =>
        new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), 60, "test machine", 2, null, null,
            outcomes.Select(o => o.Agent).Distinct().ToList(), new Dictionary<string, IReadOnlyList<int>> { ["exploration"] = Enumerable.Range(0, 20).ToList() }, outcomes);

    [Fact]
    public void The_report_says_which_differences_between_agents_are_significant()
    {
        string md = EvaluationReport.ToMarkdown(RunOf(ThreeAgents()));

        Assert.Contains("| good | 20 | 0 | 0.90 [0.70, 0.97] |", md);                 // Wilson 18/20
        Assert.Contains("| bad | 20 | 0 | 0.20 [0.08, 0.42] |", md);                  // Wilson 4/20
        // The same seeds: paired, and two agents that did the same on every seed differ by exactly nothing.
        Assert.Contains("\n- good vs twin: success rate 0.00 [0.00, 0.00], not significant; mean iterations 0 [0, 0], not significant; area_revealed 0 [0, 0], not significant\n", md);
        Assert.Matches(@"\n- good vs bad: success rate \+0\.70 \[0\.\d\d, 0\.\d\d\], significant; mean iterations 0 \[-?[\d.]+, [\d.]+\], not significant; area_revealed \+600 \[\d+(\.\d+)?, \d+(\.\d+)?\], significant\n", md);
        Assert.Contains("- twin vs bad: success rate +0.70 [", md);
        Assert.DoesNotContain("not significant", EvaluationReport.SignificanceLine(EvaluationSummary.Compare(ThreeAgents()).Single(c => c.AgentB == "bad" && c.AgentA == "good")).Split(';')[0]);

        IReadOnlyList<AgentComparison> one = EvaluationSummary.Compare(ThreeAgents().Where(o => o.Agent == "good").ToList());
        Assert.Empty(one);                                                               // one agent: nothing to compare
    }

    [Fact]
    public void Agents_on_the_same_seeds_are_compared_seed_by_seed_and_on_different_seeds_unpaired()
    {
        // The seed decides most of the area (1,000 to 10,500); "better" reveals 30 more on every seed but one.
        var outcomes = new List<EpisodeOutcome>();
        for (int seed = 0; seed < 20; seed++)
        {
            double world = 1000 + 500 * seed;
            outcomes.Add(Ran("better", "exploration", seed, true, 10, ("area_revealed", world + (seed == 7 ? -10 : 30))));
            outcomes.Add(Ran("base", "exploration", seed, true, 10, ("area_revealed", world)));
        }
        FigureComparison paired = EvaluationSummary.Difference(outcomes, "exploration", "better", "base").Figures.Single(f => f.Figure == "area_revealed");
        Assert.Equal(20, paired.Pairs);
        Assert.Equal((19 * 30 - 10) / 20.0, paired.Difference, 9);
        Assert.True(paired.Significant && paired.CiLow > 0 && paired.CiHigh <= 30);

        // The same values on other seeds: nothing to pair, and the seeds' spread hides the difference.
        var shifted = outcomes.Select(o => o.Agent == "base" ? o with { Seed = o.Seed + 100 } : o).ToList();
        FigureComparison unpaired = EvaluationSummary.Difference(shifted, "exploration", "better", "base").Figures.Single(f => f.Figure == "area_revealed");
        Assert.Equal(0, unpaired.Pairs);
        Assert.Equal(paired.Difference, unpaired.Difference, 9);
        Assert.False(unpaired.Significant);

        // Paired: a seed where either episode failed leaves the metric's pairs (not the success rate's).
        outcomes[0] = Broke("better", "exploration", 0);
        var figures = EvaluationSummary.Difference(outcomes, "exploration", "better", "base").Figures;
        Assert.Equal(19, figures.Single(f => f.Figure == "area_revealed").Pairs);
        Assert.Equal(20, figures.Single(f => f.Figure == EvaluationSummary.SuccessRateFigure).Pairs);
        Assert.Equal(-0.05, figures.Single(f => f.Figure == EvaluationSummary.SuccessRateFigure).Difference, 9);
    }

    [Fact]
    public void The_same_episodes_always_give_the_same_report()
    {
        using var folder = new TestFolder();
        IReadOnlyList<EpisodeOutcome> outcomes = ThreeAgents();
        IReadOnlyList<string> first = EvaluationReport.Write(folder.Sub("first"), RunOf(outcomes));
        IReadOnlyList<string> second = EvaluationReport.Write(folder.Sub("second"), RunOf(outcomes.Reverse().Reverse().ToList()));

        Assert.Equal(first.Count, second.Count);
        foreach ((string a, string b) in first.Zip(second))
            Assert.True(File.ReadAllBytes(a).SequenceEqual(File.ReadAllBytes(b)), $"{Path.GetFileName(a)} differs between two reports of the same episodes");
        Assert.Equal(EvaluationSummary.Summarize(outcomes).Select(s => (s.SuccessRateCiLow, s.MeanIterationsCiHigh, s.Metrics[0].CiLow, s.Metrics[0].CiHigh)),
            EvaluationSummary.Summarize(outcomes.ToList()).Select(s => (s.SuccessRateCiLow, s.MeanIterationsCiHigh, s.Metrics[0].CiLow, s.Metrics[0].CiHigh)));
    }

    private sealed class ToleranceComparer : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-12 && Math.Abs(x.Item2 - y.Item2) < 1e-12;
        public int GetHashCode((double, double) obj) => 0;
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.37, 0.5)]
    [InlineData(1, 1)]
    [InlineData(1.01, 2)]
    [InlineData(17, 20)]
    [InlineData(230, 250)]
    public void Axis_tops_are_round_numbers(double max, double expected) => Assert.Equal(expected, BarChart.NiceCeiling(max), 9);
}
