using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Backends;

namespace Steve2.Pipeline.Tests.Teacher;

public sealed class ChatBackendTests
{
    private static readonly RoleBackendOptions Chat = RoleBackendOptions.Chat(new Uri("http://127.0.0.1:9/v1"), "test-model");

    private static TeacherAgentOptions AllChat => new() { Manager = Chat, Conductor = Chat, Actor = Chat };

    private static async Task<(ListRecorder Recorder, EpisodeContext Episode)> RunExplorationAsync(ScriptedChatClient client, int budget)
    {
        var env = new FakeEnvironment(agents: 1);
        TaskSetup setup = new ExplorationTask(agentCount: 1, iterationBudget: budget).Setup(0, env);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, setup.Goal, setup.Scorer, recorder);
        await new TeacherAgent(AllChat, null, _ => client).RunEpisodeAsync(episode, CancellationToken.None);
        return (recorder, episode);
    }

    [Fact]
    public async Task Garbage_is_sent_back_with_the_critics_reason_and_the_next_answer_is_used()
    {
        // Every first answer to a question is garbage, every second a valid answer in the role's format.
        var client = new ScriptedChatClient((system, user, call) =>
            !user.Contains("Critic:") ? "I think we should go somewhere nice." :
            system.Contains("manager") ? "```\nagent 0: explore east\n```" :
            system.Contains("conductor") ? "explore east" : "Answer: explore(east, 50)");
        var (recorder, episode) = await RunExplorationAsync(client, budget: 2);

        Assert.Equal(2, episode.IterationsUsed);
        Assert.Equal("agent 0: explore east", recorder.Steps.Single(s => s.Role == "manager").ActionText);
        Assert.All(recorder.Steps.Where(s => s.Role == "actor"), s => Assert.Equal(new Explore(Direction.East, 50), s.Code));
        var retried = client.Requests.Where(r => r.User.Contains("Critic:")).ToArray();
        Assert.Equal(client.Requests.Count / 2, retried.Length);
        Assert.All(retried, r => Assert.Contains("was rejected", r.User));
    }

    [Fact]
    public async Task A_backend_that_never_answers_usefully_falls_back_to_the_rules()
    {
        var client = new ScriptedChatClient((_, _, _) => "no");
        var (recorder, episode) = await RunExplorationAsync(client, budget: 1);

        Assert.Equal(1, episode.IterationsUsed);
        Assert.Single(recorder.Steps, s => s.Role == "actor");
        Assert.IsType<Explore>(recorder.Steps.Single(s => s.Role == "actor").Code);
        // Manager, conductor and actor were each asked 1 + MaxRetries times.
        Assert.Equal(3 * (1 + new TeacherAgentOptions().MaxRetries), client.Requests.Count);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_rejected_answer_and_the_rules_take_over()
    {
        // The real OpenAI-compatible client against a closed port: every call fails, the episode does not.
        // A model name of its own: the process shares one circuit breaker per endpoint and model.
        var options = new TeacherAgentOptions { Actor = Chat with { Model = "unreachable-" + Guid.NewGuid().ToString("N"), Retries = 0 }, MaxRetries = 0 };
        using var env = new FakeEnvironment(agents: 1);
        TaskSetup setup = new ExplorationTask(agentCount: 1, iterationBudget: 2).Setup(0, env);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, setup.Goal, setup.Scorer, recorder);

        await new TeacherAgent(options, null).RunEpisodeAsync(episode, CancellationToken.None);

        Assert.Equal(2, episode.IterationsUsed);
        Assert.All(recorder.Steps.Where(s => s.Role == "actor"), s => Assert.IsType<Explore>(s.Code));
    }

    [Fact]
    public async Task A_chat_conductor_claims_the_steps_it_places_so_the_creation_plan_finishes()
    {
        // The conductor (and the manager) are a chat model that reads the build window from the facts in its prompt and
        // names the first step no teammate works on; the actors are rules. The teacher claims whatever step a directive
        // names, so the critic marks it done and the plan finishes before the budget.
        const string hut = "a low hut with a 4 by 4 footprint and a flat roof";
        using var env = new FakeEnvironment(agents: 2, inventory: new Dictionary<string, int> { [Items.OakPlanks] = 100 });
        var site = new BuildSite(new BlockPos(6, FakeEnvironment.Ground + 1, -2), 4, 3, 4);
        var goal = new TaskGoal("creation", 0, $"Build {hut} at {site.Origin}.", 200, 2, BuildingDescription: hut, BuildSite: site.Origin);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, goal, new CreationScorer("creation", 0, site, new global::Expert.VqVae.Voxels.OccupancyGrid(4, 3, 4)), recorder);
        var client = new ScriptedChatClient((system, user, _) => system.Contains("manager") ? "agent 0: build\nagent 1: build" : NextBuildStep(user));

        await new TeacherAgent(new TeacherAgentOptions { Manager = Chat, Conductor = Chat }, null, _ => client).RunEpisodeAsync(episode, CancellationToken.None);

        var conductor = recorder.Steps.Where(s => s.Role == "conductor").ToArray();
        Assert.NotEmpty(conductor);
        Assert.All(conductor, s => Assert.StartsWith("place", s.ActionText));
        Assert.DoesNotContain(client.Requests, r => r.User.Contains("Critic:"));  // every chat answer was taken, none fell back
        // The guessed hut has 4*4*2 - 2*2*2 walls + 16 roof = 40 blocks, in boxes; each placed once, then the teacher stops.
        var placed = recorder.Steps.Where(s => s.Role == "actor" && s.Code is PlaceBox && s.Outcome!.Success)
            .SelectMany(s => new Steve2.Pipeline.Teacher.Planning.PlanStep(0, ((PlaceBox)s.Code!).From, Steve2.Pipeline.Experts.PlannedBlockAction.Place, ((PlaceBox)s.Code!).To).Cells()).ToArray();
        Assert.True(episode.IterationsUsed < goal.IterationBudget, $"the plan never finished: {episode.IterationsUsed} iterations, {placed.Length} placed");
        Assert.Equal(40, placed.Distinct().Count());
        Assert.Equal(placed.Length, placed.Distinct().Count());  // teammates never place the same step twice
    }

    /// <summary>A scripted conductor: the first pending step of the build window in the prompt's facts that no teammate claimed.</summary>
    private static string NextBuildStep(string user)
    {
        string json = user.Split('\n').First(l => l.StartsWith("Facts: ", StringComparison.Ordinal))["Facts: ".Length..];
        using var facts = System.Text.Json.JsonDocument.Parse(json);
        var build = facts.RootElement.GetProperty("build");
        var claimed = build.GetProperty("claimed_by_teammates").EnumerateArray().Select(e => e.GetInt32()).ToHashSet();
        foreach (var step in build.GetProperty("pending").EnumerateArray())
        {
            if (claimed.Contains(step.GetProperty("index").GetInt32())) continue;
            var p = step.GetProperty("position");
            var q = step.GetProperty("to");
            return $"place {Items.OakPlanks} {p.GetProperty("x").GetInt32()} {p.GetProperty("y").GetInt32()} {p.GetProperty("z").GetInt32()} {q.GetProperty("x").GetInt32()} {q.GetProperty("y").GetInt32()} {q.GetProperty("z").GetInt32()}";
        }
        return "wait";
    }

    [Fact]
    public void Chat_options_are_validated_with_what_to_change()
    {
        Assert.Contains("Endpoint", Assert.Throws<ArgumentException>(() => new TeacherAgentOptions { Actor = new RoleBackendOptions { Kind = RoleBackendKind.Chat, Model = "m" } }.Validated()).Message);
        Assert.Contains("Model", Assert.Throws<ArgumentException>(() => new TeacherAgentOptions { Manager = RoleBackendOptions.Chat(new Uri("http://x/v1"), " ") }.Validated()).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TeacherAgentOptions { AgentsPerTeam = 0 }.Validated());
        Assert.Equal("explore(east, 50)", ChatRoleBackend.FirstLine("\n```text\nexplore(east, 50)\n```"));
    }
}
