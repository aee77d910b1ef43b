using System.CommandLine;
using Spectre.Console;
using Expert.VqVae.Features;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Evaluation.ImageMetric;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 eval --agents teacher,teacher-no-expert --tasks all --seeds 0-4 --output runs/eval [--experts URL] [--teacher-config FILE] [--parallel N] [--record DIR] [--shard K/N]</c>:
/// plays the agents on the tasks' evaluation seeds and writes the report (Evaluation/EVALUATION.md).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var agents = new Option<string>("--agents") { Description = $"Agents, separated by commas: {string.Join(", ", AgentCatalog.All)} (student: with --student PATH).", DefaultValueFactory = _ => string.Join(",", AgentCatalog.Names) };
        var tasks = new Option<string>("--tasks") { Description = $"all, or tasks separated by commas: {string.Join(", ", TaskCatalog.Names)}.", DefaultValueFactory = _ => "all" };
        var seeds = new Option<string?>("--seeds") { Description = "Evaluation seeds: 0-4, 0,3,7 (default: every evaluation seed of each task, TASKS.md)." };
        var output = new Option<string>("--output") { Description = "Folder for results.md, results.csv, results.json and plots/.", DefaultValueFactory = _ => "runs/eval" };
        var experts = new Option<string?>("--experts") { Description = "Address of a running expert host (http://host:port); replicas: addresses separated by commas, or dns:///name:port (occupancy calls round-robin, each episode's map on one replica); without it the host is started in process." };
        Option<string?> expertsKey = ExpertsKeyOption.Create();
        Option<string?> teacherConfig = TeacherConfigOption.Create();
        var parallel = new Option<int>("--parallel") { Description = "Episodes at once.", DefaultValueFactory = _ => System.Environment.ProcessorCount };
        var record = new Option<string?>("--record") { Description = "Also record every episode's trajectory into this folder (Trajectories/TRAJECTORY_FORMAT.md)." };
        var maxIterations = new Option<int?>("--max-iterations") { Description = "Cap every episode's iteration budget (smoke runs; not comparable with full budgets)." };
        var fidFeatures = new Option<string?>("--fid-features") { Description = "Feature checkpoint of the creation FID (default: the shipped Checkpoints/features.ckpt; `vqvae train-features` makes one)." };
        Option<string?> shard = ShardOption.Create();
        var command = new Command("eval", "Evaluate agents on tasks and evaluation seeds, in parallel; write tables, JSON and plots.")
        {
            agents, tasks, seeds, output, experts, expertsKey, teacherConfig, parallel, record, maxIterations, fidFeatures, shard,
            EvalMergeCommand.Create(),
        };
        var studentOptions = new StudentCliOptions();
        foreach (var o in studentOptions.All) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, async () =>
        {
            IReadOnlyList<string> agentNames = TaskSelection.Agents(parse.GetValue(agents)!);
            TeacherAgentOptions? teacher = TeacherConfigOption.Resolve(parse, teacherConfig);
            IReadOnlyList<ITaskDefinition> chosen = TaskSelection.Parse(parse.GetValue(tasks)!);
            string? seedText = parse.GetValue(seeds);
            var plans = new List<TaskPlan>();
            foreach (ITaskDefinition task in chosen)
            {
                IReadOnlyList<int> taskSeeds = seedText is null ? task.Seeds.Evaluation : SeedList.Parse(seedText);
                TaskSelection.RequireEvaluationSeeds(task, taskSeeds);
                plans.Add(new TaskPlan(task, taskSeeds));
            }
            string outputFolder = CliApp.OutputFolder(parse.GetValue(output)!, "--output");
            string? recordFolder = parse.GetValue(record) is { } r ? CliApp.OutputFolder(r, "--record") : null;
            var options = new EvaluationOptions
            {
                DegreeOfParallelism = parse.GetValue(parallel),
                Student = studentOptions.Resolve(parse),
                RecordDirectory = recordFolder,
                MaxIterations = parse.GetValue(maxIterations),
                Shard = ShardOption.Resolve(parse, shard),
            }.Validated();
            if (recordFolder is not null) RefuseRecorded(recordFolder, options.Shard.Select(EvaluationRunner.Plan(agentNames, plans)));

            IAnsiConsole console = CliApp.Console(parse);
            HarnessSession.Result result = await HarnessSession.RunAsync(agentNames, plans, parse.GetValue(experts), ExpertsKeyOption.Resolve(parse, expertsKey), teacher, options, console, cancellationToken);

            var run = new EvaluationRun(result.StartedUtc, result.Seconds, EvaluationRun.DescribeMachine(), options.DegreeOfParallelism,
                result.ExpertHost, recordFolder, agentNames, plans.ToDictionary(p => p.Task.Name, p => p.Seeds), result.Outcomes, options.MaxIterations,
                teacher is null ? null : TeacherConfigFile.Describe(teacher),
                CreationFidOf(result.Outcomes, parse.GetValue(fidFeatures), console),
                Shard: options.Shard.IsAll ? null : options.Shard.ToString());
            return await WriteReportAsync(parse, outputFolder, run, $"wrote {Path.GetFullPath(outputFolder)} ({result.Outcomes.Count} episodes in {result.Seconds:F0} s");
        }));
        return command;
    }

    /// <summary>
    /// Writes the report to <paramref name="outputFolder"/>, prints it and the line <paramref name="head"/> (closed with the
    /// failed episodes' count), and gives the exit code: <see cref="CliApp.EpisodesFailed"/> when an episode failed.
    /// </summary>
    internal static async Task<int> WriteReportAsync(ParseResult parse, string outputFolder, EvaluationRun run, string head)
    {
        EvaluationReport.Write(outputFolder, run);
        TextWriter text = parse.InvocationConfiguration.Output;
        await text.WriteLineAsync(EvaluationReport.ToMarkdown(run));
        int failed = run.Episodes.Count(o => o.Failed);
        await text.WriteLineAsync(head + (failed > 0 ? $", {failed} failed: see results.md)" : ")"));
        return failed > 0 ? CliApp.EpisodesFailed : CliApp.Ok;
    }

    /// <summary>The creation FID when creation episodes left grids; null (with a note) when there is nothing to compare or no feature checkpoint.</summary>
    internal static SetMetricReport? CreationFidOf(IReadOnlyList<EpisodeOutcome> outcomes, string? checkpoint, IAnsiConsole console)
    {
        if (!outcomes.Any(o => o.Task == CreationFid.Task && o.Creation is not null)) return null;
        string path = checkpoint ?? BuildingFeatureExtractor.ShippedPath;
        if (!File.Exists(path))
        {
            if (checkpoint is not null) throw new FileNotFoundException($"--fid-features: no feature checkpoint at '{checkpoint}'.", checkpoint);
            console.MarkupLineInterpolated($"[yellow]creation FID not computed: no feature checkpoint at {path}[/]");
            return null;
        }
        using BuildingFeatureExtractor extractor = BuildingFeatureExtractor.Load(path);
        return CreationFid.Evaluate(outcomes, extractor);
    }

    /// <summary>An evaluation never overwrites recorded episodes: refuse before anything runs.</summary>
    private static void RefuseRecorded(string root, IReadOnlyList<EpisodeJob> jobs)
    {
        foreach (EpisodeJob job in jobs)
        {
            string folder = TrajectoryFormat.EpisodeFolder(root, job.Task, job.Seed, job.Agent);
            if (Directory.Exists(folder))
                throw new ArgumentException($"--record {root} already holds {folder}: choose an empty folder, or delete the recorded episodes first.");
        }
    }
}
