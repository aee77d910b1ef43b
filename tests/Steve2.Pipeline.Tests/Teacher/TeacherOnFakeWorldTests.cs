using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>The rule teacher without experts on the hand-made world: it must solve small instances, record every role, and never produce expert context.</summary>
public sealed class TeacherOnFakeWorldTests
{
    private const string Hut = "a low hut with a 4 by 4 footprint and a flat roof";

    /// <summary>The hut the words describe: 4 x 4, two layers of walls and a roof slab.</summary>
    private static VoxelGrid HutGrid()
    {
        var g = new VoxelGrid(4, 3, 4);
        g.FillBox(0, 0, 0, 3, 1, 3);
        g.FillBox(1, 0, 1, 2, 1, 2, false);
        g.FillBox(0, 2, 0, 3, 2, 3);
        return g;
    }

    [Fact]
    public async Task Builds_the_guessed_hut_at_the_site_without_experts()
    {
        using var env = new FakeEnvironment(agents: 2, inventory: new Dictionary<string, int> { [Items.OakPlanks] = 100 });
        var site = new BuildSite(new BlockPos(6, FakeEnvironment.Ground + 1, -2), 4, 3, 4);
        var goal = new TaskGoal("creation", 0, $"Build {Hut} at {site.Origin}.", 90, 2, BuildingDescription: Hut, BuildSite: site.Origin);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, goal, new CreationScorer("creation", 0, site, HutGrid()), recorder);

        var teacher = new TeacherAgent(new TeacherAgentOptions(), experts: null);
        await teacher.RunEpisodeAsync(episode, CancellationToken.None);
        TaskResult result = episode.Finish();

        Assert.Equal("teacher-no-expert", teacher.Name);
        Assert.True(result.Metrics["iou"] >= 0.8, $"iou {result.Metrics["iou"]}");
        Assert.Contains(recorder.Steps, s => s.Role == "manager");
        Assert.Contains(recorder.Steps, s => s.Role == "conductor");
        Assert.Contains(recorder.Steps, s => s.Role == "actor" && s.Code is Place or PlaceBox && s.Outcome!.Success);
        Assert.All(recorder.Steps, s => Assert.Null(s.ExpertContext));
        Assert.Equal(episode.IterationsUsed, recorder.Steps.Count(s => s.Role == "actor"));
    }

    [Fact]
    public async Task Explores_and_reveals_more_than_it_started_with()
    {
        using var env = new FakeEnvironment(agents: 2);
        var task = new ExplorationTask(agentCount: 2, iterationBudget: 6);
        TaskSetup setup = task.Setup(0, env);
        int before = ExplorationScorer.AreaRevealed(env.World, 2);
        var episode = new EpisodeContext(env, setup.Goal, setup.Scorer, NullStepRecorder.Instance);

        await new TeacherAgent(new TeacherAgentOptions(), null).RunEpisodeAsync(episode, CancellationToken.None);
        TaskResult result = episode.Finish();

        Assert.Equal(6, episode.IterationsUsed);
        Assert.True(result.Metrics["area_revealed"] > before * 3, $"{result.Metrics["area_revealed"]} vs {before}");
        Assert.Equal(0, result.Metrics["move_violations"]);
        Assert.All(env.Actions, a => Assert.True(a is not Explore e || e.Blocks <= CodeAction.MaxMoveBlocks));
    }

    [Fact]
    public async Task Finds_an_animal_out_of_view_by_its_sound()
    {
        var pig = new SeenEntity(7, "pig", new Vec3(40.5, FakeEnvironment.Ground + 1, 30.5));
        using var env = new FakeEnvironment(agents: 1, animals: [pig]);
        var goal = new TaskGoal("object-search", 0, "Find the source of the sound \"pig\".", 6, 1, TargetSound: "pig");
        var episode = new EpisodeContext(env, goal, new ObjectSearchScorer("object-search", 0, "pig", 3), NullStepRecorder.Instance);

        await new TeacherAgent(new TeacherAgentOptions(), null).RunEpisodeAsync(episode, CancellationToken.None);

        Assert.True(episode.Finish().Success);
    }
}
