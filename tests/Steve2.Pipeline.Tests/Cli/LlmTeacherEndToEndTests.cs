using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Tests.Teacher;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;
using Reply = Steve2.Pipeline.Tests.Teacher.FakeOpenAiServer.Reply;

namespace Steve2.Pipeline.Tests.Cli;

/// <summary>
/// The LLM teacher from the command line: `steve2 eval` and `steve2 record` with <c>--teacher-config</c> against a
/// real OpenAI-compatible HTTP endpoint on 127.0.0.1 (<see cref="FakeOpenAiServer"/>, scripted answers), on one
/// seed and a few iterations of exploration without the experts.
/// </summary>
public sealed class LlmTeacherEndToEndTests
{
    private static string WriteConfig(TestFolder folder, string json)
    {
        string path = folder.Sub("teacher.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task Eval_sends_each_role_its_prompt_and_images_and_the_scripted_answers_drive_the_episode()
    {
        string keyVariable = "STEVE2_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8];
        System.Environment.SetEnvironmentVariable(keyVariable, "sk-test-123");
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(r => r.Model switch
        {
            "m-manager" => Reply.Text("```\nagent 0: explore west\nagent 1: explore north\n```"),
            "m-conductor" => Reply.Text(r.UserText.Contains("Instruction: explore north") ? "explore north" : "Answer: explore west"),
            _ => Reply.Text(r.UserText.Contains("Instruction: explore north") ? "explore(north, 30)" : "explore(west, 30)"),
        });
        using var folder = new TestFolder();
        string config = WriteConfig(folder, $$"""
            {
              // one endpoint for every role; the roles differ in model and in what they are shown
              "default": { "base_url": "{{server.BaseUrl}}", "api_key_env": "{{keyVariable}}", "temperature": 0.7, "max_tokens": 64, "timeout_seconds": 20 },
              "manager": { "model": "m-manager", "images": true },
              "conductor": { "model": "m-conductor", "images": true },
              "actor": { "model": "m-actor" },
            }
            """);

        CliRun run = await CliRun.RunAsync("eval", "--agents", "teacher-no-expert", "--tasks", "exploration", "--seeds", "0",
            "--max-iterations", "3", "--parallel", "1", "--output", folder.Sub("eval"), "--record", folder.Sub("traj"), "--teacher-config", config);

        Assert.True(run.ExitCode == CliApp.Ok, run.Output + run.Error);
        Assert.Contains("teacher backends: manager: chat m-manager at", run.Output);
        Assert.Contains("- **teacher backends: manager: chat m-manager at", File.ReadAllText(Path.Combine(folder.Sub("eval"), "results.md")));

        // The requests: every role's system text and answer format, the instruction, the state and the facts the rules read.
        var manager = server.For("m-manager");
        var conductor = server.For("m-conductor");
        var actor = server.For("m-actor");
        Assert.Single(manager);
        Assert.Equal(3, conductor.Count);
        Assert.Equal(3, actor.Count);
        Assert.All(server.Requests, r => Assert.Equal("Bearer sk-test-123", r.Authorization));
        Assert.All(server.Requests, r => Assert.Equal(0.7, r.Body.GetProperty("temperature").GetDouble(), 3));
        Assert.All(server.Requests, r => Assert.Equal(64, r.Body.GetProperty("max_tokens").GetInt32()));   // the field local servers read
        Assert.All(server.Requests, r => Assert.False(r.Body.TryGetProperty("max_completion_tokens", out _)));
        Assert.All(server.Requests, r => Assert.Equal(r.Model, r.Body.GetProperty("model").GetString()));
        Assert.Contains("You are the manager", manager[0].System);
        Assert.Contains("'agent N: SUBTASK'", manager[0].System);
        Assert.Contains("You are a conductor", conductor[0].System);
        Assert.Contains("You are an actor", actor[0].System);
        Assert.Contains("explore(direction, blocks<=50)", actor[0].System);
        Assert.All(server.Requests, r => Assert.Contains("\nFacts: {\"role\":", r.UserText));
        Assert.Contains("Instruction: Explore", manager[0].UserText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Instruction: explore west", conductor[0].UserText);
        Assert.Contains("Instruction: explore west", actor[0].UserText);

        // The images: the manager sees both agents' 64 x 64 views, a conductor its agent's, the actor (images off) none.
        Assert.Equal(2, manager[0].ImageUrls.Count);
        Assert.Contains("Agent 1's view (first person, 64 x 64 pixels):", manager[0].UserParts);
        Assert.All(conductor, r => Assert.Single(r.ImageUrls));
        Assert.All(manager[0].ImageUrls.Concat(conductor.SelectMany(r => r.ImageUrls)), url => Assert.Equal((64, 64), FakeOpenAiServer.PngSize(url)));
        Assert.All(actor, r => Assert.Empty(r.ImageUrls));

        // The scripted answers drove the episode, and the trajectory says which backend answered each step.
        RecordedEpisode episode = Assert.Single(new TrajectoryReader(folder.Sub("traj")).Episodes());
        var steps = episode.ReadSteps().ToArray();
        Assert.All(steps, s => Assert.Null(s.Fallback));
        Assert.Equal("agent 0: explore west\nagent 1: explore north", steps.Single(s => s.Role == "manager").ActionText);
        Assert.All(steps, s => Assert.Equal($"chat:m-{s.Role}", s.Backend));
        Assert.Equal(["explore(west, 30)", "explore(north, 30)", "explore(west, 30)"], steps.Where(s => s.Role == "actor").Select(s => s.Code));
        Assert.All(steps.Where(s => s.Role == "actor"), s => Assert.StartsWith("explored", s.Outcome!.Message));
    }

    [Fact]
    public async Task Record_falls_back_to_the_rules_on_server_errors_garbage_timeouts_and_refused_connections_and_the_trajectory_says_so()
    {
        // (A 2 s limit: a scripted answer must never miss it on a loaded machine; the hung replies take 30 s.)
        // The actor's endpoint: a 500 twice (one step), garbage twice (the critic asks again, one step), no answer in
        // time twice (one step), then a 429 with Retry-After and a good answer (the retry recovers).
        var script = new Dictionary<int, Reply>
        {
            [1] = Reply.Error(500), [2] = Reply.Error(502),
            [3] = Reply.Text("I would rather not say."), [4] = Reply.Text("walk somewhere nice"),
            [5] = Reply.Hang(TimeSpan.FromSeconds(30)), [6] = Reply.Hang(TimeSpan.FromSeconds(30)),
            [7] = Reply.Error(429, new Dictionary<string, string> { ["Retry-After"] = "0" }), [8] = Reply.Text("lookAt(45, -10)"),
        };
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(r => script[r.Index]);
        int closedPort = ClosedPort();
        using var folder = new TestFolder();
        string config = WriteConfig(folder, $$"""
            {
              "critic_retries": 1,
              "conductor": { "base_url": "http://127.0.0.1:{{closedPort}}/v1", "model": "m-conductor", "retries": 1, "backoff_seconds": 0.01 },
              "actor": { "base_url": "{{server.BaseUrl}}", "model": "m-actor", "timeout_seconds": 2, "retries": 1, "backoff_seconds": 0.01,
                         "max_tokens": 32, "max_tokens_field": "max_completion_tokens" }
            }
            """);

        CliRun run = await CliRun.RunAsync("record", "--agents", "teacher-no-expert", "--tasks", "exploration", "--seeds", "1000000",
            "--max-iterations", "4", "--parallel", "1", "--output", folder.Sub("traj"), "--teacher-config", config);

        Assert.True(run.ExitCode == CliApp.Ok, run.Output + run.Error);
        Assert.Contains("recorded 1 episodes", run.Output);
        Assert.Equal(8, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(32, r.Body.GetProperty("max_completion_tokens").GetInt32()));
        Assert.All(server.Requests, r => Assert.False(r.Body.TryGetProperty("max_tokens", out _)));
        Assert.Contains("Critic: your answer 'I would rather not say.' was rejected", server.Requests[3].UserText);

        RecordedEpisode episode = Assert.Single(new TrajectoryReader(folder.Sub("traj")).Episodes());
        Assert.Equal(4, episode.Manifest.Result.Iterations);
        var steps = episode.ReadSteps().ToArray();
        var actor = steps.Where(s => s.Role == "actor").ToArray();
        Assert.Equal(["rules", "rules", "rules", "chat:m-actor"], actor.Select(s => s.Backend));
        Assert.Contains("HTTP 502", actor[0].Fallback);
        Assert.Contains("2 attempt(s) failed", actor[0].Fallback);
        Assert.Contains("was rejected", actor[1].Fallback);
        Assert.Contains("timed out after 2 s", actor[2].Fallback);
        Assert.Null(actor[3].Fallback);
        Assert.Equal("lookAt(45, -10)", actor[3].Code);
        Assert.All(actor.Take(3), s => Assert.NotNull(s.Code));   // the rules acted

        // The conductor's endpoint refuses every connection: the rules direct every step, and say why; after three
        // failed questions in a row it is not asked any more (cooling down), and the note still carries the cause.
        var conductor = steps.Where(s => s.Role == "conductor").ToArray();
        Assert.Equal(4, conductor.Length);
        Assert.All(conductor, s => Assert.Equal("rules", s.Backend));
        Assert.All(conductor, s => Assert.Contains("no answer from the endpoint", s.Fallback));
        Assert.All(conductor.Take(3), s => Assert.Contains("2 attempt(s) failed", s.Fallback));
        Assert.Contains("not asked, cooling down until", conductor[3].Fallback);
        Assert.Equal("rules", steps.Single(s => s.Role == "manager").Backend);

        // A step the rules took over decides again to its recorded answer from what it carries; the chat step need not.
        Assert.All(steps.Where(s => s.Backend == "rules"), s => Assert.Equal(s.ActionText, RuleReplay.Decide(s, null)));

        // `trajectories inspect` counts the chat steps and the fallbacks (4 actor steps: 1 chat, 3 fell back; 4 conductor steps fell back).
        CliRun inspect = await CliRun.RunAsync("trajectories", "inspect", folder.Sub("traj"), "--sample", "0");
        Assert.True(inspect.ExitCode == CliApp.Ok, inspect.Output + inspect.Error);
        Assert.Contains("chat / fell back", inspect.Output);
        Assert.Contains("w/o experts", inspect.Output);
        Assert.Contains("by role (rules agree, w/o experts): actor", inspect.Output);
        Assert.Contains("1 / 7", inspect.Output);

        // The shared memory says so: later planning steps are given the fallback notes.
        Assert.Contains(steps, s => s.Role == "conductor" && s.Memory.Any(m => m.StartsWith("actor backend chat:m-actor failed (") && m.Contains("HTTP 502")));
        Assert.Contains(steps, s => s.Role == "conductor" && s.Memory.Any(m => m.StartsWith("actor backend chat:m-actor gave no usable answer after 2 tries")));
        Assert.Contains(steps, s => s.Role == "conductor" && s.Memory.Any(m => m.StartsWith("conductor backend chat:m-conductor failed (")));
    }

    [Fact]
    public async Task A_bad_teacher_config_stops_the_command_before_anything_runs_and_names_the_field()
    {
        using var folder = new TestFolder();
        string config = WriteConfig(folder, """{ "actor": { "base_url": "http://127.0.0.1:1/v1", "model": "m", "temperature": 3 } }""");

        CliRun run = await CliRun.RunAsync("eval", "--agents", "teacher-no-expert", "--tasks", "exploration", "--seeds", "0",
            "--max-iterations", "1", "--output", folder.Sub("eval"), "--teacher-config", config);

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains("actor.temperature must be a number in 0..2 (got 3)", run.Output + run.Error);
        Assert.False(Directory.Exists(folder.Sub("eval")) && Directory.EnumerateFiles(folder.Sub("eval")).Any());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
