using System.Text.Json;
using Steve2.Pipeline.Evaluation.ImageMetric;

namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// Joins the reports of the shards of one evaluation (<c>steve2 eval --shard K/N</c>, each in its own folder) into
/// the report the unsharded run would have written: the shards must share N, agents, tasks and seeds, the cap
/// and the teacher's backends; every K from 0 to N-1 must be there once, and every planned episode must be in
/// exactly the shard <see cref="Shard"/> assigns it. The episodes come back in the plan's order (task by task,
/// seed by seed, agent by agent), so the tables, intervals, comparisons and episode list equal the unsharded
/// run's; only what describes the run itself differs (start, wall time, machines, parallelism: see
/// <see cref="Merge"/>). The creation FID is recomputed by the caller from the grids each shard wrote
/// (<see cref="CreationGridsFile"/>).
/// </summary>
public static class EvaluationMerge
{
    /// <summary>One shard's report as read back from its results.json.</summary>
    public sealed record Part(string Folder, EvaluationRun Run);

    /// <summary>Reads a report folder's results.json (and creation-grids.json, re-attached to the creation outcomes).</summary>
    public static Part Read(string folder)
    {
        string path = Path.Combine(folder, EvaluationReport.JsonFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{folder} holds no {EvaluationReport.JsonFile}: give the --output folders of `steve2 eval --shard K/N`.", path);
        try
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = json.RootElement;
            if (root.GetProperty("format").GetString() != "steve2-eval/1")
                throw new InvalidOperationException($"{path}: not a steve2-eval/1 report.");
            JsonElement header = root.GetProperty("run");
            var seeds = JsonSerializer.Deserialize<Dictionary<string, List<int>>>(header.GetProperty("seeds"), EvaluationReport.Json)!;
            List<EpisodeOutcome> episodes = JsonSerializer.Deserialize<List<EpisodeOutcome>>(root.GetProperty("episodes"), EvaluationReport.Json)!;
            IReadOnlyDictionary<(string Agent, string Task, int Seed), CreationGrids> grids = CreationGridsFile.Read(folder);
            episodes = episodes.Select(e => grids.TryGetValue((e.Agent, e.Task, e.Seed), out CreationGrids? g) ? e with { Creation = g } : e).ToList();
            var run = new EvaluationRun(
                header.GetProperty("started_utc").GetDateTimeOffset(),
                header.GetProperty("seconds").GetDouble(),
                header.GetProperty("machine").GetString()!,
                header.GetProperty("parallelism").GetInt32(),
                OptionalString(header, "expert_host"),
                OptionalString(header, "record_directory"),
                JsonSerializer.Deserialize<List<string>>(header.GetProperty("agents"), EvaluationReport.Json)!,
                seeds.ToDictionary(s => s.Key, s => (IReadOnlyList<int>)s.Value),
                episodes,
                header.TryGetProperty("max_iterations", out JsonElement cap) && cap.ValueKind == JsonValueKind.Number ? cap.GetInt32() : null,
                OptionalString(header, "teacher_backends"),
                SetMetrics: null,
                Shard: OptionalString(header, "shard"),
                MergedShards: null);
            return new Part(folder, run);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or NullReferenceException)
        {
            throw new InvalidOperationException($"{path} is not a readable evaluation report: {e.Message}");
        }
    }

    /// <summary>
    /// The merged run. Its episodes, agents, seeds, cap and teacher backends are the shards'; it started when the
    /// first shard started and its wall time runs to the end of the last one; machines, expert hosts and record
    /// folders are the shards' distinct ones joined by "; "; parallelism is the sum of the shards' (they ran at once).
    /// </summary>
    public static EvaluationRun Merge(IReadOnlyList<Part> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("give the folders of every shard to merge.");
        Part first = parts[0];
        var byIndex = new Dictionary<int, Part>();
        int count = 0;
        foreach (Part part in parts)
        {
            if (part.Run.Shard is null)
                throw new ArgumentException($"{part.Folder} is the report of an unsharded run: merge only the reports of `steve2 eval --shard K/N`.");
            Shard shard = Shard.Parse(part.Run.Shard);
            if (count == 0) count = shard.Count;
            if (shard.Count != count)
                throw new ArgumentException($"{part.Folder} is shard {shard} but {first.Folder} is a shard of {count}: merge the shards of one run.");
            if (!byIndex.TryAdd(shard.Index, part))
                throw new ArgumentException($"shard {shard} is given twice: {byIndex[shard.Index].Folder} and {part.Folder}.");
            Same(first, part, "agents", r => string.Join(",", r.Agents));
            Same(first, part, "tasks and seeds", r => string.Join("; ", r.Seeds.Select(s => $"{s.Key} {string.Join(",", s.Value)}")));
            Same(first, part, "iteration cap", r => r.MaxIterations?.ToString() ?? "none");
            Same(first, part, "teacher backends", r => r.TeacherBackends ?? "the rules");
        }
        List<int> missing = Enumerable.Range(0, count).Where(k => !byIndex.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"shard(s) {string.Join(", ", missing.Select(k => $"{k}/{count}"))} missing: a merged report needs all {count} shards.");

        // The plan, in the order of EvaluationRunner.Plan, and each episode from the shard that owns it.
        var episodes = new List<EpisodeOutcome>();
        var lookup = parts.ToDictionary(p => Shard.Parse(p.Run.Shard!).Index,
            p => p.Run.Episodes.GroupBy(e => (e.Agent, e.Task, e.Seed)).ToDictionary(g => g.Key, g => g.ToList()));
        int position = 0;
        foreach ((string task, IReadOnlyList<int> seeds) in first.Run.Seeds)
            foreach (int seed in seeds)
                foreach (string agent in first.Run.Agents)
                {
                    int owner = Shard.Of(position++, count);
                    foreach ((int k, var found) in lookup)
                        if (k != owner && found.ContainsKey((agent, task, seed)))
                            throw new ArgumentException($"{byIndex[k].Folder} (shard {k}/{count}) holds {agent} on {task} seed {seed}, which is shard {owner}/{count}'s.");
                    if (!lookup[owner].TryGetValue((agent, task, seed), out List<EpisodeOutcome>? mine) || mine.Count != 1)
                        throw new ArgumentException($"{byIndex[owner].Folder} (shard {owner}/{count}) should hold {agent} on {task} seed {seed} once: it holds it {mine?.Count ?? 0} times.");
                    episodes.Add(mine[0]);
                }
        int held = parts.Sum(p => p.Run.Episodes.Count);
        if (held != episodes.Count)
            throw new ArgumentException($"the shards hold {held} episodes but the plan has {episodes.Count}: a shard holds an episode outside the plan.");

        DateTimeOffset start = parts.Min(p => p.Run.StartedUtc);
        DateTimeOffset end = parts.Max(p => p.Run.StartedUtc.AddSeconds(p.Run.Seconds));
        return new EvaluationRun(start, (end - start).TotalSeconds, Distinct(parts, r => r.Machine)!, parts.Sum(p => p.Run.Parallelism),
            Distinct(parts, r => r.ExpertHost), Distinct(parts, r => r.RecordDirectory), first.Run.Agents, first.Run.Seeds, episodes,
            first.Run.MaxIterations, first.Run.TeacherBackends, SetMetrics: null, Shard: null, MergedShards: count);
    }

    private static void Same(Part first, Part part, string what, Func<EvaluationRun, string> value)
    {
        if (value(first.Run) != value(part.Run))
            throw new ArgumentException($"{part.Folder} and {first.Folder} differ in their {what} ('{value(part.Run)}' vs '{value(first.Run)}'): merge the shards of one run.");
    }

    private static string? Distinct(IReadOnlyList<Part> parts, Func<EvaluationRun, string?> value)
    {
        List<string> values = parts.Select(p => value(p.Run)).OfType<string>().Distinct().ToList();
        return values.Count == 0 ? null : string.Join("; ", values);
    }

    private static string? OptionalString(JsonElement header, string name) =>
        header.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
