using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Tests.Teacher;

namespace Steve2.Pipeline.Tests.Experts;

/// <summary>The teacher with both experts of an in-process host, on the real voxel world.</summary>
[Collection(ExpertHostCollection.Name)]
public sealed class TeacherWithExpertsTests(ExpertHostFixture host)
{
    private static readonly VoxelEnvironmentFactory Worlds = new(new VoxelEnvironmentOptions(new Steve2.Pipeline.World.WorldOptions(128, 64, 128, 24)));

    private static async Task<(TaskResult Result, ListRecorder Recorder)> RunAsync(IAgent agent, ITaskDefinition task, int seed)
    {
        using IEnvironment env = Worlds.Create(task.Episode(seed));
        TaskSetup setup = task.Setup(seed, env);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, setup.Goal, setup.Scorer, recorder);
        await agent.RunEpisodeAsync(episode, CancellationToken.None);
        return (episode.Finish(), recorder);
    }

    [Fact]
    public async Task Creation_builds_the_imagined_building_and_keeps_expert_output_apart()
    {
        // A description the shipped model imagines a large grid for (it draws small huts nearly empty).
        const string tower = "a tall stone tower with a flat roof";
        using var env = new FakeEnvironment(agents: 2, inventory: new Dictionary<string, int> { [Items.OakPlanks] = 500 });
        var site = new BuildSite(new BlockPos(6, FakeEnvironment.Ground + 1, -4), 8, 8, 8);
        var goal = new TaskGoal("creation", 1, $"Build {tower}.", 30, 2, BuildingDescription: tower, BuildSite: site.Origin);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, goal, new CreationScorer("creation", 1, site, new global::Expert.VqVae.Voxels.OccupancyGrid(8, 8, 8)), recorder);
        int before = host.Clients.CallCount;
        var teacher = new TeacherAgent(new TeacherAgentOptions(), host.Clients);
        await teacher.RunEpisodeAsync(episode, CancellationToken.None);
        TaskResult result = episode.Finish();

        Assert.Equal("teacher", teacher.Name);
        Assert.True(host.Clients.CallCount > before, "the creation expert was called");
        StepRecord manager = recorder.Steps.First(s => s.Role == "manager");
        Assert.NotNull(manager.ExpertContext);
        Assert.Contains("imagined", manager.ExpertContext!.Text);
        Assert.Equal(4, manager.ExpertContext.Images.Count);
        Assert.DoesNotContain("imagined", manager.StateText);
        Assert.True(result.Metrics["blocks_placed"] >= 10, $"placed {result.Metrics["blocks_placed"]}");
    }

    [Fact]
    public async Task Exploration_streams_observations_into_the_map_and_follows_its_frontiers()
    {
        int before = host.Clients.CallCount;
        var (result, recorder) = await RunAsync(new TeacherAgent(new TeacherAgentOptions(), host.Clients), new ExplorationTask(iterationBudget: 6), 1);

        Assert.True(host.Clients.CallCount - before >= 6 * 2, "one observation batch and one frontier query per step at least");
        // The map answers with frontiers or with why there is none; either way it goes to the expert context only.
        Assert.All(recorder.Steps.Where(s => s.Role == "conductor"), s => Assert.Contains("rontier", s.ExpertContext!.Text));
        Assert.All(recorder.Steps, s => Assert.DoesNotContain("rontier", s.StateText));
        Assert.True(result.Metrics["area_revealed"] > 300);
    }

    [Fact]
    public async Task Without_experts_no_expert_call_is_made_and_no_expert_context_recorded()
    {
        int before = host.Clients.CallCount;
        var (_, recorder) = await RunAsync(new TeacherAgent(new TeacherAgentOptions(), null), new ExplorationTask(iterationBudget: 4), 1);
        var (_, creation) = await RunAsync(new TeacherAgent(new TeacherAgentOptions(), null), new CreationTask(), 0);

        Assert.Equal(before, host.Clients.CallCount);
        Assert.All(recorder.Steps.Concat(creation.Steps), s => Assert.Null(s.ExpertContext));
    }
}
