using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Expert.DynamicMap.Shared;

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

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes every file; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, EvaluationRun run)
    {
        IReadOnlyList<AgentTaskSummary> summary = EvaluationSummary.Summarize(run.Episodes);
        var written = new List<string>();
        void Put(string relative, byte[] bytes)
        {
            string path = Path.Combine(directory, relative);
            AtomicFile.WriteBytes(path, bytes);
            written.Add(path);
        }

        foreach (string task in summary.Select(s => s.Task).Distinct())
            Put(Path.Combine(PlotsFolder, $"{task}.png"), Plot(task, summary.Where(s => s.Task == task).ToList()));
        Put(CsvFile, Encoding.UTF8.GetBytes(ToCsv(summary)));
        Put(JsonFile, JsonSerializer.SerializeToUtf8Bytes(new { format = "steve2-eval/1", run = Header(run), summary, episodes = run.Episodes }, Json));
        Put(MarkdownFile, Encoding.UTF8.GetBytes(ToMarkdown(run, summary)));
        return written;
    }

    /// <summary>The Markdown report: the run's header, one table per task, the failed episodes.</summary>
    public static string ToMarkdown(EvaluationRun run, IReadOnlyList<AgentTaskSummary> summary)
    {
        var md = new StringBuilder();
        md.AppendLine("# Evaluation").AppendLine();
        md.AppendLine(Inv($"- date: {run.StartedUtc:yyyy-MM-dd HH:mm} UTC, {run.Seconds:F0} s, {run.Parallelism} episodes at once"));
        md.AppendLine($"- machine: {run.Machine}");
        md.AppendLine($"- agents: {string.Join(", ", run.Agents)}");
        md.AppendLine($"- seeds: {string.Join("; ", run.Seeds.Select(s => $"{s.Key} {SeedText(s.Value)}"))}");
        if (run.ExpertHost is not null) md.AppendLine($"- experts: {run.ExpertHost}");
        if (run.RecordDirectory is not null) md.AppendLine($"- trajectories: {run.RecordDirectory}");
        if (run.MaxIterations is { } cap) md.AppendLine($"- **iteration budgets capped at {cap}** (a smoke run: not comparable with full-budget results)");
        md.AppendLine();

        foreach (IGrouping<string, AgentTaskSummary> task in summary.GroupBy(s => s.Task))
        {
            List<string> metrics = task.First().Metrics.Select(m => m.Name).ToList();
            md.AppendLine($"## {task.Key}").AppendLine();
            md.Append("| agent | episodes | failed | success rate | mean iterations |");
            foreach (string m in metrics) md.Append($" {m} |");
            md.AppendLine().Append("|---|---:|---:|---:|---:|");
            foreach (string _ in metrics) md.Append("---:|");
            md.AppendLine();
            foreach (AgentTaskSummary row in task)
            {
                md.Append(Inv($"| {row.Agent} | {row.Episodes} | {row.Failed} | {row.SuccessRate:F2} | {(row.MeanIterations is { } it ? BarChart.Format(it) : "n/a")} |"));
                foreach (MetricSummary m in row.Metrics)
                    md.Append(m.Count == 0 ? " n/a |" : $" {BarChart.Format(m.Mean)} ± {BarChart.Format(m.StdDev)} |");
                md.AppendLine();
            }
            md.AppendLine().AppendLine($"![{task.Key}]({PlotsFolder}/{task.Key}.png)").AppendLine();
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
        md.AppendLine("Means are over the episodes that ran to their end (± one sample standard deviation); the success rate counts failed episodes as unsuccessful.");
        return md.ToString();
    }

    /// <summary>One row per agent x task; a mean and std column for every metric of any task (empty where a task has none).</summary>
    public static string ToCsv(IReadOnlyList<AgentTaskSummary> summary)
    {
        List<string> metrics = summary.SelectMany(s => s.Metrics.Select(m => m.Name)).Distinct().ToList();
        var csv = new StringBuilder();
        csv.Append("agent,task,episodes,failed,success_rate,mean_iterations,mean_seconds");
        foreach (string m in metrics) csv.Append($",{m}_mean,{m}_std");
        csv.Append('\n');
        foreach (AgentTaskSummary row in summary)
        {
            csv.Append(Inv($"{Field(row.Agent)},{Field(row.Task)},{row.Episodes},{row.Failed},{Number(row.SuccessRate)},{Number(row.MeanIterations)},{Number(row.MeanSeconds)}"));
            foreach (string name in metrics)
            {
                MetricSummary? m = row.Metrics.FirstOrDefault(x => x.Name == name);
                csv.Append(m is null || m.Count == 0 ? ",," : $",{Number(m.Mean)},{Number(m.StdDev)}");
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

    private static byte[] Plot(string task, IReadOnlyList<AgentTaskSummary> rows)
    {
        var panels = new List<ChartPanel>
        {
            new("success rate", rows.Select(r => r.SuccessRate).ToList()),
            new("mean iterations", rows.Select(r => r.MeanIterations ?? double.NaN).ToList()),
        };
        foreach (string metric in rows[0].Metrics.Select(m => m.Name))
        {
            List<MetricSummary> values = rows.Select(r => r.Metrics.First(m => m.Name == metric)).ToList();
            panels.Add(new ChartPanel(metric, values.Select(v => v.Mean).ToList(), values.Select(v => v.StdDev).ToList()));
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
    };

    private static string Field(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    private static string Number(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
