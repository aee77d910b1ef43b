using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Expert.VqVae.MlCore.Training;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Trajectories;
using TorchSharp;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>The DAgger rounds' settings.</summary>
public sealed record DaggerRunOptions
{
    /// <summary>Rounds after round 0 (the BC reference).</summary>
    public int Rounds { get; init; } = 2;

    /// <summary>beta's schedule: "linear", "exponential[:p]" or "constant[:beta]" (<see cref="BetaSchedule"/>).</summary>
    public string Schedule { get; init; } = "exponential:0.5";

    public IReadOnlyList<string> Tasks { get; init; } = TaskCatalog.Names;

    /// <summary>Training seeds a task per round: round i plays FirstSeed + (i - 1) * SeedsPerRound, ... (new states every round).</summary>
    public int SeedsPerRound { get; init; } = 2;
    public int FirstSeed { get; init; } = 1_100_000;
    public int Parallel { get; init; } = 2;

    /// <summary>Caps each rollout's iteration budget (null: the tasks' own).</summary>
    public int? MaxIterations { get; init; }
    public DpoOptions Dpo { get; init; } = new();
    public PairOptions Pairs { get; init; } = new();
    public string Device { get; init; } = "auto";
    public int MaxRetries { get; init; } = 2;
    public int Seed { get; init; } = 1;

    public DaggerRunOptions Validated()
    {
        _ = BetaSchedule.Parse(Schedule, Rounds);
        if (SeedsPerRound < 1 || Parallel < 1) throw new ArgumentException("Seeds per round and parallel episodes must be at least 1.");
        if (FirstSeed < TaskSeedPolicy.TrainingFirst) throw new ArgumentException($"DAgger rolls out on training seeds ({TaskSeedPolicy.TrainingFirst} and up).");
        foreach (string t in Tasks) TaskCatalog.Get(t);
        Dpo.Validated();
        return this;
    }
}

/// <summary>What one finished round left (round-NNN/summary.json).</summary>
public sealed record DaggerRoundSummary(
    int Round,
    double Beta,
    IReadOnlyList<int> Seeds,
    int Episodes,
    int FailedEpisodes,
    int Labels,
    double TeacherExecuted,
    double StudentAgreed,
    IReadOnlyDictionary<string, int> Verdicts,
    int Pairs,
    int AggregatedPairs,
    string Checkpoint,
    IReadOnlyDictionary<string, double>? Training,
    WeightSummary? Weights,
    IReadOnlyDictionary<string, double> Seconds,
    SelectionSummary? Selection = null);

/// <summary>
/// DAgger rounds on disk (DISTILLATION.md): round i (1..N) rolls out the student of round i - 1 (round 0: the BC reference)
/// with <see cref="DaggerAgent"/> on new training seeds, beta_i of its decisions executing the labelling teacher's answer;
/// makes the round's preference pairs; and trains DPO + MLE from the reference on the pairs of rounds 1..i (aggregated).
/// Layout: <c>round-NNN/rollouts/</c> (trajectories), <c>labels/</c>, <c>rollouts.json</c> (the rollouts' outcomes),
/// <c>pairs.jsonl</c> + <c>pairs.images.bin</c>, <c>train/</c> (the DPO run: checkpoints, reference log-probs, weights,
/// metrics, curves), <c>student.ckpt</c>, <c>summary.json</c> (written last). A round with a summary is never recomputed;
/// an unfinished one resumes at its stage: recorded episodes are kept, pairs made once, the trainer resumes from its
/// latest checkpoint.
/// </summary>
public sealed class DaggerRun(DaggerRunOptions options, IEnvironmentFactory factory, ITrainingProgress? progress = null, IEvaluationProgress? rollouts = null)
{
    public const string SummaryName = "summary.json", RolloutsName = "rollouts.json", ModelName = "student.ckpt";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly ITrainingProgress _progress = progress ?? NoProgress.Instance;

    public static string RoundDir(string root, int round) => Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"round-{round:D3}"));

    /// <summary>Runs (or resumes) every round; returns their summaries. <paramref name="experts"/>: the labelling teacher's experts (null: the no-expert teacher labels).</summary>
    public async Task<IReadOnlyList<DaggerRoundSummary>> RunAsync(string root, string reference, ExpertClients? experts, CancellationToken ct = default)
    {
        var o = options.Validated();
        var schedule = BetaSchedule.Parse(o.Schedule, o.Rounds);
        Directory.CreateDirectory(root);
        string round0 = RoundDir(root, 0);
        if (!File.Exists(Path.Combine(round0, SummaryName)))
        {
            AtomicFile.Copy(reference, Path.Combine(round0, ModelName));
            Write(Path.Combine(round0, SummaryName), new DaggerRoundSummary(0, 1, [], 0, 0, 0, 1, 0, new Dictionary<string, int>(), 0, 0,
                Path.GetFullPath(Path.Combine(round0, ModelName)), null, null, new Dictionary<string, double>()));
        }
        var summaries = new List<DaggerRoundSummary>();
        for (int round = 1; round <= o.Rounds; round++)
        {
            string dir = RoundDir(root, round), summaryPath = Path.Combine(dir, SummaryName);
            if (File.Exists(summaryPath))
            {
                summaries.Add(JsonSerializer.Deserialize<DaggerRoundSummary>(File.ReadAllText(summaryPath), Indented)!);
                _progress.Message($"round {round}: done (summary.json), kept");
                continue;
            }
            summaries.Add(await RunRoundAsync(root, round, schedule.Beta(round), reference, experts, o, ct));
        }
        return summaries;
    }

    private async Task<DaggerRoundSummary> RunRoundAsync(string root, int round, double beta, string reference, ExpertClients? experts, DaggerRunOptions o, CancellationToken ct)
    {
        string dir = RoundDir(root, round);
        Directory.CreateDirectory(dir);
        var seconds = new Dictionary<string, double>();
        var seeds = Enumerable.Range(o.FirstSeed + (round - 1) * o.SeedsPerRound, o.SeedsPerRound).ToArray();
        string previous = Path.Combine(RoundDir(root, round - 1), ModelName);
        var store = new DaggerLabelStore(Path.Combine(dir, "labels"));

        // 1. rollouts of the previous round's student, labelled by the teacher
        var clock = Stopwatch.StartNew();
        string rolloutsPath = Path.Combine(dir, RolloutsName);
        RolloutSummary rolled;
        if (File.Exists(rolloutsPath)) rolled = JsonSerializer.Deserialize<RolloutSummary>(File.ReadAllText(rolloutsPath), Indented)!;
        else
        {
            _progress.Message($"round {round}: rolling out {Path.GetFileName(Path.GetDirectoryName(previous))}'s student on {o.Tasks.Count} tasks x {seeds.Length} seeds, beta {beta:0.###}");
            using var policy = StudentPolicy.Load(new StudentAgentOptions { ModelPath = previous, Device = o.Device, MaxRetries = o.MaxRetries, Seed = o.Seed + round });
            var entry = new AgentEntry(DaggerAgent.AgentName, () => new DaggerAgent(policy, experts, new DaggerAgentOptions(beta, o.Seed * 1000 + round), store));
            var runner = new EvaluationRunner(factory, new EvaluationOptions
            {
                RecordDirectory = Path.Combine(dir, "rollouts"), ResumeRecorded = true, DegreeOfParallelism = o.Parallel, MaxIterations = o.MaxIterations,
                FailOnExpertOutage = true,   // labels made while the host was down are not the teacher's with experts: the episode is played again
            });
            var outcomes = await runner.RunAsync([entry], o.Tasks.Select(t => new TaskPlan(TaskCatalog.Get(t), seeds)).ToList(), rollouts, ct);
            rolled = new RolloutSummary(outcomes.Count, outcomes.Count(x => x.Failed), outcomes.Where(x => x.Failed).Select(x => $"{x.Task} {x.Seed}: {x.Error}").ToArray());
            Write(rolloutsPath, rolled);
        }
        seconds["rollouts"] = clock.Elapsed.TotalSeconds;

        // 2. pairs (a pure function of the labels, made once)
        clock.Restart();
        // Only the labels of episodes whose rollout completed (a failed episode, an expert outage among them, leaves its labels behind).
        var (allLabels, images) = store.ReadAll();
        string rolloutRoot = Path.Combine(dir, "rollouts");
        var labels = allLabels.Where(l => Directory.Exists(TrajectoryFormat.EpisodeFolder(rolloutRoot, l.Task, l.Seed, DaggerAgent.AgentName))).ToList();
        if (!File.Exists(Path.Combine(dir, PreferencePairs.FileName)))
            PreferencePairs.Write(dir, PreferencePairs.Make(round, labels, o.Pairs), images);
        int pairs = File.ReadLines(Path.Combine(dir, PreferencePairs.FileName)).Count(l => l.Length > 0);
        seconds["pairs"] = clock.Elapsed.TotalSeconds;

        // 3. DPO + MLE from the reference on every round's pairs so far
        clock.Restart();
        var pairDirs = Enumerable.Range(1, round).Select(r => RoundDir(root, r)).ToList();
        int aggregated = pairDirs.Sum(d => File.ReadLines(Path.Combine(d, PreferencePairs.FileName)).Count(l => l.Length > 0));
        DpoTrainResult? trained = null;
        if (aggregated > 0)
        {
            var device = global::Expert.VqVae.MlCore.Runtime.TorchRuntime.ResolveDevice(o.Device);
            trained = await Task.Run(() => new DpoTrainer(o.Dpo, _progress).Train(pairDirs, reference, Path.Combine(dir, "train"), device, ct), ct);
            AtomicFile.Copy(trained.ModelPath, Path.Combine(dir, ModelName));
        }
        else
        {
            _progress.Message($"round {round}: no preference pair so far; the previous student is kept");
            AtomicFile.Copy(previous, Path.Combine(dir, ModelName));
        }
        seconds["train"] = clock.Elapsed.TotalSeconds;

        var firsts = labels.Where(l => l.Student.Count > 0).Select(l => l.Student[0].Verdict).ToList();
        var summary = new DaggerRoundSummary(round, beta, seeds, rolled.Episodes, rolled.Failed, labels.Count,
            labels.Count == 0 ? 0 : labels.Count(l => l.Executed == "teacher") / (double)labels.Count,
            firsts.Count == 0 ? 0 : firsts.Count(v => v == DaggerJudge.Same) / (double)firsts.Count,
            labels.SelectMany(l => l.Student).GroupBy(s => s.Verdict).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            pairs, aggregated, Path.GetFullPath(Path.Combine(dir, ModelName)), trained?.Last, trained?.Weights, seconds, trained?.Selection);
        Write(Path.Combine(dir, SummaryName), summary);
        _progress.Message($"round {round}: {labels.Count} labels, {pairs} pairs ({aggregated} aggregated), student agreed with the teacher on {summary.StudentAgreed:P0} of first answers");
        return summary;
    }

    private sealed record RolloutSummary(int Episodes, int Failed, IReadOnlyList<string> Failures);

    private static void Write<T>(string path, T value) => AtomicFile.WriteText(path, JsonSerializer.Serialize(value, Indented));
}
