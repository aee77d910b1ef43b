using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 iteration-bench --agents teacher,teacher-no-expert,student [--tasks all] [--seeds 0-2] [--max-iterations 20]</c>:
/// the paper's efficiency figure, time per iteration: for each agent, every episode is played alone (no parallel
/// episodes, so nothing is shared or batched across them), and each agent-iteration's decision time is measured by
/// <see cref="DecisionClock"/> (all role decisions, expert calls and the critic of one agent in one iteration; the
/// world's step apart). Prints p50, p95 and mean per task and over all, the memory (RSS now and the process's peak),
/// and the first iteration apart (it includes the episode's start).
/// </summary>
internal static class IterationBenchCommand
{
    public static Command Create()
    {
        var agents = new Option<string>("--agents") { Description = $"Agents, separated by commas: {string.Join(", ", AgentCatalog.All)}.", DefaultValueFactory = _ => "teacher" };
        var tasks = new Option<string>("--tasks") { Description = $"all, or tasks separated by commas: {string.Join(", ", TaskCatalog.Names)}.", DefaultValueFactory = _ => "all" };
        var seeds = new Option<string>("--seeds") { Description = "Seeds (evaluation seeds: 0-2, 0,3,7).", DefaultValueFactory = _ => "0-2" };
        var maxIterations = new Option<int?>("--max-iterations") { Description = "Cap every episode's iteration budget." };
        var experts = new Option<string?>("--experts") { Description = "Address of a running expert host (http://host:port); without it the host is started in process." };
        Option<string?> expertsKey = ExpertsKeyOption.Create();
        var studentOptions = new StudentCliOptions();
        var command = new Command("iteration-bench", "Time per agent-iteration (all role decisions and expert calls of one agent in one iteration) and memory, for the teacher and the student.")
        {
            agents, tasks, seeds, maxIterations, experts, expertsKey,
        };
        foreach (var o in studentOptions.All) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, async () =>
        {
            var names = TaskSelection.Agents(parse.GetValue(agents)!);
            var definitions = TaskSelection.Parse(parse.GetValue(tasks)!);
            var seedList = SeedList.Parse(parse.GetValue(seeds)!);
            TextWriter text = parse.InvocationConfiguration.Output;
            var console = CliApp.Console(parse);
            GC.Collect();
            double startMb = Process.GetCurrentProcess().WorkingSet64 / 1048576.0;
            await text.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"iteration-bench: {string.Join(", ", names)} on {string.Join(", ", definitions.Select(d => d.Name))}, seeds {parse.GetValue(seeds)}, {System.Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; RSS at start {startMb:F0} MB"));
            await using var connection = await HarnessSession.OpenExpertsAsync(names, parse.GetValue(experts), ExpertsKeyOption.Resolve(parse, expertsKey), console, cancellationToken);
            var clients = connection is null ? null : new ExpertClients(connection.Channel);
            foreach (string name in names)
            {
                var entry = AgentCatalog.Create(name, AgentCatalog.NeedsExperts(name) ? clients : null, student: studentOptions.Resolve(parse));
                var all = new List<double>();
                var firsts = new List<double>();
                var world = new List<double>();
                foreach (var definition in definitions)
                {
                    var perTask = new List<double>();
                    foreach (int seed in seedList)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var clock = new DecisionClock(new VoxelEnvironmentFactory().Create(definition.Episode(seed)));
                        TaskSetup setup = definition.Setup(seed, clock);
                        var goal = parse.GetValue(maxIterations) is int cap ? setup.Goal with { IterationBudget = Math.Min(cap, setup.Goal.IterationBudget) } : setup.Goal;
                        var episode = new EpisodeContext(clock, goal, setup.Scorer, NullStepRecorder.Instance);
                        clock.Start();
                        await entry.Create().RunEpisodeAsync(episode, cancellationToken);
                        if (clock.DecisionMs.Count == 0) continue;
                        firsts.Add(clock.DecisionMs[0]);
                        perTask.AddRange(clock.DecisionMs.Skip(1));
                        world.AddRange(clock.WorldMs);
                    }
                    all.AddRange(perTask);
                    await text.WriteLineAsync($"  {name,-18} {definition.Name,-20} {Summary(perTask)}");
                }
                GC.Collect();
                await text.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: all tasks {Summary(all)}; first iteration (with the episode's start) mean {Mean(firsts):F1} ms; mean over every iteration, the first included, {Mean([.. all, .. firsts]):F2} ms; world step mean {Mean(world):F2} ms; " +
                    $"RSS now {Process.GetCurrentProcess().WorkingSet64 / 1048576.0:F0} MB, process peak so far {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB"));
            }
            return CliApp.Ok;
        }));
        return command;
    }

    private static double Mean(List<double> xs) => xs.Count == 0 ? double.NaN : xs.Average();

    /// <summary>"per agent-iteration: p50 X ms, p95 Y ms, mean Z ms (N agent-iterations)".</summary>
    private static string Summary(List<double> xs)
    {
        if (xs.Count == 0) return "no agent-iteration after the first";
        var sorted = xs.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"per agent-iteration: p50 {sorted[sorted.Count / 2]:F2} ms, p95 {sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * 0.95))]:F2} ms, mean {sorted.Average():F2} ms ({sorted.Count} agent-iterations)");
    }
}
