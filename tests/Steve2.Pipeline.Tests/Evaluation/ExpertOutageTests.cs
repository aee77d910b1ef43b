using Grpc.Net.Client;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Evaluation;

/// <summary>
/// An episode the teacher played while the expert host was down is not kept by record (FailOnExpertOutage): it fails,
/// leaves no trajectory, and the same run again plays it; eval keeps it. Parallel episodes count their outages apart.
/// </summary>
public sealed class ExpertOutageTests
{
    /// <summary>Waits like <see cref="WaitingAgent"/>, and on the seeds given asks an expert first.</summary>
    private sealed class AskingAgent(ExpertClients experts, IReadOnlySet<int> askOn) : IAgent
    {
        public string Name => "asking";

        public async Task RunEpisodeAsync(EpisodeContext episode, CancellationToken cancellationToken)
        {
            if (askOn.Contains(episode.Goal.Seed))
                Assert.False((await experts.OpenMapAsync($"episode-{episode.Goal.Seed}", cancellationToken)).Ok);
            await WaitingAgent.Create("asking").RunEpisodeAsync(episode, cancellationToken);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Episodes_that_found_no_expert_host_fail_when_asked_and_are_played_again(bool failOnOutage)
    {
        using var folder = new TestFolder();
        using GrpcChannel nowhere = GrpcChannel.ForAddress("http://127.0.0.1:1");   // nothing listens: Unavailable
        var downOn = new HashSet<int> { 1, 3 };
        var options = new EvaluationOptions { RecordDirectory = folder.Path, ResumeRecorded = true, DegreeOfParallelism = 4, FailOnExpertOutage = failOnOutage };
        var agent = new AgentEntry("asking", () => new AskingAgent(new ExpertClients(nowhere), downOn));

        IReadOnlyList<EpisodeOutcome> first = await new EvaluationRunner(new EmptyEnvironmentFactory(), options).RunAsync([agent], [new TaskPlan(new WaitTask(), [0, 1, 2, 3, 4])]);

        Assert.Equal(failOnOutage ? [1, 3] : [], first.Where(o => o.Failed).Select(o => o.Seed));
        Assert.All(first.Where(o => o.Failed), o => Assert.Contains("the expert host was unreachable for 1 expert call(s)", o.Error));
        Assert.Equal(failOnOutage ? [0, 2, 4] : [0, 1, 2, 3, 4], new TrajectoryReader(folder.Path).Episodes().Select(e => e.Manifest.Seed).Order());
        Assert.DoesNotContain(Directory.EnumerateDirectories(folder.Path, "*", SearchOption.AllDirectories), d => d.EndsWith(".partial"));

        // The host is back: the same run plays only the episodes it did not keep.
        downOn.Clear();
        IReadOnlyList<EpisodeOutcome> again = await new EvaluationRunner(new EmptyEnvironmentFactory(), options).RunAsync([agent], [new TaskPlan(new WaitTask(), [0, 1, 2, 3, 4])]);

        Assert.Equal(failOnOutage ? [1, 3] : [], again.Where(o => !o.Resumed).Select(o => o.Seed));
        Assert.DoesNotContain(again, o => o.Failed);
        Assert.Equal(5, new TrajectoryReader(folder.Path).Episodes().Count());
    }
}
