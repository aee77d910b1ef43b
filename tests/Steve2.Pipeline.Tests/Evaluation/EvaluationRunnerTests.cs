using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Evaluation;

/// <summary>The harness end to end on a fake task, world and agents.</summary>
public sealed class EvaluationRunnerTests
{
    private static readonly AgentEntry Good = new("good", () => WaitingAgent.Create("good"));
    private static readonly AgentEntry Flaky = new("flaky", () => WaitingAgent.Create("flaky", throwOnSeed: 2));

    [Fact]
    public async Task Runs_agents_x_tasks_x_seeds_in_parallel_reports_failures_and_records_only_finished_episodes()
    {
        using var folder = new TestFolder();
        var factory = new EmptyEnvironmentFactory();
        var runner = new EvaluationRunner(factory, new EvaluationOptions { DegreeOfParallelism = 3, RecordDirectory = folder.Sub("traj") });
        var progress = new CountingProgress();

        IReadOnlyList<EpisodeOutcome> outcomes = await runner.RunAsync([Good, Flaky],
            [new TaskPlan(new WaitTask("wait-a"), [0, 1, 2]), new TaskPlan(new WaitTask("wait-b"), [4])], progress);

        Assert.Equal(8, outcomes.Count);
        Assert.Equal(8, progress.Count);
        Assert.Equal(EvaluationRunner.Plan([Good, Flaky], [new TaskPlan(new WaitTask("wait-a"), [0, 1, 2]), new TaskPlan(new WaitTask("wait-b"), [4])]),
            outcomes.Select(o => new EpisodeJob(o.Agent, o.Task, o.Seed)).ToList());
        Assert.Equal(factory.Created, factory.Disposed);

        EpisodeOutcome seed1 = outcomes.Single(o => o is { Agent: "good", Task: "wait-a", Seed: 1 });
        Assert.True(seed1.Success);
        Assert.Equal(2, seed1.Iterations);
        Assert.Equal(0.5, seed1.Metrics["score"]);

        EpisodeOutcome failed = Assert.Single(outcomes, o => o.Failed);
        Assert.Equal(("flaky", "wait-a", 2), (failed.Agent, failed.Task, failed.Seed));
        Assert.Contains("the agent lost its way", failed.Error);
        Assert.False(failed.Success);
        Assert.Null(failed.Trajectory);

        var reader = new TrajectoryReader(folder.Sub("traj"));
        List<RecordedEpisode> recorded = reader.Episodes().ToList();
        Assert.Equal(7, recorded.Count);
        Assert.Empty(reader.PartialEpisodes());
        RecordedEpisode episode = recorded.Single(e => e.Manifest is { Agent: "good", Task: "wait-a", Seed: 2 });
        Assert.Equal(3, episode.ReadSteps().Count()); // seed 2 needs 3 waits
        Assert.Equal(3, episode.Manifest.Images);
        Assert.Equal("wait()", episode.ReadSteps().First().Code);
    }

    [Fact]
    public async Task A_world_that_cannot_be_made_and_a_hanging_agent_are_failed_rows_not_crashes()
    {
        // The good episodes take milliseconds, but they run under the same timeout as the hanging one: it
        // must be long enough for them on a loaded machine (300 ms was not always), short enough to wait out.
        var runner = new EvaluationRunner(new EmptyEnvironmentFactory(), new EvaluationOptions { EpisodeTimeout = TimeSpan.FromSeconds(3) });
        var hanging = new AgentEntry("hanging", () => WaitingAgent.Create("hanging", hang: true));
        var task = new WaitTask();

        IReadOnlyList<EpisodeOutcome> outcomes = await runner.RunAsync([Good, hanging], [new TaskPlan(task, [13, 0])]);

        Assert.Contains("world 13 cannot be generated", outcomes.Single(o => o is { Agent: "good", Seed: 13 }).Error);
        Assert.Contains("timed out", outcomes.Single(o => o is { Agent: "hanging", Seed: 0 }).Error);
        Assert.False(outcomes.Single(o => o is { Agent: "good", Seed: 0 }).Failed);
    }

    [Fact]
    public async Task Resuming_reads_complete_recordings_instead_of_playing_them_again()
    {
        using var folder = new TestFolder();
        var options = new EvaluationOptions { RecordDirectory = folder.Path, ResumeRecorded = true, DegreeOfParallelism = 2 };
        var first = await new EvaluationRunner(new EmptyEnvironmentFactory(), options).RunAsync([Good], [new TaskPlan(new WaitTask(), [0, 1])]);
        var factory = new EmptyEnvironmentFactory();

        var second = await new EvaluationRunner(factory, options).RunAsync([Good], [new TaskPlan(new WaitTask(), [0, 1, 3])]);

        Assert.Equal(1, factory.Created); // only seed 3 was played
        Assert.True(second[0].Resumed && second[1].Resumed && !second[2].Resumed);
        Assert.Equal(first.Select(o => (o.Success, o.Iterations)), second.Take(2).Select(o => (o.Success, o.Iterations)));
        Assert.Equal(3, new TrajectoryReader(folder.Path).Episodes().Count());
    }

    [Fact]
    public async Task Cancelling_the_run_throws_and_leaves_no_partial_recording()
    {
        using var folder = new TestFolder();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var hanging = new AgentEntry("hanging", () => WaitingAgent.Create("hanging", hang: true));
        var runner = new EvaluationRunner(new EmptyEnvironmentFactory(), new EvaluationOptions { RecordDirectory = folder.Path });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync([hanging], [new TaskPlan(new WaitTask(), [0, 1])], cancellationToken: cts.Token));

        Assert.DoesNotContain(Directory.EnumerateDirectories(folder.Path, "*", SearchOption.AllDirectories), d => d.EndsWith(".partial"));
        Assert.Empty(new TrajectoryReader(folder.Path).Episodes());
    }

    [Fact]
    public async Task Bad_plans_and_options_are_refused_with_what_to_change()
    {
        Assert.Contains("--parallel", Assert.Throws<ArgumentException>(() => new EvaluationOptions { DegreeOfParallelism = 0 }.Validated()).Message);
        var runner = new EvaluationRunner(new EmptyEnvironmentFactory());
        await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync([Good, Good], [new TaskPlan(new WaitTask(), [0])]));
        await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync([Good], [new TaskPlan(new WaitTask(), [])]));
    }

    private sealed class CountingProgress : IEvaluationProgress
    {
        private int _finished;

        public int Count => _finished;

        public void Planned(IReadOnlyList<EpisodeJob> jobs)
        {
        }

        public void Finished(EpisodeJob job, EpisodeOutcome outcome) => Interlocked.Increment(ref _finished);
    }
}
