using System.Text.Json;
using Steve2.Pipeline.Evaluation;
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
        Assert.Contains("| teacher | 3 | 1 | 0.33 | 15 | 0.4 ± 0.141 | 0.2 ± 0 |", md);
        Assert.Contains("| teacher | creation | 2 | InvalidOperationException: boom \\| bang |", md);
        Assert.Contains("![creation](plots/creation.png)", md);

        string[] csv = File.ReadAllLines(Path.Combine(folder.Path, EvaluationReport.CsvFile));
        Assert.Equal("agent,task,episodes,failed,success_rate,mean_iterations,mean_seconds,iou_mean,iou_std,image_distance_mean,image_distance_std,diamonds_mean,diamonds_std", csv[0]);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("teacher,block-search,1,0,1,5,1,,,,,3,0", csv[3]);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder.Path, EvaluationReport.JsonFile)));
        Assert.Equal(5, json.RootElement.GetProperty("episodes").GetArrayLength());
        Assert.Equal("NaN", json.RootElement.GetProperty("episodes")[1].GetProperty("metrics").GetProperty("image_distance").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("summary").GetArrayLength());
        Assert.Equal("test machine", json.RootElement.GetProperty("run").GetProperty("machine").GetString());

        var plot = PngImages.Decode(File.ReadAllBytes(Path.Combine(folder.Path, "plots", "creation.png")));
        Assert.Equal(40 + 4 * 250, plot.Width); // success rate, iterations, iou, image_distance
    }

    [Fact]
    public void Plots_draw_their_labels_and_bars()
    {
        byte[] png = BarChart.RenderPng("title", ["a", "b"], [new ChartPanel("metric", [1.0, 0.5], [0.1, double.NaN])]);
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

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.37, 0.5)]
    [InlineData(1, 1)]
    [InlineData(1.01, 2)]
    [InlineData(17, 20)]
    [InlineData(230, 250)]
    public void Axis_tops_are_round_numbers(double max, double expected) => Assert.Equal(expected, BarChart.NiceCeiling(max), 9);
}
