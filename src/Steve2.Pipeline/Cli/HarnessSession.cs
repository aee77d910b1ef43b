using System.Diagnostics;
using Spectre.Console;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Hosting;
using Steve2.Pipeline.Teacher;

namespace Steve2.Pipeline.Cli;

/// <summary>What `eval` and `record` share: reach the experts when an agent needs them, build the agents (the teacher with its configured backends), run the plan with a progress display.</summary>
internal static class HarnessSession
{
    public sealed record Result(IReadOnlyList<EpisodeOutcome> Outcomes, string? ExpertHost, DateTimeOffset StartedUtc, double Seconds);

    public static async Task<Result> RunAsync(
        IReadOnlyList<string> agents,
        IReadOnlyList<TaskPlan> plans,
        string? expertsAddress,
        string? expertsKey,
        TeacherAgentOptions? teacher,
        EvaluationOptions options,
        IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        if (teacher is not null)
            console.MarkupLine($"teacher backends: {Markup.Escape(TeacherConfigFile.Describe(teacher))}");
        var clock = Stopwatch.StartNew();
        ExpertConnection? connection = await OpenExpertsAsync(agents, expertsAddress, expertsKey, console, cancellationToken);

        await using (connection)
        {
            ExpertClients? clients = connection is null ? null : connection.CreateClients();
            List<AgentEntry> entries = agents.Select(a => AgentCatalog.Create(a, AgentCatalog.NeedsExperts(a) ? clients : null, teacher, student: options.Student)).ToList();
            var runner = new EvaluationRunner(new VoxelEnvironmentFactory(), options);
            IReadOnlyList<EpisodeOutcome> outcomes = [];
            await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context => outcomes = await runner.RunAsync(entries, plans, new SpectreProgress(context), cancellationToken));
            string? host = connection is null ? null : connection.IsInProcess ? $"in process ({connection.Address})" : connection.Address;
            return new Result(outcomes, host, started, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The experts' connection when an agent needs them (the host at <paramref name="expertsAddress"/>, else started in process); null otherwise.</summary>
    public static async Task<ExpertConnection?> OpenExpertsAsync(IReadOnlyList<string> agents, string? expertsAddress, string? expertsKey, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (agents.Any(AgentCatalog.NeedsExperts))
        {
            console.MarkupLine(expertsAddress is null
                ? "starting the expert host in process (pass --experts http://host:port to use a running one)"
                : $"connecting to the expert host at {Markup.Escape(expertsAddress)}");
            return await ExpertConnection.OpenAsync(expertsAddress, new ExpertConnectionOptions { ApiKey = expertsKey }, cancellationToken);
        }
        if (expertsAddress is not null) console.MarkupLine("[grey]no chosen agent calls the experts: --experts is not used[/]");
        return null;
    }
}
