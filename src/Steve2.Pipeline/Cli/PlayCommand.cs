using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Hosting;
using Steve2.Pipeline.Play;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 play --agent student|teacher|teacher-no-expert --task TASK --seed N [--description TEXT | --target NAME] --output DIR</c>:
/// one episode on the user's own goal; writes the trajectory, an animated replay and the result picture (Play/PLAY.md).
/// </summary>
internal static class PlayCommand
{
    public static Command Create()
    {
        var agent = new Option<string>("--agent") { Description = $"The agent: {string.Join(", ", AgentCatalog.All)}.", DefaultValueFactory = _ => AgentCatalog.Teacher };
        var task = new Option<string>("--task") { Description = $"The task: {string.Join(", ", TaskCatalog.Names)}.", Required = true };
        var seed = new Option<int>("--seed") { Description = "The world and task seed (any seed a task takes; the output says its split).", Required = true };
        var description = new Option<string?>("--description") { Description = "creation only: the building to build, in your words (no ground truth, so no score)." };
        var target = new Option<string?>("--target") { Description = $"object-search only: the kind to find: {string.Join(", ", PlaySession.TargetKinds)}." };
        var output = new Option<string>("--output") { Description = "Folder for trajectory/, replay.png (animated PNG) and result.png.", Required = true };
        var experts = new Option<string?>("--experts") { Description = "Address of a running expert host (http://host:port); without it the host is started in process." };
        Option<string?> expertsKey = ExpertsKeyOption.Create();
        Option<string?> teacherConfig = TeacherConfigOption.Create();
        var maxIterations = new Option<int?>("--max-iterations") { Description = "Cap the episode's iteration budget." };
        var command = new Command("play", "Play one episode on your own goal; write the trajectory, an animated replay and the result picture.")
        {
            agent, task, seed, description, target, output, experts, expertsKey, teacherConfig, maxIterations,
        };
        var studentOptions = new StudentCliOptions();
        foreach (var o in studentOptions.All) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, async () =>
        {
            string agentName = AgentCatalog.Check(parse.GetValue(agent)!);
            string taskName = parse.GetValue(task)!;
            if (!TaskCatalog.Names.Contains(taskName)) throw new ArgumentException($"unknown task '{taskName}'. Tasks: {string.Join(", ", TaskCatalog.Names)}.");
            var request = new PlayRequest(TaskCatalog.Get(taskName), parse.GetValue(seed), parse.GetValue(description), parse.GetValue(target), parse.GetValue(maxIterations));
            PlaySession.Check(request);
            string outputFolder = CliApp.OutputFolder(parse.GetValue(output)!, "--output");
            TeacherAgentOptions? teacher = TeacherConfigOption.Resolve(parse, teacherConfig);
            IAnsiConsole console = CliApp.Console(parse);
            TextWriter text = parse.InvocationConfiguration.Output;

            var clock = Stopwatch.StartNew();
            ExpertConnection? connection = await HarnessSession.OpenExpertsAsync([agentName], parse.GetValue(experts), ExpertsKeyOption.Resolve(parse, expertsKey), console, cancellationToken);
            await using (connection)
            {
                ExpertClients? clients = connection is null ? null : connection.CreateClients();
                AgentEntry entry = AgentCatalog.Create(agentName, clients, teacher, studentOptions.Resolve(parse));
                string split = TrajectoryFormat.SplitOf(request.Task.Seeds, request.Seed);
                await text.WriteLineAsync($"playing {agentName} on {taskName} seed {request.Seed} (a{(split == TrajectoryFormat.TrainingSplit ? "" : "n")} {split} seed" +
                                          (split == TrajectoryFormat.EvaluationSplit ? ": playing it is not an evaluation" : "") + ")");
                PlayResult played = await PlaySession.RunAsync(request, entry, outputFolder, cancellationToken);
                await text.WriteLineAsync($"goal: {played.Goal.Instruction}");
                TaskResult r = played.Result;
                if (played.Scored)
                {
                    string metrics = string.Join(", ", r.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => FormattableString.Invariant($"{m.Key} {m.Value:0.###}")));
                    await text.WriteLineAsync($"result: {(r.Success ? "success" : "no success")} after {r.Iterations} of {played.Goal.IterationBudget} iterations ({metrics})");
                }
                else
                {
                    await text.WriteLineAsync($"result: {r.Iterations} of {played.Goal.IterationBudget} iterations; no score: your description has no ground truth to compare with, " +
                                              "result.png shows what was built");
                }
                await text.WriteLineAsync($"trajectory: {played.TrajectoryFolder}");
                await text.WriteLineAsync($"replay: {played.ReplayPath} (animated PNG, {played.Frames} frames)");
                await text.WriteLineAsync($"result picture: {played.ResultPicturePath}");
                await text.WriteLineAsync($"done in {clock.Elapsed.TotalSeconds:F1} s");
            }
            return CliApp.Ok;
        }));
        return command;
    }
}
