using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tasks;
using TorchSharp;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>One cell of the ablation table: a figure's mean with its 95% interval over the evaluation seeds.</summary>
public sealed record ExperimentCell(double Mean, double CiLow, double CiHigh, int Episodes);

/// <summary>
/// What an agent costs as measured in its evaluation: the time of one agent-iteration's decision (everything the agent did
/// between two world steps: all its role decisions, retries, expert calls, the critic; <see cref="DecisionClock"/>), p50 and
/// mean in milliseconds; the episodes' wall seconds per iteration (world steps included); the process's peak RSS while it
/// played, and its RSS when the stage started (after earlier stages' freed memory was given back,
/// <see cref="ProcessMemory.GiveBack"/>; NaN in older reports); the student's parameters.
/// Episodes run in parallel, so the times include contention.
/// </summary>
public sealed record ExperimentCost(double SecondsPerIteration, int Iterations, double PeakRssMb, long? Parameters, double DecisionMsP50 = double.NaN, double DecisionMsMean = double.NaN,
    double StartRssMb = double.NaN);

/// <summary>The experiment's tables (report.json).</summary>
public sealed record ExperimentReport(
    string Profile,
    IReadOnlyList<string> Agents,
    IReadOnlyList<string> Figures,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, ExperimentCell?>> Ablation,
    IReadOnlyDictionary<string, ExperimentCost> Efficiency,
    IReadOnlyDictionary<string, double> StageSeconds,
    IReadOnlyList<DaggerRoundSummary> Rounds,
    IReadOnlyList<DaggerRoundSummary> RoundsWithoutExperts,
    IReadOnlyList<ExperimentDifference>? Differences = null);

/// <summary>
/// One cell of the differences table: agent <see cref="A"/> − agent <see cref="B"/> on a figure (task/figure), paired by
/// seed over <see cref="Pairs"/> seeds (0: unpaired), with its 95% interval (<see cref="EvaluationSummary.Difference"/>).
/// </summary>
public sealed record ExperimentDifference(string Label, string A, string B, string Figure, double Difference, double CiLow, double CiHigh, int Pairs, bool Significant);

/// <summary>
/// <c>steve2 experiment</c> (DISTILLATION.md): record the rule teacher without experts, behaviour cloning on it (the
/// reference: every one of its decisions is a function of what the student reads), the DAgger rounds with DPO + MLE from
/// that reference (labelled by the teacher with experts: STEVE-2; by the teacher without: w/o EE), then every agent on the
/// profile's tasks and evaluation seeds, and the report: the ablation table (TO, teacher-no-expert, w/o KD, w/o EE,
/// STEVE-2), the efficiency table, the rounds, the curves and the commands. A given <paramref name="reference"/> (a
/// <c>train-student</c> checkpoint) replaces the record and BC stages; <paramref name="referenceData"/> names the recordings it
/// was cloned from, which join the DPO stage's anchor set (with a trained reference, the run's own recordings do). Every stage resumes: recorded episodes are kept, the
/// trainers resume from their latest checkpoints, finished rounds and finished agents' evaluations are read back.
/// </summary>
public sealed class Experiment(ExperimentProfile profile, IEnvironmentFactory factory, string device = "auto", ITrainingProgress? progress = null,
    IEvaluationProgress? episodes = null, string? reference = null, string? referenceData = null)
{
    /// <summary>Where a given reference is copied in the run folder, and the file naming its source and SHA-256.</summary>
    public const string GivenReferencePath = "bc/given/student.ckpt", ReferenceJson = "reference.json";

    public const string ReportName = "report.md", ReportJson = "report.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly ITrainingProgress _progress = progress ?? NoProgress.Instance;

    /// <summary>The rows of the ablation table: (row label, agent name in the run).</summary>
    public static IReadOnlyList<(string Row, string Agent)> Rows { get; } =
    [
        ("TO (teacher with experts)", AgentCatalog.Teacher),
        ("teacher-no-expert", AgentCatalog.TeacherNoExpert),
        ("w/o KD (BC reference)", "student-wo-kd"),
        ("w/o EE (distilled from teacher-no-expert)", "student-wo-ee"),
        ("STEVE-2 (full)", "steve-2"),
    ];

    /// <summary>The differences the targets are about (DISTILLATION.md): (row label, minuend agent, subtrahend agent).</summary>
    public static IReadOnlyList<(string Label, string A, string B)> DifferenceRows { get; } =
    [
        ("STEVE-2 − w/o KD", "steve-2", "student-wo-kd"),
        ("STEVE-2 − w/o EE", "steve-2", "student-wo-ee"),
        ("STEVE-2 − TO", "steve-2", AgentCatalog.Teacher),
        ("w/o EE − w/o KD", "student-wo-ee", "student-wo-kd"),
        ("w/o KD − teacher-no-expert", "student-wo-kd", AgentCatalog.TeacherNoExpert),
    ];

    /// <summary>The tasks' main figures (TASKS.md): the table's columns.</summary>
    public static IReadOnlyList<(string Task, string Figure)> MainFigures { get; } =
    [
        ("object-search", "success rate"), ("object-search", "mean iterations"), ("block-search", "diamonds"), ("exploration", "area_revealed"),
        ("collection", "success rate"), ("collection", "accuracy"), ("creation", "iou"), ("creation", "image_distance"),
    ];

    public async Task<ExperimentReport> RunAsync(string root, ExpertClients experts, CancellationToken ct = default)
    {
        var p = profile.Resolved();
        if (referenceData is not null && reference is null) throw new ArgumentException("--reference-data goes with --reference (a trained reference uses the run's own recordings).");
        if (referenceData is not null && !Directory.Exists(referenceData)) throw new ArgumentException($"--reference-data {referenceData}: no such folder.");
        Directory.CreateDirectory(root);
        string profilePath = Path.Combine(root, "profile.json");
        string profileJson = JsonSerializer.Serialize(p, Indented);
        // Read back through this build's types: a setting added since (with its default) does not make another profile, nor
        // does the number of episodes at once (it changes how fast, not what: the rules are deterministic, greedy decoding
        // gives a batch what its members alone get).
        if (File.Exists(profilePath) && JsonSerializer.Serialize(SameParallel(JsonSerializer.Deserialize<ExperimentProfile>(File.ReadAllText(profilePath), Indented)!, p), Indented) != profileJson)
            throw new ArgumentException($"{root} holds a run of another profile ({profilePath}): give a new --output.");
        AtomicFile.WriteText(profilePath, profileJson);
        var stages = ReadStages(root);
        var recordSeeds = Enumerable.Range(TaskSeedPolicy.TrainingFirst, p.RecordSeeds).ToArray();
        var dev = global::Expert.VqVae.MlCore.Runtime.TorchRuntime.ResolveDevice(device);

        string referencePath = reference is null
            ? await TrainReferenceAsync(root, p, stages, recordSeeds, dev, ct)
            : GivenReference(root, reference);
        // The anchor term's demonstrations: what the reference was cloned from (DAgger aggregates them with every round's labels).
        string? anchorData = reference is null ? Path.Combine(root, "data", AgentCatalog.TeacherNoExpert) : referenceData;
        var daggerOptions = p.Dagger with { Device = device, Dpo = p.Dagger.Dpo.Anchor > 0 ? p.Dagger.Dpo with { AnchorData = anchorData } : p.Dagger.Dpo };
        var finals = new Dictionary<string, string>();
        var rounds = new Dictionary<string, IReadOnlyList<DaggerRoundSummary>>();
        foreach (string teacher in new[] { AgentCatalog.Teacher, AgentCatalog.TeacherNoExpert })
        {
            ExpertClients? labelling = teacher == AgentCatalog.Teacher ? experts : null;
            string dagger = Path.Combine(root, "dagger", teacher);
            IReadOnlyList<DaggerRoundSummary> summaries = [];
            await Stage(root, stages, $"dagger {teacher}", async () =>
                summaries = await new DaggerRun(daggerOptions, factory, _progress, episodes).RunAsync(dagger, referencePath, labelling, ct),
                always: true);
            rounds[teacher] = summaries;
            finals[teacher] = summaries.Count > 0 ? summaries[^1].Checkpoint : referencePath;
        }

        var students = new Dictionary<string, string>
        {
            ["student-wo-kd"] = referencePath,
            ["student-wo-ee"] = finals[AgentCatalog.TeacherNoExpert],
            ["steve-2"] = finals[AgentCatalog.Teacher],
        };
        var outcomes = new Dictionary<string, IReadOnlyList<EpisodeOutcome>>();
        var costs = new Dictionary<string, ExperimentCost>();
        foreach (var (_, agent) in Rows)
        {
            string file = Path.Combine(root, "eval", agent + ".json");
            if (!File.Exists(file))
            {
                _progress.Message($"evaluating {agent} on {p.Tasks.Count} tasks x {p.EvalSeeds.Count} evaluation seeds");
                StudentPolicy? policy = students.TryGetValue(agent, out string? ckpt)
                    ? StudentPolicy.Load(new StudentAgentOptions { ModelPath = ckpt, Device = device }) : null;
                try
                {
                    AgentEntry entry = policy is null ? AgentCatalog.Create(agent, agent == AgentCatalog.Teacher ? experts : null)
                        : new AgentEntry(agent, () => new StudentAgent(policy));
                    var timed = new TimedFactory(factory);
                    var runner = new EvaluationRunner(timed, new EvaluationOptions { DegreeOfParallelism = p.Parallel, MaxIterations = p.EvalIterations });
                    // The DAgger stage's garbage (its anchor set: 6.8 GB resident in the full profile) must leave first,
                    // or the peak below is the training's, not the agent's.
                    double startMb = ProcessMemory.GiveBack().AfterMb;
                    using var rss = new PeakRss();
                    var clock = Stopwatch.StartNew();
                    var ran = await runner.RunAsync([entry], p.Tasks.Select(t => new TaskPlan(TaskCatalog.Get(t), p.EvalSeeds)).ToList(), episodes, ct);
                    int iterations = ran.Sum(o => o.Iterations);
                    var decisions = timed.DecisionMs.Order().ToArray();
                    var cost = new ExperimentCost(iterations == 0 ? double.NaN : ran.Sum(o => o.Seconds) / iterations, iterations, rss.PeakMb,
                        policy is null ? null : ParameterCount(ckpt!),
                        decisions.Length == 0 ? double.NaN : decisions[decisions.Length / 2], decisions.Length == 0 ? double.NaN : decisions.Average(), startMb);
                    AtomicFile.WriteText(file, JsonSerializer.Serialize(new EvalFile(ran, cost, clock.Elapsed.TotalSeconds), Indented));
                }
                finally
                {
                    policy?.Dispose();
                }
            }
            var read = JsonSerializer.Deserialize<EvalFile>(File.ReadAllText(file), Indented)!;
            outcomes[agent] = read.Outcomes;
            costs[agent] = read.Cost;
            stages[$"eval {agent}"] = read.Seconds;
        }

        var figures = MainFigures.Where(f => p.Tasks.Contains(f.Task)).ToList();
        var summary = EvaluationSummary.Summarize(outcomes.Values.SelectMany(x => x).ToList());
        var ablation = Rows.ToDictionary(r => r.Agent, r => (IReadOnlyDictionary<string, ExperimentCell?>)figures.ToDictionary(
            f => $"{f.Task}/{f.Figure}", f => Cell(summary.FirstOrDefault(s => s.Agent == r.Agent && s.Task == f.Task), f.Figure)));
        var report = new ExperimentReport(p.Name, Rows.Select(r => r.Agent).ToArray(), figures.Select(f => $"{f.Task}/{f.Figure}").ToArray(), ablation, costs,
            stages, rounds[AgentCatalog.Teacher], rounds[AgentCatalog.TeacherNoExpert], Differences(outcomes.Values.SelectMany(x => x).ToList(), figures));
        AtomicFile.WriteText(Path.Combine(root, ReportJson), JsonSerializer.Serialize(report, Indented));
        AtomicFile.WriteText(Path.Combine(root, ReportName), Markdown(report, p, root, reference, referenceData));
        _progress.Message($"wrote {Path.Combine(root, ReportName)}");
        return report;
    }

    /// <summary>Records the teacher without experts on the training seeds and clones it: the reference's checkpoint.</summary>
    private async Task<string> TrainReferenceAsync(string root, ExperimentProfile p, Dictionary<string, double> stages, int[] recordSeeds, torch.Device dev, CancellationToken ct)
    {
        string teacher = AgentCatalog.TeacherNoExpert;
        string data = Path.Combine(root, "data", teacher), bc = Path.Combine(root, "bc", teacher);
        await Stage(root, stages, $"record {teacher}", async () =>
        {
            _progress.Message($"recording {teacher} on {p.Tasks.Count} tasks x {recordSeeds.Length} training seeds");
            var runner = new EvaluationRunner(factory, new EvaluationOptions { RecordDirectory = data, ResumeRecorded = true, DegreeOfParallelism = p.Parallel, MaxIterations = p.RecordIterations });
            var outcomes = await runner.RunAsync([AgentCatalog.Create(teacher, null)], p.Tasks.Select(t => new TaskPlan(TaskCatalog.Get(t), recordSeeds)).ToList(), episodes, ct);
            if (outcomes.FirstOrDefault(o => o.Failed) is { } failed) throw new InvalidOperationException($"recording {teacher} failed on {failed.Task} seed {failed.Seed}: {failed.Error}");
        });
        await Stage(root, stages, $"bc {teacher}", () => Task.Run(() => new StudentTrainer(p.Bc, _progress).Train(data, bc, dev, ct), ct));
        return Path.Combine(bc, StudentTrainer.ModelName);
    }

    /// <summary>
    /// Copies a given reference into the run (so the run holds every checkpoint it used) and records its source and SHA-256;
    /// a run folder made with another reference is refused.
    /// </summary>
    private string GivenReference(string root, string source)
    {
        if (!File.Exists(source)) throw new ArgumentException($"--reference {source}: no such checkpoint.");
        StudentCheckpoint.Format.ReadHeader(source);   // a student checkpoint, or a clear error
        string sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source))).ToLowerInvariant();
        string json = Path.Combine(root, ReferenceJson), copy = Path.Combine(root, GivenReferencePath);
        if (File.Exists(json))
        {
            var was = JsonSerializer.Deserialize<GivenReferenceFile>(File.ReadAllText(json), Indented)!;
            if (was.Sha256 != sha) throw new ArgumentException($"{root} was run from another reference ({was.Source}, SHA-256 {was.Sha256[..12]}): give a new --output.");
            if (File.Exists(copy)) return copy;
        }
        else if (File.Exists(Path.Combine(root, "stages.json")) && ReadStages(root).Keys.Any(k => k.StartsWith("dagger ", StringComparison.Ordinal)))
            throw new ArgumentException($"{root} holds a run that trained its own reference: give a new --output for --reference.");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        AtomicFile.Copy(source, copy);
        AtomicFile.WriteText(json, JsonSerializer.Serialize(new GivenReferenceFile(Path.GetFullPath(source), sha), Indented));
        _progress.Message($"reference: {source} (SHA-256 {sha[..12]}), copied to {copy}");
        return copy;
    }

    private sealed record GivenReferenceFile(string Source, string Sha256);

    private sealed record EvalFile(IReadOnlyList<EpisodeOutcome> Outcomes, ExperimentCost Cost, double Seconds);

    private static ExperimentProfile SameParallel(ExperimentProfile read, ExperimentProfile now) =>
        read with { Parallel = now.Parallel, Dagger = read.Dagger with { Parallel = now.Dagger.Parallel } };

    /// <summary>Every difference row on every figure whose task both agents played (one comparison per row and task).</summary>
    internal static IReadOnlyList<ExperimentDifference> Differences(IReadOnlyList<EpisodeOutcome> outcomes, IReadOnlyList<(string Task, string Figure)> figures)
    {
        var played = outcomes.Select(o => (o.Agent, o.Task)).ToHashSet();
        var differences = new List<ExperimentDifference>();
        foreach (var (label, a, b) in DifferenceRows)
            foreach (var task in figures.GroupBy(f => f.Task).Where(t => played.Contains((a, t.Key)) && played.Contains((b, t.Key))))
            {
                var comparison = EvaluationSummary.Difference(outcomes, task.Key, a, b);
                foreach (var (_, figure) in task)
                    if (comparison.Figures.FirstOrDefault(x => x.Figure == figure) is { } c)
                        differences.Add(new ExperimentDifference(label, a, b, $"{task.Key}/{figure}", c.Difference, c.CiLow, c.CiHigh, c.Pairs, c.Significant));
            }
        return differences;
    }

    private static ExperimentCell? Cell(AgentTaskSummary? s, string figure)
    {
        if (s is null) return null;
        int ran = s.Episodes - s.Failed;
        return figure switch
        {
            "success rate" => new ExperimentCell(s.SuccessRate, s.SuccessRateCiLow, s.SuccessRateCiHigh, s.Episodes),
            "mean iterations" => s.MeanIterations is double m ? new ExperimentCell(m, s.MeanIterationsCiLow ?? m, s.MeanIterationsCiHigh ?? m, ran) : null,
            _ => s.Metrics.FirstOrDefault(x => x.Name == figure) is { } x && !double.IsNaN(x.Mean) ? new ExperimentCell(x.Mean, x.CiLow, x.CiHigh, x.Count) : null,
        };
    }

    private async Task Stage(string root, Dictionary<string, double> stages, string name, Func<Task> run, bool always = false)
    {
        if (stages.ContainsKey(name) && !always) return;
        var clock = Stopwatch.StartNew();
        await run();
        stages[name] = stages.GetValueOrDefault(name) + clock.Elapsed.TotalSeconds;
        AtomicFile.WriteText(Path.Combine(root, "stages.json"), JsonSerializer.Serialize(stages, Indented));
    }

    private static Dictionary<string, double> ReadStages(string root)
    {
        string path = Path.Combine(root, "stages.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(path), Indented)! : [];
    }

    private static long ParameterCount(string checkpoint)
    {
        var (_, model, _, _) = StudentCheckpoint.Load(checkpoint);
        using (model) return model.ParameterCount;
    }

    /// <summary>A difference with its sign: "+12", "-0.4"; a value that rounds to zero is "0".</summary>
    private static string Signed(double x)
    {
        string text = F(x);
        return text is "0" or "-0" ? "0" : x > 0 ? "+" + text : text;
    }

    private static string F(double x) => double.IsNaN(x) ? "n/a" : x.ToString(Math.Abs(x) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);

    private static string Markdown(ExperimentReport r, ExperimentProfile p, string root, string? reference, string? referenceData)
    {
        var md = new StringBuilder();
        string anchor = p.Dagger.Dpo.Anchor <= 0 ? ""
            : string.Create(CultureInfo.InvariantCulture, $", anchor {p.Dagger.Dpo.Anchor} (the rounds' labels{(reference is null || referenceData is not null ? " and the reference's demonstrations" : "")})");
        md.AppendLine(CultureInfo.InvariantCulture, $"# STEVE-2 experiment, profile `{p.Name}`").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `steve2 experiment --output {root} --profile {p.Name}{(reference is null ? "" : $" --reference {reference}")}{(referenceData is null ? "" : $" --reference-data {referenceData}")}`. Machine: {EvaluationRun.DescribeMachine()}; torch device as requested (`--device`).");
        md.AppendLine((reference is null
            ? string.Create(CultureInfo.InvariantCulture, $"Reference: behaviour cloning of teacher-no-expert on tasks {string.Join(", ", p.Tasks)}, training seeds {TaskSeedPolicy.TrainingFirst}-{TaskSeedPolicy.TrainingFirst + p.RecordSeeds - 1}" +
                $"{(p.RecordIterations is int ri ? $", iterations capped at {ri}" : "")}; preset {p.Bc.Preset}, {p.Bc.Steps} steps, batch {p.Bc.BatchSize}, lr {p.Bc.LearningRate}. ")
            : $"Reference: given, `{reference}` (copied to `{GivenReferencePath}`; its source and SHA-256 in `{ReferenceJson}`). ") +
            string.Create(CultureInfo.InvariantCulture,
            $"DAgger from the reference: {p.Dagger.Rounds} round(s), beta {p.Dagger.Schedule}, {p.Dagger.SeedsPerRound} seed(s) a task a round from {p.Dagger.FirstSeed}; DPO + MLE: beta {p.Dagger.Dpo.Beta}, lambda {p.Dagger.Dpo.Lambda}, " +
            $"{p.Dagger.Dpo.Steps} steps, batch {p.Dagger.Dpo.BatchSize} pairs, {(p.Dagger.Dpo.UniformWeights ? "uniform" : "per-sample")} weights{anchor}" +
            $"{(p.Dagger.Dpo.HoldoutFraction > 0 ? $", the step kept chosen on {p.Dagger.Dpo.HoldoutFraction:P0} of each round's episodes held out" : ", the last step kept")}. " +
            $"Evaluation seeds {EvaluationReport.SeedText(p.EvalSeeds)}{(p.EvalIterations is int ei ? $", iterations capped at {ei} (not comparable with full budgets)" : "")}.")).AppendLine();
        md.AppendLine("## Ablation (mean [95% interval] over the evaluation seeds)").AppendLine();
        md.AppendLine("| agent | " + string.Join(" | ", r.Figures) + " |");
        md.AppendLine("|---|" + string.Concat(r.Figures.Select(_ => "---:|")));
        foreach (var (row, agent) in Rows)
            md.AppendLine($"| {row} | " + string.Join(" | ", r.Figures.Select(f => r.Ablation[agent][f] is { } c ? $"{F(c.Mean)} [{F(c.CiLow)}, {F(c.CiHigh)}]" : "n/a")) + " |");
        if (r.Differences is { Count: > 0 } differences)
        {
            md.AppendLine().AppendLine("## Differences (paired by seed: the mean of the per-seed differences [95% bootstrap interval]; * the interval excludes 0)").AppendLine();
            md.AppendLine("| difference | " + string.Join(" | ", r.Figures) + " |");
            md.AppendLine("|---|" + string.Concat(r.Figures.Select(_ => "---:|")));
            foreach (var label in differences.Select(d => d.Label).Distinct())
                md.AppendLine($"| {label} | " + string.Join(" | ", r.Figures.Select(f => differences.FirstOrDefault(d => d.Label == label && d.Figure == f) is { } d && !double.IsNaN(d.Difference)
                    ? $"{Signed(d.Difference)} [{Signed(d.CiLow)}, {Signed(d.CiHigh)}]{(d.Significant ? "*" : "")}{(d.Pairs == 0 ? " (unpaired)" : "")}" : "n/a")) + " |");
        }
        md.AppendLine().AppendLine("## Efficiency").AppendLine();
        md.AppendLine("| agent | decision ms per agent-iteration, p50 / mean | wall seconds per iteration | iterations measured | peak RSS while playing (MB) | RSS at the stage's start (MB) | parameters |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (row, agent) in Rows)
        {
            var c = r.Efficiency[agent];
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row} | {F(c.DecisionMsP50)} / {F(c.DecisionMsMean)} | {F(c.SecondsPerIteration)} | {c.Iterations} | {F(c.PeakRssMb)} | {F(c.StartRssMb)} | {(c.Parameters is long n ? n.ToString("N0", CultureInfo.InvariantCulture) : "rules (+ expert host)")} |");
        }
        md.AppendLine().AppendLine("Decision time: everything one agent did between two world steps (its role decisions, retries, expert calls, the critic; `DecisionClock`, the first of each episode includes its start); " +
            "wall seconds per iteration: the episodes' wall time over their iterations (world steps included); episodes running " + p.Parallel + " at once on this machine, so both include contention; " +
            "peak RSS: the whole process's (the in-process expert host included), sampled every 100 ms, after earlier stages' freed memory was given back to the OS " +
            "(an aggressive GC and malloc_trim; the RSS right after is the stage's start).");
        foreach (var (title, rounds) in new[] { ("STEVE-2: DAgger rounds labelled by the teacher with experts", r.Rounds), ("w/o EE: DAgger rounds labelled by teacher-no-expert", r.RoundsWithoutExperts) })
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
            md.AppendLine("| round | beta | episodes (failed) | labels | teacher executed | student's first answer = label | verdicts | pairs (aggregated) | weights min / median / max | last rewards/accuracy, margin, mle | step kept: held-out agreement (reference's; states) |");
            md.AppendLine("|---:|---:|---|---:|---:|---:|---|---|---|---|---|");
            foreach (var s in rounds)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Round} | {F(s.Beta)} | {s.Episodes} ({s.FailedEpisodes}) | {s.Labels} | {s.TeacherExecuted:P0} | {s.StudentAgreed:P0} | " +
                    $"{string.Join(", ", s.Verdicts.Select(kv => $"{kv.Key} {kv.Value}"))} | {s.Pairs} ({s.AggregatedPairs}) | " +
                    $"{(s.Weights is { } w ? $"{F(w.Min)} / {F(w.Median)} / {F(w.Max)}" : "-")} | " +
                    $"{(s.Training is { } t ? $"{F(t.GetValueOrDefault("rewards/accuracy"))}, {F(t.GetValueOrDefault("rewards/margin"))}, {F(t.GetValueOrDefault("mle"))}" : "-")} | " +
                    $"{(s.Selection is { } k ? $"{k.SelectedStep}: {k.Selected.Agreement:P1} ({k.ReferenceAgreement:P1}; {k.States})" : "-")} |");
        }
        md.AppendLine().AppendLine("## Stages (seconds)").AppendLine();
        foreach (var (k, v) in r.StageSeconds) md.AppendLine(CultureInfo.InvariantCulture, $"- {k}: {v:0}");
        md.AppendLine().AppendLine($"Curves: {(reference is null ? "`bc/teacher-no-expert/curves-bc.png`, " : "")}`dagger/*/round-NNN/train/curves-dpo.png`; every episode's outcome in `eval/AGENT.json`.");
        return md.ToString();
    }

    /// <summary>Makes every episode's environment a <see cref="DecisionClock"/> (started when made) and keeps its decision times when it is disposed.</summary>
    private sealed class TimedFactory(IEnvironmentFactory inner) : IEnvironmentFactory
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<double> _ms = new();

        public string Backend => inner.Backend;
        public IReadOnlyCollection<double> DecisionMs => _ms;

        public IEnvironment Create(EpisodeSpec spec)
        {
            var clock = new DecisionClock(inner.Create(spec));
            clock.Start();
            return new Harvested(clock, _ms);
        }

        private sealed class Harvested(DecisionClock clock, System.Collections.Concurrent.ConcurrentQueue<double> sink) : IEnvironment
        {
            public EpisodeSpec Spec => clock.Spec;
            public int AgentCount => clock.AgentCount;
            public IWorldQuery World => clock.World;
            public Observation Observe(int agentId) => clock.Observe(agentId);
            public ActionOutcome Step(int agentId, CodeAction action) => clock.Step(agentId, action);

            public void Dispose()
            {
                foreach (double ms in clock.DecisionMs) sink.Enqueue(ms);
                clock.Dispose();
            }
        }
    }

    /// <summary>Samples the process's resident set every 100 ms until disposed.</summary>
    private sealed class PeakRss : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _peak;

        public PeakRss()
        {
            _loop = Task.Run(async () =>
            {
                using var self = Process.GetCurrentProcess();
                while (!_stop.IsCancellationRequested)
                {
                    self.Refresh();
                    _peak = Math.Max(_peak, self.WorkingSet64);
                    try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
                }
            });
        }

        public double PeakMb { get { Sample(); return _peak / 1048576.0; } }

        private void Sample()
        {
            using var self = Process.GetCurrentProcess();
            _peak = Math.Max(_peak, self.WorkingSet64);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
        }
    }
}
