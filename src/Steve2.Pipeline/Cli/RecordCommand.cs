using System.CommandLine;
using Spectre.Console;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 record --tasks all --seeds 1000000-1000099 --output data/trajectories [--teacher-config FILE] [--shard K/N]</c>: the teacher's
/// trajectories on training seeds (never evaluation seeds), the distillation's input. Re-running resumes:
/// complete episodes are kept and only the missing ones are played.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var agents = new Option<string>("--agents") { Description = $"Agents to record, separated by commas: {string.Join(", ", AgentCatalog.Names)}.", DefaultValueFactory = _ => AgentCatalog.Teacher };
        var tasks = new Option<string>("--tasks") { Description = $"all, or tasks separated by commas: {string.Join(", ", TaskCatalog.Names)}.", DefaultValueFactory = _ => "all" };
        var seeds = new Option<string>("--seeds") { Description = $"Training seeds ({TaskSeedPolicy.TrainingFirst} and up): 1000000-1000099, or a list.", Required = true };
        var output = new Option<string>("--output") { Description = "Folder of the recorded episodes (Trajectories/TRAJECTORY_FORMAT.md).", DefaultValueFactory = _ => "data/trajectories" };
        var experts = new Option<string?>("--experts") { Description = "Address of a running expert host (http://host:port); replicas: addresses separated by commas, or dns:///name:port (occupancy calls round-robin, each episode's map on one replica); without it the host is started in process." };
        Option<string?> expertsKey = ExpertsKeyOption.Create();
        Option<string?> teacherConfig = TeacherConfigOption.Create();
        var parallel = new Option<int>("--parallel") { Description = "Episodes at once.", DefaultValueFactory = _ => System.Environment.ProcessorCount };
        var maxIterations = new Option<int?>("--max-iterations") { Description = "Cap every episode's iteration budget (smoke runs, short episodes; the manifest keeps the capped budget)." };
        Option<string?> shard = ShardOption.Create();
        var command = new Command("record", "Record teacher trajectories on training seeds for the distillation (resumes after an interruption).")
        {
            agents, tasks, seeds, output, experts, expertsKey, teacherConfig, parallel, maxIterations, shard,
        };
        var studentOptions = new StudentCliOptions();
        foreach (var o in studentOptions.All) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, async () =>
        {
            IReadOnlyList<string> agentNames = TaskSelection.Agents(parse.GetValue(agents)!);
            TeacherAgentOptions? teacher = TeacherConfigOption.Resolve(parse, teacherConfig);
            IReadOnlyList<ITaskDefinition> chosen = TaskSelection.Parse(parse.GetValue(tasks)!);
            IReadOnlyList<int> seedList = SeedList.Parse(parse.GetValue(seeds)!);
            var plans = new List<TaskPlan>();
            foreach (ITaskDefinition task in chosen)
            {
                TaskSelection.RequireTrainingSeeds(task, seedList);
                plans.Add(new TaskPlan(task, seedList));
            }
            string outputFolder = CliApp.OutputFolder(parse.GetValue(output)!, "--output");
            var options = new EvaluationOptions
            {
                DegreeOfParallelism = parse.GetValue(parallel),
                Student = studentOptions.Resolve(parse),
                RecordDirectory = outputFolder,
                ResumeRecorded = true,
                FailOnExpertOutage = true,
                MaxIterations = parse.GetValue(maxIterations),
                Shard = ShardOption.Resolve(parse, shard),
            }.Validated();

            IAnsiConsole console = CliApp.Console(parse);
            HarnessSession.Result result = await HarnessSession.RunAsync(agentNames, plans, parse.GetValue(experts), ExpertsKeyOption.Resolve(parse, expertsKey), teacher, options, console, cancellationToken);

            int resumed = result.Outcomes.Count(o => o.Resumed), failed = result.Outcomes.Count(o => o.Failed);
            int recorded = result.Outcomes.Count - resumed - failed;
            TextWriter text = parse.InvocationConfiguration.Output;
            if (!options.Shard.IsAll) await text.WriteLineAsync($"shard {options.Shard}: {result.Outcomes.Count} of the planned episodes");
            await text.WriteLineAsync($"recorded {recorded} episodes into {Path.GetFullPath(outputFolder)} in {result.Seconds:F0} s " +
                                      $"({resumed} were already complete, {failed} failed)");
            foreach (EpisodeOutcome o in result.Outcomes.Where(o => o.Failed))
                await text.WriteLineAsync($"failed: {o.Agent} on {o.Task} seed {o.Seed}: {o.Error}");
            return failed > 0 ? CliApp.EpisodesFailed : CliApp.Ok;
        }));
        return command;
    }
}
