using System.Diagnostics;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation.ImageMetric;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// Plays agents x tasks x seeds in parallel. Each episode: the environment of the task's seed, the
/// task's setup (goal and scorer), an <see cref="EpisodeContext"/> (recording the trajectory when asked),
/// the agent's run, the score. One episode's failure (the agent throws or times out, the world cannot be
/// made) becomes a failed <see cref="EpisodeOutcome"/>, never the end of the run; only the caller's
/// cancellation stops it.
/// </summary>
public sealed class EvaluationRunner
{
    private readonly IEnvironmentFactory _factory;
    private readonly EvaluationOptions _options;

    public EvaluationRunner(IEnvironmentFactory factory, EvaluationOptions? options = null)
    {
        _factory = factory;
        _options = (options ?? new EvaluationOptions()).Validated();
    }

    /// <summary>The episodes in the order they are planned and reported: task by task, seed by seed, agent by agent.</summary>
    public static IReadOnlyList<EpisodeJob> Plan(IReadOnlyList<AgentEntry> agents, IReadOnlyList<TaskPlan> tasks) =>
        Plan(agents.Select(a => a.Name).ToList(), tasks);

    /// <summary>The plan by agent names (what <c>--shard K/N</c> cuts: position i is shard i % N's).</summary>
    public static IReadOnlyList<EpisodeJob> Plan(IReadOnlyList<string> agents, IReadOnlyList<TaskPlan> tasks) =>
        tasks.SelectMany(t => t.Seeds.SelectMany(seed => agents.Select(a => new EpisodeJob(a, t.Task.Name, seed)))).ToList();

    /// <summary>Runs every episode of the options' shard (all by default); the outcomes come back in <see cref="Plan"/> order.</summary>
    public async Task<IReadOnlyList<EpisodeOutcome>> RunAsync(
        IReadOnlyList<AgentEntry> agents,
        IReadOnlyList<TaskPlan> tasks,
        IEvaluationProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (agents.Count == 0) throw new ArgumentException("Give at least one agent.", nameof(agents));
        if (tasks.Count == 0 || tasks.Any(t => t.Seeds.Count == 0)) throw new ArgumentException("Give at least one task, each with at least one seed.", nameof(tasks));
        if (agents.Select(a => a.Name).Distinct().Count() != agents.Count) throw new ArgumentException("Agent names must be distinct.", nameof(agents));
        if (tasks.Select(t => t.Task.Name).Distinct().Count() != tasks.Count) throw new ArgumentException("Task names must be distinct.", nameof(tasks));

        IReadOnlyList<EpisodeJob> jobs = _options.Shard.Select(Plan(agents, tasks));
        Dictionary<string, AgentEntry> agentByName = agents.ToDictionary(a => a.Name);
        Dictionary<string, ITaskDefinition> taskByName = tasks.ToDictionary(t => t.Task.Name, t => t.Task);
        progress?.Planned(jobs);

        var outcomes = new EpisodeOutcome[jobs.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.DegreeOfParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count), parallel, async (i, token) =>
        {
            EpisodeJob job = jobs[i];
            // Agents and worlds are mostly synchronous CPU work: give each episode its own pool thread.
            outcomes[i] = await Task.Run(() => RunEpisodeAsync(job, agentByName[job.Agent], taskByName[job.Task], token), token);
            progress?.Finished(job, outcomes[i]);
        });
        return outcomes;
    }

    private async Task<EpisodeOutcome> RunEpisodeAsync(EpisodeJob job, AgentEntry agent, ITaskDefinition task, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (_options.RecordDirectory is { } root && _options.ResumeRecorded)
        {
            string folder = TrajectoryFormat.EpisodeFolder(root, job.Task, job.Seed, job.Agent);
            if (Directory.Exists(folder)) return FromRecording(job, folder);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.EpisodeTimeout);
        TrajectoryWriter? writer = null;
        Experts.ExpertOutage outage = Experts.ExpertOutage.Begin();   // this episode's calls that found no expert host
        try
        {
            using IEnvironment environment = _factory.Create(task.Episode(job.Seed));
            TaskSetup setup = task.Setup(job.Seed, environment);
            TaskGoal goal = _options.MaxIterations is { } cap && cap < setup.Goal.IterationBudget ? setup.Goal with { IterationBudget = cap } : setup.Goal;
            if (_options.RecordDirectory is { } recordRoot) writer = TrajectoryWriter.Begin(recordRoot, job.Agent, TrajectoryFormat.SplitOf(task.Seeds, job.Seed), goal);
            var context = new EpisodeContext(environment, goal, setup.Scorer, writer is null ? NullStepRecorder.Instance : writer);

            IAgent player = agent.Create();
            try
            {
                await player.RunEpisodeAsync(context, timeout.Token);
            }
            finally
            {
                if (player is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
                else if (player is IDisposable disposable) disposable.Dispose();
            }

            TaskResult result = context.Finish();
            if (_options.FailOnExpertOutage && outage.UnreachableCalls > 0)   // not kept: the writer's dispose deletes the partial folder
                return Failed(job, $"the expert host was unreachable for {outage.UnreachableCalls} expert call(s) of this episode (first: {outage.First}); " +
                                   "not kept: run the same command again to play it with the experts", clock);
            string? trajectory = writer?.Complete(result);
            CreationGrids? grids = CreationGrids.Capture(setup.Scorer, environment.World);   // the creation FID's input, after the agent is gone
            return new EpisodeOutcome(job.Agent, job.Task, job.Seed, result.Success, result.Iterations, result.Metrics, null, clock.Elapsed.TotalSeconds, trajectory,
                Creation: grids);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return Failed(job, $"timed out after {_options.EpisodeTimeout.TotalSeconds:F0} s", clock);
        }
        catch (Exception e)
        {
            // The harness's promise: one episode's failure is a row in the report, not the end of the run.
            return Failed(job, $"{e.GetType().Name}: {e.Message}", clock);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    private static EpisodeOutcome FromRecording(EpisodeJob job, string folder)
    {
        try
        {
            EpisodeManifest manifest = RecordedEpisode.Open(folder).Manifest;
            return new EpisodeOutcome(job.Agent, job.Task, job.Seed, manifest.Result.Success, manifest.Result.Iterations,
                manifest.Result.Metrics, null, manifest.Seconds, folder, Resumed: true);
        }
        catch (TrajectoryFormatException e)
        {
            return new EpisodeOutcome(job.Agent, job.Task, job.Seed, false, 0, new Dictionary<string, double>(), e.Message, 0, null);
        }
    }

    private static EpisodeOutcome Failed(EpisodeJob job, string error, Stopwatch clock) =>
        new(job.Agent, job.Task, job.Seed, false, 0, new Dictionary<string, double>(), error, clock.Elapsed.TotalSeconds, null);
}
