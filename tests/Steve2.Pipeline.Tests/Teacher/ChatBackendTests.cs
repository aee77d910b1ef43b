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
    public void Chat_options_are_validated_with_what_to_change()
    {
        Assert.Contains("Endpoint", Assert.Throws<ArgumentException>(() => new TeacherAgentOptions { Actor = new RoleBackendOptions { Kind = RoleBackendKind.Chat, Model = "m" } }.Validated()).Message);
        Assert.Contains("Model", Assert.Throws<ArgumentException>(() => new TeacherAgentOptions { Manager = RoleBackendOptions.Chat(new Uri("http://x/v1"), " ") }.Validated()).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TeacherAgentOptions { AgentsPerTeam = 0 }.Validated());
        Assert.Equal("explore(east, 50)", ChatRoleBackend.FirstLine("\n```text\nexplore(east, 50)\n```"));
    }
}
