using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Expert.DynamicMap.Shared;
using Steve2.Pipeline.Evaluation.ImageMetric;
using Steve2.Pipeline.Evaluation.Statistics;

namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// Writes an evaluation's report into a folder: results.md (tables), results.csv (one row per agent x
/// task), results.json (every figure and every episode) and plots/&lt;task&gt;.png (bar charts, agents
/// side by side). Each file is written atomically (a temporary name, then a rename); EVALUATION.md
/// describes the files.
/// </summary>
public static class EvaluationReport
{
    public const string MarkdownFile = "results.md";
    public const string CsvFile = "results.csv";
    public const string JsonFile = "results.json";
    public const string PlotsFolder = "plots";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes every file; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, EvaluationRun run)
    {
        IReadOnlyList<AgentTaskSummary> summary = EvaluationSummary.Summarize(run.Episodes);
        IReadOnlyList<AgentComparison> comparisons = EvaluationSummary.Compare(run.Episodes);
        var written = new List<string>();
        void Put(string relative, byte[] bytes)
        {
            string path = Path.Combine(directory, relative);
            AtomicFile.WriteBytes(path, bytes);
            written.Add(path);
        }

        foreach (string task in summary.Select(s => s.Task).Distinct())
            Put(Path.Combine(PlotsFolder, $"{task}.png"), Plot(task, summary.Where(s => s.Task == task).ToList(), run.SetMetrics));
        Put(CsvFile, Encoding.UTF8.GetBytes(ToCsv(summary)));
        Put(JsonFile, JsonSerializer.SerializeToUtf8Bytes(new { format = "steve2-eval/1", run = Header(run), summary, comparisons, set_metrics = run.SetMetrics, episodes = run.Episodes }, Json));
        Put(MarkdownFile, Encoding.UTF8.GetBytes(ToMarkdown(run, summary, comparisons)));
        if (CreationGridsFile.Write(directory, run.Episodes) is { } grids) written.Add(grids);
        return written;
    }

    /// <summary>The Markdown report of <paramref name="run"/>'s episodes, as written to results.md.</summary>
    public static string ToMarkdown(EvaluationRun run) =>
        ToMarkdown(run, EvaluationSummary.Summarize(run.Episodes), EvaluationSummary.Compare(run.Episodes));

    /// <summary>The Markdown report: the run's header, one table per task with every figure's 95% interval and the
    /// significance of each pair of agents' differences, the failed episodes.</summary>
    public static string ToMarkdown(EvaluationRun run, IReadOnlyList<AgentTaskSummary> summary, IReadOnlyList<AgentComparison> comparisons)
    {
        var md = new StringBuilder();
        md.AppendLine("# Evaluation").AppendLine();
        md.AppendLine(Inv($"- date: {run.StartedUtc:yyyy-MM-dd HH:mm} UTC, {run.Seconds:F0} s, {run.Parallelism} episodes at once"));
        md.AppendLine($"- machine: {run.Machine}");
        md.AppendLine($"- agents: {string.Join(", ", run.Agents)}");
        md.AppendLine($"- seeds: {string.Join("; ", run.Seeds.Select(s => $"{s.Key} {SeedText(s.Value)}"))}");
        if (run.ExpertHost is not null) md.AppendLine($"- experts: {run.ExpertHost}");
        if (run.TeacherBackends is not null) md.AppendLine($"- **teacher backends: {run.TeacherBackends}** (not the rule teacher's results)");
        if (run.RecordDirectory is not null) md.AppendLine($"- trajectories: {run.RecordDirectory}");
        if (run.Shard is not null) md.AppendLine($"- **shard {run.Shard}** of the planned episodes (`steve2 eval merge` joins the shards' reports)");
        if (run.MergedShards is { } shards) md.AppendLine($"- merged from {shards} shards");
        if (run.MaxIterations is { } cap) md.AppendLine($"- **iteration budgets capped at {cap}** (a smoke run: not comparable with full-budget results)");
        md.AppendLine();

        foreach (IGrouping<string, AgentTaskSummary> task in summary.GroupBy(s => s.Task))
        {
            List<string> metrics = task.First().Metrics.Select(m => m.Name).ToList();
            // Set figures (the creation FID) are columns after the means: one value per agent over its episodes' set.
            List<SetMetricSummary> sets = run.SetMetrics?.Rows.Where(r => r.Task == task.Key).ToList() ?? [];
            List<string> setNames = sets.Select(s => s.Metric).Distinct().ToList();
            md.AppendLine($"## {task.Key}").AppendLine();
            md.Append("| agent | episodes | failed | success rate | mean iterations |");
            foreach (string m in metrics) md.Append($" {m} |");
            foreach (string m in setNames) md.Append($" {m} (set) |");
            md.AppendLine().Append("|---|---:|---:|---:|---:|");
            foreach (string _ in metrics.Concat(setNames)) md.Append("---:|");
            md.AppendLine();
            foreach (AgentTaskSummary row in task)
            {
                string rate = $"{Rate(row.SuccessRate)} [{Rate(row.SuccessRateCiLow)}, {Rate(row.SuccessRateCiHigh)}]";
                string iterations = row.MeanIterations is { } it ? WithInterval(it, row.MeanIterationsCiLow!.Value, row.MeanIterationsCiHigh!.Value) : "n/a";
                md.Append($"| {row.Agent} | {row.Episodes} | {row.Failed} | {rate} | {iterations} |");
                foreach (MetricSummary m in row.Metrics)
                    md.Append(m.Count == 0 ? " n/a |" : $" {WithInterval(m.Mean, m.CiLow, m.CiHigh)} |");
                foreach (string name in setNames)
                    md.Append(sets.FirstOrDefault(s => s.Agent == row.Agent && s.Metric == name) is { } s ? $" {WithInterval(s.Value, s.CiLow, s.CiHigh)} |" : " n/a |");
                md.AppendLine();
            }
            md.AppendLine();
            List<AgentComparison> pairs = comparisons.Where(c => c.Task == task.Key).ToList();
            if (pairs.Count > 0)
            {
                foreach (AgentComparison pair in pairs)
                    md.AppendLine($"- {SignificanceLine(pair)}");
                md.AppendLine();
            }
            if (sets.Count > 0) AppendSetMetrics(md, run.SetMetrics!, task.Key);
            md.AppendLine($"![{task.Key}]({PlotsFolder}/{task.Key}.png)").AppendLine();
        }

        List<EpisodeOutcome> failed = run.Episodes.Where(e => e.Failed).ToList();
        if (failed.Count > 0)
        {
            md.AppendLine("## Failed episodes").AppendLine();
            md.AppendLine("| agent | task | seed | error |").AppendLine("|---|---|---:|---|");
            foreach (EpisodeOutcome e in failed)
                md.AppendLine(Inv($"| {e.Agent} | {e.Task} | {e.Seed} | {e.Error!.Replace("|", "\\|").ReplaceLineEndings(" ")} |"));
            md.AppendLine();
        }
        md.AppendLine("Each figure is followed by its 95% interval: Wilson score interval for the success rate (which counts failed episodes as unsuccessful), "
            + $"percentile bootstrap ({Bootstrap.Resamples} resamples, seeded by the agent, task and figure names) for the means, which are over the episodes that ran to their end. "
            + "A difference between two agents is significant when its 95% interval excludes 0. Agents that played the same seeds are compared seed by seed: "
            + "the mean of the per-seed differences (over the seeds where both have a value) with a bootstrap interval of that mean; "
            + "agents on different seeds are compared unpaired (Newcombe's interval for success rates, a bootstrap interval of the difference of means otherwise).");
        return md.ToString();
    }

    /// <summary>How the task's set figures were computed, over how many episodes, and each pair of agents' difference.</summary>
    private static void AppendSetMetrics(StringBuilder md, SetMetricReport sets, string task)
    {
        int episodes = sets.Rows.Where(r => r.Task == task).Max(r => r.Episodes);
        md.AppendLine(Inv($"- set figures over the {episodes} seeds where every agent's episode ran to its end: {sets.Method}"));
        foreach (SetMetricSummary row in sets.Rows.Where(r => r.Task == task && r.Parts is { Count: > 0 }))
            md.AppendLine($"- {row.Agent}: {row.Metric} {BarChart.Format(row.Value)} = " + string.Join(" + ", row.Parts!.Select(p => $"{p.Key} {BarChart.Format(p.Value)}")));
        foreach (SetMetricComparison c in sets.Comparisons.Where(c => c.Task == task))
            md.AppendLine($"- {c.AgentA} vs {c.AgentB}: {c.Metric} {Signed(c.Difference)} [{BarChart.Format(c.CiLow)}, {BarChart.Format(c.CiHigh)}], " +
                          (c.Significant ? "significant" : "not significant"));
        md.AppendLine();
    }

    /// <summary>"a vs b: success rate +0.05 [-0.24, 0.33], not significant; area_revealed +531 [95, 967], significant".</summary>
    public static string SignificanceLine(AgentComparison pair)
    {
        IEnumerable<string> figures = pair.Figures.Select(f =>
        {
            if (double.IsNaN(f.Difference)) return $"{f.Figure} n/a";
            bool rate = f.Figure == EvaluationSummary.SuccessRateFigure;
            string Text(double v) => rate ? v.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : Signed(v);
            string ci = rate ? $"[{Rate(f.CiLow)}, {Rate(f.CiHigh)}]" : $"[{BarChart.Format(f.CiLow)}, {BarChart.Format(f.CiHigh)}]";
            return $"{f.Figure} {Text(f.Difference)} {ci}, {(f.Significant ? "significant" : "not significant")}";
        });
        return $"{pair.AgentA} vs {pair.AgentB}: {string.Join("; ", figures)}";
    }

    /// <summary>
    /// One row per agent x task; a mean and std column for every metric of any task (empty where a task has none),
    /// then the 95% intervals: success rate, mean iterations and every metric as <c>*_ci_low,*_ci_high</c>
    /// (appended after the original columns, so readers of the older layout still work).
    /// </summary>
    public static string ToCsv(IReadOnlyList<AgentTaskSummary> summary)
    {
        List<string> metrics = summary.SelectMany(s => s.Metrics.Select(m => m.Name)).Distinct().ToList();
        var csv = new StringBuilder();
        csv.Append("agent,task,episodes,failed,success_rate,mean_iterations,mean_seconds");
        foreach (string m in metrics) csv.Append($",{m}_mean,{m}_std");
        csv.Append(",success_rate_ci_low,success_rate_ci_high,mean_iterations_ci_low,mean_iterations_ci_high");
        foreach (string m in metrics) csv.Append($",{m}_ci_low,{m}_ci_high");
        csv.Append('\n');
        foreach (AgentTaskSummary row in summary)
        {
            csv.Append(Inv($"{Field(row.Agent)},{Field(row.Task)},{row.Episodes},{row.Failed},{Number(row.SuccessRate)},{Number(row.MeanIterations)},{Number(row.MeanSeconds)}"));
            foreach (string name in metrics)
            {
                MetricSummary? m = row.Metrics.FirstOrDefault(x => x.Name == name);
                csv.Append(m is null || m.Count == 0 ? ",," : $",{Number(m.Mean)},{Number(m.StdDev)}");
            }
            csv.Append($",{Number(row.SuccessRateCiLow)},{Number(row.SuccessRateCiHigh)},{Number(row.MeanIterationsCiLow)},{Number(row.MeanIterationsCiHigh)}");
            foreach (string name in metrics)
            {
                MetricSummary? m = row.Metrics.FirstOrDefault(x => x.Name == name);
                csv.Append(m is null || m.Count == 0 ? ",," : $",{Number(m.CiLow)},{Number(m.CiHigh)}");
            }
            csv.Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>"0-4" for a run of consecutive seeds, else the list.</summary>
    public static string SeedText(IReadOnlyList<int> seeds)
    {
        if (seeds.Count > 2 && seeds.Zip(seeds.Skip(1)).All(p => p.Second == p.First + 1)) return $"{seeds[0]}-{seeds[^1]}";
        return string.Join(",", seeds);
    }

    private static byte[] Plot(string task, IReadOnlyList<AgentTaskSummary> rows, SetMetricReport? sets)
    {
        var panels = new List<ChartPanel>
        {
            new(EvaluationSummary.SuccessRateFigure, rows.Select(r => r.SuccessRate).ToList(),
                rows.Select(r => new Interval(r.SuccessRateCiLow, r.SuccessRateCiHigh)).ToList()),
            new(EvaluationSummary.IterationsFigure, rows.Select(r => r.MeanIterations ?? double.NaN).ToList(),
                rows.Select(r => new Interval(r.MeanIterationsCiLow ?? double.NaN, r.MeanIterationsCiHigh ?? double.NaN)).ToList()),
        };
        foreach (string metric in rows[0].Metrics.Select(m => m.Name))
        {
            List<MetricSummary> values = rows.Select(r => r.Metrics.First(m => m.Name == metric)).ToList();
            panels.Add(new ChartPanel(metric, values.Select(v => v.Mean).ToList(), values.Select(v => new Interval(v.CiLow, v.CiHigh)).ToList()));
        }
        // Set figures (the creation FID) after the means; an agent without one is NaN (no bar).
        foreach (string metric in sets?.Rows.Where(r => r.Task == task).Select(r => r.Metric).Distinct() ?? [])
        {
            List<SetMetricSummary?> values = rows.Select(r => sets!.Rows.FirstOrDefault(s => s.Task == task && s.Agent == r.Agent && s.Metric == metric)).ToList();
            panels.Add(new ChartPanel($"{metric} (set)", values.Select(v => v?.Value ?? double.NaN).ToList(),
                values.Select(v => v is null ? Interval.None : new Interval(v.CiLow, v.CiHigh)).ToList()));
        }
        return BarChart.RenderPng(task, rows.Select(r => r.Agent).ToList(), panels);
    }

    private static object Header(EvaluationRun run) => new
    {
        started_utc = run.StartedUtc,
        seconds = run.Seconds,
        machine = run.Machine,
        parallelism = run.Parallelism,
        expert_host = run.ExpertHost,
        record_directory = run.RecordDirectory,
        agents = run.Agents,
        seeds = run.Seeds,
        max_iterations = run.MaxIterations,
        teacher_backends = run.TeacherBackends,
        shard = run.Shard,
        merged_shards = run.MergedShards,
    };

    private static string Rate(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private static string WithInterval(double value, double low, double high) =>
        $"{BarChart.Format(value)} [{BarChart.Format(low)}, {BarChart.Format(high)}]";

    private static string Signed(double v) => v > 0 ? "+" + BarChart.Format(v) : BarChart.Format(v);

    private static string Field(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    private static string Number(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
