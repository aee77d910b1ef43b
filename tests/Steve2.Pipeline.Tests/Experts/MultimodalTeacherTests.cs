using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Tests.Teacher;
using Reply = Steve2.Pipeline.Tests.Teacher.FakeOpenAiServer.Reply;

namespace Steve2.Pipeline.Tests.Experts;

/// <summary>
/// What a multimodal chat manager is shown over real HTTP: in creation the creation expert's renders (beside every
/// agent's view), in object search by image the target image; a role with images off is shown none.
/// </summary>
[Collection(ExpertHostCollection.Name)]
public sealed class MultimodalTeacherTests(ExpertHostFixture host)
{
    private static RoleBackendOptions Chat(Uri url, string model, bool images) =>
        RoleBackendOptions.Chat(url, model) with { SendImages = images, Timeout = TimeSpan.FromSeconds(20), Retries = 0 };

    [Fact]
    public async Task The_creation_manager_sees_the_imagined_buildings_renders_and_the_agents_views()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(_ => Reply.Text("agent 0: build\nagent 1: build"));
        const string tower = "a tall stone tower with a flat roof";   // the shipped model imagines a large grid for it
        using var env = new FakeEnvironment(agents: 2, inventory: new Dictionary<string, int> { [Items.OakPlanks] = 500 });
        var site = new BuildSite(new BlockPos(6, FakeEnvironment.Ground + 1, -4), 8, 8, 8);
        var goal = new TaskGoal("creation", 1, $"Build {tower}.", 2, 2, BuildingDescription: tower, BuildSite: site.Origin);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, goal, new CreationScorer("creation", 1, site, new global::Expert.VqVae.Voxels.OccupancyGrid(8, 8, 8)), recorder);
        var options = new TeacherAgentOptions { Manager = Chat(server.BaseUrl, "m-manager", images: true), Actor = Chat(server.BaseUrl, "m-actor", images: false) };

        await new TeacherAgent(options, host.Clients).RunEpisodeAsync(episode, CancellationToken.None);

        FakeOpenAiServer.Request first = server.For("m-manager")[0];
        Assert.Contains("Expert knowledge: The creation expert", first.UserText);
        string[] expected = ["Agent 0's view", "Agent 1's view", "The expert's picture 'front'", "The expert's picture 'side'", "The expert's picture 'top'", "The expert's picture 'isometric'"];
        Assert.Equal(expected, first.UserParts.Skip(1).Select(p => p.Split(" (")[0].TrimEnd(':')));
        Assert.Equal(6, first.ImageUrls.Count);
        // The fake world's views are 4 x 4; the renders come at the teacher's RenderSize.
        Assert.Equal([(4, 4), (4, 4), (128, 128), (128, 128), (128, 128), (128, 128)], first.ImageUrls.Select(FakeOpenAiServer.PngSize));
        Assert.All(server.For("m-actor"), r => Assert.Empty(r.ImageUrls));
        StepRecord plan = recorder.Steps.First(s => s.Role == "manager");
        Assert.Equal(("agent 0: build\nagent 1: build", "chat:m-manager"), (plan.ActionText, plan.Backend));
    }

    [Fact]
    public async Task The_manager_sees_the_target_image_of_an_object_search_by_image()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(_ => Reply.Text("agent 0: explore east"));
        using var env = new FakeEnvironment(agents: 1);
        TaskSetup setup = new ExplorationTask(agentCount: 1, iterationBudget: 1).Setup(0, env);
        var target = new RgbImage(16, 16, Enumerable.Repeat((byte)200, 16 * 16 * 3).ToArray());
        var episode = new EpisodeContext(env, setup.Goal with { TargetImage = target }, setup.Scorer, new ListRecorder());

        await new TeacherAgent(new TeacherAgentOptions { Manager = Chat(server.BaseUrl, "m", images: true) }, null).RunEpisodeAsync(episode, CancellationToken.None);

        FakeOpenAiServer.Request first = server.Requests[0];
        Assert.Contains("The target image of the task:", first.UserParts);
        Assert.Equal([(4, 4), (16, 16)], first.ImageUrls.Select(FakeOpenAiServer.PngSize));   // the fake world's 4 x 4 view, then the target
    }
}
